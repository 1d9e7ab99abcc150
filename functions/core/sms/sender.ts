/**
 * Sends one queued SMS: the same code behind the SQS sender Lambda and the local queue.
 * Opt-out is checked when the reply is made; the destination country and the daily caps when
 * the messenger records it (admission.ts), so the caller knows at once whether it may go. A
 * queued message that was never admitted (recorded by other code, or by a run that died
 * before admitting it) is admitted here, so no message can skip the guards. A broadcast SMS
 * is recorded by the fan-out long before its turn comes, so here it is checked once more: its
 * broadcast may be paused, cancelled or in quiet hours (`broadcasts.gate`), and its recipient
 * may have sent STOP since.
 */
import type { SubscriberRepository } from '../subscribers/ports.ts';
import { type AdmissionDeps, admit } from './admission.ts';
import { GatewayError, type OutboundStore, type SmsGateway } from './ports.ts';

export interface SenderDeps extends AdmissionDeps {
  outbound: OutboundStore;
  gateway: SmsGateway;
  /**
   * Broadcasts' say before each of their SMS (core/broadcasts: paused, cancelled, quiet
   * hours). Without it a broadcast SMS goes like any other.
   */
  broadcasts?: { gate(broadcastId: string, now: Date): Promise<'send' | 'hold' | 'cancel'> };
  /**
   * Where a broadcast SMS's recipient is looked up once more before it goes: a number that
   * sent STOP after the fan-out read it gets nothing.
   */
  subscribers?: Pick<SubscriberRepository, 'get'>;
  /**
   * Told of each SMS the gateway took or finally refused, with its segments: in AWS a log line
   * that metric filters sum into the segments-per-day and failed-broadcast alarms
   * (infra/constructs/monitoring.ts). Without it nothing is told.
   */
  report?: (event: SendEvent) => void;
}

/** What `report` hears: `kind` is what a metric filter matches on, never the prose of a message. */
export interface SendEvent {
  kind: 'sms_sent' | 'sms_failed';
  segments: number;
  /** Sent for a broadcast: a failure counts among the broadcasts' failures. */
  broadcast: boolean;
}

export type SendOutcome = 'sent' | 'skipped' | 'blocked' | 'failed' | 'unknown';

/**
 * @returns what happened; throws a retryable GatewayError for the queue to retry with backoff.
 * @param finalAttempt when true a retryable failure is recorded as failed (dead letter) instead.
 */
export async function sendQueuedSms(deps: SenderDeps, id: string, finalAttempt = false): Promise<SendOutcome> {
  const msg = await deps.outbound.get(id);
  if (!msg) return 'skipped';
  if (msg.status !== 'queued') return 'skipped'; // already sent by an earlier delivery of the same job, or blocked

  // Shorter than the queue's visibility timeout: if this sender dies, a redelivery can send.
  if (!(await deps.outbound.leaseForSending(id, deps.now(), 60_000))) return 'skipped';

  if (msg.broadcastId) {
    const gate = deps.broadcasts ? await deps.broadcasts.gate(msg.broadcastId, deps.now()) : 'send';
    if (gate === 'hold') {
      // Left queued: the broadcast's next run queues it again once it may go.
      await deps.outbound.releaseLease(id);
      return 'skipped';
    }
    if (gate === 'cancel') {
      await deps.outbound.markStatus(id, 'blocked', { error: 'broadcast cancelled' });
      return 'blocked';
    }
    if ((await deps.subscribers?.get(msg.to))?.optedOut) {
      await deps.outbound.markStatus(id, 'blocked', { error: 'the number sent STOP' });
      return 'blocked';
    }
  }

  if (!msg.admittedOn && (await admit(deps, msg)) === 'blocked') return 'blocked';

  if (msg.broadcastId) {
    // At most once: a try that died between the gateway and recording what it said may have
    // sent it, and a broadcast is never sent twice to anyone (a lost one is reported as unknown).
    const mark = await deps.outbound.markSending(id, deps.now());
    if (mark === 'gone') return 'skipped';
    if (mark === 'interrupted') {
      await deps.outbound.markStatus(id, 'unknown', {
        error: 'sending was cut off; not sent again (it may have gone)',
      });
      return 'skipped';
    }
  }

  let gatewayMessageId: string;
  try {
    ({ gatewayMessageId } = await deps.gateway.send(msg));
  } catch (err) {
    const retryable = err instanceof GatewayError ? err.retryable : true;
    if (retryable && !finalAttempt) {
      // Counted once, when admitted: a retry of the same message is not counted again.
      await deps.outbound.releaseLease(id);
      throw err instanceof GatewayError ? err : new GatewayError(String(err), true);
    }
    if (err instanceof GatewayError && err.mayHaveSent) {
      // Not failed, not sent: it may have gone. Never sent again; a report may still settle it.
      await deps.outbound.markStatus(id, 'unknown', { gateway: deps.gateway.name, error: err.message });
      return 'unknown';
    }
    await deps.outbound.markStatus(id, 'failed', { error: (err as Error).message });
    deps.report?.({ kind: 'sms_failed', segments: msg.segments, broadcast: Boolean(msg.broadcastId) });
    return 'failed';
  }
  // Sent: a failure to record it must not pass for a gateway failure, which releases the lease
  // and sends again (a throttled table sent SMS twice). Recording is tried a few times more; if
  // it still fails the lease stays, and the error goes back to the queue.
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.outbound.markStatus(id, 'sent', { gateway: deps.gateway.name, gatewayMessageId });
      deps.report?.({ kind: 'sms_sent', segments: msg.segments, broadcast: Boolean(msg.broadcastId) });
      return 'sent';
    } catch (err) {
      if (attempt >= RECORD_SENT_ATTEMPTS) throw err;
      // Apart in time: a throttled table (and the SDK's spent retry quota) recovers within a second.
      await new Promise((r) => setTimeout(r, RECORD_SENT_BACKOFF_MS * 2 ** (attempt - 1)));
    }
  }
}

/** Tries at recording an SMS the gateway took (each a DynamoDB call with the SDK's own retries). */
const RECORD_SENT_ATTEMPTS = 5;
/** The first wait between those tries, doubled each time (50, 100, 200, 400 ms). */
const RECORD_SENT_BACKOFF_MS = 50;

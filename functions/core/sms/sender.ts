/**
 * Sends one queued SMS: the same code behind the SQS sender Lambda and the local queue.
 * Guards run here, in one place, so no caller can skip them: opt-out is checked when the
 * reply is made; here the destination country, and the daily segment budget that stops
 * non-essential sending.
 */
import { callingCodeOf } from '../phone.ts';
import { GatewayError, type OutboundStore, type SmsBudget, type SmsGateway } from '../ports.ts';
import { shanghaiDay } from '../time.ts';

export interface SenderDeps {
  outbound: OutboundStore;
  gateway: SmsGateway;
  budget: SmsBudget;
  /** Calling codes we may send to, e.g. ['86']. */
  allowedCallingCodes: string[];
  dailySegmentLimit: number;
  /** Raised when the budget stops a message (an alarm metric in AWS, a log line locally). */
  alarm: (event: { kind: 'sms_budget_exhausted' | 'sms_country_blocked'; detail: string }) => void;
  now: () => Date;
}

export type SendOutcome = 'sent' | 'skipped' | 'blocked' | 'failed';

/**
 * @returns what happened; throws a retryable GatewayError for the queue to retry with backoff.
 * @param finalAttempt when true a retryable failure is recorded as failed (dead letter) instead.
 */
export async function sendQueuedSms(deps: SenderDeps, id: string, finalAttempt = false): Promise<SendOutcome> {
  const msg = await deps.outbound.get(id);
  if (!msg) return 'skipped';
  if (msg.status !== 'queued') return 'skipped'; // already sent by an earlier delivery of the same job

  const code = callingCodeOf(msg.to);
  if (!code || !deps.allowedCallingCodes.includes(code)) {
    await deps.outbound.markStatus(id, 'blocked', { error: `destination +${code ?? '?'} not in the allow-list` });
    deps.alarm({ kind: 'sms_country_blocked', detail: `+${code ?? '?'}` });
    return 'blocked';
  }

  // Shorter than the queue's visibility timeout: if this sender dies, a redelivery can send.
  if (!(await deps.outbound.leaseForSending(id, deps.now(), 60_000))) return 'skipped';

  const budget = await deps.budget.spend(shanghaiDay(deps.now()), msg.segments, deps.dailySegmentLimit, msg.essential);
  if (!budget.allowed) {
    await deps.outbound.markStatus(id, 'blocked', { error: 'daily SMS segment budget reached' });
    deps.alarm({ kind: 'sms_budget_exhausted', detail: `limit ${deps.dailySegmentLimit}` });
    return 'blocked';
  }

  try {
    const { gatewayMessageId } = await deps.gateway.send(msg);
    await deps.outbound.markStatus(id, 'sent', { gateway: deps.gateway.name, gatewayMessageId });
    return 'sent';
  } catch (err) {
    const retryable = err instanceof GatewayError ? err.retryable : true;
    if (retryable && !finalAttempt) {
      // Each attempt counts against the budget again: conservative, never an overspend.
      await deps.outbound.releaseLease(id);
      throw err instanceof GatewayError ? err : new GatewayError(String(err), true);
    }
    await deps.outbound.markStatus(id, 'failed', { error: (err as Error).message });
    return 'failed';
  }
}

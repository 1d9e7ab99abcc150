/**
 * Sends one queued SMS: the same code behind the SQS sender Lambda and the local queue.
 * Opt-out is checked when the reply is made; the destination country and the daily caps when
 * the messenger records it (admission.ts), so the caller knows at once whether it may go. A
 * queued message that was never admitted (recorded by other code, or by a run that died
 * before admitting it) is admitted here, so no message can skip the guards.
 */
import { type AdmissionDeps, admit } from './admission.ts';
import { GatewayError, type OutboundStore, type SmsGateway } from './ports.ts';

export interface SenderDeps extends AdmissionDeps {
  outbound: OutboundStore;
  gateway: SmsGateway;
}

export type SendOutcome = 'sent' | 'skipped' | 'blocked' | 'failed';

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

  if (!msg.admittedOn && (await admit(deps, msg)) === 'blocked') return 'blocked';

  try {
    const { gatewayMessageId } = await deps.gateway.send(msg);
    await deps.outbound.markStatus(id, 'sent', { gateway: deps.gateway.name, gatewayMessageId });
    return 'sent';
  } catch (err) {
    const retryable = err instanceof GatewayError ? err.retryable : true;
    if (retryable && !finalAttempt) {
      // Counted once, when admitted: a retry of the same message is not counted again.
      await deps.outbound.releaseLease(id);
      throw err instanceof GatewayError ? err : new GatewayError(String(err), true);
    }
    await deps.outbound.markStatus(id, 'failed', { error: (err as Error).message });
    return 'failed';
  }
}

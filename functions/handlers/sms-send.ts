/**
 * Lambda entry for the outbound queues: SQS → the sender → End User Messaging. The outbound
 * queue carries `{"id"}` of composed SMS, and jobs whose SMS are composed here: sign-in codes
 * and messages the http Lambda handed over whole. The bulk queue carries broadcasts'
 * `{"id","bulk":true}`: the body, not the event source ARN, says which, so the function needs
 * no setting naming the queue and a record is handled the same whichever queue brought it.
 * Bulk records go at SMS_SEND_RATE (core/sms/pacing.ts); replies and codes do not wait for them.
 */

import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { bulkPacer } from '#adapters/dynamodb/send-rate.ts';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { signInCodeJobOf } from '#adapters/queue/sign-in-jobs.ts';
import { queuedSmsOf, receiveCountOf, SMS_SEND_MAX_RECEIVES } from '#adapters/queue/sqs-event.ts';
import { builtOnce, withRunTimeSecrets } from '#adapters/secrets.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import { messageJobOf } from '#core/sms/message-jobs.ts';
import type { Pacer } from '#core/sms/pacing.ts';
import { sendQueuedSms } from '#core/sms/sender.ts';
import { lambdaCapabilities } from './capabilities.ts';

export type SmsSendDeps = Pick<Deps, 'sender' | 'log'> &
  Partial<Pick<Deps, 'deliverSignInCode' | 'deliverMessage'>> & {
    /** Paces bulk records (broadcasts) to SMS_SEND_RATE; unset: they go as fast as the others. */
    bulkPacer?: Pick<Pacer, 'admit'>;
  };

/** Below this much time left, the rest of the batch goes back to the queue untried. */
const RESERVE_MS = 8_000;

/**
 * Bulk messages being sent at once by one invocation. Each starts at its paced turn, in the
 * batch's order; a send (table requests and the gateway call) takes longer than 1/rate at the
 * rates a short code allows, and one at a time would fall below the rate.
 */
export const BULK_IN_FLIGHT = 4;

/**
 * Sends the batch one message at a time (the gateway's pace) and answers with the messages
 * to retry, so one failure does not resend the others. On the last receive a message that
 * still fails is recorded as failed with its error, and is reported failed once more so
 * that SQS also moves it to the dead-letter queue, where the alarm sees it.
 */
export const createSmsSendHandler =
  (deps: SmsSendDeps) =>
  async (event: SQSEvent, context?: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    const inFlight = new Set<Promise<void>>();
    for (const record of event.Records ?? []) {
      const retry = () => batchItemFailures.push({ itemIdentifier: record.messageId });
      if (context && context.getRemainingTimeInMillis() < RESERVE_MS) {
        retry();
        continue;
      }
      const receives = receiveCountOf(record);
      const finalAttempt = receives >= SMS_SEND_MAX_RECEIVES;
      /** Runs one job: logged with what it did, or retried (the message stays on the queue). */
      const runJob = async (msg: string, fields: Record<string, unknown>, work: () => Promise<object>) => {
        try {
          deps.log?.({ level: 'info', msg, ...fields, ...(await work()), receives });
        } catch (err) {
          deps.log?.({
            level: 'warn',
            msg: `${msg} will be retried`,
            ...fields,
            receives,
            error: (err as Error).message,
          });
          retry();
        }
      };
      // A sign-in code job (core/staff/code-delivery.ts): the staff check, composing and sending happen here, off the request path.
      const job = deps.deliverSignInCode && signInCodeJobOf(record);
      if (job) {
        await runJob('sign-in code job', {}, async () => {
          const outcome = await deps.deliverSignInCode!(job, finalAttempt);
          return { outcome: 'sent' in outcome ? 'sent' : outcome.skipped };
        });
        continue;
      }
      // A message another function handed over whole (core/sms/message-jobs.ts): composed, recorded and sent here.
      const message = deps.deliverMessage && messageJobOf(record);
      if (message) {
        await runJob('message job', { key: message.key }, async () => ({
          id: (await deps.deliverMessage!(message, finalAttempt)).id,
        }));
        continue;
      }
      const queued = queuedSmsOf(record);
      if (!queued) {
        // Only our own code writes this queue: keep the evidence in the dead-letter queue.
        deps.log?.({
          level: 'error',
          msg: 'queue message without an SMS id',
          sqsMessageId: record.messageId,
          receives,
        });
        retry();
        continue;
      }
      const { id, bulk } = queued;
      const send = async () => {
        try {
          const outcome = await sendQueuedSms(deps.sender, id, finalAttempt);
          deps.log?.({
            level: outcome === 'failed' || outcome === 'unknown' ? 'warn' : 'info',
            msg: 'queued SMS',
            id,
            outcome,
            receives,
          });
          if (outcome === 'failed' && finalAttempt) retry();
        } catch (err) {
          deps.log?.({ level: 'warn', msg: 'SMS send will be retried', id, receives, error: (err as Error).message });
          retry();
        }
      };
      if (bulk && deps.bulkPacer) {
        while (inFlight.size >= BULK_IN_FLIGHT) await Promise.race(inFlight);
        // Its turn would come too late for this invocation: back to the queue, untried.
        const deadline = context ? Date.now() + context.getRemainingTimeInMillis() - RESERVE_MS : undefined;
        if (!(await deps.bulkPacer.admit(deadline))) {
          deps.log?.({ level: 'info', msg: 'bulk SMS left for a later receive (send rate)', id, receives });
          retry();
          continue;
        }
        const task: Promise<void> = send().finally(() => inFlight.delete(task));
        inFlight.add(task);
        continue;
      }
      await send();
    }
    await Promise.all(inFlight);
    return { batchItemFailures };
  };

// Built on first invocation, AUTH_SECRET read then (see handlers/http.ts): it unseals sign-in codes.
const built = builtOnce(async () => {
  const settings = storageSettingsFrom(
    await withRunTimeSecrets(loadConfig(process.env, lambdaCapabilities['sms-send'])),
  );
  const rate = settings.broadcastRuntime?.sendRate;
  return createSmsSendHandler(
    createDeps(settings, composeHere, ({ db }) => (rate ? { bulkPacer: bulkPacer(db, settings.tableName, rate) } : {})),
  );
});
export const handler = async (event: SQSEvent, context?: Context) => {
  beginInvocation(context);
  return (await built())(event, context);
};

/**
 * Messages handed over whole to the sms-send Lambda, which composes and sends them (the http
 * Lambda composes no SMS: core/sms/message-jobs.ts). They travel on the outbound SMS queue
 * beside the `{"id"}` of composed SMS and the sign-in code jobs; sms-send tells them apart.
 */
import { messageJob, outboundIdFor } from '#core/sms/message-jobs.ts';
import type { MessageJobQueue, Messenger } from '#core/sms/ports.ts';
import type { SmsComposition } from '../wiring.ts';

/**
 * A messenger that hands every message over as a job: `send` answers with the id the SMS will
 * have (derived from its idempotency key), once the job is on the queue.
 *
 * @example const deps = createDeps(settings, handOverMessages(new SqsJobQueue(region, queueUrl)))
 */
export function handOverMessages(queue: MessageJobQueue): SmsComposition<Messenger> {
  return {
    messenger: () => ({
      async send(request) {
        await queue.enqueue(messageJob(request));
        return { id: outboundIdFor(request.idempotencyKey) };
      },
    }),
  };
}

/**
 * The SQS → Lambda side of the outbound queue: the reading of the `{"id"}` bodies that
 * sqs-queue.ts writes (the event and the partial-batch answer are @types/aws-lambda's SQSEvent
 * and SQSBatchResponse).
 */
import type { SQSRecord } from 'aws-lambda';
import * as z from '#core/zod.ts';

/**
 * Receives of one message before SQS moves it to the dead-letter queue. The queue's redrive
 * policy (infra) and the sender's "last attempt" (handlers/sms-send.ts) both read this, so
 * the message is marked failed on exactly the receive after which SQS gives up on it.
 */
export const SMS_SEND_MAX_RECEIVES = 5;

const queuedSms = z.object({
  id: z.string().check(z.minLength(1), z.maxLength(64)),
  /** Written on the bulk queue (broadcasts): the sender sends these at SMS_SEND_RATE. */
  bulk: z.optional(z.boolean()),
});

/** The outbound message a queue message carries, and whether it came by the bulk queue; undefined when the body is not ours. */
export function queuedSmsOf(record: Pick<SQSRecord, 'body'>): { id: string; bulk: boolean } | undefined {
  try {
    const parsed = queuedSms.safeParse(JSON.parse(record.body));
    return parsed.success ? { id: parsed.data.id, bulk: parsed.data.bulk === true } : undefined;
  } catch {
    return undefined;
  }
}

/** The outbound message id a queue message carries, or undefined when the body is not ours. */
export function queuedSmsIdOf(record: Pick<SQSRecord, 'body'>): string | undefined {
  return queuedSmsOf(record)?.id;
}

/** How many times SQS has handed this message out, this time included (1 on the first). */
export function receiveCountOf(record: Pick<SQSRecord, 'attributes'>): number {
  const n = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

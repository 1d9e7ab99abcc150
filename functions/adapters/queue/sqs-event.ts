/**
 * The SQS → Lambda side of the outbound queue: the event shape, the partial-batch answer,
 * and the reading of the `{"id"}` bodies that sqs-queue.ts writes.
 */
import * as z from '#core/zod.ts';

/**
 * Receives of one message before SQS moves it to the dead-letter queue. The queue's redrive
 * policy (infra) and the sender's "last attempt" (handlers/sms-send.ts) both read this, so
 * the message is marked failed on exactly the receive after which SQS gives up on it.
 */
export const SMS_SEND_MAX_RECEIVES = 5;

/** An SQS → Lambda event, with every field the service sends. */
export interface SqsEvent {
  Records: SqsRecord[];
}

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: {
    ApproximateReceiveCount: string;
    SentTimestamp: string;
    SenderId: string;
    ApproximateFirstReceiveTimestamp: string;
    [name: string]: string | undefined;
  };
  messageAttributes: Record<string, unknown>;
  md5OfBody: string;
  eventSource: string;
  eventSourceARN: string;
  awsRegion: string;
}

/** With ReportBatchItemFailures on the event source, only these messages return to the queue. */
export interface SqsBatchResponse {
  batchItemFailures: Array<{ itemIdentifier: string }>;
}

const queuedSms = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

/** The outbound message id a queue message carries, or undefined when the body is not ours. */
export function queuedSmsIdOf(record: Pick<SqsRecord, 'body'>): string | undefined {
  try {
    const parsed = queuedSms.safeParse(JSON.parse(record.body));
    return parsed.success ? parsed.data.id : undefined;
  } catch {
    return undefined;
  }
}

/** How many times SQS has handed this message out, this time included (1 on the first). */
export function receiveCountOf(record: Pick<SqsRecord, 'attributes'>): number {
  const n = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isFinite(n) && n >= 1 ? n : 1;
}

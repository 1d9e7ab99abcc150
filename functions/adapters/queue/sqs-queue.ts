import type { SQSClient } from '@aws-sdk/client-sqs';
import type { OutboundSms } from '#core/sms/messages.ts';
import type { OutboundQueue } from '#core/sms/ports.ts';

const clients = new Map<string, Promise<SQSClient>>();

/**
 * One SQS client per region for the whole process, imported on first use: most requests to the
 * http Lambda send no SMS, and the queues below share it.
 */
function sqsClient(region: string): Promise<SQSClient> {
  let client = clients.get(region);
  if (!client) {
    client = import('@aws-sdk/client-sqs').then(({ SQSClient }) => new SQSClient({ region }));
    clients.set(region, client);
  }
  return client;
}

/**
 * The queue carries only message ids: the message itself is already recorded in the table.
 * On the bulk queue (broadcasts) the body also says `"bulk":true`, and the sms-send Lambda
 * sends those at SMS_SEND_RATE (handlers/sms-send.ts).
 */
export class SqsOutboundQueue implements OutboundQueue {
  constructor(
    private readonly region: string,
    private readonly queueUrl: string,
    private readonly options: { bulk?: boolean } = {},
  ) {}

  async enqueue(messages: OutboundSms[]): Promise<void> {
    const { SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    const sqs = await sqsClient(this.region);
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const res = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((m, n) => ({
            Id: String(n),
            MessageBody: JSON.stringify(this.options.bulk ? { id: m.id, bulk: true } : { id: m.id }),
          })),
        }),
      );
      if (res.Failed?.length)
        throw new Error(`SQS refused ${res.Failed.length} message(s): ${res.Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}

/**
 * One SendMessage per job, its body the job's JSON: the sign-in code jobs and the message jobs
 * travel on the outbound SMS queue beside the `{"id"}` bodies, and sms-send tells them apart by
 * their `kind`.
 */
export class SqsJobQueue<J extends { kind: string }> {
  constructor(
    private readonly region: string,
    private readonly queueUrl: string,
  ) {}

  async enqueue(job: J): Promise<void> {
    const { SendMessageCommand } = await import('@aws-sdk/client-sqs');
    const sqs = await sqsClient(this.region);
    await sqs.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(job) }));
  }
}

/** The queue of a function deployed without SMS_QUEUE_URL: anything it tries to send fails, saying what. */
export const missingQueue = (what: string) => ({
  enqueue: (): Promise<void> =>
    Promise.reject(new Error(`SMS_QUEUE_URL is not set on this function, so it cannot ${what}`)),
});

import type { SQSClient } from '@aws-sdk/client-sqs';
import type { OutboundSms } from '#core/sms/messages.ts';
import type { OutboundQueue } from '#core/sms/ports.ts';

/** The queue carries only message ids: the message itself is already recorded in the table. */
export class SqsOutboundQueue implements OutboundQueue {
  private sqs: Promise<SQSClient> | undefined;

  constructor(
    private readonly region: string,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: OutboundSms[]): Promise<void> {
    // The SDK client is imported on first use: most requests to the http Lambda send no SMS.
    const { SQSClient, SendMessageBatchCommand } = await import('@aws-sdk/client-sqs');
    this.sqs ??= Promise.resolve(new SQSClient({ region: this.region }));
    const sqs = await this.sqs;
    for (let i = 0; i < messages.length; i += 10) {
      const batch = messages.slice(i, i + 10);
      const res = await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify({ id: m.id }) })),
        }),
      );
      if (res.Failed?.length)
        throw new Error(`SQS refused ${res.Failed.length} message(s): ${res.Failed.map((f) => f.Code).join(', ')}`);
    }
  }
}

import type { OutboundSms } from '#core/sms/messages.ts';
import type { OutboundQueue } from '#core/sms/ports.ts';
import { type SenderDeps, sendQueuedSms } from '#core/sms/sender.ts';

/**
 * Locally there is no SQS: queued SMS are sent at once by the same sender code, with the
 * same retry-then-dead-letter behaviour the queue gives in AWS (exponential backoff).
 */
export class LocalQueue implements OutboundQueue {
  constructor(
    private readonly sender: SenderDeps,
    private readonly maxAttempts = 4,
    private readonly baseDelayMs = 50,
  ) {}

  async enqueue(messages: OutboundSms[]): Promise<void> {
    for (const msg of messages) {
      for (let attempt = 1; ; attempt++) {
        try {
          await sendQueuedSms(this.sender, msg.id, attempt >= this.maxAttempts);
          break;
        } catch (err) {
          // A gateway failure on the last attempt is recorded as failed and does not throw;
          // anything else (the table unreachable) must not loop for ever.
          if (attempt >= this.maxAttempts) throw err;
          await new Promise((r) => setTimeout(r, this.baseDelayMs * 2 ** (attempt - 1)));
        }
      }
    }
  }
}

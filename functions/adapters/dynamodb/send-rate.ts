import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { msToNextSecond, Pacer, sleep } from '#core/sms/pacing.ts';
import type { SendRate } from '#core/sms/ports.ts';
import { DynamoQuotaCounter } from './quota-counters.ts';

/** The rate counter's bucket: one item per second (the rate-limit windows of keys.ts, with a TTL). */
export const SEND_RATE_BUCKET = 'sms-rate';

/**
 * The gateway's send rate over DynamoDB one-second windows: one conditional ADD per message,
 * shared by every sender (the sms-send Lambda's instances, or the local paced queue). A refused
 * take counts nothing. The quota counter answers in whole seconds; the wait is to the next
 * second boundary, to the millisecond.
 */
export class DynamoSendRate implements SendRate {
  constructor(
    private readonly quota: Pick<DynamoQuotaCounter, 'take'>,
    private readonly rate: number,
    /** Senders that share one gateway share the subject. */
    private readonly subject = 'bulk',
  ) {}

  async take(now: Date): Promise<{ ok: boolean; retryAfterMs: number }> {
    const { allowed } = await this.quota.take(SEND_RATE_BUCKET, this.subject, this.rate, 1, now);
    return { ok: allowed, retryAfterMs: msToNextSecond(now) };
  }
}

/**
 * One sender's pace at `rate` messages a second, in the rate windows every sender shares
 * (the sms-send Lambda's instances, or the local paced queue).
 */
export function bulkPacer(db: DynamoDBDocumentClient, tableName: string, rate: number): Pacer {
  const sendRate = new DynamoSendRate(new DynamoQuotaCounter(db, tableName), rate);
  return new Pacer({ rate, sendRate, now: () => new Date(), sleep });
}

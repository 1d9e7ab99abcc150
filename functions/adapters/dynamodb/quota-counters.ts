import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { SHANGHAI_OFFSET_SECONDS } from '#core/dates.ts';
import type { QuotaCounter } from '#core/staff/ports.ts';
import { lostCondition } from './conditional.ts';
import { rateCounterKey } from './keys.ts';

const DAY = 24 * 3600;

const windowOf = (now: Date, length: number) => {
  const t = Math.floor(now.getTime() / 1000);
  const start = t - ((t + (length === DAY ? SHANGHAI_OFFSET_SECONDS : 0)) % length);
  return { start, retryAfterSeconds: start + length - t };
};

/**
 * Fixed-window counters that count only what they let through: one conditional ADD, so a
 * refused attempt leaves the count as it was (unlike DynamoRateLimiter.hit, which counts
 * every call). The items are the rate-limit windows of keys.ts, with a TTL.
 */
export class DynamoQuotaCounter implements QuotaCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async take(bucket: string, subject: string, limit: number, windowSeconds: number, now: Date, amount = 1) {
    const { start, retryAfterSeconds } = windowOf(now, windowSeconds);
    if (amount > limit) return { allowed: false, retryAfterSeconds };
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateCounterKey(bucket, subject, start),
          UpdateExpression: 'ADD hits :n SET expiresAt = if_not_exists(expiresAt, :exp)',
          ConditionExpression: 'attribute_not_exists(hits) OR hits <= :room',
          ExpressionAttributeValues: { ':n': amount, ':room': limit - amount, ':exp': start + windowSeconds + 60 },
        }),
      );
      return { allowed: true, retryAfterSeconds };
    } catch (err) {
      lostCondition(err);
      return { allowed: false, retryAfterSeconds };
    }
  }

  async peek(bucket: string, subject: string, windowSeconds: number, now: Date) {
    const { start, retryAfterSeconds } = windowOf(now, windowSeconds);
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: rateCounterKey(bucket, subject, start), ConsistentRead: true }),
    );
    return { count: Number(res.Item?.hits ?? 0), retryAfterSeconds };
  }

  async release(bucket: string, subject: string, windowSeconds: number, now: Date, amount = 1) {
    const { start } = windowOf(now, windowSeconds);
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateCounterKey(bucket, subject, start),
          UpdateExpression: 'ADD hits :minus',
          ConditionExpression: 'hits >= :n',
          ExpressionAttributeValues: { ':minus': -amount, ':n': amount },
        }),
      );
    } catch (err) {
      lostCondition(err);
    }
  }
}

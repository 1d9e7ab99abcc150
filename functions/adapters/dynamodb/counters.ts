import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateLimiter, SmsBudget } from '#core/sms/ports.ts';
import { lostCondition, ttlIn } from './conditional.ts';
import { rateCounterKey, smsBudgetKey } from './keys.ts';

/**
 * Fixed-window counters with one atomic ADD each: cheap, no read-before-write, and the
 * window's item expires by TTL. Fixed windows allow a burst of 2× at a boundary, which
 * is acceptable for abuse limits of a few messages.
 */
export class DynamoRateLimiter implements RateLimiter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async hit(bucket: string, subject: string, limit: number, windowSeconds: number, now: Date) {
    const nowSec = Math.floor(now.getTime() / 1000);
    const windowStart = nowSec - (nowSec % windowSeconds);
    const res = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: rateCounterKey(bucket, subject, windowStart),
        UpdateExpression: 'ADD hits :one SET expiresAt = if_not_exists(expiresAt, :exp)',
        ExpressionAttributeValues: { ':one': 1, ':exp': windowStart + windowSeconds + 60 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const count = Number(res.Attributes?.hits ?? 1);
    return { allowed: count <= limit, count, retryAfterSeconds: windowStart + windowSeconds - nowSec };
  }
}

export class DynamoSmsBudget implements SmsBudget {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async spend(day: string, segments: number, cap: number | undefined) {
    // (Without this a message longer than the cap would pass on a day's first send.)
    if (cap !== undefined && segments > cap) return { allowed: false, total: cap };
    const update = (conditional: boolean) =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: smsBudgetKey(day),
          // SEGMENTS is a DynamoDB reserved word: it must go through a name placeholder.
          UpdateExpression: 'ADD #seg :n SET expiresAt = if_not_exists(expiresAt, :exp)',
          ...(conditional ? { ConditionExpression: 'attribute_not_exists(#seg) OR #seg <= :room' } : {}),
          ExpressionAttributeNames: { '#seg': 'segments' },
          ExpressionAttributeValues: {
            ':n': segments,
            ':exp': ttlIn(new Date(), 90 * 24 * 3600),
            ...(conditional ? { ':room': cap! - segments } : {}),
          },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
    try {
      const res = await update(cap !== undefined);
      return { allowed: true, total: Number(res.Attributes?.segments ?? segments) };
    } catch (err) {
      lostCondition(err);
      return { allowed: false, total: cap! };
    }
  }

  async spent(day: string): Promise<number> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: smsBudgetKey(day), ConsistentRead: true }),
    );
    return Number(res.Item?.segments ?? 0);
  }
}

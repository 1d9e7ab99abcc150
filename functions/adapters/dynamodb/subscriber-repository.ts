import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type { SubscriberRepository } from '#core/subscribers/ports.ts';
import type { Subscriber } from '#core/subscribers/subscriber.ts';
import { writeTopicIndex } from './alert-store.ts';
import { audienceEntries, moveAudience } from './audience.ts';
import { lostCondition } from './conditional.ts';
import { subscriberKey, subscribersInRegionIndex } from './keys.ts';

/** The region and its ancestors, nearest first; undefined for an unknown region. */
export type RegionPath = (id: string) => Promise<string[] | undefined>;

const toItem = (s: Subscriber) => ({
  ...subscriberKey(s.phone),
  ...(s.homeRegionId ? subscribersInRegionIndex(s.homeRegionId, s.phone) : {}),
  kind: 'subscriber',
  ...s,
});

export function subscriberFromItem(item: Record<string, unknown>): Subscriber {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, kind: _k, ...rest } = item;
  return rest as unknown as Subscriber;
}

/**
 * Subscribers, with two copies kept beside each: the alert topic index (alert-store.ts) and,
 * when given `regionPath`, the broadcast audience index and its counters (audience.ts). The
 * audience moves after the profile write, from the old profile that write replaced (its
 * ALL_OLD), so each change is counted once; a crash between the two leaves the index and
 * counters behind that one change (docs/storage.md, "Broadcasts").
 */
export class DynamoSubscriberRepository implements SubscriberRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Without it no audience entries are written (tools and tests that do not broadcast). */
    private readonly regionPath?: RegionPath,
  ) {}

  async get(phone: string) {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: subscriberKey(phone), ConsistentRead: true }),
    );
    return res.Item ? subscriberFromItem(res.Item) : undefined;
  }

  async createIfAbsent(subscriber: Subscriber) {
    // Topic index items first (alert-store.ts): a profile write that then fails leaves only
    // items the digest checks against the profile and skips.
    if (subscriber.topics.length)
      await writeTopicIndex(this.db, this.tableName, subscriber.phone, { put: subscriber.topics });
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(subscriber),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      await this.moveAudience(undefined, subscriber);
      return subscriber;
    } catch (err) {
      lostCondition(err);
      return (await this.get(subscriber.phone))!;
    }
  }

  async save(subscriber: Subscriber) {
    const next = { ...subscriber, version: subscriber.version + 1 };
    if (next.topics.length) await writeTopicIndex(this.db, this.tableName, next.phone, { put: next.topics });
    try {
      const res = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': subscriber.version },
          ReturnValues: 'ALL_OLD',
        }),
      );
      // Topics dropped by this save (UNSUB) leave the index after the profile says so.
      const dropped = ((res.Attributes?.topics as string[] | undefined) ?? []).filter((t) => !next.topics.includes(t));
      if (dropped.length) await writeTopicIndex(this.db, this.tableName, next.phone, { remove: dropped });
      await this.moveAudience(res.Attributes ? subscriberFromItem(res.Attributes) : undefined, next);
      return next;
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict');
    }
  }

  async delete(phone: string) {
    const res = await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: subscriberKey(phone), ReturnValues: 'ALL_OLD' }),
    );
    // DELETE ME: the topic index items go too (the phone is personal data).
    const topics = (res.Attributes?.topics as string[] | undefined) ?? [];
    if (topics.length) await writeTopicIndex(this.db, this.tableName, phone, { remove: topics });
    if (res.Attributes) await this.moveAudience(subscriberFromItem(res.Attributes), undefined);
  }

  private async moveAudience(old: Subscriber | undefined, next: Subscriber | undefined) {
    if (!this.regionPath) return;
    const pathOf = async (s: Subscriber | undefined) =>
      s?.homeRegionId && !s.optedOut ? this.regionPath!(s.homeRegionId) : undefined;
    const [oldPath, nextPath] = await Promise.all([pathOf(old), pathOf(next)]);
    await moveAudience(this.db, this.tableName, audienceEntries(old, oldPath), audienceEntries(next, nextPath));
  }
}

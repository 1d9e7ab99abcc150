import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type { SubscriberRepository } from '#core/subscribers/ports.ts';
import type { Subscriber } from '#core/subscribers/subscriber.ts';
import { writeTopicIndex } from './alert-store.ts';
import { lostCondition } from './conditional.ts';
import { subscriberKey, subscribersInRegionIndex } from './keys.ts';

const toItem = (s: Subscriber) => ({
  ...subscriberKey(s.phone),
  ...(s.homeRegionId ? subscribersInRegionIndex(s.homeRegionId, s.phone) : {}),
  kind: 'subscriber',
  ...s,
});

function fromItem(item: Record<string, unknown>): Subscriber {
  const { pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, kind: _k, ...rest } = item;
  return rest as unknown as Subscriber;
}

export class DynamoSubscriberRepository implements SubscriberRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(phone: string) {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: subscriberKey(phone), ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
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
  }
}

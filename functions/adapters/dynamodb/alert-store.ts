import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { AlertStore, DigestState } from '#core/alerts/ports.ts';
import { batchWrite } from './batch-write.ts';
import { lostCondition, ttlIn } from './conditional.ts';
import { alertPartition, alertSubscriptionKey, digestSentKey, digestStateKey } from './keys.ts';
import { queryPage } from './paged-query.ts';

/** Digest markers outlive the day by a week: enough for any retry, then DynamoDB drops them. */
const MARKER_TTL_SECONDS = 8 * 86_400;

/**
 * Writes and deletes the (topic, phone) index items of one subscriber. Puts are idempotent, so
 * writing every current topic on each save also repairs an item a crash left out.
 */
export async function writeTopicIndex(
  db: DynamoDBDocumentClient,
  tableName: string,
  phone: string,
  change: { put?: readonly string[]; remove?: readonly string[] },
): Promise<void> {
  await batchWrite(db, tableName, [
    ...(change.put ?? []).map((topic) => ({
      put: { ...alertSubscriptionKey(topic, phone), kind: 'alert-subscription', topic, phone },
    })),
    ...(change.remove ?? []).map((topic) => ({ delete: alertSubscriptionKey(topic, phone) })),
  ]);
}

export class DynamoAlertStore implements AlertStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  subscribersOf(topic: string, page: { limit: number; cursor?: string }) {
    return queryPage(this.db, this.tableName, { partition: { pk: alertPartition(topic) } }, page, (item) =>
      String(item.sk),
    );
  }

  async getDigestState(topic: string): Promise<DigestState | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: digestStateKey(topic), ConsistentRead: true }),
    );
    if (!res.Item) return undefined;
    const { day, baseline, current } = res.Item as DigestState;
    return { day, baseline: baseline ?? {}, current: current ?? {} };
  }

  async saveDigestState(topic: string, state: DigestState): Promise<void> {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...digestStateKey(topic), kind: 'digest-state', ...state } }),
    );
  }

  async claimDigest(day: string, phone: string, now: Date): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...digestSentKey(day, phone),
            kind: 'digest-sent',
            at: now.toISOString(),
            expiresAt: ttlIn(now, MARKER_TTL_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  async releaseDigest(day: string, phone: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: digestSentKey(day, phone) }));
  }
}

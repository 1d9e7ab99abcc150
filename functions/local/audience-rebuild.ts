/**
 * The broadcast audience index and its counters rebuilt from the subscriber items: a Scan of
 * the table, so LOCAL ONLY (like ensureTable), never on a request path. `npm start` runs it
 * once per store (`backfillAudience`, with a META marker like the price index backfill) for
 * data stored before the index existed; `rebuildAudience` itself also repairs drift.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { audienceCountItem, audienceEntries, audienceItem } from '#adapters/dynamodb/audience.ts';
import { batchWrite, type WriteRequest } from '#adapters/dynamodb/batch-write.ts';
import { backfillMarkerKey } from '#adapters/dynamodb/keys.ts';
import { type RegionPath, subscriberFromItem } from '#adapters/dynamodb/subscriber-repository.ts';
import type { Subscriber } from '#core/subscribers/subscriber.ts';

/** The marker's name (`backfillMarkerKey`): once it says done, a start costs one GetItem. */
export const AUDIENCE_BACKFILL = 'audience-index';

export interface AudienceRebuild {
  subscribers: number;
  entries: number;
  counters: number;
}

/**
 * Index items and counters are written to exactly what the subscribers say and every other one
 * is removed, so a second run changes nothing. Run it before the server takes messages: a
 * change made meanwhile could be overwritten.
 */
export async function rebuildAudience(
  db: DynamoDBDocumentClient,
  tableName: string,
  regionPath: RegionPath,
): Promise<AudienceRebuild> {
  const subscribers: Subscriber[] = [];
  const staleIndex = new Map<string, { pk: string; sk: string }>();
  const staleCounters = new Map<string, { pk: string; sk: string }>();
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'kind IN (:sub, :aud, :cnt)',
        ExpressionAttributeValues: { ':sub': 'subscriber', ':aud': 'audience', ':cnt': 'audience-count' },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of res.Items ?? []) {
      const key = { pk: String(item.pk), sk: String(item.sk) };
      if (item.kind === 'subscriber') subscribers.push(subscriberFromItem(item));
      else (item.kind === 'audience' ? staleIndex : staleCounters).set(`${key.pk}|${key.sk}`, key);
    }
    start = res.LastEvaluatedKey;
  } while (start);

  const writes: WriteRequest[] = [];
  const counters = new Map<string, ReturnType<typeof audienceCountItem>>();
  let entries = 0;
  for (const s of subscribers) {
    const list = audienceEntries(s, s.homeRegionId ? await regionPath(s.homeRegionId) : undefined);
    entries += list.length;
    for (const e of list) {
      const item = audienceItem(e);
      staleIndex.delete(`${item.pk}|${item.sk}`);
      writes.push({ put: item });
      const counter = audienceCountItem(e.regionId, e.topic, e.language, e.script, 0);
      const id = `${counter.pk}|${counter.sk}`;
      const c = counters.get(id) ?? counter;
      c.n += 1;
      counters.set(id, c);
      staleCounters.delete(id);
    }
  }
  for (const c of counters.values()) writes.push({ put: c });
  for (const key of [...staleIndex.values(), ...staleCounters.values()]) writes.push({ delete: key });
  await batchWrite(db, tableName, writes);
  return { subscribers: subscribers.length, entries, counters: counters.size };
}

/**
 * The one-off at a local start: rebuilds unless the marker says it was done, then marks it. A
 * start on a store already indexed is one GetItem, not a Scan of the table.
 */
export async function backfillAudience(
  db: DynamoDBDocumentClient,
  tableName: string,
  regionPath: RegionPath,
  now: Date,
): Promise<AudienceRebuild | undefined> {
  const key = backfillMarkerKey(AUDIENCE_BACKFILL);
  const marker = await db.send(new GetCommand({ TableName: tableName, Key: key, ConsistentRead: true }));
  if (marker.Item?.done) return undefined;
  const done = await rebuildAudience(db, tableName, regionPath);
  await db.send(
    new PutCommand({
      TableName: tableName,
      Item: { ...key, kind: 'backfill', done: true, at: now.toISOString(), ...done },
    }),
  );
  return done;
}

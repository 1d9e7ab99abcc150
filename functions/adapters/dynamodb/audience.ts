/**
 * The audience index and its counters (keys.ts, "Audience index"): written by the subscriber
 * repository, read here by the broadcast preview (counts) and fan-out (members).
 */
import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AudienceCount, type AudienceMember, EVERYONE } from '#core/broadcasts/broadcast.ts';
import type { AudienceReader } from '#core/broadcasts/ports.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import type { Language } from '#core/reference/schemas.ts';
import type { Subscriber } from '#core/subscribers/subscriber.ts';
import { batchWrite, type WriteRequest } from './batch-write.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { audienceCountKey, audienceCountPartition, audienceKey, audiencePartition } from './keys.ts';
import { queryAll } from './paged-query.ts';

/** One (region, topic) membership of a subscriber, with what the fan-out needs of them. */
export interface AudienceEntry {
  regionId: string;
  topic: string;
  phone: string;
  language: Language;
  script: Subscriber['script'];
}

/**
 * A subscriber's entries: none unless they have a home region and have not sent STOP; else
 * every region of the home's path × (their topics and `all`). `path` is the home region and
 * its ancestors (an unknown home region: just itself).
 */
export function audienceEntries(s: Subscriber | undefined, path: readonly string[] | undefined): AudienceEntry[] {
  if (!s?.homeRegionId || s.optedOut) return [];
  const regions = path?.length ? path : [s.homeRegionId];
  const topics = [...new Set([...s.topics, EVERYONE])];
  return regions.flatMap((regionId) =>
    topics.map((topic) => ({ regionId, topic, phone: s.phone, language: s.language, script: s.script })),
  );
}

export const audienceItem = (e: AudienceEntry) => ({
  ...audienceKey(e.regionId, e.topic, e.phone),
  kind: 'audience',
  language: e.language,
  script: e.script,
});

export const audienceCountItem = (regionId: string, topic: string, language: string, script: string, n: number) => ({
  ...audienceCountKey(regionId, topic, language, script),
  kind: 'audience-count',
  regionId,
  topic,
  language,
  script,
  n,
});

const counterId = (e: AudienceEntry) => `${e.regionId}\u0000${e.topic}\u0000${e.language}\u0000${e.script}`;
const entryId = (e: AudienceEntry) => `${e.regionId}\u0000${e.topic}`;

/**
 * Moves the index and the counters from a subscriber's old entries to their new ones: index
 * items added, changed (language, script) or removed in one batch; each counter that changes
 * by one ADD of the difference. Counters move by differences, so each (old, new) pair must be
 * applied once: the caller takes `old` from the conditional write that replaced it.
 */
export async function moveAudience(
  db: DynamoDBDocumentClient,
  tableName: string,
  old: readonly AudienceEntry[],
  next: readonly AudienceEntry[],
): Promise<void> {
  const before = new Map(old.map((e) => [entryId(e), e]));
  const after = new Map(next.map((e) => [entryId(e), e]));
  const writes: WriteRequest[] = [];
  for (const [id, e] of after) {
    const was = before.get(id);
    if (!was || was.language !== e.language || was.script !== e.script) writes.push({ put: audienceItem(e) });
  }
  for (const [id, e] of before) if (!after.has(id)) writes.push({ delete: audienceKey(e.regionId, e.topic, e.phone) });
  if (writes.length) await batchWrite(db, tableName, writes);

  const delta = new Map<string, { e: AudienceEntry; n: number }>();
  for (const [list, sign] of [
    [old, -1],
    [next, 1],
  ] as const) {
    for (const e of list) {
      const d = delta.get(counterId(e)) ?? { e, n: 0 };
      d.n += sign;
      delta.set(counterId(e), d);
    }
  }
  await Promise.all(
    [...delta.values()]
      .filter((d) => d.n !== 0)
      .map(({ e, n }) =>
        db.send(
          new UpdateCommand({
            TableName: tableName,
            Key: audienceCountKey(e.regionId, e.topic, e.language, e.script),
            UpdateExpression: 'ADD n :n SET kind = :k, regionId = :r, topic = :t, #lang = :l, script = :s',
            ExpressionAttributeNames: { '#lang': 'language' },
            ExpressionAttributeValues: {
              ':n': n,
              ':k': 'audience-count',
              ':r': e.regionId,
              ':t': e.topic,
              ':l': e.language,
              ':s': e.script,
            },
          }),
        ),
      ),
  );
}

export class DynamoAudienceReader implements AudienceReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async members(
    regionId: string,
    topic: string,
    page: PageRequest,
    languages: readonly Language[] = [],
  ): Promise<Page<AudienceMember>> {
    const partition = { pk: audiencePartition(regionId, topic) };
    const filter = languages.length > 0;
    // The filter applies after `Limit`: a page may hold fewer members than asked (even none)
    // and still have a cursor. One request per page, whatever the filter keeps.
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :p',
        ...(filter
          ? {
              FilterExpression: `#lang IN (${languages.map((_, i) => `:l${i}`).join(', ')})`,
              ExpressionAttributeNames: { '#lang': 'language' },
            }
          : {}),
        ExpressionAttributeValues: {
          ':p': partition.pk,
          ...Object.fromEntries(languages.map((l, i) => [`:l${i}`, l])),
        },
        Limit: page.limit,
        ExclusiveStartKey: decodeCursor(page.cursor, partition),
      }),
    );
    const cursor = encodeCursor(res.LastEvaluatedKey);
    return {
      items: (res.Items ?? []).map((i) => ({
        phone: String(i.sk),
        language: i.language as Language,
        script: i.script as Subscriber['script'],
      })),
      ...(cursor ? { cursor } : {}),
    };
  }

  async counts(regionId: string): Promise<AudienceCount[]> {
    // A region has at most topics × 3 languages × 2 scripts rows: one page in practice.
    const rows = await queryAll(
      this.db,
      this.tableName,
      { partition: { pk: audienceCountPartition(regionId) } },
      (i) => ({
        topic: String(i.topic),
        language: i.language as Language,
        script: i.script as Subscriber['script'],
        count: Number(i.n ?? 0),
      }),
    );
    return rows.filter((r) => r.count > 0);
  }
}

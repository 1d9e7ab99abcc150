/**
 * Broadcasts in the single table (keys.ts, "Broadcasts"; docs/storage.md). The broadcast item
 * is the truth and the only item written conditionally; its history lines and its place in
 * the active set are copies that every save rewrites whole, so a crash between the two
 * leaves a copy stale only until the broadcast's next save. The counters item is moved by
 * the fan-out (addRecipients) and by the outbound store as its messages change status.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  Broadcast,
  BroadcastCounts,
  BroadcastStatus,
  BroadcastSummary,
  FanOutProgress,
  StatusTally,
} from '#core/broadcasts/broadcast.ts';
import type { BroadcastStore } from '#core/broadcasts/ports.ts';
import { addDays, dayNumber, isCalendarDate, SHANGHAI_OFFSET_SECONDS } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import { batchGet, GET_BATCH } from './batch-get.ts';
import { batchWrite, type WriteRequest } from './batch-write.ts';
import { lostCondition } from './conditional.ts';
import {
  activeBroadcastKey,
  activeBroadcastPartition,
  broadcastCountsKey,
  broadcastHistoryKey,
  broadcastHistoryPartition,
  broadcastKey,
} from './keys.ts';
import { queryAll, queryPage } from './paged-query.ts';

/** The region and its ancestors, nearest first; undefined for an unknown region. */
export type RegionPath = (id: string) => Promise<string[] | undefined>;

/** Statuses the minute tick works on. */
const activeStatuses: readonly BroadcastStatus[] = ['scheduled', 'sending', 'paused'];
const isActive = (status: BroadcastStatus) => activeStatuses.includes(status);

/** Characters of the first text a history line keeps. */
const FIRST_TEXT_CHARS = 60;

function fromItem(item: Record<string, unknown>): Broadcast {
  const { pk: _pk, sk: _sk, kind: _kind, ...rest } = item;
  return rest as unknown as Broadcast;
}

/** The text a history line shows: the first version written (bo, zh, en), or the template's key. */
function firstText(b: Broadcast): string {
  const text = (['bo', 'zh', 'en'] as const).map((l) => b.texts[l]?.trim()).find((t) => t) ?? b.template?.key ?? '';
  return Array.from(text).slice(0, FIRST_TEXT_CHARS).join('');
}

/** Counters as stored (no `queued`, which is derived) into BroadcastCounts. */
export function countsFromItem(item: Record<string, unknown> | undefined): BroadcastCounts {
  const n = (name: string) => Number(item?.[name] ?? 0);
  const counts = {
    recipients: n('recipients'),
    sent: n('sent'),
    delivered: n('delivered'),
    failed: n('failed'),
    blocked: n('blocked'),
    unknown: n('unknown'),
    segmentsSent: n('segmentsSent'),
    reasons: Object.fromEntries(
      Object.entries((item?.reasons as Record<string, unknown> | undefined) ?? {})
        .map(([code, v]) => [code, Number(v)] as const)
        .filter(([, v]) => v !== 0),
    ),
  };
  const moved = counts.sent + counts.delivered + counts.failed + counts.blocked + counts.unknown;
  return { ...counts, queued: Math.max(0, counts.recipients - moved) };
}

/** The first instant of an Asia/Shanghai day, as an ISO string (the history's sort keys are ISO times). */
const shanghaiDayStart = (day: string) =>
  new Date(dayNumber(day) * 86_400_000 - SHANGHAI_OFFSET_SECONDS * 1000).toISOString();

/**
 * Sort-key bounds of the lines created from `from` to `to` (Asia/Shanghai days, inclusive):
 * `<createdAt>#<id>` lies between the first instant of `from` and that of the day after `to`.
 * ISO times start with a digit, so '0' and '9' bound an open side.
 */
function dayBounds(range: { from?: string; to?: string }): [string, string] {
  for (const field of ['from', 'to'] as const) {
    const day = range[field];
    if (day !== undefined && !isCalendarDate(day))
      throw new AppError('bad_request', {}, [{ path: field, message: 'expected a date YYYY-MM-DD' }]);
  }
  return [range.from ? shanghaiDayStart(range.from) : '0', range.to ? shanghaiDayStart(addDays(range.to, 1)) : '9'];
}

export class DynamoBroadcastStore implements BroadcastStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly regionPath: RegionPath,
  ) {}

  async create(broadcast: Broadcast): Promise<boolean> {
    // Counters first, with an empty reasons map: the outbound store's moves ADD into
    // `reasons.<code>`, which needs the map to exist. Never reset an existing one.
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...broadcastCountsKey(broadcast.id), kind: 'broadcast-counts', id: broadcast.id, reasons: {} },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err);
    }
    if (isActive(broadcast.status)) await this.putActive(broadcast.id);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...broadcastKey(broadcast.id), kind: 'broadcast', ...broadcast },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err);
      return false;
    }
    await batchWrite(this.db, this.tableName, await this.historyWrites(broadcast));
    return true;
  }

  async get(id: string): Promise<Broadcast | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: broadcastKey(id), ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async save(broadcast: Broadcast): Promise<Broadcast> {
    const next: Broadcast = { ...broadcast, version: broadcast.version + 1 };
    // Into the active set before the status that needs it, out of it after: the tick reads
    // each broadcast it finds there and skips one that is not active, so a set too large for
    // a moment is harmless, and one too small would leave a broadcast unsent.
    if (isActive(next.status)) await this.putActive(next.id);
    let old: Broadcast | undefined;
    try {
      const res = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...broadcastKey(next.id), kind: 'broadcast', ...next },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': broadcast.version },
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = res.Attributes ? fromItem(res.Attributes) : undefined;
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict', { status: broadcast.status });
    }
    const writes = await this.historyWrites(next, old);
    if (!isActive(next.status)) writes.push({ delete: activeBroadcastKey(next.id) });
    await batchWrite(this.db, this.tableName, writes);
    return next;
  }

  async saveProgress(id: string, version: number, progress: FanOutProgress): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: broadcastKey(id),
          UpdateExpression: 'SET progress = :p',
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':p': progress, ':v': version },
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  async counts(id: string): Promise<BroadcastCounts> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: broadcastCountsKey(id), ConsistentRead: true }),
    );
    return countsFromItem(res.Item);
  }

  async addRecipients(id: string, pageId: string, recipients: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: broadcastCountsKey(id),
          // The page id joins the set in the same write that counts it: a replayed page finds
          // itself there and counts nothing. (A string set cannot be empty, so the set is
          // created by its first ADD, and `contains` of a missing set is false.)
          UpdateExpression: 'ADD recipients :n, pages :page SET reasons = if_not_exists(reasons, :none)',
          ConditionExpression: 'NOT contains(pages, :pageId)',
          ExpressionAttributeValues: { ':n': recipients, ':page': new Set([pageId]), ':pageId': pageId, ':none': {} },
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  async raiseCounts(id: string, floor: StatusTally): Promise<void> {
    const Key = broadcastCountsKey(id);
    // No MAX in an update expression: read, then raise each counter on the condition that it
    // still holds what was read; a status change moving it meanwhile makes it read again.
    for (let attempt = 1; ; attempt++) {
      const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
      const item = res.Item ?? {};
      const names: Record<string, string> = {};
      const values: Record<string, unknown> = {};
      const sets: string[] = [];
      const conditions: string[] = [];
      for (const [i, [name, n]] of Object.entries(floor).entries()) {
        const held = Number(item[name] ?? 0);
        if (!(n > held)) continue;
        names[`#c${i}`] = name;
        values[`:n${i}`] = n;
        sets.push(`#c${i} = :n${i}`);
        if (item[name] === undefined) conditions.push(`attribute_not_exists(#c${i})`);
        else {
          values[`:o${i}`] = item[name];
          conditions.push(`#c${i} = :o${i}`);
        }
      }
      if (!sets.length) return;
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key,
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: conditions.join(' AND '),
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
        return;
      } catch (err) {
        lostCondition(err);
        if (attempt >= 5) throw new Error(`broadcast ${id}: counters kept moving while being raised`);
      }
    }
  }

  async list(
    regionId: string,
    page: PageRequest,
    range?: { from?: string; to?: string },
  ): Promise<Page<BroadcastSummary>> {
    const bounded = range?.from || range?.to;
    const lines = await queryPage(
      this.db,
      this.tableName,
      {
        partition: { pk: broadcastHistoryPartition(regionId) },
        newestFirst: true,
        ...(range && bounded ? { range: { name: 'sk', between: dayBounds(range) } } : {}),
      },
      page,
      (item) => item,
    );
    const counters = new Map<string, Record<string, unknown>>();
    for (let i = 0; i < lines.items.length; i += GET_BATCH) {
      const keys = lines.items.slice(i, i + GET_BATCH).map((line) => broadcastCountsKey(String(line.id)));
      for (const item of await batchGet(this.db, this.tableName, keys)) counters.set(String(item.pk), item);
    }
    const items = lines.items.map((line): BroadcastSummary => {
      const counts = countsFromItem(counters.get(broadcastCountsKey(String(line.id)).pk));
      const { pk: _pk, sk: _sk, kind: _kind, segmentPriceFen, ...summary } = line;
      return {
        ...(summary as Omit<BroadcastSummary, 'recipients' | 'costFen'>),
        recipients: counts.recipients,
        costFen: counts.segmentsSent * Number(segmentPriceFen ?? 0),
      };
    });
    return { items, ...(lines.cursor ? { cursor: lines.cursor } : {}) };
  }

  async active(): Promise<string[]> {
    // One Query: the set holds only the broadcasts in flight (a page of 1 MB is thousands).
    return queryAll(this.db, this.tableName, { partition: { pk: activeBroadcastPartition }, projection: ['sk'] }, (i) =>
      String(i.sk),
    );
  }

  private async putActive(id: string) {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...activeBroadcastKey(id), kind: 'broadcast-active', id } }),
    );
  }

  /** Every region whose history shows the broadcast: each audience region, its ancestors, and '*'. */
  private async historyRegions(b: Broadcast): Promise<string[]> {
    const paths = await Promise.all(b.audience.regions.map(async (r) => (await this.regionPath(r)) ?? [r]));
    return [...new Set([...paths.flat(), '*'])];
  }

  /** Puts of every history line of `next` (a rewrite repairs a stale one), deletes of the lines only `old` had. */
  private async historyWrites(next: Broadcast, old?: Broadcast): Promise<WriteRequest[]> {
    const regions = await this.historyRegions(next);
    const summary = {
      kind: 'broadcast-line',
      id: next.id,
      status: next.status,
      audience: next.audience,
      createdBy: next.createdBy,
      createdAt: next.createdAt,
      sendAt: next.sendAt,
      startedAt: next.startedAt,
      finishedAt: next.finishedAt,
      firstText: firstText(next),
      segmentPriceFen: next.preview?.segmentPriceFen ?? 0,
    };
    const writes: WriteRequest[] = regions.map((r) => ({
      put: { ...broadcastHistoryKey(r, next.createdAt, next.id), ...summary },
    }));
    if (old) {
      const id = (k: { pk: string; sk: string }) => `${k.pk}|${k.sk}`;
      const keep = new Set(writes.map((w) => ('put' in w ? id(w.put as { pk: string; sk: string }) : '')));
      for (const r of await this.historyRegions(old)) {
        const key = broadcastHistoryKey(r, old.createdAt, old.id);
        if (!keep.has(id(key))) writes.push({ delete: key });
      }
    }
    return writes;
  }
}

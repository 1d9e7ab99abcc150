/**
 * The knowledge library in the single table (keys.ts, "Knowledge"; docs/storage.md). The
 * item's head is the truth and is written conditionally (on `seq`); its staff-list lines are
 * copies that every save rewrites. A publication writes the immutable version record, then the
 * public indexes (cards by commodity, TIP entries by commodity and month, bulletins and alerts
 * by region, the recent alerts) through a manifest: the manifest is widened to name every entry
 * that may exist before they are written, and narrowed to the new ones after the old ones are
 * deleted, so a crash at any step leaves nothing a rerun cannot find and remove.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type {
  Item,
  ItemKind,
  ItemStatus,
  ItemSummary,
  PublicItem,
  PublishedVersion,
  Stage,
  TipEntry,
} from '#core/knowledge/item.ts';
import type { KnowledgeStore } from '#core/knowledge/ports.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import { type Catalog, regionsUnder } from '#core/reference/catalog.ts';
import type { Language } from '#core/reference/schemas.ts';
import { batchWrite, type WriteRequest } from './batch-write.ts';
import { lostCondition } from './conditional.ts';
import {
  alertCardKey,
  alertCardPartition,
  bulletinCardKey,
  bulletinPartition,
  guideCardKey,
  guideCardPartition,
  guideCountAttribute,
  guideCountsKey,
  type Key,
  knowledgeItemKey,
  publicIndexManifestKey,
  publishedVersionKey,
  recentAlertKey,
  recentAlertsPartition,
  staffListKey,
  staffListPartition,
  tipEntryKey,
  tipPartition,
} from './keys.ts';
import { queryAll, queryPage } from './paged-query.ts';

/** The region and its ancestors, nearest first; undefined for an unknown region. */
export type RegionPath = (id: string) => Promise<string[] | undefined>;
/** The regions (the wiring's cached catalog): what lies under a region. */
export type RegionCatalog = () => Promise<Pick<Catalog, 'regions'>>;

const languages: readonly Language[] = ['bo', 'zh', 'en'];

/** What the manifest item holds: the public entries of the latest publication written (or being written). */
interface Manifest {
  version: number;
  keys: Key[];
  /** Set by unpublish: a replayed publish of this version (or older) writes nothing again. */
  unpublished?: boolean;
}

const keyId = (k: Key) => `${k.pk}\n${k.sk}`;
const strip = ({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>) => rest;
/** ISO instants sort as text only when written alike: every time in a sort key goes through this. */
const instant = (at: string) => new Date(at).toISOString();

/** A published version as the public reads it; `card` empties the bodies (lists stay light). */
export function publicItem(id: string, kind: ItemKind, pv: PublishedVersion, card = false): PublicItem {
  const versions = card
    ? Object.fromEntries(Object.entries(pv.content.versions).map(([l, v]) => [l, { ...v, body: '' }]))
    : pv.content.versions;
  return {
    id,
    kind,
    version: pv.version,
    content: { ...pv.content, versions },
    publishedAt: pv.publishedAt,
    ...(pv.follows ? { follows: pv.follows } : {}),
    attachments: pv.attachments.map(({ id: aid, name, type, bytes, key }) => ({ id: aid, name, type, bytes, key })),
  };
}

function summaryOf(item: Item): ItemSummary {
  return {
    id: item.id,
    kind: item.kind,
    status: item.status,
    version: item.version,
    regions: item.content.regions,
    titles: Object.fromEntries(
      languages.flatMap((l) => (item.content.versions[l] ? [[l, item.content.versions[l].title]] : [])),
    ),
    reviews: { bo: item.reviews.bo.state, zh: item.reviews.zh.state },
    updatedAt: item.updatedAt,
    createdBy: item.createdBy,
  };
}

export class DynamoKnowledgeStore implements KnowledgeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly regionPath: RegionPath,
    /**
     * Lists bulletins under the regions within theirs as well (a prefecture's bulletin on each of
     * its counties' lists, one for everywhere on every region's), so that a county's list is
     * every bulletin that applies there. Without it (tools, older tests): their regions, their
     * ancestors and '*' only.
     */
    private readonly catalog?: RegionCatalog,
  ) {}

  async create(item: Item): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...item, ...knowledgeItemKey(item.id) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err);
      // A replay of a create whose list lines a crash cut off: the item is as that create
      // made it (never saved since), so its lines are written again; a clash writes nothing.
      const stored = await this.get(item.id);
      if (stored && stored.seq === item.seq && stored.updatedAt === item.updatedAt)
        await batchWrite(this.db, this.tableName, await this.staffWrites(stored));
      return false;
    }
    await batchWrite(this.db, this.tableName, await this.staffWrites(item));
    return true;
  }

  async get(id: string): Promise<Item | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: knowledgeItemKey(id), ConsistentRead: true }),
    );
    return res.Item ? (strip(res.Item) as unknown as Item) : undefined;
  }

  async save(item: Item): Promise<Item> {
    const next: Item = { ...item, seq: item.seq + 1 };
    let old: Item | undefined;
    try {
      const res = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...next, ...knowledgeItemKey(next.id) },
          ConditionExpression: 'seq = :seq',
          ExpressionAttributeValues: { ':seq': item.seq },
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = res.Attributes ? (strip(res.Attributes) as unknown as Item) : undefined;
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict', { status: item.status });
    }
    await batchWrite(this.db, this.tableName, await this.staffWrites(next, old));
    return next;
  }

  async publish(item: Item): Promise<void> {
    const pv = item.published;
    if (!pv) return;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...pv, ...publishedVersionKey(item.id, pv.version), id: item.id, kind: item.kind },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err); // written by an earlier try: a published version never changes
    }
    const manifest = await this.manifest(item.id);
    if (manifest && (manifest.version > pv.version || (manifest.version === pv.version && manifest.unpublished)))
      return; // a replay of an older publication, or of one archived since
    const entries = await this.publicEntries(item.id, item.kind, pv);
    const fresh = new Set(entries.map((e) => keyId(e.key)));
    const stale = (manifest?.keys ?? []).filter((k) => !fresh.has(keyId(k)));
    await this.putManifest(item.id, { version: pv.version, keys: [...entries.map((e) => e.key), ...stale] });
    await batchWrite(this.db, this.tableName, [
      ...entries.map((e) => ({ put: { ...e.value, ...e.key } })),
      ...stale.map((k) => ({ delete: k })),
    ]);
    await this.putManifest(item.id, { version: pv.version, keys: entries.map((e) => e.key) });
    await this.recount([...(manifest?.keys ?? []), ...entries.map((e) => e.key)]);
  }

  async unpublish(item: Item): Promise<void> {
    const manifest = await this.manifest(item.id);
    if (!manifest) return;
    await batchWrite(
      this.db,
      this.tableName,
      manifest.keys.map((k) => ({ delete: k })),
    );
    await this.putManifest(item.id, { version: manifest.version, keys: [], unpublished: true });
    await this.recount(manifest.keys);
  }

  async publishedVersion(id: string, version: number): Promise<PublishedVersion | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: publishedVersionKey(id, version) }),
    );
    if (!res.Item) return undefined;
    const { id: _id, kind: _kind, ...pv } = strip(res.Item);
    return pv as unknown as PublishedVersion;
  }

  async listStaff(kind: ItemKind, status: ItemStatus, regionId: string, page: PageRequest): Promise<Page<ItemSummary>> {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: staffListPartition(kind, status, regionId) }, newestFirst: true },
      page,
      (i) => i.summary as ItemSummary,
    );
  }

  async guides(
    commodityId: string,
    filter: { stage?: Stage; month?: number },
    page: PageRequest,
  ): Promise<Page<PublicItem>> {
    return queryPage(
      this.db,
      this.tableName,
      {
        partition: { pk: guideCardPartition(commodityId) },
        // `~` sorts after every id character: the stage's own sort keys and no other's.
        ...(filter.stage
          ? { range: { name: 'sk', between: [`${filter.stage}#`, `${filter.stage}#~`] as [string, string] } }
          : {}),
        ...(filter.month !== undefined
          ? {
              filter: { expression: 'contains(#fm, :fm)', names: { '#fm': 'months' }, values: { ':fm': filter.month } },
            }
          : {}),
      },
      page,
      (i) => i.card as PublicItem,
    );
  }

  async bulletins(regionId: string, page: PageRequest): Promise<Page<PublicItem>> {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: bulletinPartition(regionId) }, newestFirst: true },
      page,
      (i) => i.card as PublicItem,
    );
  }

  async currentAlerts(regionIds: readonly string[], now: Date): Promise<PublicItem[]> {
    const at = now.toISOString();
    const lists = await Promise.all(
      [...new Set(regionIds)].map(async (regionId) => {
        const cards: PublicItem[] = [];
        let start: Record<string, unknown> | undefined;
        do {
          // Sort keys are `<expires>#<id>`, so above `<now>#~` is "expires after now" (an alert
          // expiring at this very millisecond is over).
          const res = await this.db.send(
            new QueryCommand({
              TableName: this.tableName,
              KeyConditionExpression: 'pk = :k AND sk > :now',
              ExpressionAttributeValues: { ':k': alertCardPartition(regionId), ':now': `${at}#~` },
              ExclusiveStartKey: start,
            }),
          );
          cards.push(...(res.Items ?? []).map((i) => i.card as PublicItem));
          start = res.LastEvaluatedKey;
        } while (start);
        return cards;
      }),
    );
    const seen = new Map<string, PublicItem>();
    for (const card of lists.flat()) if (!seen.has(card.id)) seen.set(card.id, card);
    return [...seen.values()];
  }

  async recentAlerts(page: PageRequest): Promise<Page<PublicItem>> {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: recentAlertsPartition }, newestFirst: true },
      page,
      (i) => i.card as PublicItem,
    );
  }

  async tipEntries(commodityId: string, month: number): Promise<TipEntry[]> {
    // One Query: a commodity has a few dozen guides a month, far below a 1 MB page.
    return queryAll(this.db, this.tableName, { partition: { pk: tipPartition(commodityId, month) } }, (i) => {
      const { kind: _kind, ...entry } = strip(i);
      return entry as unknown as TipEntry;
    });
  }

  async guideCounts(): Promise<Record<string, number>> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: guideCountsKey() }));
    const prefix = guideCountAttribute('');
    return Object.fromEntries(
      Object.entries(res.Item ?? {})
        .filter(([name, n]) => name.startsWith(prefix) && Number(n) > 0)
        .map(([name, n]) => [name.slice(prefix.length), Number(n)]),
    );
  }

  async getPublished(id: string): Promise<PublicItem | undefined> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: knowledgeItemKey(id),
        ProjectionExpression: '#p, #s, #k',
        ExpressionAttributeNames: { '#p': 'published', '#s': 'status', '#k': 'kind' },
      }),
    );
    const item = res.Item as Pick<Item, 'published' | 'status' | 'kind'> | undefined;
    if (!item?.published || item.status === 'archived') return undefined;
    return publicItem(id, item.kind, item.published);
  }

  private async manifest(id: string): Promise<Manifest | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: publicIndexManifestKey(id), ConsistentRead: true }),
    );
    return res.Item ? (strip(res.Item) as unknown as Manifest) : undefined;
  }

  private async putManifest(id: string, manifest: Manifest) {
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...manifest, ...publicIndexManifestKey(id) } }),
    );
  }

  /** The staff-list regions of an item: each of its regions, their ancestors, and '*'. */
  private async listRegions(regions: readonly string[]): Promise<string[]> {
    const paths = await Promise.all(regions.map(async (r) => (r === '*' ? [] : ((await this.regionPath(r)) ?? [r]))));
    return [...new Set([...paths.flat(), '*'])];
  }

  /** A bulletin's lists: each of its regions, their ancestors, '*', and every region within its regions. */
  private async bulletinRegions(regions: readonly string[]): Promise<string[]> {
    const out = new Set(await this.listRegions(regions));
    if (this.catalog) {
      const catalog = await this.catalog();
      for (const r of regions)
        for (const id of r === '*' ? catalog.regions.keys() : regionsUnder(catalog, r)) out.add(id);
    }
    return [...out];
  }

  /** Puts of every staff-list line of `next`, deletes of the lines only `old` had. */
  private async staffWrites(next: Item, old?: Item): Promise<WriteRequest[]> {
    const summary = summaryOf(next);
    const keys = (i: Item, regions: string[]) =>
      regions.map((r) => staffListKey(i.kind, i.status, r, i.updatedAt, i.id));
    const puts = keys(next, await this.listRegions(next.content.regions));
    const keep = new Set(puts.map(keyId));
    const deletes = old
      ? keys(old, await this.listRegions(old.content.regions)).filter((k) => !keep.has(keyId(k)))
      : [];
    return [...puts.map((k) => ({ put: { ...k, id: next.id, summary } })), ...deletes.map((k) => ({ delete: k }))];
  }

  /** Every public index entry of a published version (keys distinct). */
  private async publicEntries(
    id: string,
    kind: ItemKind,
    pv: PublishedVersion,
  ): Promise<Array<{ key: Key; value: Record<string, unknown> }>> {
    const card = publicItem(id, kind, pv, true);
    const fields = pv.content.fields;
    const regions = [...new Set(pv.content.regions)];
    switch (fields.kind) {
      case 'guide': {
        const tip: TipEntry = {
          guideId: id,
          version: pv.version,
          commodityId: fields.commodityId,
          stage: fields.stage,
          topic: fields.topic,
          regions,
          months: fields.months,
          summaries: Object.fromEntries(
            languages.flatMap((l) => (pv.content.versions[l] ? [[l, pv.content.versions[l].summary]] : [])),
          ),
          publishedAt: pv.publishedAt,
        };
        return [
          {
            key: guideCardKey(fields.commodityId, fields.stage, id),
            value: { kind: 'guide-card', id, months: fields.months, card },
          },
          ...[...new Set(fields.months)].map((m) => ({
            key: tipEntryKey(fields.commodityId, m, id),
            value: { kind: 'tip-entry', ...tip },
          })),
        ];
      }
      case 'bulletin':
        return (await this.bulletinRegions(regions)).map((r) => ({
          key: bulletinCardKey(r, fields.date, id),
          value: { kind: 'bulletin-card', id, card },
        }));
      case 'alert':
        return [
          ...regions.map((r) => ({
            key: alertCardKey(r, instant(fields.expires), id),
            value: { kind: 'alert-card', id, card },
          })),
          { key: recentAlertKey(instant(pv.publishedAt), id), value: { kind: 'alert-card', id, card } },
        ];
    }
  }

  /**
   * Recounts the guides of each commodity whose card partition is among `keys`, and stores the
   * figure: a count of the partition (not a +1/−1), so a replayed or half-done publication
   * cannot skew it. Two publications of one commodity at the same instant may store their
   * counts out of order; the next publication of that commodity puts it right.
   */
  private async recount(keys: readonly Key[]) {
    const prefix = guideCardPartition('');
    const partitions = [...new Set(keys.map((k) => k.pk).filter((pk) => pk.startsWith(prefix)))];
    for (const pk of partitions) {
      let n = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const res = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            KeyConditionExpression: 'pk = :k',
            ExpressionAttributeValues: { ':k': pk },
            Select: 'COUNT',
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        );
        n += res.Count ?? 0;
        start = res.LastEvaluatedKey;
      } while (start);
      const commodityId = decodeURIComponent(pk.slice(prefix.length));
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: guideCountsKey(),
          UpdateExpression: n > 0 ? 'SET #c = :n' : 'REMOVE #c',
          ExpressionAttributeNames: { '#c': guideCountAttribute(commodityId) },
          ...(n > 0 ? { ExpressionAttributeValues: { ':n': n } } : {}),
        }),
      );
    }
  }
}

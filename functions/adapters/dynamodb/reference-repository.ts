import { createHash } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '#core/paging.ts';
import type { ReferenceRepository, SeedState } from '#core/reference/ports.ts';
import {
  type Commodity,
  commoditySchema,
  marketSchema,
  type ReferenceData,
  type ReferenceKind,
  regionSchema,
  unitSchema,
} from '#core/reference/schemas.ts';
import type * as z from '#core/zod.ts';
import { lostCondition } from './conditional.ts';
import { marketsInRegionIndex, referenceKey, referencePartition, regionChildrenIndex, seedMarkerKey } from './keys.ts';
import { queryPage } from './paged-query.ts';

const schemas = { commodity: commoditySchema, region: regionSchema, market: marketSchema, unit: unitSchema } as const;
type Entity<K extends ReferenceKind> = z.infer<(typeof schemas)[K]>;

const SEED_MARKER = 'reference';

/** What a seed run writes, as a SHA-256 over its items (terms are not stored, so not counted). */
function seedFingerprint(data: ReferenceData): string {
  const { commodities, regions, markets, units } = data;
  return createHash('sha256').update(JSON.stringify({ commodities, regions, markets, units })).digest('hex');
}

export class DynamoReferenceRepository implements ReferenceRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  listCommodities(page: PageRequest) {
    return this.listKind('commodity', page);
  }
  getCommodity(id: string) {
    return this.getItem('commodity', id);
  }
  listRegions(page: PageRequest & { parentId?: string }) {
    return page.parentId
      ? this.listIndex('region', regionChildrenIndex(page.parentId).gsi1pk, page)
      : this.listKind('region', page);
  }
  getRegion(id: string) {
    return this.getItem('region', id);
  }
  listMarkets(page: PageRequest & { regionId?: string }) {
    return page.regionId
      ? this.listIndex('market', marketsInRegionIndex(page.regionId).gsi1pk, page)
      : this.listKind('market', page);
  }
  getMarket(id: string) {
    return this.getItem('market', id);
  }
  async listUnits() {
    const out = [];
    let cursor: string | undefined;
    do {
      const page = await this.listKind('unit', { limit: 100, cursor });
      out.push(...page.items);
      cursor = page.cursor;
    } while (cursor);
    return out;
  }

  async isEmpty(): Promise<boolean> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: seedMarkerKey(SEED_MARKER), ProjectionExpression: 'pk' }),
    );
    return !res.Item;
  }

  async seedState(data: ReferenceData): Promise<SeedState> {
    const res = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: seedMarkerKey(SEED_MARKER),
        ProjectionExpression: '#f',
        ExpressionAttributeNames: { '#f': 'fingerprint' },
      }),
    );
    if (!res.Item) return 'empty';
    return res.Item.fingerprint === seedFingerprint(data) ? 'current' : 'outdated';
  }

  /**
   * Puts every seed item unless a person has since edited it (origin ≠ seed), then writes
   * the marker with the data's fingerprint. Single-item conditional puts, not a transaction
   * (dynalite has none): a run that dies half-way leaves the old marker (or none), and the
   * next start simply repeats it.
   */
  async seed(data: ReferenceData): Promise<{ written: number }> {
    const items = [
      ...data.commodities.map((c) => this.toItem('commodity', c, {})),
      ...data.regions.map((r) =>
        this.toItem('region', r, r.parentId ? { ...regionChildrenIndex(r.parentId), gsi1sk: r.id } : {}),
      ),
      ...data.markets.map((m) =>
        this.toItem('market', m, m.regionId ? { ...marketsInRegionIndex(m.regionId), gsi1sk: m.id } : {}),
      ),
      ...data.units.map((u) => this.toItem('unit', u, {})),
    ];
    let written = 0;
    const queue = [...items];
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        try {
          await this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: item,
              ConditionExpression: 'attribute_not_exists(pk) OR origin = :seed',
              ExpressionAttributeValues: { ':seed': 'seed' },
            }),
          );
          written++;
        } catch (err) {
          if (!(err instanceof ConditionalCheckFailedException)) throw err;
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...seedMarkerKey(SEED_MARKER),
          seededAt: new Date().toISOString(),
          count: items.length,
          fingerprint: seedFingerprint(data),
        },
      }),
    );
    return { written };
  }

  async setCommodityStaleDays(id: string, staleDays: number | null, editedBy: string) {
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: referenceKey('commodity', id),
          UpdateExpression: `${staleDays === null ? 'REMOVE staleDays ' : ''}SET ${staleDays === null ? '' : 'staleDays = :days, '}origin = :staff, editedBy = :by, version = version + :one`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':staff': 'staff',
            ':by': editedBy,
            ':one': 1,
            ...(staleDays === null ? {} : { ':days': staleDays }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return schemas.commodity.parse(res.Attributes) as Commodity;
    } catch (err) {
      lostCondition(err);
      return undefined;
    }
  }

  private toItem(kind: ReferenceKind, entity: object, index: Record<string, string>) {
    const id = (entity as { id: string }).id;
    return { ...referenceKey(kind, id), ...index, ...entity, kind, origin: 'seed', version: 1 };
  }

  private async getItem<K extends ReferenceKind>(kind: K, id: string): Promise<Entity<K> | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: referenceKey(kind, id) }));
    return res.Item ? (schemas[kind].parse(res.Item) as Entity<K>) : undefined;
  }

  private listKind<K extends ReferenceKind>(kind: K, page: PageRequest): Promise<Page<Entity<K>>> {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: referencePartition(kind) } },
      page,
      (i) => schemas[kind].parse(i) as Entity<K>,
    );
  }

  private listIndex<K extends ReferenceKind>(kind: K, gsi1pk: string, page: PageRequest): Promise<Page<Entity<K>>> {
    return queryPage(
      this.db,
      this.tableName,
      { index: 'gsi1', partition: { gsi1pk } },
      page,
      (i) => schemas[kind].parse(i) as Entity<K>,
    );
  }
}

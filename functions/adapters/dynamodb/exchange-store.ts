/**
 * The exchange's offers, conversations, reports and trust decisions on the single table. Key
 * layout and reasons: the "Exchange" section of keys.ts; access patterns: docs/storage.md.
 *
 * No transactions (dynalite has none). Each change is one conditional write of one item, and
 * the writes that go together are ordered so that a rerun finishes them:
 *
 *   create  1. source marker (once per source, names the code)  2. due marker  3. the offer
 *           (absent code). A rerun finds the marker: the stored offer, or it writes the offer.
 *           A taken code moves the marker to the next code (conditional on the old one).
 *   update  1. due marker  2. the offer, conditional on `version - 1`, its index attributes
 *           set from its status in that same write.
 *   alias   1. number → alias  2. alias → number  3. number → alias marked done: everything
 *           that names the number is found from the number.
 *   delete  conversations and reports of the offer first, the offer last: a rerun (found by
 *           the owner index) finishes.
 *
 * Ended things are purged by the table's TTL (`expiresAt`, epoch seconds): an offer
 * `PURGE_AFTER_END` after it ends; markers, conversations, reports and pairs after a fixed
 * time from their last write. Readers treat an item whose TTL has passed as gone, since
 * DynamoDB deletes it only some time after.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  type QueryCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { shanghaiDay } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import type { Block, Conversation, FlaggedWord, Listing, Vouch } from '#core/exchange/listing.ts';
import { liveStatuses } from '#core/exchange/listing.ts';
import type { CreateOutcome, ExchangeStore, OpenQuery } from '#core/exchange/ports.ts';
import { mapLimited } from '#core/limited.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import { batchGet, GET_BATCH } from './batch-get.ts';
import { lostCondition } from './conditional.ts';
import { decodeCursor } from './cursor.ts';
import {
  aliasKey,
  aliasOfKey,
  blockKey,
  blockPartition,
  conversationKey,
  conversationPartition,
  conversationsByIndex,
  flaggedWordsKey,
  type Key,
  listingDueKey,
  listingDuePartition,
  listingKey,
  listingOwnerIndex,
  listingPairKey,
  listingSourceKey,
  moderationIndex,
  openInCountyIndex,
  openInPrefectureIndex,
  openOfCommodityIndex,
  openOfSideIndex,
  reportedQueueKey,
  reportedQueuePartition,
  reportKey,
  reportPartition,
  reportsByIndex,
  vouchKey,
  vouchPartition,
} from './keys.ts';
import { queryPage } from './paged-query.ts';
import { keyAttributes, tableDefinition } from './table-definition.ts';

type Item = Record<string, unknown>;

const DAY_SECONDS = 86_400;
/** An ended offer is kept this long (moderators, "it was sold" pages, the code stays taken), then purged. */
const PURGE_AFTER_END = 90 * DAY_SECONDS;
/** Conversations, reports and pair markers: this long after their last write. */
const KEEP_ACTIVITY = 180 * DAY_SECONDS;
/** Source markers: longer than any redelivery or resubmission. */
const KEEP_SOURCE = 90 * DAY_SECONDS;
/** Due markers: a month past their day, for a sweep that fell behind. */
const KEEP_DUE = 30 * DAY_SECONDS;
/** Codes (and aliases) tried before `conflict`. */
const CODE_TRIES = 8;
/** How far back `confirming` looks: an operator's offer waits 24 h for the farmer's YES. */
const CONFIRM_WINDOW_MS = 7 * DAY_SECONDS * 1000;
/** Deletes in flight at once (DELETE ME). */
const PARALLEL = 8;

/** Attributes that are storage, not domain: the table's keys, the item kind, the TTL. */
const storageAttributes = new Set([...keyAttributes, 'kind', tableDefinition.ttlAttribute]);
const domainOf = (item: Item): Item =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !storageAttributes.has(k)));

const epochSeconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

/** The index attributes an offer's status allows, and no others (a Put replaces the whole item). */
function listingIndexes(l: Listing) {
  const owner = listingOwnerIndex(l.ownerPhone, l.createdAt, l.code);
  if (l.status === 'open')
    return {
      ...owner,
      ...(l.countyId ? openInCountyIndex(l.side, l.commodityId, l.countyId, l.createdAt, l.code) : {}),
      ...(l.prefectureId ? openInPrefectureIndex(l.side, l.commodityId, l.prefectureId, l.createdAt, l.code) : {}),
      ...openOfCommodityIndex(l.side, l.commodityId, l.createdAt, l.code),
      ...openOfSideIndex(l.side, l.createdAt, l.code),
    };
  if (l.status === 'reviewing')
    return {
      ...owner,
      ...(l.countyId ? moderationIndex('gsi1', l.countyId, l.createdAt, l.code) : {}),
      ...(l.prefectureId ? moderationIndex('gsi5', l.prefectureId, l.createdAt, l.code) : {}),
      ...moderationIndex('gsi3', '*', l.createdAt, l.code),
    };
  return owner;
}

export function listingItem(l: Listing): Item {
  const { expiresAt: offerEndsAt, ...fields } = l;
  const ended = !liveStatuses.includes(l.status);
  return {
    ...listingKey(l.code),
    ...listingIndexes(l),
    kind: 'listing',
    ...fields,
    offerEndsAt,
    ...(ended ? { expiresAt: epochSeconds(l.endedAt ?? l.updatedAt) + PURGE_AFTER_END } : {}),
  };
}

function listingOf(item: Item): Listing {
  const { offerEndsAt, ...rest } = domainOf(item);
  return { ...rest, expiresAt: offerEndsAt } as unknown as Listing;
}

/** The Asia/Shanghai day something of the offer falls due, if any (dueOn). */
function dueDayOf(l: Listing): string | undefined {
  if (l.status === 'open') return shanghaiDay(new Date(l.expiresAt));
  if (l.status === 'confirming' && l.confirmBy) return shanghaiDay(new Date(l.confirmBy));
  return undefined;
}

const conversationOf = (item: Item) => domainOf(item) as unknown as Conversation;

export class DynamoExchangeStore implements ExchangeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The clock readers compare TTLs with (tests move it). */
    private readonly now: () => Date = () => new Date(),
  ) {}

  // ── Offers ──────────────────────────────────────────────────────────────────────

  async create(listing: Listing, nextCode: () => string): Promise<CreateOutcome> {
    const sourceKey = listingSourceKey(listing.source);
    let code = listing.code;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...sourceKey,
            kind: 'listing-source',
            code,
            expiresAt: epochSeconds(listing.createdAt) + KEEP_SOURCE,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err);
      // This source made (or began to make) an offer: that one, or finish writing it.
      const marker = await this.getItem(sourceKey);
      if (marker) code = String(marker.code);
      const stored = await this.get(code);
      if (stored?.source === listing.source) return { created: false, listing: stored };
    }
    for (let attempt = 0; attempt < CODE_TRIES; attempt++) {
      const candidate = { ...listing, code };
      await this.putDueMarker(candidate);
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: listingItem(candidate),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { created: true, listing: candidate };
      } catch (err) {
        lostCondition(err);
      }
      // The code is taken: by a concurrent run of this same source (its offer), or by another offer.
      const holder = await this.getItem(listingKey(code));
      if (holder?.source === listing.source) return { created: false, listing: listingOf(holder) };
      const next = nextCode();
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: sourceKey,
            UpdateExpression: 'SET code = :next',
            ConditionExpression: 'code = :code',
            ExpressionAttributeValues: { ':next': next, ':code': code },
          }),
        );
        code = next;
      } catch (err) {
        lostCondition(err);
        // A concurrent run of this source moved the marker on: follow it.
        code = String((await this.getItem(sourceKey))?.code);
      }
    }
    throw new AppError('conflict');
  }

  async get(code: string): Promise<Listing | undefined> {
    const item = await this.getItem(listingKey(code));
    return item ? listingOf(item) : undefined;
  }

  async getMany(codes: readonly string[]): Promise<Listing[]> {
    const unique = [...new Set(codes)];
    const found = new Map<string, Listing>();
    for (let i = 0; i < unique.length; i += GET_BATCH) {
      for (const item of (
        await batchGet(this.db, this.tableName, unique.slice(i, i + GET_BATCH).map(listingKey))
      ).filter((i) => this.alive(i))) {
        const listing = listingOf(item);
        found.set(listing.code, listing);
      }
    }
    return codes.flatMap((c) => {
      const listing = found.get(c);
      return listing ? [listing] : [];
    });
  }

  async update(listing: Listing): Promise<Listing> {
    await this.putDueMarker(listing);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: listingItem(listing),
          ConditionExpression: 'attribute_exists(pk) AND version = :previous',
          ExpressionAttributeValues: { ':previous': listing.version - 1 },
        }),
      );
      return listing;
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict');
    }
  }

  async byOwner(phone: string, page: PageRequest): Promise<Page<Listing>> {
    return this.listingPage('gsi2', listingOwnerIndex(phone), page);
  }

  /**
   * One Query each: a county's partition (gsi1), a prefecture's (gsi5), a commodity's
   * anywhere (gsi3), a side's of every commodity (gsi4); newest first in every one.
   */
  async open(query: OpenQuery): Promise<Page<Listing>> {
    const { side, commodityId, scope, page } = query;
    if (commodityId === undefined) {
      if (scope.level !== 'all') throw new AppError('bad_request');
      return this.listingPage('gsi4', openOfSideIndex(side), page);
    }
    if (scope.level === 'county')
      return this.listingPage('gsi1', openInCountyIndex(side, commodityId, scope.regionId), page);
    if (scope.level === 'prefecture')
      return this.listingPage('gsi5', openInPrefectureIndex(side, commodityId, scope.regionId), page);
    return this.listingPage('gsi3', openOfCommodityIndex(side, commodityId), page);
  }

  /** The day's markers (one Query), then their offers (BatchGet), keeping those still due that day. */
  async dueOn(day: string, page: PageRequest): Promise<Page<Listing>> {
    const markers = await queryPage(
      this.db,
      this.tableName,
      { partition: { pk: listingDuePartition(day) } },
      page,
      (i) => String(i.sk),
    );
    const listings = await this.getMany(markers.items);
    return {
      items: listings.filter((l) => dueDayOf(l) === day),
      ...(markers.cursor ? { cursor: markers.cursor } : {}),
    };
  }

  /**
   * `*`: one Query (gsi3). A region: its prefecture queue (gsi5) and, when that partition is
   * empty, its county queue (gsi1) — the store does not know a region's level, and ids are
   * unique across levels, so at most two Queries; a cursor names the index it came from.
   */
  async moderationQueue(regionId: string, page: PageRequest): Promise<Page<Listing>> {
    if (regionId === '*') return this.listingPage('gsi3', moderationIndex('gsi3', '*'), page, true);
    if (page.cursor !== undefined) {
      const index = 'gsi5pk' in (decodeCursor(page.cursor, {}) ?? {}) ? 'gsi5' : 'gsi1';
      return this.listingPage(index, moderationIndex(index, regionId), page, true);
    }
    const asPrefecture = await this.listingPage('gsi5', moderationIndex('gsi5', regionId), page, true);
    if (asPrefecture.items.length || asPrefecture.cursor) return asPrefecture;
    return this.listingPage('gsi1', moderationIndex('gsi1', regionId), page, true);
  }

  /** The number's offers of the last week (one Query of its owner partition), those still confirming. */
  async confirming(phone: string): Promise<Listing[]> {
    const since = new Date(this.now().getTime() - CONFIRM_WINDOW_MS).toISOString();
    const items = await this.queryAll({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :since',
      FilterExpression: '#status = :confirming',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': listingOwnerIndex(phone).gsi2pk,
        ':since': since,
        ':confirming': 'confirming',
      },
      ScanIndexForward: false,
    });
    return items.filter((i) => this.alive(i)).map(listingOf);
  }

  async delete(code: string): Promise<void> {
    const conversations = await this.queryAll(partitionQuery(conversationPartition(code)));
    const reports = await this.queryAll(partitionQuery(reportPartition(code)));
    await this.deleteAll([...conversations, ...reports].map(keyOf));
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: listingKey(code) }));
  }

  async claimPair(codeA: string, codeB: string, at: string): Promise<boolean> {
    return this.putOnce({
      ...listingPairKey(codeA, codeB),
      kind: 'listing-pair',
      at,
      expiresAt: epochSeconds(at) + KEEP_ACTIVITY,
    });
  }

  // ── Conversations ───────────────────────────────────────────────────────────────

  async conversation(code: string, otherPhone: string): Promise<Conversation | undefined> {
    const item = await this.getItem(conversationKey(code, otherPhone));
    return item ? conversationOf(item) : undefined;
  }

  async saveConversation(conversation: Conversation): Promise<Conversation> {
    const c = conversation;
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...conversationKey(c.code, c.otherPhone),
            ...conversationsByIndex(c.otherPhone, c.updatedAt, c.code),
            kind: 'listing-conversation',
            ...c,
            expiresAt: epochSeconds(c.updatedAt) + KEEP_ACTIVITY,
          },
          ...(c.version === 1
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: 'version = :previous',
                ExpressionAttributeValues: { ':previous': c.version - 1 },
              }),
        }),
      );
      return c;
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict');
    }
  }

  async conversationsOf(otherPhone: string): Promise<Conversation[]> {
    const items = await this.queryAll({
      ...indexQuery('gsi2', conversationsByIndex(otherPhone)),
      ScanIndexForward: false,
    });
    return items.filter((i) => this.alive(i)).map(conversationOf);
  }

  async conversationsAbout(code: string): Promise<Conversation[]> {
    const items = await this.queryAll(partitionQuery(conversationPartition(code)));
    return items.filter((i) => this.alive(i)).map(conversationOf);
  }

  async aliasOf(phone: string, nextAlias: () => string): Promise<string> {
    const mine = await this.getItem(aliasOfKey(phone));
    if (mine?.done) return String(mine.alias);
    let alias = mine ? String(mine.alias) : nextAlias();
    if (!mine && !(await this.putOnce({ ...aliasOfKey(phone), kind: 'listing-alias-of', alias }))) {
      // A concurrent call chose first: its alias is the one.
      const winner = (await this.getItem(aliasOfKey(phone)))!;
      if (winner.done) return String(winner.alias);
      alias = String(winner.alias);
    }
    for (let attempt = 0; attempt < CODE_TRIES; attempt++) {
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...aliasKey(alias), kind: 'listing-alias', phone },
            ConditionExpression: 'attribute_not_exists(pk) OR phone = :phone',
            ExpressionAttributeValues: { ':phone': phone },
          }),
        );
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: aliasOfKey(phone),
            UpdateExpression: 'SET done = :yes',
            ExpressionAttributeValues: { ':yes': true },
          }),
        );
        return alias;
      } catch (err) {
        lostCondition(err);
      }
      // Another number has this alias: choose the next, unless a concurrent call already did.
      const next = nextAlias();
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: aliasOfKey(phone),
            UpdateExpression: 'SET alias = :next',
            ConditionExpression: 'alias = :alias',
            ExpressionAttributeValues: { ':next': next, ':alias': alias },
          }),
        );
        alias = next;
      } catch (err) {
        lostCondition(err);
        alias = String((await this.getItem(aliasOfKey(phone)))?.alias);
      }
    }
    throw new AppError('conflict');
  }

  async phoneOfAlias(alias: string): Promise<string | undefined> {
    const item = await this.getItem(aliasKey(alias));
    return item ? String(item.phone) : undefined;
  }

  // ── Reports ─────────────────────────────────────────────────────────────────────

  async addReport(code: string, reporterPhone: string, text: string, at: string): Promise<boolean> {
    return this.putOnce({
      ...reportKey(code, reporterPhone),
      ...reportsByIndex(reporterPhone, at, code),
      kind: 'listing-report',
      code,
      reporterPhone,
      text,
      at,
      expiresAt: epochSeconds(at) + KEEP_ACTIVITY,
    });
  }

  async queueReported(listing: Listing, at: string): Promise<void> {
    const regions = [listing.countyId, listing.prefectureId, '*'].filter((r): r is string => Boolean(r));
    await mapLimited(regions, PARALLEL, (regionId) =>
      this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...reportedQueueKey(regionId, at, listing.code),
            kind: 'listing-reported',
            code: listing.code,
            expiresAt: epochSeconds(at) + KEEP_DUE,
          },
        }),
      ),
    );
  }

  /** The region's markers (one Query, newest first), then their offers (BatchGet), those still open and reported. */
  async reportedQueue(regionId: string, page: PageRequest): Promise<Page<Listing>> {
    const markers = await queryPage(
      this.db,
      this.tableName,
      { partition: { pk: reportedQueuePartition(regionId) }, newestFirst: true },
      page,
      (i) => String(i.code),
    );
    const listings = await this.getMany([...new Set(markers.items)]);
    return {
      items: listings.filter((l) => l.status === 'open' && l.reports > 0),
      ...(markers.cursor ? { cursor: markers.cursor } : {}),
    };
  }

  async reportsAbout(code: string): Promise<Array<{ reporterPhone: string; text: string; at: string }>> {
    const items = await this.queryAll(partitionQuery(reportPartition(code)));
    return items
      .filter((i) => this.alive(i))
      .map((i) => ({ reporterPhone: String(i.reporterPhone), text: String(i.text), at: String(i.at) }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  }

  // ── Trust ───────────────────────────────────────────────────────────────────────

  async vouchOf(phone: string): Promise<Vouch | undefined> {
    const item = await this.getItem(vouchKey(phone));
    return item ? (domainOf(item) as unknown as Vouch) : undefined;
  }

  async putVouch(vouch: Vouch): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...vouchKey(vouch.phone), kind: 'listing-vouch', ...vouch },
      }),
    );
  }

  async deleteVouch(phone: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: vouchKey(phone) }));
  }

  listVouches(page: PageRequest): Promise<Page<Vouch>> {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: vouchPartition } },
      page,
      (i) => domainOf(i) as unknown as Vouch,
    );
  }

  async blockOf(phone: string): Promise<Block | undefined> {
    const item = await this.getItem(blockKey(phone));
    return item ? (domainOf(item) as unknown as Block) : undefined;
  }

  async putBlock(block: Block): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...blockKey(block.phone), kind: 'listing-block', ...block },
      }),
    );
  }

  async deleteBlock(phone: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: blockKey(phone) }));
  }

  listBlocks(page: PageRequest): Promise<Page<Block>> {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: blockPartition } },
      page,
      (i) => domainOf(i) as unknown as Block,
    );
  }

  async flaggedWords(): Promise<FlaggedWord[] | undefined> {
    const item = await this.getItem(flaggedWordsKey());
    return item ? (item.words as FlaggedWord[]) : undefined;
  }

  async saveFlaggedWords(words: FlaggedWord[], by: string, at: string): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...flaggedWordsKey(), kind: 'listing-flagged-words', words, by, at },
      }),
    );
  }

  /**
   * Its offers (each with the conversations and reports about it), the conversations it
   * started, the reports it made, its alias. Vouches and blocks are staff decisions about the
   * number and stay (a blocked number must not unblock itself by DELETE ME); pair markers and
   * due markers hold no number. Safe to rerun: each step reads what is left.
   */
  async eraseNumber(phone: string): Promise<void> {
    const owned = await this.queryAll(indexQuery('gsi2', listingOwnerIndex(phone)));
    await mapLimited(owned, PARALLEL, (i) => this.delete(String(i.code)));
    const started = await this.queryAll(indexQuery('gsi2', conversationsByIndex(phone)));
    const reported = await this.queryAll(indexQuery('gsi2', reportsByIndex(phone)));
    await this.deleteAll([...started, ...reported].map(keyOf));
    const alias = await this.getItem(aliasOfKey(phone));
    if (alias) {
      try {
        await this.db.send(
          new DeleteCommand({
            TableName: this.tableName,
            Key: aliasKey(String(alias.alias)),
            ConditionExpression: 'phone = :phone',
            ExpressionAttributeValues: { ':phone': phone },
          }),
        );
      } catch (err) {
        lostCondition(err); // never written, or another number's: nothing of this one there
      }
      await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: aliasOfKey(phone) }));
    }
  }

  // ── Helpers ─────────────────────────────────────────────────────────────────────

  /** False once the item's TTL has passed (DynamoDB deletes it only some time after). */
  private alive(item: Item): boolean {
    return typeof item.expiresAt !== 'number' || item.expiresAt * 1000 > this.now().getTime();
  }

  private async getItem(key: Key): Promise<Item | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return res.Item && this.alive(res.Item) ? res.Item : undefined;
  }

  /** Puts an item that must not exist yet; false when it does. */
  private async putOnce(item: Item): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({ TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(pk)' }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  /** Before the offer is written, so a crash leaves at most a marker the sweep skips. */
  private async putDueMarker(l: Listing): Promise<void> {
    const day = dueDayOf(l);
    if (!day) return;
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...listingDueKey(day, l.code),
          kind: 'listing-due',
          expiresAt: epochSeconds(`${day}T00:00:00+08:00`) + KEEP_DUE,
        },
      }),
    );
  }

  private async listingPage(
    index: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5',
    partition: Record<string, string>,
    page: PageRequest,
    oldestFirst = false,
  ): Promise<Page<Listing>> {
    const key = `${index}pk`;
    const raw = await queryPage(
      this.db,
      this.tableName,
      { index, partition: { [key]: partition[key]! }, newestFirst: !oldestFirst },
      page,
      (i) => i,
    );
    return { ...raw, items: raw.items.filter((i) => this.alive(i)).map(listingOf) };
  }

  /** Every page of one Query (small partitions: one offer's conversations, one number's items). */
  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: start }),
      );
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  }

  private async deleteAll(keys: Key[]): Promise<void> {
    await mapLimited(keys, PARALLEL, (Key) => this.db.send(new DeleteCommand({ TableName: this.tableName, Key })));
  }
}

const keyOf = (item: Item): Key => ({ pk: String(item.pk), sk: String(item.sk) });

const partitionQuery = (pk: string) => ({
  KeyConditionExpression: 'pk = :pk',
  ExpressionAttributeValues: { ':pk': pk },
});

/** A whole partition of an index, from an index helper's `{ <index>pk }`. */
function indexQuery(index: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5', partition: Record<string, string | undefined>) {
  return {
    IndexName: index,
    KeyConditionExpression: `${index}pk = :pk`,
    ExpressionAttributeValues: { ':pk': partition[`${index}pk`] },
  };
}

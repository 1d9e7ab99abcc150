/**
 * The exchange's storage adapter against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT):
 * idempotent creation, conditional changes, index membership by status, every access path, and
 * DELETE ME leaving nothing of a number. Request counts come from a counting middleware on the
 * client (test/support/counting-db.ts), not from a mock.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ListTablesCommand,
  PutItemCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDynamoClient } from '#adapters/dynamodb/client.ts';
import { DynamoExchangeStore } from '#adapters/dynamodb/exchange-store.ts';
import { AppError } from '#core/errors.ts';
import type { Conversation, Listing } from '#core/exchange/listing.ts';
import { ensureTable } from '#local/ensure-table.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let store: DynamoExchangeStore;
beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  store = new DynamoExchangeStore(counted.db, stack.tableName);
});
afterAll(async () => {
  counted.db.destroy();
  await stack.close();
});

let serial = 0;
/** A fresh code, phone or source per call, so tests sharing the table never meet. */
const fresh = () => String(10_000 + ++serial);
const phone = () => `+86139${fresh().padStart(8, '0')}`;

function offer(fields: Partial<Listing> = {}): Listing {
  const code = `L${fresh()}`;
  return {
    code,
    side: 'sell',
    commodityId: 'butter',
    quantity: 20,
    unitId: 'jin',
    priceFen: 3500,
    regionId: 'cty_lhasa_chengguan',
    countyId: 'cty_lhasa_chengguan',
    prefectureId: 'pref_lhasa',
    ownerPhone: phone(),
    status: 'open',
    vouched: false,
    holdReasons: [],
    reports: 0,
    source: `eum:m-${code}`,
    createdAt: '2026-12-01T02:00:00.000Z',
    expiresAt: '2026-12-15T02:00:00.000Z',
    updatedAt: '2026-12-01T02:00:00.000Z',
    version: 1,
    ...fields,
  };
}

async function created(listing: Listing): Promise<Listing> {
  const outcome = await store.create(listing, () => `L${fresh()}`);
  expect(outcome.created).toBe(true);
  return outcome.listing;
}

/** Counts the DynamoDB requests `work` sends. */
async function requestsOf(work: () => Promise<unknown>): Promise<number> {
  const before = counted.requests;
  await work();
  return counted.requests - before;
}

const isConflict = (err: unknown) => err instanceof AppError && err.code === 'conflict';
const codes = (page: { items: Listing[] }) => page.items.map((l) => l.code);
const minute = (n: number) => `2026-12-01T03:${String(n).padStart(2, '0')}:00.000Z`;

describe('creating an offer', () => {
  test('stores it once per source: a rerun with another proposed code gets the first offer; at most 3 requests', async () => {
    const first = offer();
    expect(await requestsOf(() => created(first))).toBeLessThanOrEqual(3);
    expect(await store.get(first.code)).toEqual(first);

    const rerun = await store.create({ ...first, code: `L${fresh()}` }, () => `L${fresh()}`);
    expect(rerun).toEqual({ created: false, listing: first });
  });

  test('a code another offer holds: the next code is used, and a rerun of that source finds it there', async () => {
    const holder = await created(offer());
    const second = offer({ code: holder.code });
    const next = `L${fresh()}`;
    const outcome = await store.create(second, () => next);
    expect(outcome).toEqual({ created: true, listing: { ...second, code: next } });
    expect((await store.get(holder.code))?.source).toBe(holder.source);
    const rerun = await store.create(second, () => `L${fresh()}`);
    expect(rerun).toEqual({ created: false, listing: { ...second, code: next } });
  });

  test('codes that stay taken end in conflict, nothing stored for that source', async () => {
    const holder = await created(offer());
    const err = await store.create(offer({ code: holder.code }), () => holder.code).catch((e) => e);
    expect(isConflict(err)).toBe(true);
  });

  test('concurrent runs of one source: one offer', async () => {
    const one = offer();
    const outcomes = await Promise.all(
      [0, 1, 2].map((i) => store.create({ ...one, code: i ? `L${fresh()}` : one.code }, () => `L${fresh()}`)),
    );
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.listing.code)).size).toBe(1);
  });

  test('the offer’s own end is kept apart from the table’s TTL attribute', async () => {
    const l = await created(offer());
    const raw = (await counted.db.send(new ScanCommand({ TableName: stack.tableName }))).Items!.find(
      (i) => i.pk === `LST#${l.code}`,
    )!;
    expect(raw.offerEndsAt).toBe(l.expiresAt);
    expect(raw.expiresAt).toBeUndefined();
  });
});

describe('changing an offer', () => {
  test('conditional on the version: a stale write is a conflict and changes nothing', async () => {
    const l = await created(offer());
    const v2 = await store.update({ ...l, priceFen: 3600, version: 2 });
    expect((await store.get(l.code))?.priceFen).toBe(3600);
    const stale = await store.update({ ...l, priceFen: 9999, version: 2 }).catch((e) => e);
    expect(isConflict(stale)).toBe(true);
    const again = await store.update({ ...v2, priceFen: 9999 }).catch((e) => e);
    expect(isConflict(again), 'the same version twice').toBe(true);
    expect(await store.get(l.code)).toEqual(v2);
    const absent = await store.update({ ...offer(), version: 2 }).catch((e) => e);
    expect(isConflict(absent), 'an offer never stored').toBe(true);
  });

  test('the indexes follow the status: open → found; sold → not (and purged 90 days after); reviewing → queued', async () => {
    const commodityId = `c${fresh()}`;
    const l = await created(offer({ commodityId }));
    const found = async () => ({
      county: codes(
        await store.open({
          side: 'sell',
          commodityId,
          scope: { level: 'county', regionId: l.countyId! },
          page: { limit: 10 },
        }),
      ),
      prefecture: codes(
        await store.open({
          side: 'sell',
          commodityId,
          scope: { level: 'prefecture', regionId: l.prefectureId! },
          page: { limit: 10 },
        }),
      ),
      all: codes(await store.open({ side: 'sell', commodityId, scope: { level: 'all' }, page: { limit: 10 } })),
      everything: codes(await store.open({ side: 'sell', scope: { level: 'all' }, page: { limit: 500 } })),
      queue: {
        county: codes(await store.moderationQueue(l.countyId!, { limit: 500 })),
        prefecture: codes(await store.moderationQueue(l.prefectureId!, { limit: 500 })),
        all: codes(await store.moderationQueue('*', { limit: 500 })),
      },
    });
    let seen = await found();
    expect(seen.county).toEqual([l.code]);
    expect(seen.prefecture).toEqual([l.code]);
    expect(seen.all).toEqual([l.code]);
    expect(seen.everything).toContain(l.code);
    expect(seen.queue.all).not.toContain(l.code);

    const reviewing = await store.update({ ...l, status: 'reviewing', holdReasons: ['reported'], version: 2 });
    seen = await found();
    expect([seen.county, seen.prefecture, seen.all]).toEqual([[], [], []]);
    expect(seen.everything).not.toContain(l.code);
    expect(seen.queue.county).toContain(l.code);
    expect(seen.queue.prefecture).toContain(l.code);
    expect(seen.queue.all).toContain(l.code);

    const open = await store.update({ ...reviewing, status: 'open', version: 3 });
    expect((await found()).all).toEqual([l.code]);

    const endedAt = '2026-12-02T00:00:00.000Z';
    const sold = await store.update({ ...open, status: 'sold', endedAt, version: 4 });
    seen = await found();
    expect([seen.county, seen.prefecture, seen.all, seen.queue.all.filter((c) => c === l.code)]).toEqual([
      [],
      [],
      [],
      [],
    ]);
    expect(seen.everything).not.toContain(l.code);
    expect((await store.byOwner(l.ownerPhone, { limit: 10 })).items).toEqual([sold]);

    const raw = (await counted.db.send(new ScanCommand({ TableName: stack.tableName }))).Items!.find(
      (i) => i.pk === `LST#${l.code}`,
    )!;
    expect(raw.expiresAt).toBe(Date.parse(endedAt) / 1000 + 90 * 86_400);
    // Past its TTL, before DynamoDB gets round to deleting it: gone for every reader.
    const later = new DynamoExchangeStore(
      counted.db,
      stack.tableName,
      () => new Date(Date.parse(endedAt) + 91 * 86_400_000),
    );
    expect(await later.get(l.code)).toBeUndefined();
    expect(await later.getMany([l.code])).toEqual([]);
    expect((await later.byOwner(l.ownerPhone, { limit: 10 })).items).toEqual([]);
    const stillNow = new DynamoExchangeStore(
      counted.db,
      stack.tableName,
      () => new Date(Date.parse(endedAt) + 89 * 86_400_000),
    );
    expect(await stillNow.get(l.code)).toEqual(sold);
  });
});

describe('reading offers', () => {
  test('open() at each level is one Query, newest first, paged with a cursor', async () => {
    const commodityId = `c${fresh()}`;
    const here = { countyId: 'cty_lhasa_chengguan', regionId: 'cty_lhasa_chengguan', prefectureId: 'pref_lhasa' };
    const nextDoor = {
      countyId: 'cty_lhasa_doilungdeqen',
      regionId: 'cty_lhasa_doilungdeqen',
      prefectureId: 'pref_lhasa',
    };
    const a = await created(offer({ commodityId, ...here, createdAt: minute(1) }));
    const b = await created(offer({ commodityId, ...nextDoor, createdAt: minute(2) }));
    const c = await created(offer({ commodityId, ...here, createdAt: minute(3) }));
    // A prefecture named, no county: in the prefecture and everywhere, in no county.
    const d = await created(
      offer({
        commodityId,
        regionId: 'pref_lhasa',
        countyId: undefined,
        prefectureId: 'pref_lhasa',
        createdAt: minute(4),
      }),
    );
    // Outside the region tree: only everywhere.
    const e = await created(
      offer({ commodityId, regionId: 'elsewhere', countyId: undefined, prefectureId: undefined, createdAt: minute(5) }),
    );
    const f = await created(offer({ commodityId, ...here, createdAt: minute(6), side: 'buy' }));
    const g = await created(
      offer({ commodityId, countyId: 'cty_shigatse_gyantse', prefectureId: 'pref_shigatse', createdAt: minute(7) }),
    );

    const read = async (scope: Parameters<DynamoExchangeStore['open']>[0]['scope'], limit = 10, cursor?: string) => {
      let page: Awaited<ReturnType<DynamoExchangeStore['open']>> | undefined;
      const n = await requestsOf(async () => {
        page = await store.open({ side: 'sell', commodityId, scope, page: { limit, ...(cursor ? { cursor } : {}) } });
      });
      expect(n, 'one request').toBe(1);
      return page!;
    };
    expect(codes(await read({ level: 'county', regionId: here.countyId }))).toEqual([c.code, a.code]);
    expect(codes(await read({ level: 'county', regionId: nextDoor.countyId }))).toEqual([b.code]);
    expect(codes(await read({ level: 'prefecture', regionId: 'pref_lhasa' }))).toEqual([
      d.code,
      c.code,
      b.code,
      a.code,
    ]);
    expect(codes(await read({ level: 'prefecture', regionId: 'pref_shigatse' }))).toEqual([g.code]);
    expect(codes(await read({ level: 'all' }))).toEqual([g.code, e.code, d.code, c.code, b.code, a.code]);
    expect(codes(await store.open({ side: 'buy', commodityId, scope: { level: 'all' }, page: { limit: 10 } }))).toEqual(
      [f.code],
    );

    const first = await read({ level: 'all' }, 4);
    expect(codes(first)).toEqual([g.code, e.code, d.code, c.code]);
    const second = await read({ level: 'all' }, 4, first.cursor);
    expect(codes(second)).toEqual([b.code, a.code]);
    expect(second.cursor).toBeUndefined();
    const forged = await store
      .open({ side: 'sell', commodityId: 'butter', scope: { level: 'all' }, page: { limit: 4, cursor: first.cursor } })
      .catch((err) => err);
    expect((forged as AppError).code, 'a cursor works only on its own partition').toBe('invalid_cursor');

    const everything = await requestsOf(() =>
      store.open({ side: 'sell', scope: { level: 'all' }, page: { limit: 3 } }),
    );
    expect(everything, 'all products: one request').toBe(1);
    const all = codes(await store.open({ side: 'sell', scope: { level: 'all' }, page: { limit: 1000 } }));
    expect(all).toEqual(expect.arrayContaining([a.code, g.code]));
    expect(all).not.toContain(f.code);
    expect(all.indexOf(g.code)).toBeLessThan(all.indexOf(a.code));
    await expect(
      store.open({ side: 'sell', scope: { level: 'county', regionId: here.countyId }, page: { limit: 1 } }),
    ).rejects.toThrow(AppError);
  });

  test('byOwner: every status, newest first, paged; getMany keeps the asked order; confirming by number', async () => {
    const owner = phone();
    const a = await created(offer({ ownerPhone: owner, createdAt: minute(1) }));
    const b = await created(offer({ ownerPhone: owner, createdAt: minute(2), status: 'reviewing' }));
    const confirmBy = new Date(Date.now() + 86_400_000).toISOString();
    const c = await created(
      offer({ ownerPhone: owner, createdAt: new Date().toISOString(), status: 'confirming', confirmBy }),
    );
    const page1 = await store.byOwner(owner, { limit: 2 });
    expect(codes(page1)).toEqual([c.code, b.code]);
    expect(codes(await store.byOwner(owner, { limit: 2, cursor: page1.cursor }))).toEqual([a.code]);
    expect(codes({ items: await store.getMany([b.code, 'L999999', a.code, c.code]) })).toEqual([
      b.code,
      a.code,
      c.code,
    ]);
    expect(codes({ items: await store.confirming(owner) })).toEqual([c.code]);
    expect(await store.confirming(phone())).toEqual([]);
  });

  test('dueOn: open offers on the day they end, confirming ones on their answer-by day; RENEW moves it', async () => {
    const day = '2031-01-10';
    const l = await created(offer({ expiresAt: '2031-01-10T03:00:00.000Z' }));
    const waiting = await created(offer({ status: 'confirming', confirmBy: '2031-01-09T20:00:00.000Z' })); // 04:00 on the 10th in Lhasa
    const ended = await created(offer({ expiresAt: '2031-01-10T05:00:00.000Z' }));
    await store.update({ ...ended, status: 'cancelled', endedAt: ended.createdAt, version: 2 });
    expect(codes(await store.dueOn(day, { limit: 50 })).sort()).toEqual([l.code, waiting.code].sort());

    await store.update({ ...l, expiresAt: '2031-01-24T03:00:00.000Z', version: 2 });
    expect(codes(await store.dueOn(day, { limit: 50 }))).toEqual([waiting.code]);
    expect(codes(await store.dueOn('2031-01-24', { limit: 50 }))).toEqual([l.code]);
  });
});

describe('pairs, conversations, aliases, reports', () => {
  test('a pair is claimed once, whichever order it is named in', async () => {
    const [a, b] = [`L${fresh()}`, `L${fresh()}`];
    expect(await store.claimPair(a, b, minute(1))).toBe(true);
    expect(await store.claimPair(b, a, minute(2))).toBe(false);
    expect(await store.claimPair(a, b, minute(3))).toBe(false);
  });

  test('conversations: created once, then conditional on the version; by offer and by the number that started them', async () => {
    const [l, m] = [await created(offer()), await created(offer())];
    const other = phone();
    const conversation: Conversation = {
      code: l.code,
      ownerPhone: l.ownerPhone,
      otherPhone: other,
      otherName: 'A1234',
      ownerShared: false,
      otherShared: false,
      createdAt: minute(1),
      updatedAt: minute(1),
      version: 1,
    };
    await store.saveConversation(conversation);
    expect(isConflict(await store.saveConversation(conversation).catch((e) => e)), 'created once').toBe(true);
    const shared = await store.saveConversation({
      ...conversation,
      otherShared: true,
      updatedAt: minute(2),
      version: 2,
    });
    expect(
      isConflict(await store.saveConversation({ ...conversation, ownerShared: true, version: 2 }).catch((e) => e)),
    ).toBe(true);
    expect(await store.conversation(l.code, other)).toEqual(shared);
    expect(await store.conversation(l.code, phone())).toBeUndefined();
    const second = { ...conversation, code: m.code, ownerPhone: m.ownerPhone, updatedAt: minute(3) };
    await store.saveConversation(second);
    expect(await store.conversationsOf(other)).toEqual([second, shared]);
    expect(await store.conversationsAbout(l.code)).toEqual([shared]);
  });

  test('an alias is made once, also when asked for at the same time; a taken alias is skipped', async () => {
    const [p, q] = [phone(), phone()];
    const aliases = await Promise.all([0, 1, 2, 3].map(() => store.aliasOf(p, () => `A${fresh()}`)));
    expect(new Set(aliases).size).toBe(1);
    expect(await store.aliasOf(p, () => 'A1')).toBe(aliases[0]);
    expect(await store.phoneOfAlias(aliases[0]!)).toBe(p);
    const next = `A${fresh()}`;
    const proposals = [aliases[0]!, next];
    expect(await store.aliasOf(q, () => proposals.shift()!)).toBe(next);
    expect(await store.phoneOfAlias(next)).toBe(q);
    expect(await store.phoneOfAlias(aliases[0]!)).toBe(p);
    expect(await store.phoneOfAlias('A0')).toBeUndefined();
  });

  test('one report per reporter per offer, listed oldest first', async () => {
    const l = await created(offer());
    const [r1, r2] = [phone(), phone()];
    expect(await store.addReport(l.code, r1, 'asked me to pay first', minute(5))).toBe(true);
    expect(await store.addReport(l.code, r1, 'again', minute(6))).toBe(false);
    expect(await store.addReport(l.code, r2, 'fake', minute(2))).toBe(true);
    expect(await store.reportsAbout(l.code)).toEqual([
      { reporterPhone: r2, text: 'fake', at: minute(2) },
      { reporterPhone: r1, text: 'asked me to pay first', at: minute(5) },
    ]);
  });
});

describe('trust', () => {
  test('vouches and blocks: put, get, list, delete', async () => {
    const [p, q] = [phone(), phone()];
    await store.putVouch({ phone: p, by: '+8613800000000', at: minute(1) });
    await store.putVouch({ phone: q, by: '+8613800000000', at: minute(2) });
    expect(await store.vouchOf(p)).toEqual({ phone: p, by: '+8613800000000', at: minute(1) });
    const page = await store.listVouches({ limit: 1 });
    const rest = await store.listVouches({ limit: 100, cursor: page.cursor });
    expect([...page.items, ...rest.items].map((v) => v.phone)).toEqual(expect.arrayContaining([p, q]));
    await store.deleteVouch(p);
    expect(await store.vouchOf(p)).toBeUndefined();

    const block = { phone: p, by: '+8613800000000', at: minute(3), reason: 'advance-fee scam' };
    await store.putBlock(block);
    expect(await store.blockOf(p)).toEqual(block);
    expect((await store.listBlocks({ limit: 100 })).items).toContainEqual(block);
    await store.deleteBlock(p);
    expect(await store.blockOf(p)).toBeUndefined();
    expect((await store.listBlocks({ limit: 100 })).items).not.toContainEqual(block);
  });

  test('flagged words: none until saved, then what was saved', async () => {
    expect(await store.flaggedWords()).toBeUndefined();
    const words = [
      { text: '先付款', lang: 'zh' as const },
      { text: 'pay first', lang: 'en' as const },
      { text: 'སྔོན་ལ་', lang: 'bo' as const },
    ];
    await store.saveFlaggedWords(words, '+8613800000000', minute(1));
    expect(await store.flaggedWords()).toEqual(words);
  });
});

describe('DELETE ME', () => {
  test('eraseNumber leaves nothing of the number on any access path, nor anywhere in the table', async () => {
    const me = phone();
    const someone = phone();
    const commodityId = `c${fresh()}`;
    const mine = await created(offer({ ownerPhone: me, commodityId }));
    const held = await created(offer({ ownerPhone: me, commodityId, status: 'reviewing' }));
    const theirs = await created(offer({ ownerPhone: someone, commodityId, side: 'buy' }));
    const talk = (code: string, owner: string, other: string): Conversation => ({
      code,
      ownerPhone: owner,
      otherPhone: other,
      otherName: 'A1',
      ownerShared: true,
      otherShared: true,
      sharedAt: minute(2),
      createdAt: minute(1),
      updatedAt: minute(2),
      version: 1,
    });
    await store.saveConversation(talk(mine.code, me, someone));
    await store.saveConversation(talk(theirs.code, someone, me));
    await store.addReport(mine.code, someone, 'fake', minute(1));
    await store.addReport(theirs.code, me, 'rude', minute(1));
    const alias = await store.aliasOf(me, () => `A${fresh()}`);
    await store.claimPair(mine.code, theirs.code, minute(1));

    await store.eraseNumber(me);

    expect((await store.byOwner(me, { limit: 10 })).items).toEqual([]);
    expect(await store.getMany([mine.code, held.code])).toEqual([]);
    expect(
      codes(await store.open({ side: 'sell', commodityId, scope: { level: 'all' }, page: { limit: 10 } })),
    ).toEqual([]);
    expect(codes(await store.moderationQueue('*', { limit: 1000 }))).not.toContain(held.code);
    expect(await store.conversationsAbout(mine.code)).toEqual([]);
    expect(await store.conversationsOf(me)).toEqual([]);
    expect(await store.conversationsOf(someone)).toEqual([]);
    expect(await store.conversation(theirs.code, me)).toBeUndefined();
    expect(await store.reportsAbout(mine.code)).toEqual([]);
    expect(await store.reportsAbout(theirs.code)).toEqual([]);
    expect(await store.phoneOfAlias(alias)).toBeUndefined();
    expect(await store.confirming(me)).toEqual([]);
    // The other side keeps their own offer, and the pair marker (no number in it) stays.
    expect((await store.get(theirs.code))?.ownerPhone).toBe(someone);
    expect(await store.claimPair(mine.code, theirs.code, minute(3))).toBe(false);

    // Not a request path: a Scan proves no item anywhere still names the number.
    const everything = (await counted.db.send(new ScanCommand({ TableName: stack.tableName }))).Items ?? [];
    expect(everything.filter((i) => JSON.stringify(i).includes(me))).toEqual([]);

    await store.eraseNumber(me); // a rerun finds nothing to do
  });
});

describe('the table', () => {
  const index = (n: number) => ({
    IndexName: `gsi${n}`,
    KeySchema: [
      { AttributeName: `gsi${n}pk`, KeyType: 'HASH' as const },
      { AttributeName: `gsi${n}sk`, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });
  /** A table as ensureTable made it before the exchange's indexes, holding one item. */
  async function oldTable(client: DynamoDBClient, name: string) {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((AttributeName) => ({
          AttributeName,
          AttributeType: 'S' as const,
        })),
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [index(1), index(2)],
      }),
    );
    await waitUntilTableExists({ client, maxWaitTime: 60, minDelay: 1 }, { TableName: name });
    await client.send(
      new PutItemCommand({
        TableName: name,
        Item: {
          pk: { S: 'SUB#+8613900000001' },
          sk: { S: 'PROFILE' },
          gsi1pk: { S: 'SUBS#REGION#x' },
          gsi1sk: { S: 'p' },
        },
      }),
    );
  }
  const indexesOf = async (client: DynamoDBClient, name: string) =>
    ((await client.send(new DescribeTableCommand({ TableName: name }))).Table!.GlobalSecondaryIndexes ?? [])
      .map((g) => g.IndexName)
      .sort();
  const itemsOf = async (client: DynamoDBClient, name: string) =>
    (await client.send(new ScanCommand({ TableName: name }))).Items!.map((i) => `${i.pk}|${i.sk}`);

  // The rebuild is the embedded store's (dynalite cannot add an index in place); DynamoDB Local and
  // DynamoDB add indexes themselves, and the stack there is made by CDK, never rebuilt.
  const embeddedOnly = Boolean(process.env.DYNAMODB_ENDPOINT) && 'the rebuild is the embedded store’s';

  test.skipIf(embeddedOnly)(
    'ensureTable gives a table made before the exchange indexes all of them, keeping its items (the embedded store rebuilds)',
    async () => {
      const client = createDynamoClient({ region: 'local', endpoint: stack.dynamoEndpoint });
      const name = `${stack.tableName}-old`;
      await oldTable(client, name);
      await expect(ensureTable(client, name), 'dynalite cannot add an index in place').rejects.toThrow();
      expect(await ensureTable(client, name, { rebuild: true })).toBe('updated');
      expect(await indexesOf(client, name)).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5']);
      expect(await itemsOf(client, name)).toEqual(['SUB#+8613900000001|PROFILE']);
      expect(await ensureTable(client, name, { rebuild: true })).toBe('unchanged');
      const listed = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
      expect(listed.filter((t) => t.startsWith(name))).toEqual([name]);
      client.destroy();
    },
  );

  test.skipIf(embeddedOnly)(
    'a rebuild a crash cut short after its copy was complete is finished at the next start',
    async () => {
      const client = createDynamoClient({ region: 'local', endpoint: stack.dynamoEndpoint });
      const name = `${stack.tableName}-crashed`;
      // The copy is complete and marked, the old table already deleted: the state after a crash mid-rebuild.
      await oldTable(client, `${name}-rebuild`);
      await client.send(
        new PutItemCommand({ TableName: `${name}-rebuild`, Item: { pk: { S: 'META' }, sk: { S: 'rebuild#copied' } } }),
      );
      expect(await ensureTable(client, name, { rebuild: true })).toBe('updated');
      expect(await itemsOf(client, name)).toEqual(['SUB#+8613900000001|PROFILE']);
      expect(await indexesOf(client, name)).toEqual(['gsi1', 'gsi2', 'gsi3', 'gsi4', 'gsi5']);
      const listed = (await client.send(new ListTablesCommand({}))).TableNames ?? [];
      expect(listed).not.toContain(`${name}-rebuild`);

      // A copy cut short (no mark): the table was never touched; the copy is dropped and made again.
      const other = `${stack.tableName}-cut`;
      await oldTable(client, other);
      await oldTable(client, `${other}-rebuild`);
      await client.send(
        new PutItemCommand({ TableName: `${other}-rebuild`, Item: { pk: { S: 'HALF' }, sk: { S: 'COPIED' } } }),
      );
      expect(await ensureTable(client, other, { rebuild: true })).toBe('updated');
      expect(await itemsOf(client, other)).toEqual(['SUB#+8613900000001|PROFILE']);
      expect(await indexesOf(client, other)).toHaveLength(5);
      client.destroy();
    },
  );
});

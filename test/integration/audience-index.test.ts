/**
 * The broadcast audience index and its counters, kept by the subscriber repository, against
 * the DynamoDB protocol: real SMS commands (JOIN, SUB, UNSUB, LANG, SCRIPT, STOP, START,
 * DELETE ME, a JOIN that moves home) through the inbound pipeline, each followed by a recount
 * of the whole index that the counters must equal; prefecture counts that include their
 * counties; request counts of the reader (a counting middleware, not a mock); and the local
 * rebuild for data stored before the index existed.
 */
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoAudienceReader } from '#adapters/dynamodb/audience.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { audienceCountKey } from '#adapters/dynamodb/keys.ts';
import { DynamoSubscriberRepository } from '#adapters/dynamodb/subscriber-repository.ts';
import type { AudienceCount } from '#core/broadcasts/broadcast.ts';
import type { SubscriberRepository } from '#core/subscribers/ports.ts';
import { newSubscriber, type Subscriber } from '#core/subscribers/subscriber.ts';
import { backfillAudience, rebuildAudience } from '#local/audience-rebuild.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let db: ReturnType<typeof createDocumentClient>;
let repo: DynamoSubscriberRepository;
let reader: DynamoAudienceReader;
beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  repo = new DynamoSubscriberRepository(db, stack.tableName, stack.deps.authz.regionPath);
  // The pipeline reads its parts from the deps at each message: SMS commands now go through
  // a repository that keeps the audience index.
  (stack.deps as { subscribers: SubscriberRepository }).subscribers = repo;
  reader = new DynamoAudienceReader(counted.db, stack.tableName);
});
afterAll(async () => {
  counted.db.destroy();
  db.destroy();
  await stack.close();
});

let serial = 0;
const phone = () => `+86139${String(++serial).padStart(8, '0')}`;

async function sms(from: string, text: string) {
  await stack.deps.handleInbound({
    gateway: 'dev',
    messageId: `aud-${++serial}`,
    from,
    text,
    receivedAt: new Date().toISOString(),
  });
}

async function scanKind(kind: string) {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.send(
      new ScanCommand({
        TableName: stack.tableName,
        FilterExpression: 'kind = :k',
        ExpressionAttributeValues: { ':k': kind },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(res.Items ?? []));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

/** Every counter equals a recount of the index, across the whole table (a test may Scan). */
async function expectCountersExact() {
  const recount = new Map<string, number>();
  for (const item of await scanKind('audience')) {
    const region = String(item.pk).split('#')[1];
    const topic = String(item.pk).split('#').slice(2).join('#');
    const id = `${region}|${topic}|${item.language}|${item.script}`;
    recount.set(id, (recount.get(id) ?? 0) + 1);
  }
  const counters = new Map<string, number>();
  for (const item of await scanKind('audience-count')) {
    if (Number(item.n) !== 0)
      counters.set(`${item.regionId}|${item.topic}|${item.language}|${item.script}`, Number(item.n));
  }
  expect(Object.fromEntries(counters)).toEqual(Object.fromEntries(recount));
}

/** Where a phone is in the index: `region topic language script`, sorted. */
async function placesOf(who: string) {
  return (await scanKind('audience'))
    .filter((i) => i.sk === who)
    .map((i) => `${String(i.pk).slice(4)} ${i.language} ${i.script}`)
    .sort();
}

const countOf = (rows: AudienceCount[], topic: string, language?: string) =>
  rows.filter((r) => r.topic === topic && (!language || r.language === language)).reduce((n, r) => n + r.count, 0);

describe('SMS commands keep the index and the counters exact', () => {
  test('JOIN, SUB, UNSUB, LANG, SCRIPT, STOP, START, moving home, DELETE ME', async () => {
    const who = phone();
    await sms(who, 'HELP');
    // No home region yet: not reachable by region. (It wrote English: an English subscriber.)
    expect(await placesOf(who)).toEqual([]);
    await expectCountersExact();

    await sms(who, 'JOIN Gyantse');
    expect(await placesOf(who)).toEqual(['cty_shigatse_gyantse#all en tibetan', 'pref_shigatse#all en tibetan']);
    await expectCountersExact();

    await sms(who, 'SUB WEATHER');
    await sms(who, 'SUB PEST');
    expect(await placesOf(who)).toEqual([
      'cty_shigatse_gyantse#all en tibetan',
      'cty_shigatse_gyantse#pest en tibetan',
      'cty_shigatse_gyantse#weather en tibetan',
      'pref_shigatse#all en tibetan',
      'pref_shigatse#pest en tibetan',
      'pref_shigatse#weather en tibetan',
    ]);
    await expectCountersExact();

    await sms(who, 'UNSUB PEST');
    expect(await placesOf(who)).toEqual([
      'cty_shigatse_gyantse#all en tibetan',
      'cty_shigatse_gyantse#weather en tibetan',
      'pref_shigatse#all en tibetan',
      'pref_shigatse#weather en tibetan',
    ]);
    await expectCountersExact();

    await sms(who, 'LANG BO');
    expect((await placesOf(who)).every((p) => p.endsWith('bo tibetan'))).toBe(true);
    await expectCountersExact();

    await sms(who, 'SCRIPT WYLIE');
    expect((await placesOf(who)).every((p) => p.endsWith('bo wylie'))).toBe(true);
    await expectCountersExact();

    await sms(who, 'LANG ZH');
    expect((await placesOf(who)).every((p) => p.endsWith('zh wylie'))).toBe(true);
    await expectCountersExact();

    await sms(who, 'STOP');
    expect(await placesOf(who)).toEqual([]);
    await expectCountersExact();

    await sms(who, 'START');
    expect(await placesOf(who)).toHaveLength(4);
    await expectCountersExact();

    // A JOIN elsewhere moves every entry to the new home's path.
    await sms(who, 'JOIN Nedong');
    expect(await placesOf(who)).toEqual([
      'cty_shannan_nedong#all zh wylie',
      'cty_shannan_nedong#weather zh wylie',
      'pref_shannan#all zh wylie',
      'pref_shannan#weather zh wylie',
    ]);
    await expectCountersExact();

    await sms(who, 'DELETE ME');
    expect(await repo.get(who)).toBeUndefined();
    expect(await placesOf(who)).toEqual([]);
    await expectCountersExact();
  });
});

describe('reading the audience', () => {
  test('a prefecture counts the subscribers of its counties; a county only its own', async () => {
    const prefBefore = await reader.counts('pref_nyingchi');
    const countyBefore = await reader.counts('cty_nyingchi_medog');
    const [a, b] = [phone(), phone()];
    await sms(a, 'JOIN Medog');
    await sms(b, 'JOIN Nang');
    await sms(b, 'SUB WEATHER');
    const pref = await reader.counts('pref_nyingchi');
    const county = await reader.counts('cty_nyingchi_medog');
    expect(countOf(pref, 'all') - countOf(prefBefore, 'all')).toBe(2);
    expect(countOf(pref, 'weather') - countOf(prefBefore, 'weather')).toBe(1);
    expect(countOf(county, 'all') - countOf(countyBefore, 'all')).toBe(1);
    expect(countOf(county, 'weather') - countOf(countyBefore, 'weather')).toBe(0);
    await expectCountersExact();
  });

  test('members: one Query per page, by cursor, filtered by language; counts: one Query', async () => {
    const region = 'cty_ngari_zanda';
    const joined: Record<string, string> = {};
    for (let i = 0; i < 5; i++) {
      const who = phone();
      await sms(who, 'JOIN Zanda');
      if (i % 2) await sms(who, 'LANG ZH');
      joined[who] = i % 2 ? 'zh' : 'en';
    }
    const read = async (languages?: ('en' | 'zh')[]) => {
      const found: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      const before = counted.requests;
      do {
        const page = await reader.members(region, 'all', { limit: 2, ...(cursor ? { cursor } : {}) }, languages);
        found.push(...page.items.map((m) => `${m.phone} ${m.language} ${m.script}`));
        cursor = page.cursor;
        pages++;
      } while (cursor);
      expect(counted.requests - before).toBe(pages);
      return found;
    };
    const all = await read();
    expect(all.sort()).toEqual(
      Object.entries(joined)
        .map(([p, l]) => `${p} ${l} tibetan`)
        .sort(),
    );
    const zh = await read(['zh']);
    expect(zh.sort()).toEqual(
      Object.entries(joined)
        .filter(([, l]) => l === 'zh')
        .map(([p]) => `${p} zh tibetan`)
        .sort(),
    );
    const before = counted.requests;
    const rows = await reader.counts(region);
    expect(counted.requests - before).toBe(1);
    expect(countOf(rows, 'all', 'zh')).toBe(2);
    expect(countOf(rows, 'all', 'en')).toBe(3);
    await expect(reader.members(region, 'all', { limit: 2, cursor: 'forged' })).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });
});

describe('rebuildAudience (local start, data from before the index)', () => {
  test('indexes subscribers stored without it, repairs drifted counters, and a second run changes nothing', async () => {
    const old = new DynamoSubscriberRepository(db, stack.tableName);
    const now = new Date();
    const plain = (p: string, fields: Partial<Subscriber>): Subscriber => ({
      ...newSubscriber(p, 'bo', now),
      ...fields,
    });
    const [a, b, c] = [phone(), phone(), phone()];
    await old.createIfAbsent(plain(a, { homeRegionId: 'cty_chamdo_karub', topics: ['weather'] }));
    await old.createIfAbsent(plain(b, { homeRegionId: 'cty_chamdo_karub', language: 'zh', script: 'wylie' }));
    await old.createIfAbsent(plain(c, { homeRegionId: 'cty_chamdo_karub', optedOut: true }));
    expect(await placesOf(a)).toEqual([]);
    // A counter drifted (a crash between a profile write and its counter move).
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: audienceCountKey('pref_chamdo', 'all', 'bo', 'tibetan'),
        UpdateExpression: 'ADD n :n SET kind = :k, regionId = :r, topic = :t, #l = :l, script = :s',
        ExpressionAttributeNames: { '#l': 'language' },
        ExpressionAttributeValues: {
          ':n': 7,
          ':k': 'audience-count',
          ':r': 'pref_chamdo',
          ':t': 'all',
          ':l': 'bo',
          ':s': 'tibetan',
        },
      }),
    );

    const first = await rebuildAudience(db, stack.tableName, stack.deps.authz.regionPath);
    expect(first.subscribers).toBeGreaterThanOrEqual(3);
    expect(await placesOf(a)).toEqual([
      'cty_chamdo_karub#all bo tibetan',
      'cty_chamdo_karub#weather bo tibetan',
      'pref_chamdo#all bo tibetan',
      'pref_chamdo#weather bo tibetan',
    ]);
    expect(await placesOf(b)).toEqual(['cty_chamdo_karub#all zh wylie', 'pref_chamdo#all zh wylie']);
    expect(await placesOf(c)).toEqual([]);
    await expectCountersExact();
    expect(countOf(await reader.counts('pref_chamdo'), 'all')).toBe(2);

    const index = (await scanKind('audience')).length;
    const second = await rebuildAudience(db, stack.tableName, stack.deps.authz.regionPath);
    expect(second).toEqual(first);
    expect((await scanKind('audience')).length).toBe(index);
    await expectCountersExact();
  });
});

describe('backfillAudience (npm start: the rebuild once per store)', () => {
  test('once marked done, a later start reads the marker and scans nothing', async () => {
    // The embedded store's start ran it already; against DynamoDB Local this is the first run.
    await backfillAudience(db, stack.tableName, stack.deps.authz.regionPath, new Date());
    const old = new DynamoSubscriberRepository(db, stack.tableName);
    const d = phone();
    await old.createIfAbsent({ ...newSubscriber(d, 'bo', new Date()), homeRegionId: 'cty_chamdo_karub' });
    counted.requests = 0;
    const again = await backfillAudience(counted.db, stack.tableName, stack.deps.authz.regionPath, new Date());
    expect(again).toBeUndefined();
    expect(counted.requests).toBe(1);
    expect(await placesOf(d)).toEqual([]);
  });
});

/**
 * Open data reads (DynamoOpenPrices) against the DynamoDB protocol: a commodity's approved
 * prices at every market (gsi1 COMOBS#) and a market's of every commodity (gsi2 MKTOBS#), in a
 * date range, paged, filtered — every request a Query, never a Scan — and the one-off backfill
 * that gives approved values stored before the index existed their gsi1 attributes.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { approvedPriceKey, backfillMarkerKey } from '#adapters/dynamodb/keys.ts';
import { DynamoOpenPrices } from '#adapters/dynamodb/open-prices.ts';
import { COMMODITY_INDEX_BACKFILL, DynamoCommodityIndexBackfill } from '#adapters/dynamodb/price-index-backfill.ts';
import { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import { loadConfig } from '#config';
import { runJob } from '#core/alerts/jobs.ts';
import type { Page } from '#core/paging.ts';
import type { OpenPriceRequest, PriceRecord, PriceSubmission } from '#core/prices/ports.ts';
import { startLocalStack } from '#local/stack.ts';
import { priceSubmission } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let db: ReturnType<typeof createDocumentClient>;
const commands: string[] = [];
let repo: DynamoPriceRepository;
let open: DynamoOpenPrices;

beforeAll(async () => {
  stack = await startTestStack();
  db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  // Every command this client sends, by name (a middleware on its stack, not a mock).
  db.middlewareStack.add(
    (next, context) => async (args) => {
      commands.push(String(context.commandName));
      return next(args);
    },
    { step: 'initialize', name: 'recordCommands' },
  );
  repo = new DynamoPriceRepository(db, stack.tableName);
  open = new DynamoOpenPrices(db, stack.tableName);
});
afterAll(async () => {
  db.destroy();
  await stack.close();
});

const REVIEWER = '+8613900000002';
/** Each test uses its own commodity id, so tests never see each other's rows. */
const at = (commodityId: string, marketId: string, date: string, over: Partial<PriceSubmission> = {}) =>
  priceSubmission(commodityId, date, 450, { marketId, ...over });
const row = (r: PriceRecord) => [r.date, r.marketId, r.kind, r.grade ?? '', r.unit, r.priceFen].join(' ');

/** Every page, following the cursor; also returns how many pages it took. */
async function all(
  read: (request: OpenPriceRequest) => Promise<Page<PriceRecord>>,
  request: Omit<OpenPriceRequest, 'limit'> & { limit?: number } = {},
) {
  const items: PriceRecord[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await read({ limit: 2, ...request, ...(cursor ? { cursor } : {}) });
    items.push(...page.items);
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { items, pages };
}

describe('open data reads', () => {
  test('a commodity at every market, in a date range, by date then market, paged; only approved values', async () => {
    const c = 'od_barley';
    await repo.enterApproved(at(c, 'mkt_b', '2025-03-02', { priceFen: 460 }), REVIEWER);
    await repo.enterApproved(
      at(c, 'mkt_a', '2025-03-02', { kind: 'wholesale', grade: '一级', unit: 'kg', priceFen: 900 }),
      REVIEWER,
    );
    await repo.enterApproved(at(c, 'mkt_a', '2025-03-01', { priceFen: 440 }), REVIEWER);
    await repo.enterApproved(at(c, 'mkt_c', '2025-02-01'), REVIEWER); // before the range
    await repo.enterApproved(at(c, 'mkt_c', '2025-04-01'), REVIEWER); // after it
    await repo.submit(at(c, 'mkt_c', '2025-03-01')); // pending: not public
    await repo.enterApproved(at('od_other', 'mkt_a', '2025-03-01'), REVIEWER); // another commodity

    commands.length = 0;
    const { items, pages } = await all((r) => open.ofCommodity(c, r), { from: '2025-03-01', to: '2025-03-31' });
    assert.deepEqual(items.map(row), [
      '2025-03-01 mkt_a retail  jin 440',
      '2025-03-02 mkt_a wholesale 一级 kg 900',
      '2025-03-02 mkt_b retail  jin 460',
    ]);
    assert.equal(pages, 2);
    assert.ok(commands.length > 0);
    assert.deepEqual([...new Set(commands)], ['QueryCommand'], 'Queries only, never a Scan');

    const everything = await all((r) => open.ofCommodity(c, r));
    assert.equal(everything.items.length, 5);
  });

  test('kind, unit and grade narrow the rows (the grade in its normalised spelling); a short page still reaches every row', async () => {
    const c = 'od_butter';
    for (let i = 1; i <= 6; i += 1) await repo.enterApproved(at(c, `mkt_${i}`, '2025-05-01'), REVIEWER);
    await repo.enterApproved(at(c, 'mkt_9', '2025-05-01', { grade: '一级', kind: 'wholesale' }), REVIEWER);
    const graded = await all((r) => open.ofCommodity(c, r), { item: { grade: ' 一级 ' } });
    assert.deepEqual(
      graded.items.map((r) => r.marketId),
      ['mkt_9'],
    );
    const wholesale = await all((r) => open.ofCommodity(c, r), { item: { kind: 'wholesale', unit: 'jin' } });
    assert.deepEqual(
      wholesale.items.map((r) => r.marketId),
      ['mkt_9'],
    );
    const kg = await all((r) => open.ofCommodity(c, r), { item: { unit: 'kg' } });
    assert.deepEqual(kg.items, []);
  });

  test('a market with every commodity, by date then commodity', async () => {
    const m = 'od_market';
    await repo.enterApproved(at('od_wheat', m, '2025-06-02'), REVIEWER);
    await repo.enterApproved(at('od_apple', m, '2025-06-02', { unit: 'kg' }), REVIEWER);
    await repo.enterApproved(at('od_wheat', m, '2025-06-01'), REVIEWER);
    await repo.enterApproved(at('od_wheat', 'od_market_2', '2025-06-01'), REVIEWER);
    commands.length = 0;
    const { items } = await all((r) => open.atMarket(m, r), { from: '2025-06-01' });
    assert.deepEqual(
      items.map((r) => `${r.date} ${r.commodityId}`),
      ['2025-06-01 od_wheat', '2025-06-02 od_apple', '2025-06-02 od_wheat'],
    );
    assert.deepEqual([...new Set(commands)], ['QueryCommand']);
  });

  test('a cursor from another partition or outside the range is refused', async () => {
    const c = 'od_cursor';
    for (const d of ['2025-07-01', '2025-07-02', '2025-07-03']) await repo.enterApproved(at(c, 'mkt_a', d), REVIEWER);
    const first = await open.ofCommodity(c, { limit: 1 });
    assert.ok(first.cursor);
    await assert.rejects(open.ofCommodity('od_barley', { limit: 1, cursor: first.cursor }), /invalid_cursor/);
    await assert.rejects(open.ofCommodity(c, { limit: 1, cursor: first.cursor, from: '2025-07-02' }), /invalid_cursor/);
  });
});

/** Makes an approved value look as it was stored before the commodity index existed. */
const strip = (s: PriceSubmission) =>
  db.send(
    new UpdateCommand({
      TableName: stack.tableName,
      Key: approvedPriceKey(s),
      UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
    }),
  );

describe('the commodity index backfill', () => {
  test('values stored before the index are found after it, in slices that resume; then a run is one read', async () => {
    const c = 'od_old';
    const old = [
      at(c, 'bf_m1', '2024-01-01'),
      at(c, 'bf_m1', '2024-01-02', { grade: '二级' }),
      at(c, 'bf_m2', '2024-01-01'),
      at(c, 'bf_m3', '2024-01-05', { unit: 'kg' }),
    ];
    for (const s of old) {
      await repo.enterApproved(s, REVIEWER);
      await strip(s);
    }
    await repo.enterApproved(at(c, 'bf_m2', '2024-01-03'), REVIEWER); // written with the index
    await db.send(new DeleteCommand({ TableName: stack.tableName, Key: backfillMarkerKey(COMMODITY_INDEX_BACKFILL) }));
    assert.equal((await all((r) => open.ofCommodity(c, r))).items.length, 1, 'before: only the new value');

    const backfill = new DynamoCommodityIndexBackfill(db, stack.tableName, async () => [
      'bf_m3',
      'bf_m2',
      'bf_m1',
      'bf_empty',
    ]);
    const runs = [];
    for (let i = 0; i < 10; i += 1) {
      const run = await backfill.run(1);
      runs.push(run);
      if (run.done) break;
    }
    assert.ok(runs.length > 2, 'a small budget takes several runs, each resuming where the last stopped');
    assert.equal(
      runs.reduce((n, r) => n + r.updated, 0),
      4,
      'each old value updated once',
    );
    const after = await all((r) => open.ofCommodity(c, r));
    assert.deepEqual(
      after.items.map((r) => `${r.date} ${r.marketId} ${r.grade ?? ''} ${r.unit}`),
      [
        '2024-01-01 bf_m1  jin',
        '2024-01-01 bf_m2  jin',
        '2024-01-02 bf_m1 二级 jin',
        '2024-01-03 bf_m2  jin',
        '2024-01-05 bf_m3  kg',
      ],
    );
    commands.length = 0;
    assert.deepEqual(await backfill.run(1000), { updated: 0, done: true });
    assert.deepEqual(commands, ['GetItemCommand'], 'once done, a run reads its marker and stops');
  });

  test('the price sweep runs it (in AWS); an item already indexed is left as it is', async () => {
    const c = 'od_sweep';
    const s = at(c, 'mkt_lhasa_barkhor', '2024-02-01');
    await repo.enterApproved(s, REVIEWER);
    await strip(s);
    await db.send(new DeleteCommand({ TableName: stack.tableName, Key: backfillMarkerKey(COMMODITY_INDEX_BACKFILL) }));
    assert.deepEqual((await open.ofCommodity(c, { limit: 10 })).items, []);
    assert.equal((await runJob(stack.deps, 'price-sweep')).job, 'price-sweep');
    assert.deepEqual(
      (await open.ofCommodity(c, { limit: 10 })).items.map((r) => r.marketId),
      ['mkt_lhasa_barkhor'],
    );
    assert.ok(stack.logs.some((e) => e.msg === 'price index backfill' && e.done === true));
  });
});

describe.skipIf(Boolean(process.env.DYNAMODB_ENDPOINT) && 'persistence is about the embedded store')(
  'the local stack',
  () => {
    test('backfills on start: a store from before the index keeps every approved price in open data', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-data-'));
      const config = loadConfig({ APP_MODE: 'local', DATA_DIR: dir, LOG_LEVEL: 'silent' });
      if (config.APP_MODE !== 'local') throw new Error('local');
      try {
        const first = await startLocalStack(config);
        const s = priceSubmission('butter', '2024-03-01', 3000, { marketId: 'mkt_lhasa_barkhor' });
        await first.deps.prices.enterApproved(s, REVIEWER);
        const raw = createDocumentClient({ region: 'local', endpoint: first.dynamoEndpoint });
        await raw.send(
          new UpdateCommand({
            TableName: config.TABLE_NAME,
            Key: approvedPriceKey(s),
            UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
          }),
        );
        await raw.send(
          new DeleteCommand({ TableName: config.TABLE_NAME, Key: backfillMarkerKey(COMMODITY_INDEX_BACKFILL) }),
        );
        raw.destroy();
        assert.deepEqual((await first.deps.openPrices.ofCommodity('butter', { limit: 10 })).items, []);
        await first.close();

        const second = await startLocalStack(config);
        assert.deepEqual(
          (await second.deps.openPrices.ofCommodity('butter', { limit: 10 })).items.map((r) => r.priceFen),
          [3000],
        );
        await second.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  },
);

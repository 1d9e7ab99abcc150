/**
 * The market·date index (gsi2 MKTOBS#<market>) against the DynamoDB protocol (dynalite):
 * a market's approved prices of one day in one Query, and its recent dates, counted.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import { marketBulletin } from '#core/prices/bulletin.ts';
import type { PriceSubmission } from '#core/prices/ports.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let client: ReturnType<typeof countingDocumentClient>;
let db: ReturnType<typeof countingDocumentClient>['db'];
let repo: DynamoPriceRepository;

beforeAll(async () => {
  stack = await startTestStack();
  client = countingDocumentClient(stack);
  db = client.db;
  repo = new DynamoPriceRepository(db, stack.tableName);
});
afterAll(async () => {
  db.destroy();
  await stack.close();
});

const reviewer = '+8613900000002';
/** An observation; each test uses its own market so tests never see each other's rows. */
const obs = (
  marketId: string,
  commodityId: string,
  date: string,
  over: Partial<PriceSubmission> = {},
): PriceSubmission => ({
  commodityId,
  marketId,
  date,
  priceFen: 450,
  unit: 'jin',
  kind: 'retail',
  source: 'bureau weekly',
  collector: '+8613900000001',
  regionId: 'city_lhasa',
  submittedAt: `${date}T02:00:00.000Z`,
  ...over,
});
const counted = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const start = client.requests;
  const value = await fn();
  return [value, client.requests - start];
};

describe('market·date index', () => {
  beforeEach(() => {
    client.requests = 0;
  });

  test('approvedAtMarketOn: every approved item of that market and day, in 1 Query', async () => {
    await repo.enterApproved(obs('m_day', 'barley', '2025-03-01', { priceFen: 450 }), reviewer);
    await repo.enterApproved(obs('m_day', 'barley', '2025-03-01', { priceFen: 999, unit: 'kg' }), reviewer);
    await repo.enterApproved(obs('m_day', 'wheat', '2025-03-01', { kind: 'wholesale', grade: '一级' }), reviewer);
    await repo.enterApproved(obs('m_day', 'barley', '2025-02-28'), reviewer); // another day
    await repo.enterApproved(obs('m_day_other', 'barley', '2025-03-01'), reviewer); // another market
    await repo.submit(obs('m_day', 'butter', '2025-03-01')); // pending: not public
    // A correction: still one item, with the new value (its revision is not in the index).
    await repo.enterApproved(
      obs('m_day', 'wheat', '2025-03-01', {
        kind: 'wholesale',
        grade: '一级',
        priceFen: 470,
        submittedAt: '2025-03-01T05:00:00.000Z',
      }),
      reviewer,
    );

    const [items, sent] = await counted(() => repo.approvedAtMarketOn('m_day', '2025-03-01'));
    assert.equal(sent, 1);
    assert.deepEqual(
      items.map((i) => [i.commodityId, i.unit, i.kind, i.grade, i.priceFen, i.status]),
      [
        ['barley', 'jin', 'retail', undefined, 450, 'approved'],
        ['barley', 'kg', 'retail', undefined, 999, 'approved'],
        ['wheat', 'jin', 'wholesale', '一级', 470, 'approved'],
      ],
    );
    assert.ok(
      items.every((i) => !('gsi2pk' in i) && !('pk' in i)),
      'storage keys are not domain fields',
    );
    assert.deepEqual(await repo.approvedAtMarketOn('m_day', '2025-03-02'), []);
    assert.deepEqual(await repo.approvedAtMarketOn('m_nowhere', '2025-03-01'), []);
  });

  test('marketDates: the newest dates, each once, in 1 Query when they fit in a page', async () => {
    for (const date of ['2025-03-01', '2025-03-08', '2025-03-15', '2025-03-22']) {
      for (const c of ['barley', 'wheat', 'butter']) await repo.enterApproved(obs('m_dates', c, date), reviewer);
    }
    await repo.submit(obs('m_dates', 'barley', '2025-03-29')); // pending dates are not listed

    const [three, sent] = await counted(() => repo.marketDates('m_dates', 3));
    assert.deepEqual(three, ['2025-03-22', '2025-03-15', '2025-03-08']);
    assert.equal(sent, 1);
    assert.deepEqual(await repo.marketDates('m_dates', 10), ['2025-03-22', '2025-03-15', '2025-03-08', '2025-03-01']);
    assert.deepEqual(await repo.marketDates('m_dates', 1), ['2025-03-22']);
    const [none, sentEmpty] = await counted(() => repo.marketDates('m_none', 5));
    assert.deepEqual([none, sentEmpty], [[], 1]);
  });

  test('a bulletin costs 1 Query for its date, 1 for the day, and 1 per item compared, whatever the history', async () => {
    const market = 'mkt_qinghai_xining'; // a real market: the bulletin resolves it in the catalog
    for (const [c, price] of [
      ['barley_qingke', 450],
      ['wheat', 300],
      ['butter', 3000],
    ] as const) {
      for (let week = 0; week < 30; week += 1) {
        await repo.enterApproved(
          obs(market, c, new Date(Date.UTC(2025, 0, 1 + 7 * week)).toISOString().slice(0, 10), {
            priceFen: price + week,
          }),
          reviewer,
        );
      }
    }
    const deps = { prices: repo, catalog: stack.deps.catalog, now: () => new Date('2025-09-01T00:00:00Z') };
    // (The catalog reads through the stack's own client: only price reads are counted here.)
    const [previous, sent] = await counted(() => marketBulletin(deps, { market }));
    assert.equal(previous.date, '2025-07-23');
    assert.deepEqual([previous.summary.up, previous.summary.down, previous.summary.flat], [3, 0, 0]);
    assert.equal(sent, 1 + 1 + 3);
    const [year, sentYear] = await counted(() => marketBulletin(deps, { market, date: '2025-07-23', compare: 'year' }));
    assert.deepEqual(
      year.summary.items.map((i) => i.changePct),
      [null, null, null],
      'no history a year back',
    );
    assert.equal(sentYear, 1 + 3);
  });

  test('marketDates: a day with more items than a page costs one more Query, not one per item', async () => {
    // 120 items on the newest day: the first page (100 keys) sees only that day.
    for (let i = 0; i < 120; i += 1)
      await repo.enterApproved(obs('m_busy', `c${String(i).padStart(3, '0')}`, '2025-04-10'), reviewer);
    await repo.enterApproved(obs('m_busy', 'barley', '2025-04-03'), reviewer);
    await repo.enterApproved(obs('m_busy', 'barley', '2025-03-27'), reviewer);

    const [dates, sent] = await counted(() => repo.marketDates('m_busy', 3));
    assert.deepEqual(dates, ['2025-04-10', '2025-04-03', '2025-03-27']);
    assert.equal(sent, 2, 'the second Query starts below the busy day');
    const [day, sentDay] = await counted(() => repo.approvedAtMarketOn('m_busy', '2025-04-10'));
    assert.equal(day.length, 120);
    assert.equal(sentDay, 1);
  });
});

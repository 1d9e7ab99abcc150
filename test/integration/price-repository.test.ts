import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { unpublishedPriceIndex } from '#adapters/dynamodb/keys.ts';
import { LatestPriceCache } from '#adapters/dynamodb/latest-cache.ts';
import { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import type { PriceSubmission } from '#core/prices/ports.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let db: ReturnType<typeof countingDocumentClient>['db'];
let repo: DynamoPriceRepository;

beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  db = counted.db;
  repo = new DynamoPriceRepository(db, stack.tableName);
});
afterAll(async () => {
  db.destroy();
  await stack.close();
});

const collector = '+8613900000001';
const reviewer = '+8613900000002';

/** A submission; each test uses its own commodity so tests never see each other's rows. */
const obs = (commodityId: string, over: Partial<PriceSubmission> = {}): PriceSubmission => ({
  commodityId,
  marketId: 'lhasa',
  date: '2025-03-01',
  priceFen: 450,
  unit: 'jin',
  kind: 'retail',
  source: 'bureau weekly',
  collector,
  regionId: 'city_lhasa',
  submittedAt: '2025-03-01T02:00:00.000Z',
  ...over,
});

describe('price repository (DynamoDB protocol)', () => {
  test('submitting the same identity twice keeps one pending item with the second value', async () => {
    const first = await repo.submit(obs('c_twice', { priceFen: 450 }));
    assert.equal(first.status, 'pending');
    assert.equal(first.version, 1);
    // Same identity: the grade is compared in normalised spelling, kind defaults to retail.
    const second = await repo.submit(obs('c_twice', { priceFen: 480, submittedAt: '2025-03-01T03:00:00.000Z' }));
    assert.equal(second.version, 2);
    const queue = await repo.pendingInRegion('city_lhasa', { limit: 100 });
    const mine = queue.items.filter((i) => i.commodityId === 'c_twice');
    assert.equal(mine.length, 1, 'never duplicated');
    assert.equal(mine[0]!.priceFen, 480);
    assert.equal(mine[0]!.status, 'pending');
    assert.deepEqual(await repo.latestForCommodity('c_twice', 3), [], 'pending is not public');
  });

  test('approve publishes to latest and history and leaves the review queue', async () => {
    const s = await repo.submit(obs('c_approve', { regionId: 'cty_approve' }));
    assert.equal((await repo.pendingInRegion('cty_approve', { limit: 10 })).items.length, 1);
    const approved = await repo.approve(s, s.version, reviewer, '2025-03-02T01:00:00.000Z');
    assert.equal(approved.status, 'approved');
    assert.equal(approved.reviewedBy, reviewer);
    assert.equal((await repo.pendingInRegion('cty_approve', { limit: 10 })).items.length, 0);
    const latest = await repo.latestForCommodity('c_approve', 3);
    assert.equal(latest.length, 1);
    assert.equal(latest[0]!.priceFen, 450);
    assert.equal(latest[0]!.date, '2025-03-01');
    const history = await repo.history('c_approve', 'lhasa', { kind: 'retail', unit: 'jin' }, { limit: 10 });
    assert.deepEqual(
      history.items.map((h) => [h.date, h.priceFen, h.status]),
      [['2025-03-01', 450, 'approved']],
    );
    await assert.rejects(
      repo.approve(s, s.version, reviewer, '2025-03-02T01:00:00.000Z'),
      { code: 'conflict' },
      'decided once',
    );
  });

  test('approving a stale version fails with conflict (a resubmission came in between)', async () => {
    const s = await repo.submit(obs('c_stale'));
    await repo.submit(obs('c_stale', { priceFen: 500 }));
    await assert.rejects(repo.approve(s, s.version, reviewer, '2025-03-02T01:00:00.000Z'), { code: 'conflict' });
    assert.deepEqual(await repo.latestForCommodity('c_stale', 3), []);
  });

  test('an older approved date does not overwrite a newer latest', async () => {
    await repo.enterApproved(obs('c_order', { date: '2025-03-10', priceFen: 600 }), reviewer);
    const older = await repo.submit(obs('c_order', { date: '2025-03-05', priceFen: 550 }));
    await repo.approve(older, older.version, reviewer, '2025-03-11T01:00:00.000Z');
    const latest = await repo.latestForCommodity('c_order', 3);
    assert.deepEqual(
      latest.map((l) => [l.date, l.priceFen]),
      [['2025-03-10', 600]],
    );
    // The older one is still history, and is the previous period of the newer one.
    const previous = await repo.previousBefore(
      { commodityId: 'c_order', marketId: 'lhasa', kind: 'retail', unit: 'jin' },
      '2025-03-10',
    );
    assert.equal(previous?.date, '2025-03-05');
    assert.equal(previous?.priceFen, 550);
    assert.equal(
      await repo.previousBefore(
        { commodityId: 'c_order', marketId: 'lhasa', kind: 'retail', unit: 'jin' },
        '2025-03-05',
      ),
      undefined,
    );
  });

  test('reject keeps the value out of latest and history, with the reason', async () => {
    const s = await repo.submit(obs('c_reject', { priceFen: 99_000 }));
    const rejected = await repo.reject(
      s,
      s.version,
      reviewer,
      'price ten times the recent median',
      '2025-03-02T01:00:00.000Z',
    );
    assert.equal(rejected.status, 'rejected');
    assert.equal(rejected.rejectReason, 'price ten times the recent median');
    assert.equal((await repo.getSubmission(s))?.rejectReason, 'price ten times the recent median');
    assert.deepEqual(await repo.latestForCommodity('c_reject', 3), []);
    assert.equal((await repo.history('c_reject', 'lhasa', { unit: 'jin' }, { limit: 10 })).items.length, 0);
    const queue = await repo.pendingInRegion('city_lhasa', { limit: 100 });
    assert.equal(queue.items.filter((i) => i.commodityId === 'c_reject').length, 0);
    // The collector may fix and resubmit a rejected entry: pending again, reason gone.
    const again = await repo.submit(obs('c_reject', { priceFen: 990 }));
    assert.equal(again.status, 'pending');
    assert.equal(again.rejectReason, undefined);
  });

  test('a correction replaces the approved value and keeps the previous one in history', async () => {
    await repo.enterApproved(obs('c_fix', { priceFen: 450 }), reviewer);
    // A collector cannot resubmit an approved identity; a reviewer corrects it.
    await assert.rejects(repo.submit(obs('c_fix', { priceFen: 470 })), { code: 'conflict' });
    await repo.enterApproved(obs('c_fix', { priceFen: 470, submittedAt: '2025-03-02T05:00:00.000Z' }), reviewer);
    const history = await repo.history('c_fix', 'lhasa', { unit: 'jin' }, { limit: 10 });
    assert.deepEqual(
      history.items.map((h) => [h.date, h.priceFen, h.version]),
      [['2025-03-01', 470, 2]],
      'one approved value per identity',
    );
    const revisions = await repo.revisions(obs('c_fix'));
    assert.deepEqual(
      revisions.map((r) => [r.priceFen, r.version, r.supersededAt]),
      [[450, 1, '2025-03-02T05:00:00.000Z']],
    );
    assert.equal(
      (await repo.latestForCommodity('c_fix', 3))[0]?.priceFen,
      470,
      'a same-date correction reaches latest',
    );
  });

  test('history pages by date within from/to with a cursor', async () => {
    for (const day of ['01', '02', '03', '04', '05'])
      await repo.enterApproved(obs('c_hist', { date: `2025-04-${day}`, priceFen: 400 + Number(day) }), reviewer);
    const item = { kind: 'retail', unit: 'jin' } as const;
    const first = await repo.history('c_hist', 'lhasa', item, { from: '2025-04-02', to: '2025-04-04', limit: 2 });
    assert.deepEqual(
      first.items.map((h) => h.date),
      ['2025-04-02', '2025-04-03'],
    );
    assert.ok(first.cursor);
    const second = await repo.history('c_hist', 'lhasa', item, {
      from: '2025-04-02',
      to: '2025-04-04',
      limit: 2,
      cursor: first.cursor!,
    });
    assert.deepEqual(
      second.items.map((h) => h.date),
      ['2025-04-04'],
    );
    // Another unit of the same commodity is another item: not in this history.
    await repo.enterApproved(obs('c_hist', { date: '2025-04-03', unit: 'kg', priceFen: 800 }), reviewer);
    const all = await repo.history('c_hist', 'lhasa', item, { limit: 50, newestFirst: true });
    assert.deepEqual(
      all.items.map((h) => h.date),
      ['2025-04-05', '2025-04-04', '2025-04-03', '2025-04-02', '2025-04-01'],
    );
    // A cursor from another item's partition is refused.
    await assert.rejects(repo.history('c_other', 'lhasa', item, { limit: 2, cursor: first.cursor! }), {
      code: 'invalid_cursor',
    });
  });

  test('latestForCommodity returns at most N markets', async () => {
    for (const market of ['m_a', 'm_b', 'm_c', 'm_d', 'm_e'])
      await repo.enterApproved(obs('c_many', { marketId: market }), reviewer);
    const three = await repo.latestForCommodity('c_many', 3);
    assert.equal(three.length, 3);
    assert.equal(new Set(three.map((l) => l.marketId)).size, 3);
    assert.equal((await repo.latestForCommodity('c_many', 10)).length, 5);
  });

  test('latestForCommodity is exactly 1 DynamoDB request whatever the history size (200 rows)', async () => {
    const start = new Date(Date.UTC(2024, 0, 1));
    for (let i = 0; i < 200; i += 1) {
      const date = new Date(start.getTime() + i * 86_400_000).toISOString().slice(0, 10);
      await repo.enterApproved(
        obs('c_big', { date, marketId: i % 2 ? 'lhasa' : 'shigatse', priceFen: 400 + i }),
        reviewer,
      );
    }
    const full = await repo.history('c_big', 'lhasa', { unit: 'jin' }, { limit: 500 });
    assert.equal(full.items.length, 100);
    const before = counted.requests;
    const latest = await repo.latestForCommodity('c_big', 3);
    assert.equal(counted.requests - before, 1, 'one Query, no history read');
    assert.deepEqual(latest.map((l) => [l.marketId, l.date]).sort(), [
      ['lhasa', '2024-07-18'],
      ['shigatse', '2024-07-17'],
    ]);
    const beforePrevious = counted.requests;
    const previous = await repo.previousBefore({ commodityId: 'c_big', marketId: 'lhasa', unit: 'jin' }, '2024-07-18');
    assert.equal(counted.requests - beforePrevious, 1);
    assert.equal(previous?.date, '2024-07-16');
  });

  test('the sweep finishes an approval whose publication was interrupted', async () => {
    const s = await repo.submit(obs('c_sweep'));
    // Step 1 only (as if the process died right after the commit point).
    const internals = repo as unknown as { decide(...args: unknown[]): Promise<unknown> };
    const at = '2025-03-02T01:00:00.000Z';
    await internals.decide(
      s,
      s.version,
      { status: 'approved', reviewedBy: reviewer, reviewedAt: at, ...unpublishedPriceIndex(at, 'c_sweep') },
      [],
    );
    assert.deepEqual(await repo.latestForCommodity('c_sweep', 3), []);
    assert.ok((await repo.finishUnpublished(100)) >= 1);
    assert.equal((await repo.latestForCommodity('c_sweep', 3))[0]?.priceFen, 450);
    assert.equal(await repo.finishUnpublished(100), 0, 'nothing left to finish');
  });

  test('the latest-price cache: one Query per TTL; a publication here shows at once, one elsewhere within the TTL', async () => {
    let now = 0;
    const here = new DynamoPriceRepository(db, stack.tableName, new LatestPriceCache(5_000, () => now));
    const elsewhere = new DynamoPriceRepository(db, stack.tableName);
    await here.enterApproved(obs('c_cached', { date: '2025-03-01', priceFen: 450 }), reviewer);
    assert.equal((await here.latestForCommodity('c_cached', 10))[0]!.priceFen, 450);
    counted.requests = 0;
    await here.latestForCommodity('c_cached', 10);
    assert.equal(counted.requests, 0, 'answered from memory');

    await elsewhere.enterApproved(
      obs('c_cached', { date: '2025-03-02', priceFen: 470, submittedAt: '2025-03-02T02:00:00.000Z' }),
      reviewer,
    );
    assert.equal((await here.latestForCommodity('c_cached', 10))[0]!.priceFen, 450, 'another process: not yet');
    now = 5_000;
    assert.equal((await here.latestForCommodity('c_cached', 10))[0]!.priceFen, 470, 'after the TTL');

    await here.enterApproved(
      obs('c_cached', { date: '2025-03-03', priceFen: 490, submittedAt: '2025-03-03T02:00:00.000Z' }),
      reviewer,
    );
    assert.equal((await here.latestForCommodity('c_cached', 10))[0]!.priceFen, 490, 'its own publication: at once');
  });
});

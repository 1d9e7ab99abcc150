/**
 * Reviewers' corrections of one approved price at the same moment: every
 * correction the repository acknowledges is kept — the current approved value or a revision —
 * and the others fail with `conflict`; nothing acknowledged vanishes. The latest price and the
 * history end on the final value. Resubmitting the approved value writes nothing.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import type { PriceRecord, PriceSubmission } from '#core/prices/ports.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let db: ReturnType<typeof createDocumentClient>;
let repo: DynamoPriceRepository;
beforeAll(async () => {
  stack = await startTestStack();
  db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  repo = new DynamoPriceRepository(db, stack.tableName);
});
afterAll(async () => {
  db.destroy();
  await stack.close();
});

const reviewer = '+8613900000002';
const obs = (commodityId: string, priceFen: number, submittedAt = '2025-03-01T02:00:00.000Z'): PriceSubmission => ({
  commodityId,
  marketId: 'lhasa',
  date: '2025-03-01',
  priceFen,
  unit: 'jin',
  kind: 'retail',
  source: 'bureau weekly',
  collector: reviewer,
  regionId: 'city_lhasa',
  submittedAt,
});

describe('simultaneous corrections (repository)', () => {
  test('20 at once: each acknowledged value is the current one or a revision; the rest are conflicts', async () => {
    await repo.enterApproved(obs('c_race', 400), reviewer);
    const values = Array.from({ length: 20 }, (_, i) => 401 + i);
    const outcomes = await Promise.allSettled(
      values.map((fen, i) =>
        repo.enterApproved(obs('c_race', fen, `2025-03-02T02:00:${String(i).padStart(2, '0')}.000Z`), reviewer),
      ),
    );
    const acknowledged = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.priceFen] : []));
    for (const o of outcomes)
      if (o.status === 'rejected') assert.equal((o.reason as { code?: string }).code, 'conflict', String(o.reason));
    assert.ok(acknowledged.length >= 1, 'at least one correction goes through');

    const current = (await repo.history('c_race', 'lhasa', { kind: 'retail', unit: 'jin' }, { limit: 10 })).items;
    assert.equal(current.length, 1, 'one approved value per identity');
    const revisions = await repo.revisions(obs('c_race', 0));
    const kept = [...revisions.map((r) => r.priceFen), current[0]!.priceFen];
    for (const fen of acknowledged)
      assert.ok(kept.includes(fen), `acknowledged ${fen} is kept (kept: ${kept.join(', ')})`);
    assert.equal(new Set(kept).size, kept.length, 'each value kept once');
    assert.deepEqual([...kept].sort(), [400, ...acknowledged].sort(), 'nothing kept that was not acknowledged');
    // Revisions in the order they were replaced; the last acknowledged value is the one in place.
    const submission = (await repo.getSubmission(obs('c_race', 0)))!;
    assert.equal(submission.priceFen, current[0]!.priceFen, 'submission and approved value agree');
    assert.equal(submission.status, 'approved');
    const latest = await repo.latestForCommodity('c_race', 5);
    assert.deepEqual(
      latest.map((l) => l.priceFen),
      [current[0]!.priceFen],
      'the latest price is the final value',
    );
    assert.equal(current[0]!.version, revisions.length + 1, 'one approved version per kept value');
  });

  test('resubmitting the approved value writes no revision and no version', async () => {
    const first = await repo.enterApproved(obs('c_same', 450), reviewer);
    const again = await repo.enterApproved(obs('c_same', 450, '2025-03-02T02:00:00.000Z'), reviewer);
    assert.equal(again.version, first.version, 'the submission keeps its version');
    assert.equal(again.submittedAt, first.submittedAt);
    assert.deepEqual(await repo.revisions(obs('c_same', 0)), []);
    const [value] = (await repo.history('c_same', 'lhasa', { kind: 'retail', unit: 'jin' }, { limit: 10 })).items;
    assert.equal(value!.version, 1);
    // Several at once, all the same value: still nothing written.
    const all = await Promise.all(
      Array.from({ length: 5 }, () => repo.enterApproved(obs('c_same', 450, '2025-03-03T02:00:00.000Z'), reviewer)),
    );
    assert.deepEqual(
      all.map((r: PriceRecord) => r.version),
      [1, 1, 1, 1, 1],
    );
    assert.deepEqual(await repo.revisions(obs('c_same', 0)), []);
    // A reviewer's held correction carrying the approved value: nothing to review, nothing written.
    const held = await repo.submit(
      { ...obs('c_same', 450), holdReason: 'Over 10× the recent median 0.40 of this item (3 approved values)' },
      { overApproved: true },
    );
    assert.equal(held.status, 'approved');
    assert.equal(held.version, 1);
    assert.equal(
      (await repo.pendingInRegion('city_lhasa', { limit: 100 })).items.filter((i) => i.commodityId === 'c_same').length,
      0,
    );
  });

  test('a correction made while another approval of the identity is unpublished keeps that value as a revision', async () => {
    await repo.enterApproved(obs('c_inflight', 400), reviewer);
    // A correction at its commit point only (as if its process died before publishing).
    const internals = repo as unknown as { publish(r: PriceRecord): Promise<void> };
    const publish = internals.publish;
    internals.publish = async () => {};
    const stranded = await repo.enterApproved(obs('c_inflight', 410, '2025-03-02T02:00:00.000Z'), reviewer);
    internals.publish = publish;
    assert.equal(stranded.priceFen, 410);
    const next = await repo.enterApproved(obs('c_inflight', 420, '2025-03-03T02:00:00.000Z'), reviewer);
    assert.equal(next.priceFen, 420);
    assert.deepEqual(
      (await repo.revisions(obs('c_inflight', 0))).map((r) => r.priceFen),
      [400, 410],
    );
    assert.deepEqual(
      (await repo.latestForCommodity('c_inflight', 5)).map((l) => l.priceFen),
      [420],
    );
  });
});

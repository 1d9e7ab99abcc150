/**
 * The batch import store against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT): the
 * items it writes are the items the single path (DynamoPriceRepository) writes, attribute for
 * attribute; importing again duplicates nothing; a correction keeps the replaced value; the
 * latest price only moves forward in date.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { latestPricePartition, pricePartition } from '#adapters/dynamodb/keys.ts';
import { DynamoPriceImportStore } from '#adapters/dynamodb/price-import.ts';
import { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import type { PriceImportEntry, PriceSubmission } from '#core/ports.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let db: ReturnType<typeof createDocumentClient>;
let single: DynamoPriceRepository;
let batch: DynamoPriceImportStore;

before(async () => {
  stack = await startTestStack();
  db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  single = new DynamoPriceRepository(db, stack.tableName);
  batch = new DynamoPriceImportStore(db, stack.tableName);
});
after(async () => {
  db.destroy();
  await stack.close();
});

const reviewer = '+8613900000002';
const at = (hour: number) => `2025-03-0${1 + Math.floor(hour / 24)}T${String(hour % 24).padStart(2, '0')}:00:00.000Z`;

const obs = (commodityId: string, marketId: string, over: Partial<PriceSubmission> = {}): PriceSubmission => ({
  commodityId,
  marketId,
  date: '2025-03-01',
  priceFen: 450,
  unit: 'jin',
  grade: '一级',
  kind: 'wholesale',
  source: 'csv',
  collector: '+8613900000001',
  regionId: 'city_lhasa',
  submittedAt: at(2),
  ...over,
});

/** Every stored item of one commodity at one market, and its latest rows, as raw attributes. */
async function itemsOf(commodityId: string, marketId: string) {
  const query = async (pk: string) =>
    (await db.send(new QueryCommand({ TableName: stack.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk }, ConsistentRead: true }))).Items ?? [];
  const latest = (await query(latestPricePartition(commodityId))).filter((i) => i.marketId === marketId);
  return [...(await query(pricePartition(commodityId, marketId))), ...latest];
}

/** The same items with the market's name swapped for another, to compare two markets' items. */
const asMarket = (items: Record<string, unknown>[], from: string, to: string) => JSON.parse(JSON.stringify(items).replaceAll(from, to)) as Record<string, unknown>[];

/** One import run: load the state, write the entries (as importPriceCsv does). */
async function importRows(entries: PriceImportEntry[]) {
  const state = await batch.load(entries.map((e) => e.submission));
  return batch.write(entries, state);
}

describe('price import store (DynamoDB protocol)', () => {
  test('pending rows are stored exactly as single submissions are (review queue included)', async () => {
    await single.submit(obs('c_pending', 'm_single'));
    await importRows([{ submission: obs('c_pending', 'm_batch') }]);
    const one = await itemsOf('c_pending', 'm_single');
    assert.equal(one.length, 1);
    assert.equal(one[0]!.gsi1pk, 'REVIEW#city_lhasa');
    assert.deepEqual(asMarket(await itemsOf('c_pending', 'm_batch'), 'm_batch', 'm_single'), one);

    // A second value for the same identity replaces the pending one (version 2), in both paths.
    await single.submit(obs('c_pending', 'm_single', { priceFen: 470, submittedAt: at(3) }));
    await importRows([{ submission: obs('c_pending', 'm_batch', { priceFen: 470, submittedAt: at(3) }) }]);
    const two = await itemsOf('c_pending', 'm_single');
    assert.deepEqual([two.length, two[0]!.version, two[0]!.priceFen], [1, 2, 470]);
    assert.deepEqual(asMarket(await itemsOf('c_pending', 'm_batch'), 'm_batch', 'm_single'), two);
  });

  test('approved rows, then a correction: submission, approved value (market·date index), revision and latest price as the single path writes them', async () => {
    await single.enterApproved(obs('c_approved', 'm_single'), reviewer);
    await importRows([{ submission: obs('c_approved', 'm_batch'), reviewer }]);
    const first = await itemsOf('c_approved', 'm_single');
    assert.deepEqual(first.map((i) => String(i.sk).split('#')[0]).sort(), ['OBS', 'SUBM', 'm_single'].sort());
    assert.ok(first.some((i) => i.gsi2pk === 'MKTOBS#m_single'), 'the approved value carries the market·date index');
    assert.ok(!first.some((i) => i.gsi2pk === 'PRICE#UNPUBLISHED'), 'nothing left unpublished');
    assert.deepEqual(asMarket(await itemsOf('c_approved', 'm_batch'), 'm_batch', 'm_single'), first);

    await single.enterApproved(obs('c_approved', 'm_single', { priceFen: 520, submittedAt: at(5) }), reviewer);
    await importRows([{ submission: obs('c_approved', 'm_batch', { priceFen: 520, submittedAt: at(5) }), reviewer }]);
    const corrected = await itemsOf('c_approved', 'm_single');
    const revision = corrected.find((i) => String(i.sk).startsWith('REV#'));
    assert.equal(revision?.priceFen, 450, 'the replaced value is kept');
    assert.equal(revision?.supersededAt, at(5));
    assert.deepEqual(asMarket(await itemsOf('c_approved', 'm_batch'), 'm_batch', 'm_single'), corrected);
    assert.deepEqual((await single.revisions(obs('c_approved', 'm_batch'))).map((r) => r.priceFen), [450]);
  });

  test('the same rows written again: still one item per identity, one latest row per item', async () => {
    const rows = ['2025-03-01', '2025-03-02', '2025-03-03'].map((date) => ({ submission: obs('c_again', 'm_batch', { date }), reviewer }));
    await importRows(rows);
    await importRows(rows);
    const items = await itemsOf('c_again', 'm_batch');
    const kinds = items.map((i) => String(i.sk).split('#')[0]);
    assert.equal(kinds.filter((k) => k === 'SUBM').length, 3);
    assert.equal(kinds.filter((k) => k === 'OBS').length, 3);
    assert.equal(kinds.filter((k) => k === 'm_batch').length, 1, 'one latest row for the item');
    const history = await single.history('c_again', 'm_batch', { kind: 'wholesale', grade: '一级', unit: 'jin' }, { limit: 10 });
    assert.deepEqual(history.items.map((r) => r.date), ['2025-03-01', '2025-03-02', '2025-03-03']);
  });

  test('the latest price moves forward only: an import of older dates leaves a newer latest price alone', async () => {
    await single.enterApproved(obs('c_latest', 'm_batch', { date: '2025-03-10', priceFen: 600 }), reviewer);
    await importRows(['2025-03-01', '2025-03-05'].map((date) => ({ submission: obs('c_latest', 'm_batch', { date, priceFen: 500 }), reviewer })));
    let [latest] = await single.latestForCommodity('c_latest', 10);
    assert.deepEqual([latest?.date, latest?.priceFen], ['2025-03-10', 600]);

    // A newer date moves it; within one import, the newest row wins whatever its place in the file.
    await importRows(['2025-03-12', '2025-03-11'].map((date, i) => ({ submission: obs('c_latest', 'm_batch', { date, priceFen: 700 + i }), reviewer })));
    [latest] = await single.latestForCommodity('c_latest', 10);
    assert.deepEqual([latest?.date, latest?.priceFen], ['2025-03-12', 700]);

    // A correction of the latest date moves it too (a later approval of the same date).
    await importRows([{ submission: obs('c_latest', 'm_batch', { date: '2025-03-12', priceFen: 710, submittedAt: at(9) }), reviewer }]);
    [latest] = await single.latestForCommodity('c_latest', 10);
    assert.deepEqual([latest?.date, latest?.priceFen], ['2025-03-12', 710]);
  });

  test('hundreds of rows in one import: every batch of every wave written, and read back by load', async () => {
    const dates = Array.from({ length: 120 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    const markets = ['m_a', 'm_b', 'm_c'];
    const entries = markets.flatMap((m) => dates.map((date) => ({ submission: obs('c_many', m, { date }), reviewer })));
    const { items } = await importRows(entries);
    assert.equal(items, entries.length * 2 + markets.length);
    for (const m of markets) {
      const page = await single.history('c_many', m, { kind: 'wholesale', grade: '一级', unit: 'jin' }, { limit: 200 });
      assert.equal(page.items.length, dates.length);
    }
    const state = await batch.load(entries.map((e) => e.submission));
    assert.equal(state.submissions.size, entries.length);
    assert.equal(state.approved.size, entries.length);
    assert.equal(state.latest.size, markets.length);
  });
});

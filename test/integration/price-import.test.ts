/**
 * The batch import store against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT): the
 * items it writes are the items the single path (DynamoPriceRepository) writes, attribute for
 * attribute; importing again duplicates nothing; a correction keeps the replaced value; the
 * latest price only moves forward in date. An import that dies mid-way (its client fails every
 * request from some batch on) is finished from its journalled plan, without moving back what a
 * reviewer decided meanwhile; an import id is used once.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { DeleteCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { latestPricePartition, priceImportJournalKey, pricePartition } from '#adapters/dynamodb/keys.ts';
import { DynamoPriceImportStore } from '#adapters/dynamodb/price-import.ts';
import { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import type { PriceImportEntry, PriceImportJournal, PriceSubmission } from '#core/prices/ports.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { dyingImportStore } from '#test/support/price-import.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let db: ReturnType<typeof createDocumentClient>;
let single: DynamoPriceRepository;
let batch: DynamoPriceImportStore;

beforeAll(async () => {
  stack = await startTestStack();
  db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  single = new DynamoPriceRepository(db, stack.tableName);
  batch = new DynamoPriceImportStore(db, stack.tableName, stack.files);
});
afterAll(async () => {
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
    (
      await db.send(
        new QueryCommand({
          TableName: stack.tableName,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': pk },
          ConsistentRead: true,
        }),
      )
    ).Items ?? [];
  const latest = (await query(latestPricePartition(commodityId))).filter((i) => i.marketId === marketId);
  return [...(await query(pricePartition(commodityId, marketId))), ...latest];
}

/** The same items with the market's name swapped for another, to compare two markets' items. */
const asMarket = (items: Record<string, unknown>[], from: string, to: string) =>
  JSON.parse(JSON.stringify(items).replaceAll(from, to)) as Record<string, unknown>[];

/** A journal for one import run (what importPriceCsv passes). */
const journal = (): PriceImportJournal => ({
  id: randomUUID(),
  actor: reviewer,
  fileKey: 'imports/prices/test.csv',
  regions: ['city_lhasa'],
  counts: {},
  startedAt: at(2),
});

/** One import run: load the state, write the entries (as importPriceCsv does). */
async function importRows(entries: PriceImportEntry[]) {
  const state = await batch.load(entries.map((e) => e.submission));
  const written = await batch.write(entries, state, journal());
  assert.ok(written.started);
  return written;
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
    assert.ok(
      first.some((i) => i.gsi2pk === 'MKTOBS#m_single'),
      'the approved value carries the market·date index',
    );
    assert.ok(!first.some((i) => i.gsi2pk === 'PRICE#UNPUBLISHED'), 'nothing left unpublished');
    assert.deepEqual(asMarket(await itemsOf('c_approved', 'm_batch'), 'm_batch', 'm_single'), first);

    await single.enterApproved(obs('c_approved', 'm_single', { priceFen: 520, submittedAt: at(5) }), reviewer);
    await importRows([{ submission: obs('c_approved', 'm_batch', { priceFen: 520, submittedAt: at(5) }), reviewer }]);
    const corrected = await itemsOf('c_approved', 'm_single');
    const revision = corrected.find((i) => String(i.sk).startsWith('REV#'));
    assert.equal(revision?.priceFen, 450, 'the replaced value is kept');
    assert.equal(revision?.supersededAt, at(5));
    assert.deepEqual(asMarket(await itemsOf('c_approved', 'm_batch'), 'm_batch', 'm_single'), corrected);
    assert.deepEqual(
      (await single.revisions(obs('c_approved', 'm_batch'))).map((r) => r.priceFen),
      [450],
    );
  });

  test('the same rows written again: still one item per identity, one latest row per item', async () => {
    const rows = ['2025-03-01', '2025-03-02', '2025-03-03'].map((date) => ({
      submission: obs('c_again', 'm_batch', { date }),
      reviewer,
    }));
    await importRows(rows);
    await importRows(rows);
    const items = await itemsOf('c_again', 'm_batch');
    const kinds = items.map((i) => String(i.sk).split('#')[0]);
    assert.equal(kinds.filter((k) => k === 'SUBM').length, 3);
    assert.equal(kinds.filter((k) => k === 'OBS').length, 3);
    assert.equal(kinds.filter((k) => k === 'm_batch').length, 1, 'one latest row for the item');
    const history = await single.history(
      'c_again',
      'm_batch',
      { kind: 'wholesale', grade: '一级', unit: 'jin' },
      { limit: 10 },
    );
    assert.deepEqual(
      history.items.map((r) => r.date),
      ['2025-03-01', '2025-03-02', '2025-03-03'],
    );
  });

  test('the latest price moves forward only: an import of older dates leaves a newer latest price alone', async () => {
    await single.enterApproved(obs('c_latest', 'm_batch', { date: '2025-03-10', priceFen: 600 }), reviewer);
    await importRows(
      ['2025-03-01', '2025-03-05'].map((date) => ({
        submission: obs('c_latest', 'm_batch', { date, priceFen: 500 }),
        reviewer,
      })),
    );
    let [latest] = await single.latestForCommodity('c_latest', 10);
    assert.deepEqual([latest?.date, latest?.priceFen], ['2025-03-10', 600]);

    // A newer date moves it; within one import, the newest row wins whatever its place in the file.
    await importRows(
      ['2025-03-12', '2025-03-11'].map((date, i) => ({
        submission: obs('c_latest', 'm_batch', { date, priceFen: 700 + i }),
        reviewer,
      })),
    );
    [latest] = await single.latestForCommodity('c_latest', 10);
    assert.deepEqual([latest?.date, latest?.priceFen], ['2025-03-12', 700]);

    // A correction of the latest date moves it too (a later approval of the same date).
    await importRows([
      { submission: obs('c_latest', 'm_batch', { date: '2025-03-12', priceFen: 710, submittedAt: at(9) }), reviewer },
    ]);
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

describe('an import that dies mid-way is finished from its journalled plan', () => {
  const item = { kind: 'wholesale' as const, grade: '一级', unit: 'jin' };
  const days = (n: number) =>
    Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 5, 1 + i)).toISOString().slice(0, 10));

  /** Imports through a store that dies after `batchWrites` batches; the import fails and leaves its journal unfinished. */
  async function dieImporting(entries: PriceImportEntry[], batchWrites: number) {
    const dying = dyingImportStore(stack, batchWrites);
    const state = await dying.load(entries.map((e) => e.submission));
    await assert.rejects(dying.write(entries, state, journal()), /simulated crash/);
    await dying.settled();
  }

  test('approved rows with corrections: after the crash part is missing; finished, the items are those of an uninterrupted import', async () => {
    // Both markets start with the same approved history; then the same corrected file goes in, whole at m_whole, dying at m_crash.
    const first = (m: string) =>
      days(60).map((date) => ({ submission: obs('c_crash', m, { date, priceFen: 400 }), reviewer }));
    await importRows([...first('m_whole'), ...first('m_crash')]);
    const corrected = (m: string) =>
      days(80).map((date, i) => ({
        submission: obs('c_crash', m, { date, priceFen: 500 + i, submittedAt: at(7) }),
        reviewer,
      }));
    await importRows(corrected('m_whole'));
    await dieImporting(corrected('m_crash'), 5);

    const history = async () => (await single.history('c_crash', 'm_crash', item, { limit: 200 })).items;
    assert.ok(
      (await history()).some((r) => r.priceFen === 400),
      'the crash left old values public',
    );
    const recovery = await batch.finishUnfinished();
    assert.deepEqual([recovery.finished.length, recovery.failed], [1, []]);
    assert.deepEqual(
      asMarket(await itemsOf('c_crash', 'm_crash'), 'm_crash', 'm_whole'),
      await itemsOf('c_crash', 'm_whole'),
    );
    assert.deepEqual(
      (await history()).map((r) => r.priceFen),
      days(80).map((_, i) => 500 + i),
    );
    assert.deepEqual((await batch.finishUnfinished()).finished, [], 'done: nothing left to finish');
  });

  test('exclusive (the local stack at start, nothing else writing): the missing items go in batches, with the same result', async () => {
    const first = (m: string) =>
      days(30).map((date) => ({ submission: obs('c_excl', m, { date, priceFen: 400 }), reviewer }));
    await importRows([...first('m_whole'), ...first('m_crash')]);
    const corrected = (m: string) =>
      days(45).map((date, i) => ({
        submission: obs('c_excl', m, { date, priceFen: 500 + i, submittedAt: at(7) }),
        reviewer,
      }));
    await importRows(corrected('m_whole'));
    await dieImporting(corrected('m_crash'), 4); // wave 1 written, wave 2 partly

    const counting = countingDocumentClient(stack);
    const store = new DynamoPriceImportStore(counting.db, stack.tableName, stack.files);
    assert.equal((await store.finishUnfinished({ exclusive: true })).finished.length, 1);
    assert.deepEqual(
      asMarket(await itemsOf('c_excl', 'm_crash'), 'm_crash', 'm_whole'),
      await itemsOf('c_excl', 'm_whole'),
    );
    assert.ok(counting.requests < 20, `a few batch requests, not one per item (${counting.requests})`);
    counting.db.destroy();
  });

  test('pending rows: the review queue gets the whole file, and a reviewer’s approval made before the recovery stands', async () => {
    const rows = days(60).map((date) => ({
      submission: obs('c_queue', 'm_crash', { date, priceFen: 300, regionId: 'region_crash_queue' }),
    }));
    await dieImporting(rows, 1);
    const queue = async () => (await single.pendingInRegion('region_crash_queue', { limit: 100 })).items;
    const written = await queue();
    assert.ok(written.length > 0 && written.length < rows.length, `part of the file is queued (${written.length})`);
    // A reviewer decides one of them meanwhile: approved at version 2 and published.
    const decided = written[0]!;
    await single.approve(decided, decided.version, reviewer, at(9));

    assert.equal((await batch.finishUnfinished()).finished.length, 1);
    const after = await queue();
    assert.equal(after.length, rows.length - 1, 'every other row waits for review');
    const kept = await single.getSubmission(decided);
    assert.deepEqual([kept?.status, kept?.version], ['approved', 2], 'the approval was not moved back to pending');
    assert.equal((await single.history('c_queue', 'm_crash', item, { limit: 100 })).items.length, 1);
  });

  test('a correction a reviewer enters between the crash and the recovery is not overwritten', async () => {
    const rows = days(40).map((date) => ({ submission: obs('c_later', 'm_crash', { date, priceFen: 600 }), reviewer }));
    await dieImporting(rows, 3); // the submissions are written (wave 1), few approved values
    const last = days(40).at(-1)!;
    await single.enterApproved(obs('c_later', 'm_crash', { date: last, priceFen: 999, submittedAt: at(20) }), reviewer);

    assert.equal((await batch.finishUnfinished()).finished.length, 1);
    const history = (await single.history('c_later', 'm_crash', item, { limit: 100 })).items;
    assert.equal(history.length, 40);
    assert.equal(history.at(-1)?.priceFen, 999, "the reviewer's value stands");
    assert.ok(history.slice(0, -1).every((r) => r.priceFen === 600));
    const [latest] = await single.latestForCommodity('c_later', 5);
    assert.deepEqual([latest?.date, latest?.priceFen], [last, 999]);
  });

  test('an import still being written is left to its own process until it is abandoned', async () => {
    await dieImporting([{ submission: obs('c_young', 'm_crash'), reviewer }], 0);
    assert.deepEqual(
      (await batch.finishUnfinished({ startedBefore: new Date(Date.parse(at(2)) - 1000) })).finished,
      [],
    );
    assert.equal(await single.getSubmission(obs('c_young', 'm_crash')), undefined);
    assert.equal(
      (await batch.finishUnfinished({ startedBefore: new Date(Date.parse(at(2)) + 1000) })).finished.length,
      1,
    );
    assert.equal((await single.latestForCommodity('c_young', 5))[0]?.priceFen, 450);
  });

  test('an import whose plan is gone cannot be finished: reported as failed (the sweep then fails loudly), and kept for another try', async () => {
    const j = journal();
    const rows = [{ submission: obs('c_lost', 'm_crash'), reviewer }];
    const dying = dyingImportStore(stack, 0);
    await assert.rejects(dying.write(rows, await dying.load([rows[0]!.submission]), j), /simulated crash/);
    await dying.settled();
    const stored = (
      await db.send(
        new GetCommand({ TableName: stack.tableName, Key: priceImportJournalKey(j.id), ConsistentRead: true }),
      )
    ).Item;
    await stack.files.delete(stored!.planKey as string);

    const recovery = await batch.finishUnfinished();
    assert.deepEqual(recovery.finished, []);
    assert.deepEqual(
      recovery.failed.map((f) => f.id),
      [j.id],
    );
    assert.match(recovery.failed[0]!.error, /write plan .* is missing/);
    assert.deepEqual(
      (await batch.finishUnfinished()).failed.map((f) => f.id),
      [j.id],
      'still listed',
    );
    await db.send(new DeleteCommand({ TableName: stack.tableName, Key: priceImportJournalKey(j.id) }));
  });

  test('an import id is used once: the second write with it writes nothing', async () => {
    const j = journal();
    const rows = [{ submission: obs('c_once', 'm_batch'), reviewer }];
    assert.ok((await batch.write(rows, await batch.load([rows[0]!.submission]), j)).started);
    assert.equal(await batch.started(j.id), true);
    const again = [{ submission: obs('c_once', 'm_batch', { priceFen: 470 }), reviewer }];
    assert.deepEqual(await batch.write(again, await batch.load([again[0]!.submission]), j), { started: false });
    assert.equal((await single.getSubmission(rows[0]!.submission))?.priceFen, 450);
  });
});

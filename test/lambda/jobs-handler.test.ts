/**
 * The jobs Lambda driven by EventBridge Scheduler events of the real shape (the schedule's
 * input with the context attributes filled in), on the local stack: the sweep finishes an
 * approval whose publication was interrupted, and a CSV import a crash interrupted; the digest
 * runs for the day the schedule was due (a retry after midnight still completes that day) and a
 * retry sends nothing twice; an unknown job fails loudly.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { unpublishedPriceIndex } from '#adapters/dynamodb/keys.ts';
import type { DigestReport } from '#core/alerts/digest.ts';
import { shanghaiDay } from '#core/dates.ts';
import { importPriceCsv, type PriceImportDeps } from '#core/prices/import.ts';
import { globalAdmin } from '#core/staff/roles.ts';
import { createJobsHandler } from '#handlers/jobs.ts';
import { schedulerEvent } from '#test/fixtures/scheduler-event.ts';
import { freshNumber, replyTo } from '#test/support/dev-sms.ts';
import { csvText, dyingImportStore } from '#test/support/price-import.ts';
import { priceSubmission } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { advanceClock } from '#test/support/staff.ts';

let stack: TestStack;
let handler: ReturnType<typeof createJobsHandler>;

beforeAll(async () => {
  stack = await startTestStack();
  handler = createJobsHandler(stack.deps);
});
afterAll(() => stack.close());

describe('price-sweep', () => {
  test('finishes an approval a crash left half-published, then finds nothing', async () => {
    const s = await stack.deps.prices.submit(priceSubmission('butter', '2026-05-01', 3500));
    // Only the approval's first write, as if the process died right after its commit point.
    const internals = stack.deps.prices as unknown as { decide(...args: unknown[]): Promise<unknown> };
    const at = '2026-05-01T03:00:00.000Z';
    await internals.decide(
      s,
      s.version,
      { status: 'approved', reviewedBy: '+8613900000002', reviewedAt: at, ...unpublishedPriceIndex(at, 'butter') },
      [],
    );
    assert.deepEqual(await stack.deps.prices.latestForCommodity('butter', 3), []);

    assert.deepEqual(await handler(schedulerEvent('price-sweep')), { job: 'price-sweep', finished: 1, imports: 0 });
    assert.equal((await stack.deps.prices.latestForCommodity('butter', 3))[0]?.priceFen, 3500);
    assert.deepEqual(await handler(schedulerEvent('price-sweep')), { job: 'price-sweep', finished: 0, imports: 0 });
  });

  test('finishes a CSV import a crash interrupted once it is abandoned (2 minutes), audited; a younger one is left to its process', async () => {
    const csv = csvText(
      'commodity,market,date,price,unit',
      ...['2026-04-01', '2026-04-02', '2026-04-03'].map((d, i) => `wheat,mkt_lhasa_dongga,${d},${3 + i}.00,jin`),
    );
    const dying = dyingImportStore(stack, 1);
    const deps: PriceImportDeps = {
      authz: stack.deps.authz,
      now: () => stack.deps.now(),
      prices: stack.deps.prices,
      catalog: stack.deps.catalog,
      audit: stack.deps.audit,
      files: stack.files,
      priceImport: dying,
    };
    const acting = { actor: { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true } };
    await assert.rejects(
      importPriceCsv(deps, acting, new TextEncoder().encode(csv), { dryRun: false, fileName: 'crash.csv' }),
      /simulated crash/,
    );
    await dying.settled();
    assert.deepEqual(await stack.deps.prices.latestForCommodity('wheat', 3), [], 'not published yet');

    assert.deepEqual(
      await handler(schedulerEvent('price-sweep')),
      { job: 'price-sweep', finished: 0, imports: 0 },
      'it may still be writing',
    );
    advanceClock(stack, 150);
    assert.deepEqual(await handler(schedulerEvent('price-sweep')), { job: 'price-sweep', finished: 0, imports: 1 });
    const [latest] = await stack.deps.prices.latestForCommodity('wheat', 3);
    assert.deepEqual([latest?.date, latest?.priceFen], ['2026-04-03', 500]);
    const history = await stack.deps.prices.history('wheat', 'mkt_lhasa_dongga', { unit: 'jin' }, { limit: 10 });
    assert.deepEqual(
      history.items.map((r) => r.priceFen),
      [300, 400, 500],
    );
    const audited = (await stack.deps.audit.listDay(shanghaiDay(stack.deps.now()), { limit: 100 })).items.find(
      (e) => e.detail?.finishedAfterCrash,
    );
    assert.deepEqual(
      [audited?.action, audited?.actor, audited?.detail?.fileName],
      ['price.import', '+8613800000000', 'crash.csv'],
    );
    assert.ok(stack.logs.some((l) => l.msg === 'price import finished after a crash'));
    assert.deepEqual(await handler(schedulerEvent('price-sweep')), { job: 'price-sweep', finished: 0, imports: 0 });
  });
});

describe('price-digest', () => {
  test('runs for the day it was due, and a retry of the same invocation sends nothing twice', async () => {
    const phone = freshNumber('131');
    await replyTo(stack, phone, 'SUB PRICE BARLEY');
    await stack.deps.prices.enterApproved(priceSubmission('barley_qingke', '2026-05-19', 450), '+8613900000002');
    // Due at 18:00 on 20 May in Shanghai; delivered (or retried) after midnight UTC+8.
    const event = schedulerEvent('price-digest', new Date('2026-05-20T10:00:00Z'));
    assert.equal(event.scheduledTime, '2026-05-20T10:00:00Z');
    const first = (await handler(event)) as { job: string; report: DigestReport };
    assert.equal(first.report.day, '2026-05-20');
    assert.equal(first.report.sent, 1);
    const retry = (await handler(event)) as { job: string; report: DigestReport };
    assert.equal(retry.report.sent, 0);
    const digests = (await stack.deps.outbound.listTo(phone, 20)).filter((m) => m.key === 'digest.item');
    assert.equal(digests.length, 1);
    assert.match(digests[0]!.text, /highland barley: Dongga wholesale market 4\.50 yuan\/jin/);
  });

  test('without a scheduled time (a manual invoke) it runs for today', async () => {
    const result = (await handler({ job: 'price-digest' })) as { report: DigestReport };
    assert.equal(result.report.day, new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10));
  });
});

test('an unknown job is refused with an error and a log line', async () => {
  await assert.rejects(handler({ job: 'reindex', scheduledTime: '2026-05-20T10:00:00Z' }), /unknown job "reindex"/);
  await assert.rejects(handler({}), /unknown job/);
  assert.ok(stack.logs.some((l) => l.msg === 'unknown scheduled job' && l.job === 'reindex'));
});

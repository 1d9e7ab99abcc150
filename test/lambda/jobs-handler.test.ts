/**
 * The jobs Lambda driven by EventBridge Scheduler events of the real shape (the schedule's
 * input with the context attributes filled in), on the local stack: the sweep finishes an
 * approval whose publication was interrupted; the digest runs for the day the schedule was
 * due (a retry after midnight still completes that day) and a retry sends nothing twice; an
 * unknown job fails loudly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { unpublishedPriceIndex } from '#adapters/dynamodb/keys.ts';
import type { DigestReport } from '#core/alerts/digest.ts';
import { priceSubmission } from '#test/support/prices.ts';
import { createJobsHandler } from '#handlers/jobs.ts';
import { schedulerEvent } from '#test/fixtures/scheduler-event.ts';
import { freshNumber, replyTo } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let handler: ReturnType<typeof createJobsHandler>;

before(async () => {
  stack = await startTestStack();
  handler = createJobsHandler(stack.deps);
});
after(() => stack.close());

describe('price-sweep', () => {
  test('finishes an approval a crash left half-published, then finds nothing', async () => {
    const s = await stack.deps.prices.submit(priceSubmission('butter', '2026-05-01', 3500));
    // Only the approval's first write, as if the process died right after its commit point.
    const internals = stack.deps.prices as unknown as { decide(...args: unknown[]): Promise<unknown> };
    const at = '2026-05-01T03:00:00.000Z';
    await internals.decide(s, s.version, { status: 'approved', reviewedBy: '+8613900000002', reviewedAt: at, ...unpublishedPriceIndex(at, 'butter') }, []);
    assert.deepEqual(await stack.deps.prices.latestForCommodity('butter', 3), []);

    assert.deepEqual(await handler(schedulerEvent('price-sweep')), { job: 'price-sweep', finished: 1 });
    assert.equal((await stack.deps.prices.latestForCommodity('butter', 3))[0]?.priceFen, 3500);
    assert.deepEqual(await handler(schedulerEvent('price-sweep')), { job: 'price-sweep', finished: 0 });
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

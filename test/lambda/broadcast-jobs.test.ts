/**
 * The broadcast jobs through the jobs Lambda, with inputs of the real shapes: the minute tick
 * (`{"job":"broadcast-tick", scheduledTime, executionId}` from the recurring schedule) and a
 * broadcast's one-time run (`{"job":"broadcast-run","broadcastId"}`). A run without a valid
 * broadcast id fails at once, logged, before anything is read; a function without broadcasts
 * wired says so. End to end with the broadcast service on the local stack: a scheduled
 * broadcast's run before its time does nothing, at its time queues every recipient once, a
 * retry of the run and the ticks after it send nothing twice, and the tick finishes it. The
 * local scheduler plans the tick every minute.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isBroadcastId, type JobDeps, type JobResult } from '#core/alerts/jobs.ts';
import type { RunReport } from '#core/broadcasts/service.ts';
import type { Acting } from '#core/staff/guard.ts';
import { createJobsHandler } from '#handlers/jobs.ts';
import { nextMinute, startLocalScheduler } from '#local/scheduler.ts';
import { broadcastRunEvent, schedulerEvent } from '#test/fixtures/scheduler-event.ts';
import { freshNumber, outbox, replyTo } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { advanceClock } from '#test/support/staff.ts';

let stack: TestStack;
beforeAll(async () => {
  // Quiet hours off (start = end): the clock is moved, and must not land in the night.
  stack = await startTestStack({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00', SMS_SEND_RATE: '50' });
});
afterAll(() => stack?.close());

describe('broadcast-run input', () => {
  test('a broadcast id is `b` and 10 characters of lower-case Crockford base32', () => {
    assert.equal(isBroadcastId('b01jf3k9q2m'), true);
    for (const bad of [
      undefined,
      42,
      '',
      'b01jf3k9q2',
      'B01JF3K9Q2M',
      'b01jf3k9q2m#',
      'x01jf3k9q2m',
      'b01jf3k9q2m0',
      'b01jf3k9q2i',
    ])
      assert.equal(isBroadcastId(bad), false, String(bad));
  });

  test('without a valid broadcast id: refused with an error and a log line, nothing run', async () => {
    const handler = createJobsHandler(stack.deps);
    for (const id of [undefined, 'bcast#b01jf3k9q2m', { id: 'b01jf3k9q2m' }]) {
      await assert.rejects(handler(broadcastRunEvent(id)), /broadcast-run needs a broadcast id/);
    }
    assert.ok(stack.logs.some((l) => l.msg === 'broadcast-run without a broadcast id'));
  });

  test('a function without broadcasts wired says so, for the tick and the run', async () => {
    const handler = createJobsHandler({ ...stack.deps, broadcasts: undefined } as JobDeps);
    await assert.rejects(handler(schedulerEvent('broadcast-tick')), /broadcasts are not wired/);
    await assert.rejects(handler(broadcastRunEvent('b01jf3k9q2m')), /broadcasts are not wired/);
  });
});

describe('a scheduled broadcast, run by its one-time schedule and finished by the tick', () => {
  const author: Acting = {
    actor: { phone: '+8613900000001', grants: [{ role: 'operator', regions: ['pref_shigatse'] }], configAdmin: false },
  };
  const TEXT = 'Yak vaccination at the township clinic on Friday.';
  const people = [freshNumber(), freshNumber()];

  test('not before its time; at its time every recipient once; retries and ticks send nothing twice', async () => {
    for (const phone of people) await replyTo(stack, phone, 'JOIN Gyantse');
    const handler = createJobsHandler(stack.deps);
    const sendAt = new Date(stack.deps.now().getTime() + 10 * 60_000).toISOString();
    const draft = await stack.deps.broadcasts.create(author, {
      audience: { regions: ['cty_shigatse_gyantse'], topics: [], languages: ['en'] },
      texts: { en: TEXT },
      sendAt,
    });
    expect((await stack.deps.broadcasts.send(author, draft.id)).status).toBe('scheduled');

    const early = (await handler(broadcastRunEvent(draft.id))) as Extract<JobResult, { job: 'broadcast-run' }>;
    expect(early.report).toMatchObject({ broadcastId: draft.id, status: 'scheduled', idle: 'not_due', queued: 0 });

    advanceClock(stack, 10 * 60);
    const due = (await handler(broadcastRunEvent(draft.id))) as Extract<JobResult, { job: 'broadcast-run' }>;
    expect(due.report.status).not.toBe('scheduled');
    expect(due.report.queued).toBeGreaterThanOrEqual(people.length);
    await stack.deps.broadcastRuntime.bulkQueue.drain?.();

    // EventBridge Scheduler may deliver the run again, and the tick comes every minute.
    await handler(broadcastRunEvent(draft.id));
    const reports: RunReport[] = [];
    for (let i = 0; i < 3; i++) {
      advanceClock(stack, 60);
      const tick = (await handler(schedulerEvent('broadcast-tick'))) as Extract<JobResult, { job: 'broadcast-tick' }>;
      reports.push(...tick.reports.filter((r) => r.broadcastId === draft.id));
      await stack.deps.broadcastRuntime.bulkQueue.drain?.();
    }
    const view = await stack.deps.broadcasts.get(author, draft.id);
    expect(view.broadcast.status).toBe('finished');
    expect(view.counts.queued).toBe(0);
    expect(view.counts.sent).toBe(view.counts.recipients);
    for (const phone of people)
      expect(
        (await outbox(stack, phone)).filter((m) => m.text.includes(TEXT)),
        phone,
      ).toHaveLength(1);
    expect(
      reports.every((r) => r.queued === 0),
      JSON.stringify(reports),
    ).toBe(true);
  });
});

describe('local scheduler', () => {
  test('the tick runs every whole minute', () => {
    assert.equal(nextMinute(new Date('2026-05-20T10:07:12.500Z')).toISOString(), '2026-05-20T10:08:00.000Z');
    assert.equal(nextMinute(new Date('2026-05-20T10:08:00.000Z')).toISOString(), '2026-05-20T10:09:00.000Z');
  });

  test('planned where broadcasts are wired, not elsewhere', () => {
    const clock = () => new Date('2026-05-20T10:07:12Z');
    const without = startLocalScheduler({ ...stack.deps, broadcasts: undefined } as JobDeps, {
      digestTime: '18:00',
      clock,
    });
    assert.equal(without.next()['broadcast-tick'], undefined);
    without.stop();
    const wired = startLocalScheduler(
      {
        ...stack.deps,
        broadcasts: { tick: async () => [], run: async () => assert.fail() },
      } as JobDeps,
      { digestTime: '18:00', clock },
    );
    assert.equal(wired.next()['broadcast-tick']?.toISOString(), '2026-05-20T10:08:00.000Z');
    assert.equal(wired.next()['broadcast-run'], undefined, 'one-time runs are timers of their own');
    wired.stop();
  });
});

/**
 * The broadcast jobs through the jobs Lambda, with inputs of the real shapes: the minute tick
 * (`{"job":"broadcast-tick", scheduledTime, executionId}` from the recurring schedule) and a
 * broadcast's one-time run (`{"job":"broadcast-run","broadcastId"}`). A run without a valid
 * broadcast id fails at once, logged, before anything is read; a function without broadcasts
 * wired says so. The local scheduler plans the tick every minute.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { isBroadcastId, type JobDeps } from '#core/alerts/jobs.ts';
import { createJobsHandler } from '#handlers/jobs.ts';
import { nextMinute, startLocalScheduler } from '#local/scheduler.ts';
import { broadcastRunEvent, schedulerEvent } from '#test/fixtures/scheduler-event.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
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

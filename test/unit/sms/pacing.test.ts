/**
 * The pacing arithmetic on a virtual clock: one sender spaces its messages 1/rate apart, two
 * senders sharing the one-second windows together stay within the rate, a refused place waits
 * for the next second, and a deadline gives the message back instead of waiting past it. The
 * windows here are the same fixed one-second windows DynamoSendRate keeps in the table
 * (tested against dynalite in test/integration/paced-queue.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { msToNextSecond, Pacer, spacingMs } from '#core/sms/pacing.ts';
import type { SendRate } from '#core/sms/ports.ts';

/** A clock that moves only when someone sleeps. */
function virtualClock(start = Date.parse('2026-05-20T10:00:00.300Z')) {
  let t = start;
  return {
    now: () => new Date(t),
    sleep: async (ms: number) => {
      assert.ok(ms > 0, `sleeps a positive time (${ms})`);
      t += ms;
    },
    advance: (ms: number) => {
      t += ms;
    },
  };
}

/** One-second windows of `rate`, in memory: what the DynamoDB rate counter does. */
function windows(rate: number): SendRate & { counts: Map<number, number> } {
  const counts = new Map<number, number>();
  return {
    counts,
    async take(now) {
      const second = Math.floor(now.getTime() / 1000);
      const n = counts.get(second) ?? 0;
      if (n >= rate) return { ok: false, retryAfterMs: msToNextSecond(now) };
      counts.set(second, n + 1);
      return { ok: true, retryAfterMs: msToNextSecond(now) };
    },
  };
}

describe('arithmetic', () => {
  test('the wait for a full window is to the next whole second, to the millisecond', () => {
    assert.equal(msToNextSecond(new Date('2026-05-20T10:00:00.250Z')), 750);
    assert.equal(msToNextSecond(new Date('2026-05-20T10:00:00.999Z')), 1);
    assert.equal(msToNextSecond(new Date('2026-05-20T10:00:00.000Z')), 1000);
  });

  test('a sender spaces its messages 1/rate apart', () => {
    assert.equal(spacingMs(20), 50);
    assert.equal(spacingMs(1), 1000);
    assert.ok(Math.abs(spacingMs(3) - 333.333) < 0.001);
  });

  test('a rate below one message a second is refused', () => {
    const clock = virtualClock();
    assert.throws(() => new Pacer({ rate: 0, sendRate: windows(1), ...clock }), /at least 1/);
  });
});

describe('one sender', () => {
  test('100 messages at 20/s: evenly spaced, 99 gaps of 50 ms, never more than 20 in a window', async () => {
    const clock = virtualClock();
    const rate = windows(20);
    const pacer = new Pacer({ rate: 20, sendRate: rate, ...clock });
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      assert.equal(await pacer.admit(), true);
      times.push(clock.now().getTime());
    }
    assert.equal(times.at(-1)! - times[0]!, 99 * 50);
    for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 50);
    assert.ok(Math.max(...rate.counts.values()) <= 20);
  });

  test('after an idle spell the next message goes at once, and the one after it one gap later (no catch-up burst)', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ rate: 10, sendRate: windows(10), ...clock });
    await pacer.admit();
    clock.advance(5_000);
    const t0 = clock.now().getTime();
    await pacer.admit();
    assert.equal(clock.now().getTime(), t0);
    await pacer.admit();
    assert.equal(clock.now().getTime(), t0 + 100);
  });

  test('a window filled by someone else: waits for the next second, then goes', async () => {
    const clock = virtualClock(Date.parse('2026-05-20T10:00:00.300Z'));
    const rate = windows(5);
    for (let i = 0; i < 5; i++) await rate.take(clock.now());
    const pacer = new Pacer({ rate: 5, sendRate: rate, ...clock });
    assert.equal(await pacer.admit(), true);
    assert.equal(clock.now().toISOString(), '2026-05-20T10:00:01.000Z');
  });

  test('a turn after the deadline: false at once, and no place taken', async () => {
    const clock = virtualClock(Date.parse('2026-05-20T10:00:00.300Z'));
    const rate = windows(1);
    const pacer = new Pacer({ rate: 1, sendRate: rate, ...clock });
    assert.equal(await pacer.admit(), true);
    const before = clock.now().getTime();
    assert.equal(await pacer.admit(before + 500), false, 'the next turn is 1 s away');
    assert.equal(clock.now().getTime(), before, 'did not wait');
    assert.equal(await pacer.admit(before + 1000), true);
    assert.deepEqual([...rate.counts.values()], [1, 1]);
  });

  test('calls made together are served one after another', async () => {
    const clock = virtualClock();
    const pacer = new Pacer({ rate: 4, sendRate: windows(4), ...clock });
    const order: number[] = [];
    await Promise.all([0, 1, 2, 3].map((i) => pacer.admit().then(() => order.push(i))));
    assert.deepEqual(order, [0, 1, 2, 3]);
  });
});

describe('two senders sharing the windows (the sms-send Lambda runs two at most)', () => {
  test('together never more than the rate in any second, and together as fast as it', async () => {
    const clock = virtualClock();
    const rate = windows(20);
    const a = new Pacer({ rate: 20, sendRate: rate, ...clock });
    const b = new Pacer({ rate: 20, sendRate: rate, ...clock });
    // Interleaved on one virtual clock: whoever's turn is earlier goes (a sleep moves time for both).
    let sent = 0;
    const start = clock.now().getTime();
    while (sent < 200) {
      await a.admit();
      await b.admit();
      sent += 2;
    }
    assert.ok(Math.max(...rate.counts.values()) <= 20, JSON.stringify([...rate.counts.values()]));
    const seconds = (clock.now().getTime() - start) / 1000;
    const measured = 200 / seconds;
    assert.ok(measured <= 20 * 1.1 && measured >= 20 * 0.9, `measured ${measured.toFixed(1)}/s`);
  });
});

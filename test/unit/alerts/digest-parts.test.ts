/**
 * The digest's pure parts: the change sign (arrows only where the SMS is UCS-2 anyway), and the
 * local timer's next Asia/Shanghai run times.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { changeMark } from '#core/alerts/digest.ts';
import { encodingOf } from '#core/sms/segments.ts';
import { nextDailyRun, nextSweep } from '#local/scheduler.ts';

describe('changeMark', () => {
  test('up, down and flat against the previous value, in yuan', () => {
    assert.equal(changeMark(470, 450, false), '↑0.20');
    assert.equal(changeMark(430, 450, false), '↓0.20');
    assert.equal(changeMark(450, 450, false), '→');
    assert.equal(changeMark(1250, 1000, true), ' +2.50');
    assert.equal(changeMark(1000, 1250, true), ' -2.50');
    assert.equal(changeMark(1000, 1000, true), ' =');
  });

  test('nothing when there is no earlier value to compare with', () => {
    assert.equal(changeMark(450, undefined, false), '');
    assert.equal(changeMark(450, undefined, true), '');
  });

  test('the plain signs keep an English or Wylie SMS in GSM-7', () => {
    for (const [now, before] of [
      [470, 450],
      [430, 450],
      [450, 450],
    ] as const) {
      assert.equal(encodingOf(`Dongga 4.50/jin${changeMark(now, before, true)}`), 'GSM-7');
      assert.equal(encodingOf(`Dongga 4.50/jin${changeMark(now, before, false)}`), 'UCS-2');
    }
  });
});

describe('local timer', () => {
  test('the digest runs next at the Asia/Shanghai time, today when it is still to come, else tomorrow', () => {
    assert.equal(nextDailyRun('18:00', new Date('2026-05-20T09:59:00Z')).toISOString(), '2026-05-20T10:00:00.000Z');
    assert.equal(nextDailyRun('18:00', new Date('2026-05-20T10:00:00Z')).toISOString(), '2026-05-21T10:00:00.000Z');
    // 01:00 in Shanghai on the 21st is still the 20th in UTC.
    assert.equal(nextDailyRun('07:30', new Date('2026-05-20T17:00:00Z')).toISOString(), '2026-05-20T23:30:00.000Z');
    // Across a year end.
    assert.equal(nextDailyRun('00:00', new Date('2026-12-31T16:00:00Z')).toISOString(), '2027-01-01T16:00:00.000Z');
  });

  test('the sweep runs on the next quarter hour', () => {
    assert.equal(nextSweep(new Date('2026-05-20T10:07:12Z')).toISOString(), '2026-05-20T10:15:00.000Z');
    assert.equal(nextSweep(new Date('2026-05-20T10:15:00Z')).toISOString(), '2026-05-20T10:30:00.000Z');
  });
});

import { describe, expect, test } from 'vitest';
import { isQuiet, minutesOf, quietBegins, quietEnds, quietMeets } from '#core/broadcasts/quiet.ts';

/** An instant given as Asia/Shanghai wall-clock time (UTC+8). */
const sh = (local: string) => new Date(`${local}+08:00`);
const NIGHT = { start: '21:00', end: '08:00' };
const NOON = { start: '12:00', end: '14:00' };

describe('quiet hours on the Asia/Shanghai clock', () => {
  test('HH:MM as minutes; anything else is refused', () => {
    expect(minutesOf('21:00')).toBe(1260);
    expect(minutesOf('08:30')).toBe(510);
    expect(() => minutesOf('8h')).toThrow(RangeError);
  });

  test('hours that wrap midnight: from the start, through midnight, until (not at) the end', () => {
    expect(isQuiet(sh('2026-12-05T20:59:59'), NIGHT)).toBe(false);
    expect(isQuiet(sh('2026-12-05T21:00:00'), NIGHT)).toBe(true);
    expect(isQuiet(sh('2026-12-05T23:59:00'), NIGHT)).toBe(true);
    expect(isQuiet(sh('2026-12-06T00:00:00'), NIGHT)).toBe(true);
    expect(isQuiet(sh('2026-12-06T07:59:59'), NIGHT)).toBe(true);
    expect(isQuiet(sh('2026-12-06T08:00:00'), NIGHT)).toBe(false);
    expect(isQuiet(sh('2026-12-06T12:00:00'), NIGHT)).toBe(false);
  });

  test('hours within one day', () => {
    expect(isQuiet(sh('2026-12-05T11:59:00'), NOON)).toBe(false);
    expect(isQuiet(sh('2026-12-05T12:00:00'), NOON)).toBe(true);
    expect(isQuiet(sh('2026-12-05T13:59:00'), NOON)).toBe(true);
    expect(isQuiet(sh('2026-12-05T14:00:00'), NOON)).toBe(false);
    expect(isQuiet(sh('2026-12-05T23:00:00'), NOON)).toBe(false);
  });

  test('start = end: no quiet hours at all', () => {
    for (const h of ['00', '06', '12', '21', '23'])
      expect(isQuiet(sh(`2026-12-05T${h}:30:00`), { start: '00:00', end: '00:00' })).toBe(false);
    expect(quietBegins(sh('2026-12-05T10:00:00'), { start: '00:00', end: '00:00' })).toBeUndefined();
  });

  test('the UTC date differs from the Shanghai one: 22:30 in Shanghai is 14:30 UTC the same day', () => {
    expect(isQuiet(new Date('2026-12-05T14:30:00Z'), NIGHT)).toBe(true);
    expect(isQuiet(new Date('2026-12-05T23:30:00Z'), NIGHT)).toBe(true); // 07:30 next day in Shanghai
    expect(isQuiet(new Date('2026-12-06T00:30:00Z'), NIGHT)).toBe(false); // 08:30
  });

  test('when quiet hours end: the next end, across midnight; now when not quiet', () => {
    expect(quietEnds(sh('2026-12-05T22:15:00'), NIGHT)).toEqual(sh('2026-12-06T08:00:00'));
    expect(quietEnds(sh('2026-12-06T03:00:00'), NIGHT)).toEqual(sh('2026-12-06T08:00:00'));
    const day = sh('2026-12-06T10:00:00');
    expect(quietEnds(day, NIGHT)).toEqual(day);
  });

  test('when they begin next', () => {
    expect(quietBegins(sh('2026-12-05T10:00:00'), NIGHT)).toEqual(sh('2026-12-05T21:00:00'));
    expect(quietBegins(sh('2026-12-05T15:00:00'), NOON)).toEqual(sh('2026-12-06T12:00:00'));
  });

  test('a send meets quiet hours when it starts in them or would still run when they begin', () => {
    expect(quietMeets(sh('2026-12-05T20:00:00'), 3599, NIGHT)).toBe(false);
    expect(quietMeets(sh('2026-12-05T20:00:00'), 3601, NIGHT)).toBe(true);
    expect(quietMeets(sh('2026-12-05T22:00:00'), 0, NIGHT)).toBe(true);
    expect(quietMeets(sh('2026-12-06T08:00:00'), 12 * 3600, NIGHT)).toBe(false);
    expect(quietMeets(sh('2026-12-06T08:00:00'), 13 * 3600 + 1, NIGHT)).toBe(true);
  });
});

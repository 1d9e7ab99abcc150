import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import {
  addDays,
  dateOfDay,
  dayNumber,
  daysBetween,
  isCalendarDate,
  monthDay,
  oneYearBefore,
  SHANGHAI_OFFSET_SECONDS,
  shanghaiDay,
  shanghaiMinute,
} from '#core/dates.ts';

describe('addDays', () => {
  test('crosses months, leap days and years', () => {
    assert.equal(addDays('2025-03-01', -1), '2025-02-28');
    assert.equal(addDays('2024-03-01', -1), '2024-02-29');
    assert.equal(addDays('2025-12-31', 1), '2026-01-01');
    assert.equal(addDays('2025-06-10', 0), '2025-06-10');
  });
});

describe('shanghaiDay and shanghaiMinute', () => {
  test('the business day turns at Asia/Shanghai midnight, 16:00 UTC', () => {
    assert.equal(shanghaiDay(new Date('2026-11-27T15:59:59Z')), '2026-11-27');
    assert.equal(shanghaiDay(new Date('2026-11-27T16:00:00Z')), '2026-11-28');
    assert.equal(shanghaiDay(new Date('2026-11-27T17:00:00Z')), '2026-11-28');
  });

  test('an instant as the Shanghai clock shows it, to the minute', () => {
    assert.equal(shanghaiMinute('2026-11-27T17:05:30Z'), '2026-11-28 01:05');
    assert.equal(shanghaiMinute('2026-06-30T00:00:00.000Z'), '2026-06-30 08:00');
  });

  test('property: the offset is UTC+8 all year', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), (ms) => {
        const shifted = new Date(ms + SHANGHAI_OFFSET_SECONDS * 1000).toISOString().slice(0, 10);
        assert.equal(shanghaiDay(new Date(ms)), shifted);
      }),
      { numRuns: 500 },
    );
  });
});

describe('calendar arithmetic', () => {
  test('isCalendarDate takes only real days written YYYY-MM-DD', () => {
    assert.equal(isCalendarDate('2024-02-29'), true);
    assert.equal(isCalendarDate('2025-02-29'), false);
    assert.equal(isCalendarDate('2026-13-01'), false);
    assert.equal(isCalendarDate('2026-1-01'), false);
    assert.throws(() => dayNumber('2026-02-30'), RangeError);
  });

  test('dayNumber, dateOfDay and daysBetween agree', () => {
    assert.equal(dayNumber('1970-01-02'), 1);
    assert.equal(dateOfDay(dayNumber('2024-02-29')), '2024-02-29');
    assert.equal(daysBetween('2025-12-30', '2026-01-02'), 3);
    assert.equal(daysBetween('2026-01-02', '2025-12-30'), -3);
  });

  test('oneYearBefore keeps month and day; 29 February becomes 28 February', () => {
    assert.equal(oneYearBefore('2026-03-09'), '2025-03-09');
    assert.equal(oneYearBefore('2024-02-29'), '2023-02-28');
  });

  test('monthDay is the MM-DD a short SMS shows', () => {
    assert.equal(monthDay('2026-03-09'), '03-09');
  });

  test('property: addDays moves by exactly that many days', () => {
    const day = fc.integer({ min: dayNumber('2000-01-01'), max: dayNumber('2040-12-31') });
    fc.assert(
      fc.property(day, fc.integer({ min: -800, max: 800 }), (d, n) => {
        assert.equal(daysBetween(dateOfDay(d), addDays(dateOfDay(d), n)), n);
      }),
      { numRuns: 500 },
    );
  });
});

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { dayNumber, daysBetween, oneYearBefore } from '#core/dates.ts';
import {
  describeHold,
  direction,
  findPrevious,
  findYearAgo,
  holdReasonFor,
  isAbsurd,
  medianFen,
  percentChange,
  summarise,
} from '#core/prices/change.ts';
import { isStale } from '#core/prices/stale.ts';

const at = (date: string, priceFen = 100) => ({ date, priceFen });

describe('percentChange and direction', () => {
  test('computes the change in percent, 2 decimals', () => {
    assert.equal(percentChange(400, 450), 12.5);
    assert.equal(percentChange(450, 400), -11.11);
    assert.equal(percentChange(300, 400), 33.33);
    assert.equal(percentChange(300, 200), -33.33);
    assert.equal(percentChange(100, 100), 0);
    assert.equal(percentChange(1, 1_000_000_000), 99_999_999_900);
  });

  test('rounds half away from zero, and never gives -0', () => {
    // 1 fen on 20,000 fen is 0.005% → 0.01%; the fall rounds the same way.
    assert.equal(percentChange(20_000, 20_001), 0.01);
    assert.equal(percentChange(20_000, 19_999), -0.01);
    assert.ok(Object.is(percentChange(100_000, 99_999), 0));
  });

  test('flat means the change rounds to 0.00%', () => {
    assert.equal(direction(100_000, 100_004), 'flat');
    assert.equal(direction(100_000, 99_996), 'flat');
    assert.equal(direction(100_000, 100_005), 'up');
    assert.equal(direction(100_000, 99_995), 'down');
    assert.equal(direction(450, 450), 'flat');
  });

  test('refuses a zero previous price', () => {
    assert.throws(() => percentChange(0, 100), RangeError);
    assert.throws(() => percentChange(1.5, 100), RangeError);
  });

  test('property: the sign of the change matches the direction', () => {
    const price = fc.integer({ min: 1, max: 1_000_000_000 });
    fc.assert(
      fc.property(price, price, (a, b) => {
        const pct = percentChange(a, b);
        const dir = direction(a, b);
        assert.equal(dir, pct > 0 ? 'up' : pct < 0 ? 'down' : 'flat');
        if (dir === 'up') assert.ok(b > a);
        if (dir === 'down') assert.ok(b < a);
        if (a === b) assert.equal(dir, 'flat');
        assert.equal(Math.round(pct * 100) / 100, pct);
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('findPrevious', () => {
  test('is the latest strictly earlier observation', () => {
    const history = [at('2025-02-15', 1), at('2025-03-01', 2), at('2025-02-28', 3), at('2025-03-05', 4)];
    assert.equal(findPrevious(history, '2025-03-01')?.priceFen, 3);
    assert.equal(findPrevious(history, '2025-03-02')?.priceFen, 2);
    assert.equal(findPrevious(history, '2025-02-15'), undefined);
    assert.equal(findPrevious([], '2025-02-15'), undefined);
  });
});

describe('findYearAgo', () => {
  test('takes the nearest within ±7 days of the date a year before', () => {
    const history = [at('2024-03-04', 1), at('2024-03-10', 2), at('2024-02-20', 3)];
    assert.equal(findYearAgo(history, '2025-03-09')?.priceFen, 2);
    assert.equal(findYearAgo(history, '2025-03-01')?.priceFen, 1);
  });

  test('the window is 7 days each way, inclusive', () => {
    assert.equal(findYearAgo([at('2024-03-08')], '2025-03-01')?.date, '2024-03-08');
    assert.equal(findYearAgo([at('2024-03-09')], '2025-03-01'), undefined);
    assert.equal(findYearAgo([at('2024-02-23')], '2025-03-01')?.date, '2024-02-23'); // 2024 is a leap year
    assert.equal(findYearAgo([at('2024-02-22')], '2025-03-01'), undefined);
  });

  test('on a tie, the earlier one', () => {
    const history = [at('2024-06-13', 2), at('2024-06-07', 1)];
    assert.equal(findYearAgo(history, '2025-06-10')?.priceFen, 1);
  });

  test('29 February compares with 28 February', () => {
    assert.equal(oneYearBefore('2024-02-29'), '2023-02-28');
    const history = [at('2023-03-01', 1), at('2023-02-27', 2)];
    // Both are a day from 2023-02-28: the earlier wins.
    assert.equal(findYearAgo(history, '2024-02-29')?.priceFen, 2);
    assert.equal(findYearAgo([at('2023-02-28', 3), ...history], '2024-02-29')?.priceFen, 3);
    // From 1 March 2025 a year back is 1 March 2024; 29 February 2024 is a day before it.
    assert.equal(findYearAgo([at('2024-02-29', 4)], '2025-03-01')?.priceFen, 4);
  });

  test('property: never more than 7 days from the anniversary, and none nearer is missed', () => {
    const day = fc.integer({ min: dayNumber('2001-01-01'), max: dayNumber('2040-12-31') });
    const toDate = (n: number) => new Date(n * 86_400_000).toISOString().slice(0, 10);
    fc.assert(
      fc.property(day, fc.array(fc.integer({ min: -400, max: 20 }), { maxLength: 30 }), (d, offsets) => {
        const date = toDate(d);
        const history = offsets.map((o) => at(toDate(d - 365 + o)));
        const anniversary = oneYearBefore(date);
        const found = findYearAgo(history, date);
        const distances = history.map((h) => Math.abs(daysBetween(anniversary, h.date)));
        if (found === undefined) assert.ok(distances.every((x) => x > 7));
        else {
          const distance = Math.abs(daysBetween(anniversary, found.date));
          assert.ok(distance <= 7);
          assert.equal(distance, Math.min(...distances));
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('summarise', () => {
  test('counts up, down and flat and lists each item like /prices/summary', () => {
    const summary = summarise([
      { commodity: 'barley', priceFen: 450, comparedFen: 400 },
      { commodity: 'butter', priceFen: 4000, comparedFen: 4500 },
      { commodity: 'tsampa', priceFen: 600, comparedFen: 600 },
      { commodity: 'potato', priceFen: 150 },
    ]);
    assert.deepEqual(summary, {
      up: 1,
      down: 1,
      flat: 1,
      items: [
        { commodity: 'barley', price: '4.50', compared: '4.00', changePct: 12.5 },
        { commodity: 'butter', price: '40.00', compared: '45.00', changePct: -11.11 },
        { commodity: 'tsampa', price: '6.00', compared: '6.00', changePct: 0 },
        { commodity: 'potato', price: '1.50', compared: null, changePct: null },
      ],
    });
    assert.deepEqual(summarise([]), { up: 0, down: 0, flat: 0, items: [] });
  });
});

describe('isAbsurd and medianFen', () => {
  test('more than 10× the recent median, or less than a tenth, is absurd', () => {
    assert.equal(isAbsurd(4501, 450), true);
    assert.equal(isAbsurd(4500, 450), false);
    assert.equal(isAbsurd(45, 450), false);
    assert.equal(isAbsurd(44, 450), true);
    assert.equal(isAbsurd(450, undefined), false);
  });

  test('median of recent prices', () => {
    assert.equal(medianFen([]), undefined);
    assert.equal(medianFen([500, 400, 450]), 450);
    assert.equal(medianFen([400, 500]), 400);
  });
});

describe('holdReasonFor / describeHold', () => {
  test('a price over 10× or under a tenth of the recent median is held, with a reason that reads back', () => {
    const above = holdReasonFor(5001, [480, 500, 520]);
    assert.equal(above, 'Over 10× the recent median 5.00 of this item (3 approved values)');
    assert.deepEqual(describeHold(above!), {
      key: 'errors:price.hold_above',
      params: { median: '5.00', count: 3, factor: 10 },
    });
    const below = holdReasonFor(49, [480, 500, 520]);
    assert.equal(describeHold(below!)?.key, 'errors:price.hold_below');
  });

  test('ten times exactly, no history, or any other text: not held / not described', () => {
    assert.equal(holdReasonFor(5000, [500]), undefined);
    assert.equal(holdReasonFor(50, [500]), undefined);
    assert.equal(holdReasonFor(1_000_000, []), undefined);
    assert.equal(describeHold('typed by hand'), undefined);
  });
});

describe('isStale', () => {
  test('older than 14 days unless the commodity sets its own stale days', () => {
    assert.equal(isStale('2026-11-13', '2026-11-27'), false);
    assert.equal(isStale('2026-11-12', '2026-11-27'), true);
    assert.equal(isStale('2026-11-19', '2026-11-27', { staleDays: 7 }), true);
    assert.equal(isStale('2026-11-20', '2026-11-27', { staleDays: 7 }), false);
    assert.equal(isStale('2026-10-01', '2026-11-27', { staleDays: 60 }), false);
  });
});

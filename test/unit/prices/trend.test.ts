import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { addDays } from '#core/dates.ts';
import { trendSeries } from '#core/prices/trend.ts';

const at = (date: string, priceFen: number) => ({ date, priceFen });

describe('trendSeries', () => {
  test('keeps the range, sorts by date, drops empty series, shares the bounds', () => {
    const trend = trendSeries(
      [
        { key: 'a', history: [at('2026-03-01', 500), at('2025-12-01', 450), at('2024-01-01', 100)] },
        { key: 'b', history: [at('2023-01-01', 1)] },
        { key: 'c', history: [at('2026-02-01', 300)] },
      ],
      '2025-03-01',
      '2026-03-01',
    );
    assert.deepEqual(
      trend.series.map((s) => [s.key, s.points.map((p) => p.date)]),
      [
        ['a', ['2025-12-01', '2026-03-01']],
        ['c', ['2026-02-01']],
      ],
    );
    assert.deepEqual([trend.minFen, trend.maxFen], [300, 500]);
    assert.equal(trend.toDay - trend.fromDay, 365);
    assert.equal(trend.series[0]!.points[0]!.day, trend.fromDay + 275);
  });

  test('a daily year thins to at most maxPoints, keeping the last price of each stretch', () => {
    const daily = Array.from({ length: 366 }, (_, i) => at(addDays('2025-03-01', i), 100 + i));
    const [series] = trendSeries([{ key: 'x', history: daily }], '2025-03-01', '2026-03-01', 60).series;
    assert.ok(series!.points.length <= 60, `${series!.points.length} points`);
    assert.equal(series!.points.at(-1)!.date, '2026-03-01', 'the newest price is always drawn');
    assert.equal(series!.points[0]!.date, '2025-03-07', 'the last day of the first 7-day stretch');
  });

  test('nothing in range: no series and zero bounds', () => {
    const trend = trendSeries([{ key: 'x', history: [] }], '2025-03-01', '2026-03-01');
    assert.deepEqual([trend.series, trend.minFen, trend.maxFen], [[], 0, 0]);
  });
});

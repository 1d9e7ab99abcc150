/** The series a price trend chart draws. */
import { dayNumber } from '../dates.ts';
import type { Dated } from './change.ts';

export interface TrendPoint {
  date: string;
  /** Days since 1970-01-01 (the x of the chart). */
  day: number;
  fen: number;
}

export interface TrendSeries<K extends string = string> {
  key: K;
  points: TrendPoint[];
}

export interface Trend<K extends string = string> {
  series: TrendSeries<K>[];
  fromDay: number;
  toDay: number;
  minFen: number;
  maxFen: number;
}

/**
 * The series of a trend chart between two dates (inclusive), each sorted by date, with the
 * bounds every series shares; series with no point in the range are left out. A daily series
 * keeps the last price of each stretch of days, at most `maxPoints` points: a year of daily
 * prices at a dozen markets must still make a page of a few kilobytes.
 *
 * @example trendSeries([{ key: 'lhasa', history }], '2025-03-01', '2026-03-01').maxFen
 */
export function trendSeries<K extends string>(
  input: readonly { key: K; history: readonly (Dated & { priceFen: number })[] }[],
  from: string,
  to: string,
  maxPoints = 60,
): Trend<K> {
  const fromDay = dayNumber(from);
  const stretch = Math.max(1, Math.ceil((dayNumber(to) - fromDay + 1) / maxPoints));
  const series = input
    .map(({ key, history }) => {
      const last = new Map<number, TrendPoint>();
      for (const o of history) {
        if (o.date < from || o.date > to) continue;
        const point = { date: o.date, day: dayNumber(o.date), fen: o.priceFen };
        const bucket = Math.floor((point.day - fromDay) / stretch);
        if ((last.get(bucket)?.day ?? -Infinity) < point.day) last.set(bucket, point);
      }
      return { key, points: [...last.values()].sort((a, b) => a.day - b.day) };
    })
    .filter((s) => s.points.length);
  const all = series.flatMap((s) => s.points.map((p) => p.fen));
  return {
    series,
    fromDay,
    toDay: dayNumber(to),
    minFen: all.length ? Math.min(...all) : 0,
    maxFen: all.length ? Math.max(...all) : 0,
  };
}

/**
 * A market's price bulletin for one date, in the form of the Lhasa/TAR bureaus' weekly
 * bulletins ("N down, M up, K flat" with each item's % change), the seasonal check of a price
 * against earlier years, and the series a trend chart draws.
 */

import { addDays, dayNumber, oneYearBefore, shanghaiDay } from '../dates.ts';
import { AppError } from '../errors.ts';
import type { Catalog } from '../reference/catalog.ts';
import { commodityGroups, type Market } from '../reference/schemas.ts';
import {
  type Dated,
  findYearAgo,
  medianFen,
  percentChange,
  type Summary,
  summarise,
  YEAR_AGO_WINDOW_DAYS,
} from './change.ts';
import { checkObservationDate, EARLIEST_DATE } from './observation.ts';
import type { PriceRecord, PriceRepository } from './ports.ts';
import { resolve } from './use-cases.ts';

export type Compare = 'previous' | 'year';

export interface BulletinDeps {
  prices: PriceRepository;
  catalog: () => Promise<Catalog>;
  now: () => Date;
}

/** The item (commodity, market, kind, grade, unit) of a record, as the repository takes it. */
const itemOf = (r: PriceRecord) => ({
  kind: r.kind,
  unit: r.unit,
  ...(r.grade !== undefined ? { grade: r.grade } : {}),
});

/**
 * The value a record is compared with: the previous period (latest earlier value, 1 Query) or
 * the value nearest to the same day a year before within ±7 days (1 Query of that window).
 */
export async function comparedWith(
  prices: PriceRepository,
  r: PriceRecord,
  compare: Compare,
): Promise<PriceRecord | undefined> {
  if (compare === 'previous')
    return prices.previousBefore({ commodityId: r.commodityId, marketId: r.marketId, ...itemOf(r) }, r.date);
  const at = oneYearBefore(r.date);
  const window = await prices.history(r.commodityId, r.marketId, itemOf(r), {
    from: addDays(at, -YEAR_AGO_WINDOW_DAYS),
    to: addDays(at, YEAR_AGO_WINDOW_DAYS),
    limit: 2 * YEAR_AGO_WINDOW_DAYS + 1, // one value per day at most
  });
  return findYearAgo(window.items, r.date);
}

/** Checks a requested date (400 with a translated detail when in the future or before 2000). */
export function checkDate(date: string, today: string): void {
  const check = checkObservationDate(date, today);
  if (check.ok) return;
  const params = { value: date, earliest: EARLIEST_DATE, today };
  throw new AppError('validation_failed', {}, [
    {
      path: 'date',
      message: `Date ${date}: ${check.reason} (allowed ${EARLIEST_DATE} … ${today})`,
      key: `errors:price.date_${check.reason}`,
      params,
    },
  ]);
}

export interface BulletinRow {
  record: PriceRecord;
  compared: PriceRecord | undefined;
}

export interface Bulletin {
  market: Market;
  /** The bulletin's date; undefined when the market has no approved price at all. */
  date: string | undefined;
  compare: Compare;
  summary: Summary;
  /** The records behind `summary.items`, in the same order. */
  rows: BulletinRow[];
}

/**
 * The bulletin of a market (id or any name) for a date (default: its latest date with prices):
 * 1 Query for the day's items, then 1 Query per item for what it is compared with.
 */
export async function marketBulletin(
  deps: BulletinDeps,
  input: { market: string; date?: string | undefined; compare?: Compare | undefined },
): Promise<Bulletin> {
  const catalog = await deps.catalog();
  const market = resolve(catalog, 'market', input.market);
  if (input.date !== undefined) checkDate(input.date, shanghaiDay(deps.now()));
  const compare = input.compare ?? 'previous';
  const date = input.date ?? (await deps.prices.marketDates(market.id, 1))[0];
  const records = date ? await deps.prices.approvedAtMarketOn(market.id, date) : [];
  // Bureau order: by commodity group (grain first), then by id (the index order).
  const group = (r: PriceRecord) => commodityGroups.indexOf(catalog.commodities.get(r.commodityId)?.group ?? 'input');
  records.sort((a, b) => group(a) - group(b));
  const compared = await Promise.all(records.map((r) => comparedWith(deps.prices, r, compare)));
  const summary = summarise(
    records.map((r, i) => ({ commodity: r.commodityId, priceFen: r.priceFen, comparedFen: compared[i]?.priceFen })),
  );
  return { market, date, compare, summary, rows: records.map((record, i) => ({ record, compared: compared[i] })) };
}

// ── Seasonal anomaly ──

/** Days either side of the same day in an earlier year that count as "the same season". */
export const SEASON_WINDOW_DAYS = 15;
/** Earlier years with prices in the window needed before anything is flagged. */
export const SEASON_MIN_YEARS = 2;
/** Earlier years looked at. */
export const SEASON_YEARS = 3;
/** A price within this share of the seasonal norm is never flagged (small moves are news, not anomalies). */
export const SEASON_MIN_BAND = 0.25;
/** …nor within this many median absolute deviations of it (items whose prices swing widely). */
export const SEASON_MAD_FACTOR = 3;

export interface SeasonalCheck {
  flag: 'high' | 'low' | undefined;
  /** Median of the same-season prices in earlier years, in fen. */
  normFen: number;
  /** How far from the norm a price may be before it is flagged, in fen. */
  bandFen: number;
  /** How many earlier years had prices in the window. */
  years: number;
  /** The price against the norm, in percent. */
  changePct: number;
}

/** The same day `years` years before (29 February → 28 February in a common year). */
const yearsBefore = (date: string, years: number) => {
  let d = date;
  for (let i = 0; i < years; i += 1) d = oneYearBefore(d);
  return d;
};

/**
 * Is the price of `date` in `history` (one item at one market) far from the same season in
 * earlier years? Why this rule: prices of Tibetan produce move with the season (cordyceps in
 * June, butter in winter), so a price is judged against the same ±15 days of the 3 earlier
 * years, and only when at least 2 of those years have prices. The norm is the median of those
 * prices (one odd week does not move it); the price is flagged when it is more than
 * max(25% of the norm, 3 median absolute deviations) above or below it, so a volatile item
 * needs a bigger move. Undefined when there is no price on `date` or too little history.
 *
 * @example seasonalAnomaly(history, '2026-06-10')?.flag // 'high'
 */
export function seasonalAnomaly(
  history: readonly (Dated & { priceFen: number })[],
  date: string,
): SeasonalCheck | undefined {
  const current = history.find((o) => o.date === date);
  if (!current) return undefined;
  const season: number[] = [];
  let years = 0;
  for (let y = 1; y <= SEASON_YEARS; y += 1) {
    const centre = dayNumber(yearsBefore(date, y));
    const inWindow = history.filter((o) => Math.abs(dayNumber(o.date) - centre) <= SEASON_WINDOW_DAYS);
    if (inWindow.length) years += 1;
    season.push(...inWindow.map((o) => o.priceFen));
  }
  const normFen = medianFen(season);
  if (years < SEASON_MIN_YEARS || normFen === undefined) return undefined;
  const mad = medianFen(season.map((p) => Math.abs(p - normFen))) ?? 0;
  const bandFen = Math.max(Math.round(normFen * SEASON_MIN_BAND), SEASON_MAD_FACTOR * mad);
  const off = current.priceFen - normFen;
  return {
    flag: off > bandFen ? 'high' : off < -bandFen ? 'low' : undefined,
    normFen,
    bandFen,
    years,
    changePct: percentChange(normFen, current.priceFen),
  };
}

/**
 * The dates a seasonal check of `date` reads: the ±15-day windows of the earlier years
 * (oldest first), so a caller can fetch exactly those with one history Query each.
 */
export const seasonWindows = (date: string) =>
  Array.from({ length: SEASON_YEARS }, (_, i) => {
    const centre = yearsBefore(date, SEASON_YEARS - i);
    return { from: addDays(centre, -SEASON_WINDOW_DAYS), to: addDays(centre, SEASON_WINDOW_DAYS) };
  });

// ── Trend chart ──

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

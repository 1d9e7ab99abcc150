/**
 * The seasonal check of a price: is it far from the same season in earlier years?
 */
import { addDays, dayNumber, oneYearBefore } from '../dates.ts';
import { type Dated, medianFen, percentChange } from './change.ts';

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

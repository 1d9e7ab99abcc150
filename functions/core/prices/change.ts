import { daysBetween, oneYearBefore } from '../dates.ts';
import { formatFen } from './money.ts';

export type Direction = 'up' | 'down' | 'flat';

/** How far from the anniversary a "same period last year" observation may be. */
export const YEAR_AGO_WINDOW_DAYS = 7;

/** How many times the recent median a price may be (or a fraction of it) before it is absurd. */
export const ABSURD_FACTOR = 10;

function assertFen(name: string, fen: number, positive: boolean): void {
  if (!Number.isSafeInteger(fen) || fen < 0 || (positive && fen === 0)) {
    throw new RangeError(`${name} must be a ${positive ? 'positive' : 'non-negative'} integer fen, got ${fen}`);
  }
}

/**
 * The change from one price to another in percent, rounded to 2 decimals, half away from zero
 * (so a rise and an equal fall round alike). Exact integer arithmetic; never -0.
 *
 * @example percentChange(400, 450) // 12.5
 */
export function percentChange(previousFen: number, currentFen: number): number {
  assertFen('previousFen', previousFen, true);
  assertFen('currentFen', currentFen, false);
  // Hundredths of a percent: (current − previous) · 10000 / previous.
  const numerator = BigInt(currentFen - previousFen) * 10_000n;
  const denominator = BigInt(previousFen);
  const magnitude = (2n * (numerator < 0n ? -numerator : numerator) + denominator) / (2n * denominator);
  if (magnitude === 0n) return 0;
  return (numerator < 0n ? -Number(magnitude) : Number(magnitude)) / 100;
}

/** Up, down, or flat when the change rounds to 0.00%. */
export function direction(previousFen: number, currentFen: number): Direction {
  const pct = percentChange(previousFen, currentFen);
  return pct > 0 ? 'up' : pct < 0 ? 'down' : 'flat';
}

/** What the comparisons need of an observation: its business date (YYYY-MM-DD). */
export interface Dated {
  date: string;
}

/**
 * "Previous period": the latest observation strictly before `date`. `history` is the series of
 * one item at one market (same commodity, market, kind, grade and unit), in any order.
 */
export function findPrevious<T extends Dated>(history: readonly T[], date: string): T | undefined {
  let best: T | undefined;
  for (const o of history) {
    if (o.date < date && (best === undefined || o.date > best.date)) best = o;
  }
  return best;
}

/**
 * "Same period last year": the observation of the series nearest to the same day a year
 * before `date` (29 February → 28 February), at most 7 days from it; on a tie, the earlier one.
 */
export function findYearAgo<T extends Dated>(history: readonly T[], date: string): T | undefined {
  const anniversary = oneYearBefore(date);
  let best: T | undefined;
  let bestDistance = Infinity;
  for (const o of history) {
    const offset = daysBetween(anniversary, o.date);
    const distance = Math.abs(offset);
    if (distance > YEAR_AGO_WINDOW_DAYS) continue;
    if (distance < bestDistance || (distance === bestDistance && best !== undefined && o.date < best.date)) {
      best = o;
      bestDistance = distance;
    }
  }
  return best;
}

export interface SummaryInput {
  commodity: string;
  priceFen: number;
  /** The price compared with (previous period or a year ago), if there is one. */
  comparedFen?: number | undefined;
}

export interface SummaryItem {
  commodity: string;
  /** Yuan with two decimals, e.g. '4.50'. */
  price: string;
  compared: string | null;
  changePct: number | null;
}

export interface Summary {
  up: number;
  down: number;
  flat: number;
  items: SummaryItem[];
}

/**
 * The bulletin's "N down, M up, K flat" with each item's % change, shaped like the answer of
 * `GET /api/v1/prices/summary`. Items without a price to compare with are listed with null
 * `compared` and `changePct` and counted in none of up, down and flat.
 */
export function summarise(items: readonly SummaryInput[]): Summary {
  const summary: Summary = { up: 0, down: 0, flat: 0, items: [] };
  for (const item of items) {
    if (item.comparedFen === undefined) {
      summary.items.push({
        commodity: item.commodity,
        price: formatFen(item.priceFen),
        compared: null,
        changePct: null,
      });
      continue;
    }
    const changePct = percentChange(item.comparedFen, item.priceFen);
    summary[changePct > 0 ? 'up' : changePct < 0 ? 'down' : 'flat'] += 1;
    summary.items.push({
      commodity: item.commodity,
      price: formatFen(item.priceFen),
      compared: formatFen(item.comparedFen),
      changePct,
    });
  }
  return summary;
}

/**
 * The median of some prices in integer fen (the lower middle of an even count, so it is always
 * one of the prices), or undefined for none.
 */
export function medianFen(prices: readonly number[]): number | undefined {
  if (!prices.length) return undefined;
  const sorted = [...prices].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * True when a price is more than 10× the item's recent median or less than a tenth of it:
 * such a price is held for review. Without a median (no recent history) nothing is absurd.
 */
export function isAbsurd(priceFen: number, recentMedianFen: number | undefined): boolean {
  if (recentMedianFen === undefined || recentMedianFen <= 0) return false;
  return priceFen > ABSURD_FACTOR * recentMedianFen || priceFen * ABSURD_FACTOR < recentMedianFen;
}

/**
 * Why a price is held for review, as stored on the record (English, one sentence), or
 * undefined when it is not absurd. `describeHold` reads the same sentence back into a message
 * key and parameters, so pages and replies can show it in the reader's language.
 */
export function holdReasonFor(priceFen: number, recentFen: readonly number[]): string | undefined {
  const mid = medianFen(recentFen);
  if (mid === undefined || !isAbsurd(priceFen, mid)) return undefined;
  const way = priceFen > mid ? 'Over' : 'Under';
  const multiple = priceFen > mid ? `${ABSURD_FACTOR}×` : `1/${ABSURD_FACTOR}`;
  return `${way} ${multiple} the recent median ${formatFen(mid)} of this item (${recentFen.length} approved values)`;
}

/**
 * The hold reason when an item has no history of its own and was compared with the commodity's
 * latest prices elsewhere (other markets, kinds, grades, units), each per kg or per head/piece
 * (`absurdHoldReason`): its sentence for a price `perBaseFen` per `base` against their median.
 */
export function othersHoldReasonFor(
  perBaseFen: number,
  othersPerBaseFen: readonly number[],
  base: 'kg' | 'each',
): string | undefined {
  const mid = medianFen(othersPerBaseFen);
  if (mid === undefined || !isAbsurd(perBaseFen, mid)) return undefined;
  const way = perBaseFen > mid ? 'Over' : 'Under';
  const multiple = perBaseFen > mid ? `${ABSURD_FACTOR}×` : `1/${ABSURD_FACTOR}`;
  return `${way} ${multiple} the median ${formatFen(mid)} per ${base} of this commodity's latest prices elsewhere (prices compared: ${othersPerBaseFen.length})`;
}

const holdPattern = /^(Over|Under) \S+ the recent median (\d+\.\d{2}) of this item \((\d+) approved values\)$/u;
const othersHoldPattern =
  /^(Over|Under) \S+ the median (\d+\.\d{2}) per (kg|each) of this commodity's latest prices elsewhere \(prices compared: (\d+)\)$/u;

/**
 * The message key and parameters of a stored hold reason (`errors:price.hold_above` /
 * `hold_below` for the item's own median; `hold_others_{above,below}_{kg,each}` for the
 * commodity's prices elsewhere); undefined for any other text.
 */
export function describeHold(
  holdReason: string,
): { key: string; params: { median: string; count: number; factor: number } } | undefined {
  const m = holdPattern.exec(holdReason);
  if (m)
    return {
      key: m[1] === 'Over' ? 'errors:price.hold_above' : 'errors:price.hold_below',
      params: { median: m[2]!, count: Number(m[3]), factor: ABSURD_FACTOR },
    };
  const o = othersHoldPattern.exec(holdReason);
  if (o)
    return {
      key: `errors:price.hold_others_${o[1] === 'Over' ? 'above' : 'below'}_${o[3]}`,
      params: { median: o[2]!, count: Number(o[4]), factor: ABSURD_FACTOR },
    };
  return undefined;
}

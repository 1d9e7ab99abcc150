/**
 * A market's price bulletin for one date, in the form of the Lhasa/TAR bureaus' weekly
 * bulletins ("N down, M up, K flat" with each item's % change), and what each price is compared
 * with (the previous period, or a year before).
 */
import { addDays, oneYearBefore, shanghaiDay } from '../dates.ts';
import { priceDetail, validationFailed } from '../errors.ts';
import type { Catalog } from '../reference/catalog.ts';
import { resolve } from '../reference/resolve.ts';
import { commodityGroups, type Market } from '../reference/schemas.ts';
import { findYearAgo, type Summary, summarise, YEAR_AGO_WINDOW_DAYS } from './change.ts';
import { checkObservationDate, EARLIEST_DATE } from './observation.ts';
import type { PriceRecord, PriceRepository } from './ports.ts';

export type Compare = 'previous' | 'year';

export interface BulletinDeps {
  prices: PriceRepository;
  catalog: () => Promise<Catalog>;
  now: () => Date;
}

/** The item (commodity, market, kind, grade, unit) of a record, as the repository takes it. */
export const itemOf = (r: PriceRecord) => ({
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
  throw validationFailed([
    priceDetail(
      'date',
      `date_${check.reason}`,
      `Date ${date}: ${check.reason} (allowed ${EARLIEST_DATE} … ${today})`,
      params,
    ),
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

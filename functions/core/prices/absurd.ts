/**
 * The absurd-price guard, one function for every way a price comes in (POST /prices, the entry
 * form, SMS P, CSV import): a price over 10× or under a tenth of the item's recent median is
 * held for review. An item with no history of its own yet (a first wholesale price, a new
 * market) is compared instead with the commodity's latest prices elsewhere — every other
 * market, kind, grade and unit — each turned into a price per kg (mass units) or per head or
 * piece (count units), so that a wholesale price 10× the retail one is caught on its first day.
 *
 * The comparison set is the latest-price partition of the commodity (one Query, cached a few
 * seconds, already read by pages and imports), not a history read per other item: one price
 * per item, its newest, which is what "the price elsewhere" means to a reviewer.
 */
import { holdReasonFor, othersHoldReasonFor } from './change.ts';
import type { PriceRecord } from './ports.ts';
import { baseUnitOf, fenPerBase, type UnitFacts } from './units.ts';

/** Unit facts by id (the catalog's `units` map). */
export type UnitFactsById = { get(id: string): UnitFacts | undefined } | undefined;

export interface AbsurdCheck {
  priceFen: number;
  unit: string;
  /** The item's recent approved prices in fen (same commodity, market, kind, grade and unit), at most MEDIAN_WINDOW. */
  own: readonly number[];
  /** The commodity's latest prices (every market, kind, grade, unit); read only when `own` is empty. */
  commodityLatest: () => Promise<readonly Pick<PriceRecord, 'priceFen' | 'unit'>[]>;
  units: UnitFactsById;
}

/**
 * Why the price is held for review, as stored on the record (English; `describeHold` reads it
 * back into a message key), or undefined when it is not absurd. Units that cannot be compared
 * (volume units such as khal and bre, an unknown unit) compare with nothing.
 */
export async function absurdHoldReason(check: AbsurdCheck): Promise<string | undefined> {
  if (check.own.length) return holdReasonFor(check.priceFen, check.own);
  const facts = check.units?.get(check.unit);
  const base = baseUnitOf(facts);
  const mine = fenPerBase(check.priceFen, facts);
  if (base === undefined || mine === undefined) return undefined;
  const others: number[] = [];
  for (const r of await check.commodityLatest()) {
    const theirs = check.units?.get(r.unit);
    if (baseUnitOf(theirs) !== base) continue;
    const perBase = fenPerBase(r.priceFen, theirs);
    if (perBase !== undefined && perBase > 0) others.push(perBase);
  }
  return othersHoldReasonFor(mine, others, base);
}

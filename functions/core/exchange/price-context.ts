/**
 * The market beside an offer: the latest approved price of its commodity nearby (its county's
 * markets, then its prefecture's, then anywhere), for the reply ("Dongga 4.50/jin on 12-01"),
 * the moderator, and the hold on prices far from the market. One read: the commodity's
 * latest-price rows (1 Query, cached per process).
 */
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord, type PriceRepository } from '../prices/ports.ts';
import { fenPerBase } from '../prices/units.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { HoldReason, Listing } from './listing.ts';
import { comparableUnits } from './matching.ts';
import { distance, regionLevels } from './places.ts';

export interface PriceContext {
  marketId: string;
  priceFen: number;
  unitId: string;
  /** YYYY-MM-DD */
  date: string;
}

/** The nearest, newest approved price of the offer's commodity in a unit comparable with the offer's. */
export function nearestPrice(
  records: readonly PriceRecord[],
  listing: Pick<Listing, 'commodityId' | 'unitId' | 'countyId' | 'prefectureId'>,
  catalog: Pick<Catalog, 'markets' | 'regions' | 'units'>,
): PriceContext | undefined {
  const candidates = records
    .filter(
      (r) =>
        r.status === 'approved' &&
        r.commodityId === listing.commodityId &&
        comparableUnits(catalog, r.unit, listing.unitId),
    )
    .map((r) => ({
      r,
      d: distance(listing, regionLevels(catalog, catalog.markets.get(r.marketId)?.regionId ?? undefined)),
    }))
    .sort((a, b) => a.d - b.d || b.r.date.localeCompare(a.r.date) || a.r.marketId.localeCompare(b.r.marketId));
  const best = candidates[0]?.r;
  return best ? { marketId: best.marketId, priceFen: best.priceFen, unitId: best.unit, date: best.date } : undefined;
}

export async function readPriceContext(
  prices: Pick<PriceRepository, 'latestForCommodity'> | undefined,
  listing: Pick<Listing, 'commodityId' | 'unitId' | 'countyId' | 'prefectureId'>,
  catalog: Pick<Catalog, 'markets' | 'regions' | 'units'>,
): Promise<PriceContext | undefined> {
  if (!prices) return undefined;
  const records = await prices.latestForCommodity(listing.commodityId, LATEST_ROWS_PER_COMMODITY);
  return nearestPrice(records, listing, catalog);
}

/**
 * `price_high` when the offer asks (or bids) more than `factor` times the market price,
 * `price_low` under 1/`factor` of it; nothing when negotiable, without a market price, or in
 * units that do not compare.
 */
export function priceHold(
  listing: Pick<Listing, 'priceFen' | 'unitId'>,
  context: PriceContext | undefined,
  factor: number,
  catalog: Pick<Catalog, 'units'>,
): HoldReason | undefined {
  if (listing.priceFen === null || !context) return undefined;
  const same = listing.unitId === context.unitId;
  const offer = same ? listing.priceFen : fenPerBase(listing.priceFen, catalog.units?.get(listing.unitId));
  const market = same ? context.priceFen : fenPerBase(context.priceFen, catalog.units?.get(context.unitId));
  if (offer === undefined || market === undefined || market <= 0) return undefined;
  if (offer > factor * market) return 'price_high';
  if (offer * factor < market) return 'price_low';
  return undefined;
}

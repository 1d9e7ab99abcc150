/**
 * Reading approved prices: one item's history at one market, and a commodity's latest prices
 * (optionally in a region).
 */
import { shanghaiDay } from '../dates.ts';
import { priceDetail, validationFailed } from '../errors.ts';
import type { PageRequest } from '../paging.ts';
import { isWithin } from '../reference/catalog.ts';
import { resolve } from '../reference/resolve.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import type { PriceDeps } from './deps.ts';
import type { PriceKind } from './observation.ts';
import { LATEST_ROWS_PER_COMMODITY } from './ports.ts';
import { checkCalendarDates } from './problems.ts';
import { isStale } from './stale.ts';

export interface HistoryFilters {
  commodity: string;
  market: string;
  from?: string | undefined;
  to?: string | undefined;
  unit?: string | undefined;
  kind?: PriceKind | undefined;
  grade?: string | undefined;
}

/**
 * The approved history of one item at one market, page by page: names resolved (400 with the
 * closest names), the item defaulted (the commodity's usual unit, retail), the range checked.
 * What GET /prices and GET /prices.csv both read.
 */
export async function historyReader(deps: Pick<PriceDeps, 'catalog' | 'prices'>, filters: HistoryFilters) {
  const catalog = await deps.catalog();
  const commodity = resolve(catalog, 'commodity', filters.commodity);
  const market = resolve(catalog, 'market', filters.market);
  checkCalendarDates({ from: filters.from, to: filters.to });
  if (filters.from && filters.to && filters.from > filters.to)
    throw validationFailed([
      priceDetail('from', 'range_reversed', 'from is after to', { from: filters.from, to: filters.to }),
    ]);
  const item = {
    unit: filters.unit ?? commodity.defaultUnit,
    kind: filters.kind ?? 'retail',
    ...(filters.grade ? { grade: filters.grade } : {}),
  };
  const range = { ...(filters.from ? { from: filters.from } : {}), ...(filters.to ? { to: filters.to } : {}) };
  return {
    commodity,
    market,
    page: (page: PageRequest) => deps.prices.history(commodity.id, market.id, item, { ...page, ...range }),
  };
}

/** The latest approved prices of a commodity, optionally only at markets in a region (or under it). */
export async function latestPrices(deps: PriceDeps, commodityText: string, regionId?: string) {
  const catalog = await deps.catalog();
  const commodity = resolve(catalog, 'commodity', commodityText);
  const rows = await deps.prices.latestForCommodity(commodity.id, LATEST_ROWS_PER_COMMODITY);
  const today = shanghaiDay(deps.now());
  // A price of a market in no listed region belongs to no region's list.
  const kept = rows.filter((r) => !regionId || (r.regionId !== ALL_REGIONS && isWithin(catalog, r.regionId, regionId)));
  return {
    commodity,
    items: kept.map((r) => ({
      record: r,
      market: catalog.markets.get(r.marketId),
      stale: isStale(r.date, today, commodity),
    })),
  };
}

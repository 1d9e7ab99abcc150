/**
 * What the public price pages read (and what an API answer may share): the latest prices of
 * every commodity, a market's price sheet, a commodity's prices with their changes, season and
 * trend, and a bulletin's recent dates.
 *
 * Reads: the latest prices read the latest partition of every commodity (1 Query each, ~30, in
 * parallel, never any history); a commodity's prices read its latest partition, then per market
 * row 3 Queries (the last 12 months + 15 days, and the same season 2 and 3 years back), and a
 * 4th for the previous period only when that history has none.
 */
import { addDays, oneYearBefore, shanghaiDay } from '../dates.ts';
import type { Catalog } from '../reference/catalog.ts';
import { resolve } from '../reference/resolve.ts';
import { type Commodity, commodityGroups, type Market } from '../reference/schemas.ts';
import { itemOf } from './bulletin.ts';
import { findPrevious, findYearAgo } from './change.ts';
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord, type PriceRepository } from './ports.ts';
import { SEASON_WINDOW_DAYS, type SeasonalCheck, seasonalAnomaly, seasonWindows } from './seasonal.ts';
import { isStale } from './stale.ts';
import { type Trend, trendSeries } from './trend.ts';

export interface PageReadDeps {
  prices: PriceRepository;
  catalog: () => Promise<Catalog>;
  now: () => Date;
}

/** One latest price with what a page shows beside it. */
export interface LatestRow {
  r: PriceRecord;
  commodity: Commodity;
  market: Market | undefined;
  stale: boolean;
}

/** A commodity's latest price at one market, with what it is compared with. */
export interface MarketRow extends LatestRow {
  previous: PriceRecord | undefined;
  yearAgo: PriceRecord | undefined;
  season: SeasonalCheck | undefined;
}

export interface CommodityChart {
  trend: Trend;
  unit: string;
  kind: PriceRecord['kind'];
  market: Market | undefined;
  markets: Market[];
}

/** Every latest price of every commodity (the latest partitions only), in commodity-group order. */
export async function latestOfEveryCommodity(deps: PageReadDeps): Promise<LatestRow[]> {
  const catalog = await deps.catalog();
  const commodities = [...catalog.commodities.values()].sort(
    (a, b) => commodityGroups.indexOf(a.group) - commodityGroups.indexOf(b.group),
  );
  const rows = await Promise.all(
    commodities.map((c) => deps.prices.latestForCommodity(c.id, LATEST_ROWS_PER_COMMODITY)),
  );
  const day = shanghaiDay(deps.now());
  return commodities.flatMap((c, i) =>
    rows[i]!.map((r) => ({
      r,
      commodity: c,
      market: catalog.markets.get(r.marketId),
      stale: isStale(r.date, day, c),
    })),
  );
}

/** One row per commodity: its newest latest price; on a tie, the one in the commodity's usual unit. */
export async function newestPerCommodity(deps: PageReadDeps): Promise<LatestRow[]> {
  const newest = new Map<string, LatestRow>();
  for (const row of await latestOfEveryCommodity(deps)) {
    const had = newest.get(row.commodity.id);
    if (
      !had ||
      row.r.date > had.r.date ||
      (row.r.date === had.r.date &&
        row.r.unit === row.commodity.defaultUnit &&
        had.r.unit !== row.commodity.defaultUnit)
    )
      newest.set(row.commodity.id, row);
  }
  return [...newest.values()];
}

/**
 * A market's price sheet: every latest price at the market (id or any name); no market, no rows.
 * An unknown or ambiguous name is a 400 (`resolve`).
 */
export async function priceSheet(
  deps: PageReadDeps,
  marketText: string | undefined,
): Promise<{ market: Market | undefined; rows: LatestRow[] }> {
  const market = marketText ? resolve(await deps.catalog(), 'market', marketText) : undefined;
  const rows = market ? (await latestOfEveryCommodity(deps)).filter((x) => x.r.marketId === market.id) : [];
  return { market, rows };
}

/** The newest `limit` dates with prices at a bulletin's market, the bulletin's own date among them. */
export async function bulletinDates(
  prices: Pick<PriceRepository, 'marketDates'>,
  bulletin: { market: Market; date: string | undefined } | undefined,
  limit = 12,
): Promise<string[]> {
  const dates = bulletin ? await prices.marketDates(bulletin.market.id, limit) : [];
  if (bulletin?.date && !dates.includes(bulletin.date)) {
    dates.push(bulletin.date);
    dates.sort().reverse();
  }
  return dates;
}

/** A latest price with its history windows: the previous period, a year ago, its season. */
async function marketRow(deps: PageReadDeps, r: PriceRecord, commodity: Commodity, catalog: Catalog, day: string) {
  const [recent, ...older] = await Promise.all([
    // The last year and 15 days: the chart, the previous period, a year ago, the nearest season window.
    deps.prices.history(r.commodityId, r.marketId, itemOf(r), {
      from: addDays(oneYearBefore(r.date), -SEASON_WINDOW_DAYS),
      to: r.date,
      limit: 1000,
    }),
    ...seasonWindows(r.date)
      .slice(0, -1)
      .map((w) =>
        deps.prices.history(r.commodityId, r.marketId, itemOf(r), { ...w, limit: 2 * SEASON_WINDOW_DAYS + 1 }),
      ),
  ]);
  const history = [...older.flatMap((p) => p.items), ...recent!.items];
  const previous =
    findPrevious(history, r.date) ??
    (await deps.prices.previousBefore({ commodityId: r.commodityId, marketId: r.marketId, ...itemOf(r) }, r.date));
  return {
    row: {
      r,
      commodity,
      market: catalog.markets.get(r.marketId),
      stale: isStale(r.date, day, commodity),
      previous,
      yearAgo: findYearAgo(history, r.date),
      season: seasonalAnomaly(history, r.date),
    } satisfies MarketRow,
    history: recent!.items,
  };
}

/**
 * A commodity's prices (by id; undefined when unknown): its latest price at each market with
 * its changes and season, and the chart of the last 12 months — the commodity's usual unit,
 * retail, ungraded, at each market or only at `marketId` when that names a market.
 */
export async function commodityPrices(
  deps: PageReadDeps,
  commodityId: string,
  marketId?: string,
): Promise<{ commodity: Commodity; rows: MarketRow[]; chart: CommodityChart } | undefined> {
  const catalog = await deps.catalog();
  const commodity = catalog.commodities.get(commodityId);
  if (!commodity) return undefined;
  const day = shanghaiDay(deps.now());
  const latest = await deps.prices.latestForCommodity(commodity.id, LATEST_ROWS_PER_COMMODITY);
  const read = await Promise.all(latest.map((r) => marketRow(deps, r, commodity, catalog, day)));
  const main = read.filter(
    (x) => x.row.r.unit === commodity.defaultUnit && x.row.r.kind === 'retail' && x.row.r.grade === undefined,
  );
  const first = read[0]?.row.r;
  const plotted = main.length
    ? main
    : read.filter((x) => x.row.r.unit === first?.unit && x.row.r.kind === first?.kind && x.row.r.grade === undefined);
  const chosen = catalog.markets.get(marketId ?? '');
  const to = plotted.reduce((d, x) => (x.row.r.date > d ? x.row.r.date : d), day);
  const trend = trendSeries(
    plotted
      .filter((x) => !chosen || x.row.r.marketId === chosen.id)
      .map((x) => ({ key: x.row.r.marketId, history: x.history })),
    oneYearBefore(to),
    to,
  );
  return {
    commodity,
    rows: read.map((x) => x.row),
    chart: {
      trend,
      unit: plotted[0]?.row.r.unit ?? commodity.defaultUnit,
      kind: plotted[0]?.row.r.kind ?? 'retail',
      market: chosen,
      markets: plotted.map((x) => x.row.market).filter((m): m is Market => m !== undefined),
    },
  };
}

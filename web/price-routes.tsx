/**
 * Public price pages (issue 4): latest prices, a commodity's prices with its trend chart, a
 * market's bulletin, and a printable price sheet. Server-rendered; no script.
 *
 * Reads: /prices and /prices/sheet read the latest partition of every commodity (1 Query each,
 * ~30, in parallel, never any history); /prices/<commodity> reads its latest partition, then per
 * market row 3 Queries (the last 12 months + 15 days, and the same season 2 and 3 years
 * back); the bulletin reads 1 Query for the day's items and 1 per item for what it is
 * compared with, plus the market's recent dates.
 */
import { type Context, Hono } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import { addDays, oneYearBefore, shanghaiDay } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import { findPrevious, findYearAgo } from '#core/prices/change.ts';
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord } from '#core/prices/ports.ts';
import { isStale } from '#core/prices/stale.ts';
import {
  type Bulletin,
  type Compare,
  marketBulletin,
  SEASON_WINDOW_DAYS,
  seasonalAnomaly,
  seasonWindows,
  trendSeries,
} from '#core/prices/summary.ts';
import { resolve } from '#core/prices/use-cases.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { commodityGroups, type Market } from '#core/reference/schemas.ts';
import type { AppDeps, AppEnv } from '#http/env.ts';
import type { PriceView } from './components/price-cells.tsx';
import { BulletinPage } from './pages/bulletin.tsx';
import { PriceSheetPage } from './pages/price-sheet.tsx';
import { CommodityPricesPage, type LatestRow, PriceListPage } from './pages/prices.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

/** Like sendPage, with the 400 a bad bulletin request gets. */
const send = (c: Context<AppEnv>, page: JSX.Element, status: 200 | 400 | 404 = 200) => {
  c.header('Cache-Control', 'private, no-cache');
  return c.html(`<!DOCTYPE html>${page}`, status);
};

const itemOf = (r: PriceRecord) => ({
  kind: r.kind,
  unit: r.unit,
  ...(r.grade !== undefined ? { grade: r.grade } : {}),
});

export function priceWebRoutes(deps: AppDeps) {
  const web = new Hono<AppEnv>();
  const view = async (c: Context<AppEnv>) => ({
    ctx: pageContext(c),
    v: { t: c.get('t'), lang: c.get('language'), catalog: await deps.catalog() } satisfies PriceView,
  });
  const today = () => shanghaiDay(deps.now());
  const markets = (catalog: Catalog) => [...catalog.markets.values()];

  /** Every latest price of every commodity (the latest partitions only), in group order. */
  async function latestAll(catalog: Catalog): Promise<LatestRow[]> {
    const commodities = [...catalog.commodities.values()].sort(
      (a, b) => commodityGroups.indexOf(a.group) - commodityGroups.indexOf(b.group),
    );
    const rows = await Promise.all(
      commodities.map((c) => deps.prices.latestForCommodity(c.id, LATEST_ROWS_PER_COMMODITY)),
    );
    const day = today();
    return commodities.flatMap((c, i) =>
      rows[i]!.map((r) => ({
        r,
        commodity: c,
        market: catalog.markets.get(r.marketId),
        stale: isStale(r.date, day, c),
      })),
    );
  }

  web.get('/prices', async (c) => {
    const { ctx, v } = await view(c);
    const newest = new Map<string, LatestRow>();
    for (const row of await latestAll(v.catalog)) {
      const had = newest.get(row.commodity.id);
      // The newest date; on a tie, the commodity's usual unit.
      if (
        !had ||
        row.r.date > had.r.date ||
        (row.r.date === had.r.date &&
          row.r.unit === row.commodity.defaultUnit &&
          had.r.unit !== row.commodity.defaultUnit)
      )
        newest.set(row.commodity.id, row);
    }
    return send(c, <PriceListPage ctx={ctx} v={v} rows={[...newest.values()]} />);
  });

  web.get('/prices/sheet', async (c) => {
    const { ctx, v } = await view(c);
    const asked = c.req.query('market');
    let market: Market | undefined;
    try {
      market = asked ? resolve(v.catalog, 'market', asked) : undefined;
    } catch {
      return renderNotFound(c);
    }
    const rows = market ? (await latestAll(v.catalog)).filter((x) => x.r.marketId === market.id) : [];
    return send(c, <PriceSheetPage ctx={ctx} v={v} market={market} markets={markets(v.catalog)} rows={rows} />);
  });

  web.get('/prices/bulletin', async (c) => {
    const { ctx, v } = await view(c);
    const q = c.req.query();
    const compare: Compare = q.compare === 'year' ? 'year' : 'previous';
    let bulletin: Bulletin | undefined;
    let error: string | undefined;
    let status: 200 | 400 = 200;
    if (q.market) {
      try {
        bulletin = await marketBulletin(deps, { market: q.market, date: q.date || undefined, compare });
      } catch (err) {
        if (!(err instanceof AppError) || err.code !== 'validation_failed') throw err;
        const d = err.details[0];
        error = d?.key ? ctx.t(d.key, d.params ?? {}) : (d?.message ?? '');
        status = 400;
      }
    }
    const dates = bulletin ? await deps.prices.marketDates(bulletin.market.id, 12) : [];
    if (bulletin?.date && !dates.includes(bulletin.date)) {
      dates.push(bulletin.date);
      dates.sort().reverse();
    }
    const page = (
      <BulletinPage
        ctx={ctx}
        v={v}
        markets={markets(v.catalog)}
        commodities={v.catalog.commodities}
        bulletin={bulletin}
        dates={dates}
        error={error}
      />
    );
    return send(c, page, status);
  });

  web.get('/prices/:commodity', async (c) => {
    const { ctx, v } = await view(c);
    const commodity = v.catalog.commodities.get(c.req.param('commodity'));
    if (!commodity) return renderNotFound(c);
    const day = today();
    const latest = await deps.prices.latestForCommodity(commodity.id, LATEST_ROWS_PER_COMMODITY);
    const rows = await Promise.all(
      latest.map(async (r) => {
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
          (await deps.prices.previousBefore(
            { commodityId: r.commodityId, marketId: r.marketId, ...itemOf(r) },
            r.date,
          ));
        return {
          r,
          commodity,
          market: v.catalog.markets.get(r.marketId),
          stale: isStale(r.date, day, commodity),
          previous,
          yearAgo: findYearAgo(history, r.date),
          season: seasonalAnomaly(history, r.date),
          history: recent!.items,
        };
      }),
    );
    // The chart: the commodity's usual unit, retail, ungraded, at each market (or the chosen one).
    const main = rows.filter(
      (x) => x.r.unit === commodity.defaultUnit && x.r.kind === 'retail' && x.r.grade === undefined,
    );
    const plotted = main.length
      ? main
      : rows.filter((x) => x.r.unit === rows[0]?.r.unit && x.r.kind === rows[0]?.r.kind && x.r.grade === undefined);
    const chosen = v.catalog.markets.get(c.req.query('market') ?? '');
    const to = plotted.reduce((d, x) => (x.r.date > d ? x.r.date : d), day);
    const trend = trendSeries(
      plotted
        .filter((x) => !chosen || x.r.marketId === chosen.id)
        .map((x) => ({ key: x.r.marketId, history: x.history })),
      oneYearBefore(to),
      to,
    );
    const chartMarkets = plotted.map((x) => x.market).filter((m): m is Market => m !== undefined);
    const chart = {
      trend,
      unit: plotted[0]?.r.unit ?? commodity.defaultUnit,
      kind: plotted[0]?.r.kind ?? 'retail',
      market: chosen,
      markets: chartMarkets,
    };
    return send(c, <CommodityPricesPage ctx={ctx} v={v} commodity={commodity} rows={rows} chart={chart} />);
  });

  return web;
}

/**
 * Public price pages: latest prices, a commodity's prices with its trend chart, a
 * market's bulletin, and a printable price sheet. Server-rendered; no script. What each reads
 * is core's (core/prices/page-reads.ts, core/prices/bulletin.ts): a route calls one use-case and
 * renders.
 */
import { type Context, Hono } from 'hono';
import { AppError } from '#core/errors.ts';
import { type Bulletin, type Compare, marketBulletin } from '#core/prices/bulletin.ts';
import { bulletinDates, commodityPrices, newestPerCommodity, priceSheet } from '#core/prices/page-reads.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import type { PriceView } from './components/price-cells.tsx';
import type { PageDeps, PageEnv } from './kit.ts';
import { BulletinPage } from './pages/bulletin.tsx';
import { PriceSheetPage } from './pages/price-sheet.tsx';
import { CommodityPricesPage, PriceListPage } from './pages/prices.tsx';
import { sendPage } from './render.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

export function priceWebRoutes(deps: PageDeps) {
  const web = new Hono<PageEnv>();
  const view = async (c: Context<PageEnv>) => ({
    ctx: pageContext(c),
    v: { t: c.get('t'), lang: c.get('language'), catalog: await deps.catalog() } satisfies PriceView,
  });
  const markets = (catalog: Catalog) => [...catalog.markets.values()];

  web.get('/prices', async (c) => {
    const { ctx, v } = await view(c);
    return sendPage(c, <PriceListPage ctx={ctx} v={v} rows={await newestPerCommodity(deps)} />);
  });

  web.get('/prices/sheet', async (c) => {
    const { ctx, v } = await view(c);
    let sheet: Awaited<ReturnType<typeof priceSheet>>;
    try {
      sheet = await priceSheet(deps, c.req.query('market'));
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') return renderNotFound(c);
      throw err;
    }
    const { market, rows } = sheet;
    return sendPage(c, <PriceSheetPage ctx={ctx} v={v} market={market} markets={markets(v.catalog)} rows={rows} />);
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
    const dates = await bulletinDates(deps.prices, bulletin);
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
    return sendPage(c, page, status);
  });

  web.get('/prices/:commodity', async (c) => {
    const { ctx, v } = await view(c);
    const found = await commodityPrices(deps, c.req.param('commodity'), c.req.query('market'));
    if (!found) return renderNotFound(c);
    const { commodity, rows, chart } = found;
    return sendPage(c, <CommodityPricesPage ctx={ctx} v={v} commodity={commodity} rows={rows} chart={chart} />);
  });

  return web;
}

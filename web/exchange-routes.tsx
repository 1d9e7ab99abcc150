/**
 * Public exchange pages: /market (open offers by side, commodity and region, newest first, a
 * page at a time) and /market/{code} (one offer and how to write to its owner by SMS).
 * Server-rendered, no script; what they read is the exchange's public view (no phone number).
 */
import { Hono } from 'hono';
import { AppError } from '#core/errors.ts';
import type { Side } from '#core/exchange/listing.ts';
import { commodityChoices, offerCode, offerNamer, regionChoices } from './components/offer-bits.tsx';
import type { PageDeps, PageEnv } from './kit.ts';
import { ExchangeListPage, type MarketFilter, OfferPage } from './pages/exchange.tsx';
import { sendPage } from './render.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

/**
 * Offers on one page of /market: enough to scan, small enough that the page of a commodity
 * with a thousand open offers stays a few kilobytes (figures: npm run bench).
 */
export const MARKET_PAGE_SIZE = 30;

export function exchangeWebRoutes(deps: PageDeps) {
  const web = new Hono<PageEnv>();

  web.get('/market', async (c) => {
    const ctx = pageContext(c);
    const exchange = deps.exchange;
    const catalog = await deps.catalog();
    const q = c.req.query();
    // Values no select offers are dropped rather than refused: a shared link still shows offers.
    const filter: MarketFilter = {
      side: (q.side === 'buy' ? 'buy' : 'sell') satisfies Side,
      commodity: q.commodity && catalog.commodities.has(q.commodity) ? q.commodity : undefined,
      region: q.region && catalog.regions.has(q.region) ? q.region : undefined,
    };
    const query = {
      side: filter.side,
      limit: MARKET_PAGE_SIZE,
      ...(filter.commodity ? { commodityId: filter.commodity } : {}),
      ...(filter.region ? { regionId: filter.region } : {}),
    };
    const cursor = q.cursor && q.cursor.length <= 1024 ? q.cursor : undefined;
    // A cursor from an old link (or typed by hand) starts the list again instead of failing.
    const page = await exchange.publicList({ ...query, ...(cursor ? { cursor } : {}) }).catch((err) => {
      if (err instanceof AppError && err.code === 'invalid_cursor') return exchange.publicList(query);
      throw err;
    });
    const view = {
      filter,
      items: page.items,
      cursor: page.cursor,
      commodities: commodityChoices(catalog, ctx.lang),
      regions: regionChoices(catalog, ctx.lang),
      names: offerNamer(catalog, ctx.lang),
    };
    return sendPage(c, <ExchangeListPage ctx={ctx} view={view} />);
  });

  web.get('/market/:code', async (c) => {
    const code = offerCode(c.req.param('code'));
    if (!code) return renderNotFound(c);
    // The address names the offer as everyone writes it: /market/l4821 and /market/4821 go to /market/L4821.
    if (code !== c.req.param('code')) return c.redirect(`/market/${code}${new URL(c.req.url).search}`, 301);
    const offer = await deps.exchange.publicGet(code);
    if (!offer) return renderNotFound(c);
    const ctx = pageContext(c);
    const names = offerNamer(await deps.catalog(), ctx.lang);
    return sendPage(c, <OfferPage ctx={ctx} offer={offer} names={names} smsNumber={deps.smsNumber} />);
  });

  return web;
}

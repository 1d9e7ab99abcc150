import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppError } from '#core/errors.ts';
import type { ReferenceRepository } from '#core/reference/ports.ts';
import type { PageContext } from './components/layout.tsx';
import type { PageEnv } from './kit.ts';
import { CommodityListPage, CommodityPage } from './pages/commodities.tsx';
import { HomePage } from './pages/home.tsx';
import { MarketListPage, MarketPage } from './pages/markets.tsx';
import { ErrorPage, NotFoundPage, ProblemPage } from './pages/not-found.tsx';
import { RegionListPage, RegionPage } from './pages/regions.tsx';
import { CsrfFailedPage } from './pages/sign-in.tsx';
import { sendPage } from './render.tsx';

export const pageContext = (c: Context<PageEnv>): PageContext => {
  const { pathname, search } = new URL(c.req.url);
  return { lang: c.get('language'), t: c.get('t'), path: c.req.path, url: pathname + search };
};

/** Reference data is small (tens of items): pages read a whole kind in one Query. */
const ALL = { limit: 200 };

export const renderNotFound = (c: Context<PageEnv>) => sendPage(c, <NotFoundPage ctx={pageContext(c)} />, 404);

/** Server-rendered pages: every one works with JavaScript off. */
export function webRoutes(reference: ReferenceRepository) {
  const web = new Hono<PageEnv>();

  web.get('/', async (c) => {
    const [commodities, regions, markets] = await Promise.all([
      reference.listCommodities(ALL),
      reference.listRegions(ALL),
      reference.listMarkets(ALL),
    ]);
    const counts = {
      commodities: commodities.items.length,
      regions: regions.items.length,
      markets: markets.items.length,
    };
    return sendPage(c, <HomePage ctx={pageContext(c)} counts={counts} />);
  });

  web.get('/commodities', async (c) => {
    const { items } = await reference.listCommodities(ALL);
    return sendPage(c, <CommodityListPage ctx={pageContext(c)} commodities={items} />);
  });

  web.get('/commodities/:id', async (c) => {
    const commodity = await reference.getCommodity(c.req.param('id'));
    if (!commodity) return renderNotFound(c);
    const units = await reference.listUnits();
    return sendPage(
      c,
      <CommodityPage
        ctx={pageContext(c)}
        commodity={commodity}
        unit={units.find((u) => u.id === commodity.defaultUnit)}
      />,
    );
  });

  web.get('/regions', async (c) => {
    const { items } = await reference.listRegions(ALL);
    return sendPage(c, <RegionListPage ctx={pageContext(c)} regions={items} />);
  });

  web.get('/regions/:id', async (c) => {
    const region = await reference.getRegion(c.req.param('id'));
    if (!region) return renderNotFound(c);
    const [parent, children, markets] = await Promise.all([
      region.parentId ? reference.getRegion(region.parentId) : undefined,
      reference.listRegions({ ...ALL, parentId: region.id }),
      reference.listMarkets({ ...ALL, regionId: region.id }),
    ]);
    return sendPage(
      c,
      <RegionPage
        ctx={pageContext(c)}
        region={region}
        parent={parent}
        children={children.items}
        markets={markets.items}
      />,
    );
  });

  web.get('/markets', async (c) => {
    const { items } = await reference.listMarkets(ALL);
    return sendPage(c, <MarketListPage ctx={pageContext(c)} markets={items} />);
  });

  web.get('/markets/:id', async (c) => {
    const market = await reference.getMarket(c.req.param('id'));
    if (!market) return renderNotFound(c);
    const region = market.regionId ? await reference.getRegion(market.regionId) : undefined;
    return sendPage(c, <MarketPage ctx={pageContext(c)} market={market} region={region} />);
  });

  return web;
}

export const renderError = (c: Context<PageEnv>) =>
  sendPage(c, <ErrorPage ctx={pageContext(c)} requestId={c.get('requestId')} />, 500);

/**
 * A known problem (too large, forbidden, conflict…) met on a page: its translated title and
 * detail, with its status and the headers the app gives it (a 429's Retry-After, as the API's).
 */
export const renderProblemPage = (c: Context<PageEnv>, err: AppError, headers: Record<string, string> = {}) => {
  for (const [name, value] of Object.entries(headers)) c.header(name, value);
  return sendPage(
    c,
    <ProblemPage ctx={pageContext(c)} code={err.code} params={err.params} requestId={c.get('requestId')} />,
    err.status as ContentfulStatusCode,
  );
};

/** A form whose CSRF check failed: a 403 page with the way back to where the form was. */
export function renderCsrfFailure(c: Context<PageEnv>) {
  const back = c.req.path.startsWith('/staff') ? '/staff' : c.req.path.startsWith('/sign-in') ? '/sign-in' : '/';
  return sendPage(c, <CsrfFailedPage ctx={pageContext(c)} back={back} />, 403);
}

import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { notFound } from '#core/errors.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { validationHook } from '../validation.ts';
import { Commodity, Market, Region, Unit, idParam, pageOf, pageQuery, problemResponses } from './schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({
  200: { description, content: { 'application/json': { schema } } },
  ...problemResponses,
});

const CACHE = 'public, max-age=300';

/** Reference data: commodities, regions, markets, units. Read-only, cacheable. */
export function referenceRoutes({ reference }: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.openapi(
    createRoute({ method: 'get', path: '/commodities', tags: ['reference'], summary: 'List commodities', request: { query: pageQuery }, responses: json(pageOf(Commodity), 'A page of commodities') }),
    async (c) => {
      const { limit = 100, cursor } = c.req.valid('query');
      c.header('Cache-Control', CACHE);
      return c.json(await reference.listCommodities({ limit, cursor }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/commodities/{id}', tags: ['reference'], summary: 'One commodity', request: { params: idParam }, responses: json(Commodity, 'The commodity') }),
    async (c) => {
      const { id } = c.req.valid('param');
      const item = await reference.getCommodity(id);
      if (!item) throw notFound('commodity', id);
      c.header('Cache-Control', CACHE);
      return c.json(item, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/regions', tags: ['reference'], summary: 'List regions (all, or the children of one)',
      request: { query: pageQuery.extend({ parent: z.string().max(100).optional().describe('Only regions directly under this region id') }) },
      responses: json(pageOf(Region), 'A page of regions'),
    }),
    async (c) => {
      const { limit = 100, cursor, parent } = c.req.valid('query');
      c.header('Cache-Control', CACHE);
      return c.json(await reference.listRegions({ limit, cursor, parentId: parent }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/regions/{id}', tags: ['reference'], summary: 'One region', request: { params: idParam }, responses: json(Region, 'The region') }),
    async (c) => {
      const { id } = c.req.valid('param');
      const item = await reference.getRegion(id);
      if (!item) throw notFound('region', id);
      c.header('Cache-Control', CACHE);
      return c.json(item, 200);
    },
  );
  app.openapi(
    createRoute({
      method: 'get', path: '/markets', tags: ['reference'], summary: 'List markets (all, or those in one region)',
      request: { query: pageQuery.extend({ region: z.string().max(100).optional().describe('Only markets in this region id') }) },
      responses: json(pageOf(Market), 'A page of markets'),
    }),
    async (c) => {
      const { limit = 100, cursor, region } = c.req.valid('query');
      c.header('Cache-Control', CACHE);
      return c.json(await reference.listMarkets({ limit, cursor, regionId: region }), 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/markets/{id}', tags: ['reference'], summary: 'One market', request: { params: idParam }, responses: json(Market, 'The market') }),
    async (c) => {
      const { id } = c.req.valid('param');
      const item = await reference.getMarket(id);
      if (!item) throw notFound('market', id);
      c.header('Cache-Control', CACHE);
      return c.json(item, 200);
    },
  );
  app.openapi(
    createRoute({ method: 'get', path: '/units', tags: ['reference'], summary: 'Units prices are quoted in', responses: json(z.object({ items: z.array(Unit) }), 'All units') }),
    async (c) => {
      c.header('Cache-Control', CACHE);
      return c.json({ items: await reference.listUnits() }, 200);
    },
  );
  return app;
}

import { notFound } from '#core/errors.ts';
import { auditEntry } from '#core/staff/audit.ts';
import { guard } from '#core/staff/guard.ts';
import { ALL_REGIONS } from '#core/staff/roles.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf } from '../middleware/auth.ts';
import { ApiRouter } from '../openapi.ts';
import {
  Commodity,
  describe,
  idParam,
  json,
  Market,
  pageFields,
  pageOf,
  pageQuery,
  problem,
  Region,
  Unit,
} from './schemas.ts';

const CACHE = 'public, max-age=300';
const tags = ['reference'];
const notFoundResponses = { 400: problem('Invalid input'), 404: problem('Not found') };

/** Reference data: commodities, regions, markets, units. Cacheable reads; admins may set a commodity's stale days. */
export function referenceRoutes(deps: AppDeps) {
  const { reference } = deps;
  const api = new ApiRouter<AppEnv>();

  api.route(
    {
      method: 'get',
      path: '/commodities',
      tags,
      summary: 'List commodities',
      query: pageQuery,
      responses: { 200: json(pageOf(Commodity), 'A page of commodities'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      c.header('Cache-Control', CACHE);
      return c.json(await reference.listCommodities({ limit: query.limit, cursor: query.cursor }));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/commodities/{id}',
      tags,
      summary: 'One commodity',
      params: idParam,
      responses: { 200: json(Commodity, 'The commodity'), ...notFoundResponses },
    },
    async (c, { params }) => {
      const item = await reference.getCommodity(params.id);
      if (!item) throw notFound('commodity', params.id);
      c.header('Cache-Control', CACHE);
      return c.json(item);
    },
  );

  api.route(
    {
      method: 'put',
      path: '/commodities/{id}/stale-days',
      tags,
      auth: true,
      summary: "Set after how many days the commodity's latest price shows as old (admins; null restores 14)",
      params: idParam,
      body: z.object({ staleDays: z.nullable(z.number().check(z.int(), z.minimum(1), z.maximum(366))) }),
      responses: {
        200: json(Commodity, 'Saved; SMS replies and pages follow within 5 minutes'),
        ...notFoundResponses,
        401: problem('Not signed in'),
        403: problem('Admins only (logged)'),
      },
    },
    async (c, { params, body }) => {
      const acting = actingOf(c);
      await guard(deps, acting, 'reference.edit', [ALL_REGIONS]);
      const item = await reference.setCommodityStaleDays(params.id, body.staleDays, acting.actor.phone);
      if (!item) throw notFound('commodity', params.id);
      await deps.audit.record(
        auditEntry(
          {
            actor: acting.actor.phone,
            action: 'commodity.stale_days',
            target: params.id,
            outcome: 'ok',
            detail: { staleDays: body.staleDays ?? 'default' },
            ...(acting.requestId ? { requestId: acting.requestId } : {}),
          },
          deps.now(),
        ),
      );
      return c.json(item, 200);
    },
  );

  const regionQuery = z.object({
    ...pageFields,
    parent: describe(z.optional(z.string().check(z.maxLength(100))), 'Only regions directly under this region id'),
  });
  api.route(
    {
      method: 'get',
      path: '/regions',
      tags,
      summary: 'List regions (all, or the children of one)',
      query: regionQuery,
      responses: { 200: json(pageOf(Region), 'A page of regions'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      c.header('Cache-Control', CACHE);
      return c.json(await reference.listRegions({ limit: query.limit, cursor: query.cursor, parentId: query.parent }));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/regions/{id}',
      tags,
      summary: 'One region',
      params: idParam,
      responses: { 200: json(Region, 'The region'), ...notFoundResponses },
    },
    async (c, { params }) => {
      const item = await reference.getRegion(params.id);
      if (!item) throw notFound('region', params.id);
      c.header('Cache-Control', CACHE);
      return c.json(item);
    },
  );

  const marketQuery = z.object({
    ...pageFields,
    region: describe(z.optional(z.string().check(z.maxLength(100))), 'Only markets in this region id'),
  });
  api.route(
    {
      method: 'get',
      path: '/markets',
      tags,
      summary: 'List markets (all, or those in one region)',
      query: marketQuery,
      responses: { 200: json(pageOf(Market), 'A page of markets'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      c.header('Cache-Control', CACHE);
      return c.json(await reference.listMarkets({ limit: query.limit, cursor: query.cursor, regionId: query.region }));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/markets/{id}',
      tags,
      summary: 'One market',
      params: idParam,
      responses: { 200: json(Market, 'The market'), ...notFoundResponses },
    },
    async (c, { params }) => {
      const item = await reference.getMarket(params.id);
      if (!item) throw notFound('market', params.id);
      c.header('Cache-Control', CACHE);
      return c.json(item);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/units',
      tags,
      summary: 'Units prices are quoted in',
      responses: { 200: json(z.object({ items: z.array(Unit) }), 'All units') },
    },
    async (c) => {
      c.header('Cache-Control', CACHE);
      return c.json({ items: await reference.listUnits() });
    },
  );

  return api;
}

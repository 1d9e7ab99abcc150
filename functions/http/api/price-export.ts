/**
 * Open data and the CSV downloads: approved prices as JSON pages (GET /prices) and as
 * CSV (GET /prices.csv) — one item at one market, a commodity at every market, a market's every
 * commodity, or everything — plus the import template. The CSV uses our template's columns, so
 * an export can be edited in Excel and imported again. In the http Lambda (public GETs, cached):
 * writing CSV needs no parser (core/prices/csv/template.ts), so this costs the bundle ~2 KB,
 * while the import route and csv-parse live in the import Lambda.
 */

import { shanghaiDay } from '#core/dates.ts';
import { templateCsv } from '#core/prices/csv/template.ts';
import { priceKinds } from '#core/prices/observation.ts';
import { openDataReader } from '#core/prices/open-data.ts';
import { openPriceCsvLine, openPriceCsvStart, openPriceRecord } from '#core/prices/open-data-export.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { ApiRouter, component } from '../openapi.ts';
import { priceImportSpec } from './price-import-spec.ts';
import { historyQuery, priceWireShape } from './prices.ts';
import { describe, json, pageFields, pageOf, problem } from './schemas.ts';

const csvResponse = (description: string) => ({ description, schema: z.string(), contentType: 'text/csv' });
/** History pages read per request while streaming. */
const PAGE = 500;

const attachment = (name: string) => `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`;

/**
 * The filters of both reads. Without a market: every market's prices of the commodity; without
 * a commodity: every commodity's; without either: everything. Only with both is the item
 * defaulted (the commodity's usual unit, retail); otherwise unit, kind and grade only narrow.
 */
const openDataQuery = {
  ...historyQuery,
  commodity: describe(
    z.optional(historyQuery.commodity),
    'Commodity id or any of its names; without it, every commodity',
  ),
  market: describe(z.optional(historyQuery.market), 'Market id or any of its names; without it, every market'),
  unit: describe(
    z.optional(z.string().check(z.maxLength(20))),
    "Only this unit. With both commodity and market the default is the commodity's usual unit; otherwise every unit",
  ),
  kind: describe(
    z.optional(z.enum(priceKinds)),
    'Only this kind. With both commodity and market the default is retail; otherwise every kind',
  ),
};

/** An approved price as open data: where, when, what item, how much and from what source — no phone numbers. */
const OpenPrice = component(
  'OpenPrice',
  z.object({
    identity: describe(z.string(), 'commodity|market|date|kind|grade|unit, each part URL-encoded'),
    commodityId: z.string(),
    ...priceWireShape,
    source: z.string(),
    approvedAt: z.optional(z.string()),
  }),
  'An approved price: its market, kind, grade and unit with the price',
);

/** The same record as the daily open-data snapshot's JSON Lines (core/prices/open-data-export.ts). */
const openPrice = openPriceRecord;

const ordering =
  'Order: one item at one market by date; a commodity by date, then market, kind, grade, unit; a market by date, then commodity, kind, grade, unit; everything commodity by commodity (by id), each as a commodity.';

export function priceExportRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const tags = ['prices'];
  const openData = { catalog: deps.catalog, prices: deps.prices, openPrices: deps.openPrices };

  api.route(
    {
      method: 'get',
      path: '/prices',
      tags,
      summary: 'Approved prices, paged: of one item at one market, of a commodity at every market, of a market, or all',
      description: `${ordering} A page may hold fewer than \`limit\` rows when kind, unit or grade filter out many: follow \`cursor\` until it is absent.`,
      query: z.object({ ...pageFields, ...openDataQuery }),
      responses: {
        200: json(pageOf(OpenPrice), 'A page of approved prices'),
        400: problem(
          'Invalid input, an unknown commodity or market (with the closest names), or a cursor from another list',
        ),
      },
    },
    async (c, { query }) => {
      const { page } = await openDataReader(openData, query);
      const found = await page({ limit: query.limit, ...(query.cursor ? { cursor: query.cursor } : {}) });
      c.header('Cache-Control', 'public, max-age=60');
      return c.json({ items: found.items.map(openPrice), ...(found.cursor ? { cursor: found.cursor } : {}) }, 200);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/prices/template.csv',
      tags,
      summary: 'The CSV template for POST /prices/import (UTF-8 with BOM, one example row)',
      responses: { 200: csvResponse('The template') },
    },
    async (c) => {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', attachment('zhingdrok-prices-template.csv'));
      c.header('Cache-Control', 'public, max-age=3600');
      return c.body(templateCsv({ date: shanghaiDay(deps.now()) }));
    },
  );

  api.route(
    {
      method: 'get',
      path: '/prices.csv',
      tags,
      summary:
        'Approved prices as CSV, streamed (the template columns, so it imports again): as GET /prices, every page',
      description: ordering,
      query: z.object({
        ...openDataQuery,
        lang: describe(z.optional(z.enum(['bo', 'zh', 'en'])), 'Language of error messages'),
      }),
      responses: { 200: csvResponse('UTF-8 with BOM, CRLF, oldest first'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      const { commodity, market, page: read } = await openDataReader(openData, query);
      const pageAt = (cursor?: string) => read({ limit: PAGE, ...(cursor ? { cursor } : {}) });
      // The first page before any byte is sent, so a store failure is still a proper error.
      let page: Awaited<ReturnType<typeof pageAt>> | undefined = await pageAt();
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(openPriceCsvStart));
        },
        // One page per pull: memory stays flat however long the history.
        async pull(controller) {
          if (!page) return controller.close();
          // The same lines as the daily open-data snapshot's CSV.
          const lines = page.items.map(openPriceCsvLine);
          if (lines.length) controller.enqueue(encoder.encode(lines.join('')));
          page = page.cursor ? await pageAt(page.cursor) : undefined;
        },
      });
      c.header('Content-Type', 'text/csv; charset=utf-8');
      const name = [commodity?.id, market?.id].filter(Boolean).join('-') || 'all';
      c.header(
        'Content-Disposition',
        attachment(`prices-${name}${query.from ? `-${query.from}` : ''}${query.to ? `-${query.to}` : ''}.csv`),
      );
      c.header('Cache-Control', 'public, max-age=60');
      return c.body(body);
    },
  );
  // Listed in this app's OpenAPI document; served by the import routes (another Lambda in AWS).
  api.specs.push(priceImportSpec as (typeof api.specs)[number]);
  return api;
}

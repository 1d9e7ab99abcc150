/**
 * Price CSV downloads: the import template and the export of approved prices, in our
 * template's columns, so an export can be edited in Excel and imported again. In the http
 * Lambda (public GETs, cached): writing CSV needs no parser (core/prices/csv/template.ts), so
 * this costs the bundle ~2 KB, while the import route and csv-parse live in the import Lambda.
 */
import { formatFen } from '#core/prices/money.ts';
import { csvHeaderLine, csvLine, templateCsv, UTF8_BOM } from '#core/prices/csv/template.ts';
import { historyReader } from '#core/prices/use-cases.ts';
import { shanghaiDay } from '#core/time.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { ApiRouter } from '../openapi.ts';
import { priceImportSpec } from './price-import-spec.ts';
import { historyQuery } from './prices.ts';
import { describe, problem } from './schemas.ts';

const csvResponse = (description: string) => ({ description, schema: z.string(), contentType: 'text/csv' });
/** History pages read per request while streaming. */
const PAGE = 500;

const attachment = (name: string) => `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`;

export function priceExportRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const tags = ['prices'];

  api.route(
    {
      method: 'get', path: '/prices/template.csv', tags, summary: 'The CSV template for POST /prices/import (UTF-8 with BOM, one example row)',
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
      method: 'get', path: '/prices.csv', tags,
      summary: 'Approved history of one item at one market as CSV (the template columns: it imports again)',
      query: z.object({
        ...historyQuery,
        lang: describe(z.optional(z.enum(['bo', 'zh', 'en'])), 'Language of error messages'),
      }),
      responses: { 200: csvResponse('UTF-8 with BOM, CRLF, oldest first'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      const { commodity, market, page: read } = await historyReader(deps, query);
      const pageAt = (cursor?: string) => read({ limit: PAGE, ...(cursor ? { cursor } : {}) });
      // The first page before any byte is sent, so a store failure is still a proper error.
      let page: Awaited<ReturnType<typeof pageAt>> | undefined = await pageAt();
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode(UTF8_BOM + csvHeaderLine));
        },
        // One page per pull: memory stays flat however long the history.
        async pull(controller) {
          if (!page) return controller.close();
          const lines = page.items.map((r) =>
            csvLine({ commodity: r.commodityId, market: r.marketId, date: r.date, price: formatFen(r.priceFen), unit: r.unit, grade: r.grade, kind: r.kind, source: r.source }),
          );
          if (lines.length) controller.enqueue(encoder.encode(lines.join('')));
          page = page.cursor ? await pageAt(page.cursor) : undefined;
        },
      });
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', attachment(`prices-${commodity.id}-${market.id}${query.from ? `-${query.from}` : ''}${query.to ? `-${query.to}` : ''}.csv`));
      c.header('Cache-Control', 'public, max-age=60');
      return c.body(body);
    },
  );
  // Listed in this app's OpenAPI document; served by the import routes (another Lambda in AWS).
  api.specs.push(priceImportSpec as (typeof api.specs)[number]);
  return api;
}

import { priceKinds } from '#core/prices/observation.ts';
import { marketBulletin } from '#core/prices/summary.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { ApiRouter, component } from '../openapi.ts';
import { describe, json, problem } from './schemas.ts';

const names = z.object({ bo: z.string(), zh: z.string(), en: z.string() });
const nullable = (s: z.ZodMiniType, d: string) => describe(z.nullable(s), d);

const PriceSummary = component(
  'PriceSummary',
  z.object({
    up: z.number().check(z.int()),
    down: z.number().check(z.int()),
    flat: describe(z.number().check(z.int()), 'Changes that round to 0.00%'),
    items: z.array(
      z.object({
        commodity: describe(z.string(), 'Commodity id'),
        price: describe(z.string(), "Yuan per unit: '4.50'"),
        compared: nullable(z.string(), 'The price compared with, or null when there is none'),
        changePct: nullable(z.number(), 'Percent change, 2 decimals, or null'),
        comparedDate: z.nullable(z.string()),
        unit: z.string(),
        grade: z.optional(z.string()),
        kind: z.enum(priceKinds),
        names,
      }),
    ),
    market: z.object({ id: z.string(), names }),
    date: nullable(z.string(), "The bulletin's date; null when the market has no approved price"),
    compare: z.enum(['previous', 'year']),
  }),
  "A market's bulletin for one date: each item's change and how many went up, down or stayed flat",
);

/** GET /prices/summary: the bulletin of a market and date (issue 4). */
export function priceSummaryRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  api.route(
    {
      method: 'get', path: '/prices/summary', tags: ['prices'],
      summary: "A market's price bulletin: up, down and flat, with each item's % change",
      description: 'Compared with the previous period (the latest earlier price of the same item) or the same period last year (nearest to a year before, ±7 days).',
      query: z.object({
        market: describe(z.string().check(z.minLength(1), z.maxLength(200)), 'Market id or any of its names'),
        date: describe(z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'))), "Default: the market's latest date with prices"),
        compare: z._default(z.enum(['previous', 'year']), 'previous'),
        lang: describe(z.optional(z.enum(['bo', 'zh', 'en'])), 'Language of error messages'),
      }),
      responses: { 200: json(PriceSummary, 'The bulletin'), 400: problem('Unknown market (with the closest names), or a date in the future or before 2000') },
    },
    async (c, { query }) => {
      const catalog = await deps.catalog();
      const b = await marketBulletin(deps, query);
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(
        {
          up: b.summary.up,
          down: b.summary.down,
          flat: b.summary.flat,
          items: b.summary.items.map((item, i) => {
            const { record: r, compared } = b.rows[i]!;
            const commodity = catalog.commodities.get(r.commodityId);
            return {
              ...item,
              comparedDate: compared?.date ?? null,
              unit: r.unit,
              ...(r.grade !== undefined ? { grade: r.grade } : {}),
              kind: r.kind,
              names: commodity?.names ?? { bo: '', zh: r.commodityId, en: r.commodityId },
            };
          }),
          market: { id: b.market.id, names: b.market.names },
          date: b.date ?? null,
          compare: b.compare,
        },
        200,
      );
    },
  );
  return api;
}

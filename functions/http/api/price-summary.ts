import { AppError } from '#core/errors.ts';
import { type Bulletin, marketBulletin } from '#core/prices/bulletin.ts';
import { priceKinds } from '#core/prices/observation.ts';
import { regionBulletin } from '#core/prices/region-bulletin.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { ApiRouter, component } from '../openapi.ts';
import { describe, json, problem } from './schemas.ts';

const names = z.object({ bo: z.string(), zh: z.string(), en: z.string() });
const nullable = (s: z.ZodMiniType, d: string) => describe(z.nullable(s), d);

const itemShape = {
  commodity: describe(z.string(), 'Commodity id'),
  price: describe(z.string(), "Yuan per unit: '4.50'"),
  compared: nullable(z.string(), 'The price compared with, or null when there is none'),
  changePct: nullable(z.number(), 'Percent change, 2 decimals, or null'),
  comparedDate: z.nullable(z.string()),
  unit: z.string(),
  grade: z.optional(z.string()),
  kind: z.enum(priceKinds),
  names,
};
const counts = {
  up: z.number().check(z.int()),
  down: z.number().check(z.int()),
  flat: describe(z.number().check(z.int()), 'Changes that round to 0.00%'),
};

const PriceSummary = component(
  'PriceSummary',
  z.object({
    ...counts,
    items: z.array(z.object(itemShape)),
    market: z.object({ id: z.string(), names }),
    date: nullable(z.string(), "The bulletin's date; null when the market has no approved price"),
    compare: z.enum(['previous', 'year']),
  }),
  "A market's bulletin for one date: each item's change and how many went up, down or stayed flat",
);

const RegionPriceSummary = component(
  'RegionPriceSummary',
  z.object({
    ...counts,
    region: z.object({ id: z.string(), names }),
    date: nullable(z.string(), "The date asked for; null when each market's latest date with prices was used"),
    compare: z.enum(['previous', 'year']),
    markets: describe(
      z.array(
        z.object({
          id: z.string(),
          names,
          date: nullable(z.string(), "This market's bulletin date; null when it has no approved price"),
          ...counts,
        }),
      ),
      'Every market in the region and the regions under it, by id, with its own counts',
    ),
    items: describe(
      z.array(
        z.object({
          market: describe(z.string(), 'Market id'),
          date: describe(z.string(), "The item's date"),
          ...itemShape,
        }),
      ),
      "Every market's items, market by market (by id), each market's in bureau order (grain first)",
    ),
  }),
  "A region's bulletin: the bulletins of every market in it and under it, added up",
);

/** A market bulletin's items as the API shows them (names from the catalog). */
function itemsOf(b: Bulletin, catalog: Catalog) {
  return b.summary.items.map((item, i) => {
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
  });
}

/** GET /prices/summary: the bulletin of a market and date. */
export function priceSummaryRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  api.route(
    {
      method: 'get',
      path: '/prices/summary',
      tags: ['prices'],
      summary: "A market's or a region's price bulletin: up, down and flat, with each item's % change",
      description:
        'Compared with the previous period (the latest earlier price of the same item) or the same period last year (nearest to a year before, ±7 days). ' +
        'Give `market` (a PriceSummary) or `region` (a RegionPriceSummary: every market in the region and the regions under it, added up), not both.',
      query: z.object({
        market: describe(
          z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
          'Market id or any of its names',
        ),
        region: describe(
          z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
          'Region id or a name that names only it (a prefecture covers its counties)',
        ),
        date: describe(
          z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'))),
          "Default: the market's latest date with prices",
        ),
        compare: z._default(z.enum(['previous', 'year']), 'previous'),
        lang: describe(z.optional(z.enum(['bo', 'zh', 'en'])), 'Language of error messages'),
      }),
      responses: {
        200: json(
          z.union([PriceSummary, RegionPriceSummary]),
          'The bulletin: a PriceSummary for a market, a RegionPriceSummary for a region',
        ),
        400: problem(
          'Neither or both of market and region, an unknown market (with the closest names) or region, or a date in the future or before 2000',
        ),
      },
    },
    async (c, { query }) => {
      const catalog = await deps.catalog();
      if ((query.market === undefined) === (query.region === undefined)) {
        throw new AppError('validation_failed', {}, [
          { path: 'query.market', message: 'Give market or region, not both', key: 'errors:price.market_or_region' },
        ]);
      }
      if (query.region !== undefined) {
        const r = await regionBulletin(deps, { region: query.region, date: query.date, compare: query.compare });
        c.header('Cache-Control', 'public, max-age=60');
        return c.json(
          {
            up: r.up,
            down: r.down,
            flat: r.flat,
            region: { id: r.region.id, names: r.region.names },
            date: r.date ?? null,
            compare: r.compare,
            markets: r.markets.map((b) => ({
              id: b.market.id,
              names: b.market.names,
              date: b.date ?? null,
              up: b.summary.up,
              down: b.summary.down,
              flat: b.summary.flat,
            })),
            items: r.markets.flatMap((b) =>
              itemsOf(b, catalog).map((item) => ({ market: b.market.id, date: b.date!, ...item })),
            ),
          },
          200,
        );
      }
      const b = await marketBulletin(deps, { market: query.market!, date: query.date, compare: query.compare });
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(
        {
          up: b.summary.up,
          down: b.summary.down,
          flat: b.summary.flat,
          items: itemsOf(b, catalog),
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

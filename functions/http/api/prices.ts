import type { Translator } from '#core/i18n.ts';
import { describeHold } from '#core/prices/change.ts';
import { observationIdentity, priceKinds, priceWire } from '#core/prices/observation.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import { latestPrices } from '#core/prices/reads.ts';
import { approvePrice, pendingPrices, rejectPrice } from '#core/prices/review.ts';
import { submitPrice } from '#core/prices/submit.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf } from '../middleware/auth.ts';
import { ApiRouter, component } from '../openapi.ts';
import { describe, json, pageFields, pageOf, problem } from './schemas.ts';

const dateText = z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'));

/** Which item's history: the filters of GET /prices and GET /prices.csv. */
export const historyQuery = {
  commodity: describe(z.string().check(z.minLength(1), z.maxLength(100)), 'Commodity id or any of its names'),
  market: describe(z.string().check(z.minLength(1), z.maxLength(200)), 'Market id or any of its names'),
  from: z.optional(dateText),
  to: z.optional(dateText),
  unit: describe(z.optional(z.string().check(z.maxLength(20))), "Default: the commodity's usual unit"),
  kind: z.optional(z.enum(priceKinds)),
  grade: z.optional(z.string().check(z.maxLength(60))),
};

/** A price on the wire (priceWire in core/prices/observation.ts): money as '4.50' beside the integer fen. */
export const priceWireShape = {
  marketId: z.string(),
  date: z.string(),
  price: describe(z.string(), "Yuan per unit, two decimals: '4.50'"),
  priceFen: z.number().check(z.int()),
  unit: z.string(),
  grade: z.optional(z.string()),
  kind: z.enum(priceKinds),
};

const PriceEntry = component(
  'PriceEntry',
  z.object({
    identity: describe(z.string(), 'Use in /prices/{identity}/approve and /reject (URL-encode it)'),
    commodityId: z.string(),
    ...priceWireShape,
    status: z.enum(['pending', 'approved', 'rejected']),
    version: z.number().check(z.int()),
    regionId: z.string(),
    source: z.string(),
    collector: z.string(),
    submittedAt: z.string(),
    reviewedBy: z.optional(z.string()),
    reviewedAt: z.optional(z.string()),
    rejectReason: z.optional(z.string()),
    holdReason: describe(
      z.optional(z.string()),
      'Why the entry was held for review (e.g. far above the recent median), in English',
    ),
    holdNote: describe(z.optional(z.string()), "The hold reason in the request's language"),
  }),
);

const LatestPrice = component(
  'LatestPrice',
  z.object({
    ...priceWireShape,
    market: z.optional(z.object({ bo: z.string(), zh: z.string(), en: z.string() })),
    stale: describe(z.boolean(), "Older than the commodity's stale days (14 unless set)"),
  }),
);

/** A stored record as the API shows it; `t` translates the hold reason into the request's language. */
function view(r: PriceRecord, t: Translator) {
  const hold = r.holdReason !== undefined ? describeHold(r.holdReason) : undefined;
  return {
    identity: observationIdentity(r),
    commodityId: r.commodityId,
    ...priceWire(r),
    status: r.status,
    version: r.version,
    regionId: r.regionId,
    source: r.source,
    collector: r.collector,
    submittedAt: r.submittedAt,
    ...(r.reviewedBy !== undefined ? { reviewedBy: r.reviewedBy } : {}),
    ...(r.reviewedAt !== undefined ? { reviewedAt: r.reviewedAt } : {}),
    ...(r.rejectReason !== undefined ? { rejectReason: r.rejectReason } : {}),
    ...(r.holdReason !== undefined ? { holdReason: r.holdReason } : {}),
    ...(hold ? { holdNote: t(hold.key, hold.params) } : {}),
  };
}

const errors = {
  400: problem('Invalid input'),
  401: problem('Not signed in'),
  403: problem('Outside your role or regions (logged)'),
};
const identityParam = z.object({
  identity: describe(z.string().check(z.minLength(1), z.maxLength(600)), 'The identity of a submission, as listed'),
});
const version = describe(
  z.optional(z.number().check(z.int(), z.positive())),
  'The version you reviewed; a newer resubmission is a 409',
);

/** Prices: collect, review, and read the approved ones. */
export function priceRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const tags = ['prices'];
  const staff = { tags, auth: true };

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/prices',
      summary: "Submit an observation (a collector's waits for review; a reviewer's is approved)",
      body: z.object({
        commodity: describe(z.string().check(z.minLength(1), z.maxLength(100)), 'Commodity id or any of its names'),
        market: describe(z.string().check(z.minLength(1), z.maxLength(200)), 'Market id or any of its names'),
        date: dateText,
        price: describe(z.string().check(z.minLength(1), z.maxLength(40)), "Yuan per unit, e.g. '4.50'"),
        unit: z.string().check(z.minLength(1), z.maxLength(20)),
        grade: z.optional(z.string().check(z.maxLength(60))),
        kind: z.optional(z.enum(priceKinds)),
      }),
      responses: {
        201: json(PriceEntry, 'Stored, with its status'),
        ...errors,
        409: problem('Already approved (a collector), or changed by simultaneous corrections: nothing written'),
      },
    },
    async (c, { body }) => c.json(view(await submitPrice(deps, actingOf(c), body), c.get('t')), 201),
  );

  api.route(
    {
      method: 'get',
      path: '/prices/latest',
      tags,
      summary: 'The latest approved price of a commodity at each market',
      query: z.object({
        commodity: describe(z.string().check(z.minLength(1), z.maxLength(100)), 'Commodity id or any of its names'),
        region: describe(z.optional(z.string().check(z.maxLength(100))), 'Only markets in this region (or under it)'),
        lang: pageFields.lang,
      }),
      responses: {
        200: json(z.object({ commodityId: z.string(), items: z.array(LatestPrice) }), 'Latest prices'),
        400: problem('Invalid input'),
      },
    },
    async (c, { query }) => {
      const { commodity, items } = await latestPrices(deps, query.commodity, query.region);
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(
        {
          commodityId: commodity.id,
          items: items.map(({ record: r, market, stale }) => ({
            ...priceWire(r),
            ...(market ? { market: market.names } : {}),
            stale,
          })),
        },
        200,
      );
    },
  );

  api.route(
    {
      ...staff,
      method: 'get',
      path: '/prices/pending',
      summary: 'Submissions waiting for review in a region (reviewers of it)',
      query: z.object({
        ...pageFields,
        region: describe(z.string().check(z.minLength(1), z.maxLength(100)), "Region id, or '*'"),
      }),
      responses: { 200: json(pageOf(PriceEntry), 'Oldest first'), ...errors },
    },
    async (c, { query }) => {
      const page = await pendingPrices(deps, actingOf(c), query.region, {
        limit: query.limit,
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return c.json(
        { items: page.items.map((r) => view(r, c.get('t'))), ...(page.cursor ? { cursor: page.cursor } : {}) },
        200,
      );
    },
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/prices/{identity}/approve',
      summary: 'Approve a pending submission (reviewers of its region)',
      params: identityParam,
      body: z.object({ version }),
      responses: {
        200: json(PriceEntry, 'Approved and published'),
        ...errors,
        404: problem('No such submission in your regions (one elsewhere answers the same)'),
        409: problem('Already decided or resubmitted'),
      },
    },
    async (c, { params, body }) =>
      c.json(view(await approvePrice(deps, actingOf(c), params.identity, body.version), c.get('t')), 200),
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/prices/{identity}/reject',
      summary: 'Reject a pending submission with a reason (reviewers of its region)',
      params: identityParam,
      body: z.object({ reason: z.string().check(z.minLength(1), z.maxLength(500)), version }),
      responses: {
        200: json(PriceEntry, 'Rejected'),
        ...errors,
        404: problem('No such submission in your regions (one elsewhere answers the same)'),
        409: problem('Already decided or resubmitted'),
      },
    },
    async (c, { params, body }) =>
      c.json(view(await rejectPrice(deps, actingOf(c), params.identity, body.reason, body.version), c.get('t')), 200),
  );

  return api;
}

/**
 * The exchange's API: open offers for anyone (no phone number ever), and moderation, vouching,
 * blocking and posting for a farmer for staff. Every staff call goes to the exchange service,
 * which checks the caller's role in the offer's region and writes the audit log.
 */
import { createHash } from 'node:crypto';
import { AppError } from '#core/errors.ts';
import { MAX_QUANTITY } from '#core/exchange/exchange.ts';
import { holdReasons, type Listing, listingStatuses, sides } from '#core/exchange/listing.ts';
import { toE164 } from '#core/phone.ts';
import { parseFen } from '#core/prices/money.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf } from '../middleware/auth.ts';
import { ApiRouter, component } from '../openapi.ts';
import { describe, json, pageFields, pageOf, problem } from './schemas.ts';

/** `L4821`, `l4821` or `4821`. */
const codeText = describe(
  z.string().check(z.regex(/^[Ll]?\d{4,6}$/, 'L1234')),
  "An offer's code: L and 4–6 digits (the L may be left out)",
);
const canonical = (code: string) => `L${code.replace(/^[Ll]/, '')}`;
const phoneText = describe(z.string().check(z.minLength(1), z.maxLength(32)), 'E.164, e.g. +8613800000000');
const idText = z.string().check(z.minLength(1), z.maxLength(100));
const priceText = describe(
  z.nullable(z.string().check(z.regex(/^\d{1,9}(\.\d{1,2})?$/, '4.50'))),
  "Yuan per unit with up to two decimals ('4.50'); null or absent: negotiable",
);

export const PublicListing = component(
  'PublicListing',
  z.object({
    code: z.string(),
    side: z.enum(sides),
    commodityId: z.string(),
    quantity: z.number(),
    unit: describe(z.string(), 'A unit id (jin, kg, head, …)'),
    price: describe(z.nullable(z.string()), "Yuan per unit, two decimals ('4.50'); null: negotiable"),
    grade: z.nullable(z.string()),
    regionId: z.string(),
    marketId: z.nullable(z.string()),
    status: z.enum(listingStatuses),
    vouched: describe(z.boolean(), 'An operator vouched for the number that posted it'),
    createdAt: z.string(),
    expiresAt: z.string(),
  }),
  'An offer as the public sees it: never a phone number',
);

/** An offer as moderators see it: with the owner's number (staff only; the read is logged). */
const StaffListing = component(
  'StaffListing',
  z.object({
    code: z.string(),
    side: z.enum(sides),
    commodityId: z.string(),
    quantity: z.number(),
    unitId: z.string(),
    priceFen: describe(z.nullable(z.number().check(z.int())), 'Fen per unit; null: negotiable'),
    grade: z.optional(z.string()),
    regionId: z.string(),
    marketId: z.optional(z.string()),
    ownerPhone: z.string(),
    status: z.enum(listingStatuses),
    vouched: z.boolean(),
    holdReasons: z.array(z.enum(holdReasons)),
    reports: z.number().check(z.int()),
    moderationReason: z.optional(z.string()),
    postedBy: z.optional(z.string()),
    text: z.optional(z.string()),
    createdAt: z.string(),
    expiresAt: z.string(),
    confirmBy: z.optional(z.string()),
    updatedAt: z.string(),
    version: z.number().check(z.int()),
  }),
);

const ModerationItem = component(
  'ModerationItem',
  z.object({
    listing: StaffListing,
    reasons: z.array(z.enum(holdReasons)),
    reports: z.array(z.object({ text: z.string(), at: z.string() })),
    priceContext: describe(
      z.optional(z.object({ marketId: z.string(), priceFen: z.number(), unitId: z.string(), date: z.string() })),
      'The latest approved price nearby',
    ),
  }),
);

const Vouch = component('Vouch', z.object({ phone: z.string(), by: z.string(), at: z.string() }));
const Block = component('Block', z.object({ phone: z.string(), by: z.string(), at: z.string(), reason: z.string() }));

/** The fields of a stored offer the API shows staff (what the schema names, nothing the store adds). */
const staffView = (l: Listing) => ({
  code: l.code,
  side: l.side,
  commodityId: l.commodityId,
  quantity: l.quantity,
  unitId: l.unitId,
  priceFen: l.priceFen,
  ...(l.grade !== undefined ? { grade: l.grade } : {}),
  regionId: l.regionId,
  ...(l.marketId !== undefined ? { marketId: l.marketId } : {}),
  ownerPhone: l.ownerPhone,
  status: l.status,
  vouched: l.vouched,
  holdReasons: l.holdReasons,
  reports: l.reports,
  ...(l.moderationReason !== undefined ? { moderationReason: l.moderationReason } : {}),
  ...(l.postedBy !== undefined ? { postedBy: l.postedBy } : {}),
  ...(l.text !== undefined ? { text: l.text } : {}),
  createdAt: l.createdAt,
  expiresAt: l.expiresAt,
  ...(l.confirmBy !== undefined ? { confirmBy: l.confirmBy } : {}),
  updatedAt: l.updatedAt,
  version: l.version,
});

const errors = {
  400: problem('Invalid input'),
  401: problem('Not signed in'),
  403: problem("Outside your role or the offer's region (logged)"),
};
const codeParam = z.object({ code: codeText });
const phoneParam = z.object({ phone: describe(phoneText, 'E.164, URL-encoded (%2B8613800000000)') });
const notFound = problem('No such offer (or not one you may see)');

/** A number as E.164, or a 400 naming the field. */
function phoneOf(text: string, path: string): string {
  const phone = toE164(text);
  if (!phone)
    throw new AppError('validation_failed', {}, [
      { path, message: 'not a phone number', key: 'errors:input.invalid', params: { value: text } },
    ]);
  return phone;
}

/** Public listings, moderation, vouches, blocks and operator posting. */
export function exchangeRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const tags = ['exchange'];
  const staff = { tags, auth: true };
  const { exchange } = deps;

  // Registered before /listings/{code}: "moderation" is a path, not a code.
  api.route(
    {
      ...staff,
      method: 'get',
      path: '/listings/moderation',
      summary: 'Offers waiting for a moderator in your regions, oldest first (operators, admins)',
      query: z.object({
        cursor: pageFields.cursor,
        lang: pageFields.lang,
        region: describe(z.optional(idText), 'Only this region (and under it); default: all your regions'),
      }),
      responses: { 200: json(pageOf(ModerationItem), 'A page of offers to check'), ...errors },
    },
    async (c, { query }) => {
      const page = await exchange.moderationQueue(actingOf(c), {
        ...(query.region ? { regionId: query.region } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return c.json(
        {
          items: page.items.map((i) => ({ ...i, listing: staffView(i.listing) })),
          ...(page.cursor ? { cursor: page.cursor } : {}),
        },
        200,
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/listings',
      tags,
      summary: 'Open offers, newest first (no phone numbers)',
      query: z.object({
        commodity: describe(z.optional(idText), 'A commodity id'),
        region: describe(z.optional(idText), 'A region id: offers in it and under it'),
        side: describe(z.optional(z.enum(sides)), 'sell: offers to sell; buy: offers to buy; default both'),
        limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
        cursor: pageFields.cursor,
        lang: pageFields.lang,
      }),
      responses: { 200: json(pageOf(PublicListing), 'A page of open offers'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      const page = await exchange.publicList({
        ...(query.side ? { side: query.side } : {}),
        ...(query.commodity ? { commodityId: query.commodity } : {}),
        ...(query.region ? { regionId: query.region } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit,
      });
      c.header('Cache-Control', 'public, max-age=60');
      return c.json({ items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) }, 200);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/listings/{code}',
      tags,
      summary: 'One offer (no phone number); an ended one shows its status',
      params: codeParam,
      responses: { 200: json(PublicListing, 'The offer'), 400: problem('Invalid input'), 404: notFound },
    },
    async (c, { params }) => {
      const code = canonical(params.code);
      const listing = await exchange.publicGet(code);
      if (!listing) throw new AppError('not_found', { kind: 'listing', id: code });
      c.header('Cache-Control', 'public, max-age=60');
      return c.json(listing, 200);
    },
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/listings',
      summary: 'Post an offer for a farmer (operators): public once the farmer answers YES by SMS',
      description:
        'The farmer is sent an SMS asking to confirm within 24 hours. Send an `Idempotency-Key` header to make a retry the same offer; without one the request id is used.',
      body: z.object({
        phone: phoneText,
        side: z.enum(sides),
        commodity: describe(idText, 'A commodity id'),
        quantity: z.number().check(z.positive(), z.maximum(MAX_QUANTITY)),
        unit: describe(z.string().check(z.minLength(1), z.maxLength(20)), 'A unit id (jin, kg, head, …)'),
        price: z.optional(priceText),
        grade: z.optional(z.string().check(z.maxLength(40))),
        region: describe(z.optional(idText), "A county or other region id; default: the farmer's home county"),
      }),
      responses: {
        201: json(StaffListing, 'Stored; waits for the farmer'),
        ...errors,
        409: problem('That idempotency key was used for another offer'),
      },
    },
    async (c, { body }) => {
      const key = c.req.header('idempotency-key')?.trim();
      if (key !== undefined && !/^[\x21-\x7e]{1,128}$/.test(key))
        throw new AppError('validation_failed', {}, [
          {
            path: 'header.Idempotency-Key',
            message: '1–128 printable characters',
            key: 'errors:input.invalid',
            params: { value: key.slice(0, 60) },
          },
        ]);
      const acting = actingOf(c);
      // The price arrives as yuan text; core checks the rest of the offer field by field.
      const price = body.price ? parseFen(body.price) : undefined;
      if (price && !price.ok)
        throw new AppError('validation_failed', {}, [
          { path: 'price', message: price.reason, key: 'exchange:field.price', params: {} },
        ]);
      const listing = await exchange.postForFarmer(
        acting,
        {
          phone: phoneOf(body.phone, 'body.phone'),
          side: body.side,
          commodityId: body.commodity,
          quantity: body.quantity,
          unitId: body.unit,
          priceFen: price?.ok ? price.fen : null,
          ...(body.grade?.trim() ? { grade: body.grade.trim() } : {}),
          ...(body.region ? { regionId: body.region } : {}),
        },
        // Scoped to the caller: two operators who happen to send the same key get two offers.
        key
          ? `api-${createHash('sha256').update(`${acting.actor.phone}\n${key}`).digest('base64url').slice(0, 32)}`
          : `api-${c.get('requestId')}`,
      );
      return c.json(staffView(listing), 201);
    },
  );

  const decided = {
    200: json(StaffListing, 'Done'),
    ...errors,
    404: notFound,
    409: problem('Not waiting any more, or changed meanwhile'),
  };

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/listings/{code}/approve',
      summary: 'Approve an offer waiting for a moderator: it opens and is matched',
      params: codeParam,
      responses: decided,
    },
    async (c, { params }) => c.json(staffView(await exchange.approve(actingOf(c), canonical(params.code))), 200),
  );
  api.route(
    {
      ...staff,
      method: 'post',
      path: '/listings/{code}/reject',
      summary: 'Reject an offer with a reason (the owner is told by SMS)',
      params: codeParam,
      body: z.object({ reason: z.string().check(z.minLength(1), z.maxLength(200)) }),
      responses: decided,
    },
    async (c, { params, body }) =>
      c.json(staffView(await exchange.reject(actingOf(c), canonical(params.code), body.reason)), 200),
  );
  api.route(
    {
      ...staff,
      method: 'post',
      path: '/listings/{code}/hide',
      summary: 'Hide an offer from the public (the owner is told by SMS)',
      params: codeParam,
      body: z.object({ reason: z.optional(z.string().check(z.maxLength(200))) }),
      responses: decided,
    },
    async (c, { params, body }) =>
      c.json(staffView(await exchange.hide(actingOf(c), canonical(params.code), body.reason || undefined)), 200),
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/vouches',
      summary: 'Vouch for a number: its offers skip the first check and carry the vouched mark',
      body: z.object({ phone: phoneText }),
      responses: { 201: json(Vouch, 'Vouched'), ...errors },
    },
    async (c, { body }) => c.json(await exchange.vouch(actingOf(c), phoneOf(body.phone, 'body.phone')), 201),
  );
  api.route(
    {
      ...staff,
      method: 'delete',
      path: '/vouches/{phone}',
      summary: 'Remove a vouch',
      params: phoneParam,
      responses: { 204: { description: 'Removed' }, ...errors, 404: problem('Not vouched for') },
    },
    async (c, { params }) => {
      await exchange.unvouch(actingOf(c), phoneOf(params.phone, 'params.phone'));
      return c.body(null, 204);
    },
  );
  api.route(
    {
      ...staff,
      method: 'post',
      path: '/blocks',
      summary: 'Block a number from posting and messaging, with a reason (the number is told by SMS)',
      body: z.object({ phone: phoneText, reason: z.string().check(z.minLength(1), z.maxLength(200)) }),
      responses: { 201: json(Block, 'Blocked'), ...errors },
    },
    async (c, { body }) =>
      c.json(await exchange.block(actingOf(c), phoneOf(body.phone, 'body.phone'), body.reason), 201),
  );
  api.route(
    {
      ...staff,
      method: 'delete',
      path: '/blocks/{phone}',
      summary: 'Unblock a number',
      params: phoneParam,
      responses: { 204: { description: 'Unblocked' }, ...errors, 404: problem('Not blocked') },
    },
    async (c, { params }) => {
      await exchange.unblock(actingOf(c), phoneOf(params.phone, 'params.phone'));
      return c.body(null, 204);
    },
  );

  return api;
}

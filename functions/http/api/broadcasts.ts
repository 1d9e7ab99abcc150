/**
 * Broadcasts over the API: compose, preview, approve, send, pause, resume, cancel, watch. The
 * routes only shape requests and answers; the broadcast service validates every field (with
 * translated message keys), checks `sms.broadcast` in every region of the audience and writes
 * the audit log, exactly as it does for the staff pages.
 */
import { createHash } from 'node:crypto';
import { broadcastStatuses, scriptGroups } from '#core/broadcasts/broadcast.ts';
import type { BroadcastInput, BroadcastView } from '#core/broadcasts/service.ts';
import { AppError } from '#core/errors.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf } from '../middleware/auth.ts';
import { ApiRouter, component } from '../openapi.ts';
import { describe, json, pageFields, pageOf, problem } from './schemas.ts';

const languages = ['bo', 'zh', 'en'] as const;
const idText = z.string().check(z.minLength(1), z.maxLength(100));
/** Generous bounds only: the service refuses a version over its segment limit with the figures. */
const textField = z.optional(z.string().check(z.maxLength(5000)));

const BroadcastBody = component(
  'BroadcastInput',
  z.object({
    audience: z.object({
      regions: describe(
        z.array(idText).check(z.maxLength(100)),
        'Region ids; a prefecture covers its counties. At least one, all in your regions',
      ),
      topics: describe(
        z.optional(z.array(z.string().check(z.minLength(1), z.maxLength(100))).check(z.maxLength(20))),
        'weather, pest, disease, market or price:<commodity id>; empty or absent: everyone in the regions',
      ),
      languages: describe(
        z.optional(z.array(z.enum(languages)).check(z.maxLength(3))),
        "Subscribers' languages to reach; empty or absent: all",
      ),
    }),
    texts: describe(
      z.optional(z.object({ bo: textField, zh: textField, en: textField })),
      'A text per language; a missing one falls back (bo → zh → en for Tibetan readers, zh → bo → en for Chinese readers). Tibetan readers who chose Wylie get it transliterated',
    ),
    template: describe(
      z.optional(
        z.object({
          key: z.string().check(z.minLength(1), z.maxLength(100)),
          params: z.record(
            z.string().check(z.maxLength(40)),
            z.union([z.string().check(z.maxLength(500)), z.number()]),
          ),
        }),
      ),
      'Instead of texts: a registered template (a `notice.*` message key) with its parameters',
    ),
    sendAt: describe(
      z.optional(z.string().check(z.maxLength(40))),
      'ISO 8601 time with offset, at most 30 days ahead; absent: when sent',
    ),
  }),
  'What to send to whom, and when',
);

const Warning = z.object({
  kind: z.enum(['emoji', 'private_use', 'unassigned', 'not_gsm']),
  chars: z.array(z.string()),
});

const Preview = component(
  'BroadcastPreview',
  z.object({
    recipients: describe(z.number(), 'From the audience counters; an upper bound when upperBound (several topics)'),
    upperBound: z.boolean(),
    rows: z.array(
      z.object({
        group: z.enum(scriptGroups as unknown as ['bo-tibetan', 'bo-wylie', 'zh', 'en']),
        recipients: z.number(),
        version: describe(z.optional(z.enum(languages)), 'The text version this group gets, after fallback'),
        rendering: describe(z.string(), 'The whole SMS as the phone shows it: text, opt-out footer, signature'),
        encoding: z.string(),
        segments: z.number(),
        totalSegments: z.number(),
        costFen: z.number(),
        warnings: z.array(Warning),
      }),
    ),
    segments: describe(z.record(z.string(), z.number()), 'Segments of each version, per script group'),
    totalSegments: z.number(),
    costFen: describe(z.number(), 'totalSegments × segmentPriceFen, in fen (1/100 yuan)'),
    cost: describe(
      z.object({ currency: z.literal('CNY'), fen: z.number(), yuan: z.string() }),
      'The same cost with its currency, and in yuan as text (e.g. "12.35")',
    ),
    segmentPriceFen: z.number(),
    budget: describe(
      z.object({
        day: z.string(),
        limit: z.number(),
        remaining: z.number(),
        needed: z.number(),
        fits: z.boolean(),
      }),
      "The day's non-essential segment budget on the day it would go",
    ),
    needsApproval: describe(z.boolean(), 'More recipients than the approval threshold: another staff member approves'),
    timing: z.object({ rate: z.number(), seconds: z.number(), startsAt: z.string(), quietHoldsIt: z.boolean() }),
    freeTextRefused: describe(
      z.optional(z.literal(true)),
      'Free text, where the SMS gateway sends only registered templates and none carries it: sending is refused',
    ),
    at: z.string(),
  }),
  'Recipients per language × script, segments, cost and budget, before anything is sent',
);

const Counts = component(
  'BroadcastCounts',
  z.object({
    recipients: describe(z.number(), 'Recipients recorded by the fan-out (the actual count beside the preview)'),
    queued: z.number(),
    sent: z.number(),
    delivered: z.number(),
    failed: z.number(),
    blocked: z.number(),
    unknown: z.number(),
    segmentsSent: z.number(),
    reasons: describe(z.record(z.string(), z.number()), 'Failed and blocked messages by reason'),
  }),
);

const Broadcast = component(
  'Broadcast',
  z.object({
    id: z.string(),
    status: z.enum(broadcastStatuses),
    audience: z.object({ regions: z.array(z.string()), topics: z.array(z.string()), languages: z.array(z.string()) }),
    texts: z.record(z.string(), z.string()),
    template: z.optional(
      z.object({ key: z.string(), params: z.record(z.string(), z.union([z.string(), z.number()])) }),
    ),
    sendAt: z.optional(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    preview: Preview,
    approvedBy: z.optional(z.string()),
    approvedAt: z.optional(z.string()),
    sentBy: z.optional(z.string()),
    startedAt: z.optional(z.string()),
    finishedAt: z.optional(z.string()),
    cancelledBy: z.optional(z.string()),
    cancelledAt: z.optional(z.string()),
    source: describe(
      z.optional(z.object({ kind: z.enum(['alert', 'bulletin']), id: z.string(), version: z.number() })),
      'The published alert or bulletin (and its version) whose SMS summary this broadcast carries',
    ),
    throughQuietHours: describe(z.optional(z.boolean()), 'A severe or extreme alert: quiet hours do not hold it'),
    version: z.number(),
  }),
);

const BroadcastDetail = component(
  'BroadcastDetail',
  z.object({
    id: z.string(),
    status: describe(z.enum(broadcastStatuses), "The broadcast's status (as in `broadcast`)"),
    broadcast: Broadcast,
    counts: Counts,
    costFen: describe(z.number(), 'Segments that left for the gateway × the segment price, in fen'),
    may: describe(
      z.object({
        edit: z.boolean(),
        approve: z.boolean(),
        send: z.boolean(),
        pause: z.boolean(),
        resume: z.boolean(),
        cancel: z.boolean(),
      }),
      'The steps open to you now',
    ),
    quiet: describe(z.optional(z.object({ until: z.string() })), 'Quiet hours hold it until then'),
  }),
);

const Summary = component(
  'BroadcastSummary',
  z.object({
    id: z.string(),
    status: z.enum(broadcastStatuses),
    audience: z.object({ regions: z.array(z.string()), topics: z.array(z.string()), languages: z.array(z.string()) }),
    createdBy: z.string(),
    createdAt: z.string(),
    sendAt: z.optional(z.string()),
    startedAt: z.optional(z.string()),
    finishedAt: z.optional(z.string()),
    recipients: z.number(),
    costFen: z.number(),
    firstText: z.string(),
  }),
);

/** A preview as the API gives it: the cost also with its currency and in yuan. */
const previewOut = (preview: BroadcastView['broadcast']['preview']) => ({
  ...preview,
  cost: { currency: 'CNY' as const, fen: preview.costFen, yuan: (preview.costFen / 100).toFixed(2) },
});

/** The stored broadcast minus what is the store's own business (fan-out progress). */
const publicOf = ({ progress: _progress, pausedBy: _pausedBy, preview, ...rest }: BroadcastView['broadcast']) => ({
  ...rest,
  preview: previewOut(preview),
});

const detailOf = (view: BroadcastView) => ({
  id: view.broadcast.id,
  status: view.broadcast.status,
  broadcast: publicOf(view.broadcast),
  counts: view.counts,
  // At the price the broadcast was previewed with: the figure staff agreed to.
  costFen: view.counts.segmentsSent * view.broadcast.preview.segmentPriceFen,
  may: view.may,
  ...(view.quiet ? { quiet: view.quiet } : {}),
});

const inputOf = (body: z.infer<typeof BroadcastBody>): BroadcastInput => ({
  audience: {
    regions: body.audience.regions,
    topics: (body.audience.topics ?? []) as BroadcastInput['audience']['topics'],
    languages: body.audience.languages ?? [],
  },
  ...(body.texts
    ? {
        texts: Object.fromEntries(
          Object.entries(body.texts).filter((e): e is [string, string] => typeof e[1] === 'string'),
        ),
      }
    : {}),
  ...(body.template ? { template: body.template } : {}),
  ...(body.sendAt ? { sendAt: body.sendAt } : {}),
});

const errors = {
  400: problem('Invalid input: each refused field named, with a translated message'),
  401: problem('Not signed in'),
  403: problem('Outside your role or regions (logged)'),
};
const idParam = z.object({ id: describe(idText, 'A broadcast id (b and 10 characters)') });
const notFound = problem('No such broadcast');
const day = z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')));

/** An `Idempotency-Key` header as a create-once request id, scoped to the caller; none: the request's id. */
export function requestIdOf(key: string | undefined, actorPhone: string, requestId: string): string {
  const trimmed = key?.trim();
  if (trimmed === undefined) return `api-${requestId}`;
  if (!/^[\x21-\x7e]{1,128}$/.test(trimmed))
    throw new AppError('validation_failed', {}, [
      {
        path: 'header.Idempotency-Key',
        message: '1–128 printable characters',
        key: 'errors:input.invalid',
        params: { value: trimmed.slice(0, 60) },
      },
    ]);
  // Two staff members who happen to send the same key get two broadcasts.
  return `api-${createHash('sha256').update(`${actorPhone}\n${trimmed}`).digest('base64url').slice(0, 32)}`;
}

export function broadcastRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const staff = { tags: ['broadcasts'], auth: true };
  const { broadcasts } = deps;

  api.route(
    {
      ...staff,
      method: 'get',
      path: '/broadcasts',
      summary: 'Broadcasts of a region, newest first, with their figures (operators, editors)',
      query: z.object({
        region: describe(
          z.optional(idText),
          'A region id, or * for all; default: your first region (* for an all-regions grant)',
        ),
        from: describe(day, 'Created on or after this Asia/Shanghai day'),
        to: describe(day, 'Created on or before this Asia/Shanghai day'),
        cursor: pageFields.cursor,
        lang: pageFields.lang,
      }),
      responses: { 200: json(pageOf(Summary), 'A page of broadcasts'), ...errors },
    },
    async (c, { query }) => {
      const page = await broadcasts.list(actingOf(c), {
        ...(query.region ? { region: query.region } : {}),
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
      });
      return c.json({ items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) }, 200);
    },
  );

  // Registered before /broadcasts/{id}: "preview" is a path, not an id.
  api.route(
    {
      ...staff,
      method: 'post',
      path: '/broadcasts/preview',
      summary: 'Count, render and price a broadcast without storing anything',
      body: BroadcastBody,
      responses: { 200: json(Preview, 'What it would cost and how each reader sees it'), ...errors },
    },
    async (c, { body }) => c.json(previewOut(await broadcasts.preview(actingOf(c), inputOf(body))), 200),
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/broadcasts',
      summary: 'Create a draft broadcast with its preview (operators, editors, in every region of the audience)',
      description:
        'Nothing is sent until POST /broadcasts/{id}/send (and, above the approval threshold, an approval by another staff member). Send an `Idempotency-Key` header to make a retry the same broadcast; without one the request id is used.',
      body: BroadcastBody,
      responses: { 201: json(Broadcast, 'A draft, with its preview'), ...errors },
    },
    async (c, { body }) => {
      const acting = actingOf(c);
      const requestId = requestIdOf(c.req.header('idempotency-key'), acting.actor.phone, c.get('requestId'));
      const broadcast = await broadcasts.create(acting, inputOf(body), requestId);
      c.header('Location', `/api/v1/broadcasts/${broadcast.id}`);
      return c.json(publicOf(broadcast), 201);
    },
  );

  api.route(
    {
      ...staff,
      method: 'get',
      path: '/broadcasts/{id}',
      summary: 'A broadcast with its live counts, its cost so far and what you may do next',
      params: idParam,
      responses: { 200: json(BroadcastDetail, 'The broadcast'), ...errors, 404: notFound },
    },
    async (c, { params }) => c.json(detailOf(await broadcasts.get(actingOf(c), params.id)), 200),
  );

  api.route(
    {
      ...staff,
      method: 'put',
      path: '/broadcasts/{id}',
      summary: 'Change a draft (withdraws an approval)',
      params: idParam,
      body: BroadcastBody,
      responses: {
        200: json(Broadcast, 'The changed draft'),
        ...errors,
        404: notFound,
        409: problem('Not a draft any more'),
      },
    },
    async (c, { params, body }) =>
      c.json(publicOf(await broadcasts.update(actingOf(c), params.id, inputOf(body))), 200),
  );

  const steps = [
    ['approve', 'Approve another staff member’s broadcast that needs it (never your own; once)'],
    [
      'send',
      'Send a draft now, or schedule it for its sendAt (approved first when it needs it; within the day’s budget)',
    ],
    ['pause', 'Pause a scheduled or sending broadcast'],
    ['resume', 'Resume a paused broadcast where it stopped'],
    ['cancel', 'Cancel: nothing not yet sent is sent'],
  ] as const;
  for (const [step, summary] of steps) {
    api.route(
      {
        ...staff,
        method: 'post',
        path: `/broadcasts/{id}/${step}`,
        summary,
        params: idParam,
        responses: {
          200: json(Broadcast, 'Done'),
          ...errors,
          404: notFound,
          409: problem('Its status does not allow this step (or already done)'),
        },
      },
      async (c, { params }) => c.json(publicOf(await broadcasts[step](actingOf(c), params.id)), 200),
    );
  }

  return api;
}

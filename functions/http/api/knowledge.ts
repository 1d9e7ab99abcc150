/**
 * The knowledge library over the API: published guides, bulletins and alerts for anyone (and
 * every alert as CAP 1.2 XML), and the editors' and reviewers' workflow for staff. The routes
 * only shape requests and answers; the knowledge service validates every field (translated
 * message keys), authorizes (region scope, the reviewer's language) and writes the audit log,
 * exactly as it does for the staff pages.
 */
import type { Context } from 'hono';
import { AppError } from '#core/errors.ts';
import { CAP_CONTENT_TYPE, type CapContext, capXml } from '#core/knowledge/cap.ts';
import {
  alertKinds,
  guideTopics,
  type Item,
  type ItemFields,
  type ItemKind,
  itemKinds,
  itemStatuses,
  type PublicItem,
  reviewedLanguages,
  severities,
  stages,
  type Versions,
} from '#core/knowledge/item.ts';
import type { ItemInput, KnowledgeService } from '#core/knowledge/service.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf } from '../middleware/auth.ts';
import { ApiRouter, component } from '../openapi.ts';
import { requestIdOf } from './broadcasts.ts';
import { describe, json, pageFields, pageOf, problem } from './schemas.ts';

/** Published items change when a correction is published: a minute of caching, as prices and offers. */
const PUBLIC_CACHE = 'public, max-age=60';
const languages = ['bo', 'zh', 'en'] as const;
const idText = z.string().check(z.minLength(1), z.maxLength(100));
/** An item id as the routes take it: the kind's letter and 10 base32 characters. */
const itemIdText = describe(
  z.string().check(z.regex(/^[gna][0-9a-hjkmnp-tv-z]{10}$/, 'g/n/a and 10 characters')),
  'An item id: g (guide), n (bulletin) or a (alert) and 10 characters',
);
const instant = describe(
  z
    .string()
    .check(
      z.maxLength(40),
      z.regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, '2026-06-01T08:00:00+08:00'),
    ),
  'ISO 8601 instant with its offset, e.g. 2026-06-01T08:00:00+08:00',
);

/** Generous bounds only: the service refuses text over its limits (title 200, body 20,000, summary by its SMS segments) with the figures. */
const VersionInput = component(
  'KnowledgeVersionInput',
  z.object({
    title: z.string().check(z.maxLength(1000)),
    body: z.string().check(z.maxLength(40_000)),
    summary: describe(
      z.string().check(z.maxLength(2000)),
      'The SMS text: at most 2 segments per script (guides: 1 in Chinese and English)',
    ),
    instruction: describe(z.optional(z.string().check(z.maxLength(5000))), 'Alerts: what to do'),
  }),
  "One language's text of an item",
);
const VersionsInput = describe(
  z.object({ bo: z.optional(VersionInput), zh: z.optional(VersionInput), en: z.optional(VersionInput) }),
  'A version per language: bo and zh are required before review, en is optional',
);
const regionsInput = describe(
  z.array(idText).check(z.maxLength(100)),
  'Region ids (a prefecture covers its counties; * for all of Tibet), 1–20, all in your regions',
);
const broadcastInput = describe(
  z.optional(z.boolean()),
  'On publication, draft a broadcast of the summary to the subscribers of its regions and topic',
);

const GuideBody = component(
  'GuideInput',
  z.object({
    commodity: describe(idText, 'A commodity id of the catalog'),
    stage: describe(z.enum(stages), 'Before, during or after production'),
    topic: z.enum(guideTopics),
    regions: regionsInput,
    months: describe(z.array(z.number().check(z.int())).check(z.maxLength(12)), 'Months it applies to, 1–12'),
    versions: VersionsInput,
  }),
  'A guide: a commodity, a stage, a topic, where and when it applies, and its text per language',
);
const BulletinBody = component(
  'BulletinInput',
  z.object({
    date: describe(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')), 'Asia/Shanghai day'),
    topic: describe(z.optional(z.enum(alertKinds)), 'The broadcast topic; absent: everyone in its regions'),
    regions: regionsInput,
    versions: VersionsInput,
    broadcast: broadcastInput,
  }),
  'A technical bulletin',
);
const AlertBody = component(
  'AlertInput',
  z.object({
    kind: z.enum(alertKinds),
    severity: z.enum(severities),
    urgent: describe(
      z.optional(z.boolean()),
      'One reviewer of the main language may publish it; the other language follows as a correction',
    ),
    mainLanguage: describe(z.optional(z.enum(reviewedLanguages)), 'Default bo'),
    regions: regionsInput,
    onset: instant,
    expires: instant,
    versions: VersionsInput,
    broadcast: broadcastInput,
  }),
  'An alert: its kind, severity, area, onset and expiry, and its text (with what to do) per language',
);
const bodies = { guide: GuideBody, bulletin: BulletinBody, alert: AlertBody } as const;
const withSeq = <S extends z.ZodMiniObject>(schema: S) =>
  z.extend(schema, {
    seq: describe(z.optional(z.number().check(z.int())), 'The seq you read: a change made since is a 409'),
  });

type Body = z.infer<typeof GuideBody> | z.infer<typeof BulletinBody> | z.infer<typeof AlertBody>;

/** An instant as the store keeps it (UTC, ISO), whatever offset the client wrote. */
const utc = (text: string) => new Date(text).toISOString();

const versionsOf = (input: Body['versions']): Versions =>
  Object.fromEntries(
    Object.entries(input).flatMap(([lang, v]) =>
      v
        ? [
            [
              lang,
              {
                title: v.title,
                body: v.body,
                summary: v.summary,
                ...(v.instruction !== undefined ? { instruction: v.instruction } : {}),
              },
            ],
          ]
        : [],
    ),
  );

export function inputOf(kind: ItemKind, body: Body): ItemInput {
  let fields: ItemFields;
  if (kind === 'guide') {
    const b = body as z.infer<typeof GuideBody>;
    fields = { kind, commodityId: b.commodity, stage: b.stage, topic: b.topic, months: b.months };
  } else if (kind === 'bulletin') {
    const b = body as z.infer<typeof BulletinBody>;
    fields = { kind, date: b.date, ...(b.topic ? { topic: b.topic } : {}) };
  } else {
    const b = body as z.infer<typeof AlertBody>;
    fields = {
      kind,
      alertKind: b.kind,
      severity: b.severity,
      onset: utc(b.onset),
      expires: utc(b.expires),
      urgent: b.urgent ?? false,
      mainLanguage: b.mainLanguage ?? 'bo',
    };
  }
  const broadcast = (body as { broadcast?: boolean }).broadcast;
  return {
    regions: body.regions,
    fields,
    versions: versionsOf(body.versions),
    ...(broadcast !== undefined ? { broadcast } : {}),
  };
}

// ── Answers ──

const VersionText = z.object({
  title: z.string(),
  body: describe(z.string(), 'Empty in lists (cards); whole in a single item'),
  summary: z.string(),
  instruction: z.optional(z.string()),
});
const Fields = describe(
  z.union([
    z.object({
      kind: z.literal('guide'),
      commodityId: z.string(),
      stage: z.enum(stages),
      topic: z.enum(guideTopics),
      months: z.array(z.number()),
    }),
    z.object({ kind: z.literal('bulletin'), date: z.string(), topic: z.optional(z.enum(alertKinds)) }),
    z.object({
      kind: z.literal('alert'),
      alertKind: z.enum(alertKinds),
      severity: z.enum(severities),
      onset: z.string(),
      expires: z.string(),
      urgent: z.boolean(),
      mainLanguage: z.enum(reviewedLanguages),
    }),
  ]),
  "The kind's own fields",
);
const Content = component(
  'KnowledgeContent',
  z.object({
    regions: z.array(z.string()),
    fields: Fields,
    versions: z.object({ bo: z.optional(VersionText), zh: z.optional(VersionText), en: z.optional(VersionText) }),
  }),
);
const PublicAttachment = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  bytes: z.number(),
  url: describe(z.optional(z.string()), 'Where to fetch it'),
});
const PublishedItem = component(
  'PublishedItem',
  z.object({
    id: z.string(),
    kind: z.enum(itemKinds),
    version: z.number(),
    content: Content,
    publishedAt: z.string(),
    follows: describe(
      z.optional(z.array(z.enum(reviewedLanguages))),
      'An urgent alert: the languages that follow as a correction',
    ),
    attachments: z.array(PublicAttachment),
  }),
  'A published version of a guide, bulletin or alert',
);
const Review = z.object({
  state: z.enum(['pending', 'approved', 'needs_update']),
  by: z.optional(z.string()),
  at: z.optional(z.string()),
  version: z.optional(z.number()),
});
const Attachment = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  bytes: z.number(),
  key: z.string(),
  addedBy: z.string(),
  addedAt: z.string(),
});
const StaffItem = component(
  'KnowledgeItem',
  z.object({
    id: z.string(),
    kind: z.enum(itemKinds),
    status: z.enum(itemStatuses),
    version: describe(z.number(), 'The working version: approvals name it'),
    content: Content,
    reviews: describe(z.object({ bo: Review, zh: Review }), 'Each reviewed language of the working version'),
    authors: describe(z.array(z.string()), 'Who changed it since its last publication: none of them may approve it'),
    attachments: z.array(Attachment),
    published: describe(
      z.optional(
        z.object({
          version: z.number(),
          publishedAt: z.string(),
          follows: z.optional(z.array(z.enum(reviewedLanguages))),
        }),
      ),
      'The version the public reads (a correction in progress leaves it as it is)',
    ),
    broadcast: z.optional(z.boolean()),
    broadcastId: z.optional(z.string()),
    fromQuestion: z.optional(z.string()),
    createdBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    seq: z.number(),
  }),
  'An item as staff see it: the working version, its reviews, and what is published',
);
const SummaryChecks = describe(
  z.array(
    z.object({
      language: z.enum(languages),
      groups: z.array(
        z.object({
          group: z.enum(['bo-tibetan', 'bo-wylie', 'zh', 'en']),
          segments: z.number(),
          limit: z.number(),
          fits: z.boolean(),
        }),
      ),
    }),
  ),
  'Segments of each summary per script, as the SMS would be sent',
);
const ItemView = component(
  'KnowledgeItemView',
  z.object({
    item: StaffItem,
    checks: SummaryChecks,
    may: describe(
      z.object({
        edit: z.boolean(),
        submit: z.boolean(),
        approve: z.array(z.enum(reviewedLanguages)),
        publishUrgent: z.boolean(),
        archive: z.boolean(),
        attach: z.boolean(),
      }),
      'The steps open to you now',
    ),
  }),
);
const ItemSummary = component(
  'KnowledgeItemSummary',
  z.object({
    id: z.string(),
    kind: z.enum(itemKinds),
    status: z.enum(itemStatuses),
    version: z.number(),
    regions: z.array(z.string()),
    titles: z.record(z.string(), z.string()),
    reviews: z.object({
      bo: z.enum(['pending', 'approved', 'needs_update']),
      zh: z.enum(['pending', 'approved', 'needs_update']),
    }),
    updatedAt: z.string(),
    createdBy: z.string(),
  }),
);

/** The staff answer: the stored item minus the published content (the public routes give it). */
const staffItemOf = (item: Item) => {
  const { published, ...rest } = item;
  return {
    ...rest,
    ...(published
      ? {
          published: {
            version: published.version,
            publishedAt: published.publishedAt,
            ...(published.follows ? { follows: published.follows } : {}),
          },
        }
      : {}),
  };
};

const errors = {
  400: problem('Invalid input: each refused field named, with a translated message'),
  401: problem('Not signed in'),
  403: problem('Outside your role, regions or reviewing languages (logged)'),
};
const notFound = problem('No such item (or not published)');
const conflict = problem('Its status or version does not allow this step (the problem names them)');
const idParam = z.object({ id: itemIdText });
const paths = { guide: 'guides', bulletin: 'bulletins', alert: 'alerts' } as const satisfies Record<ItemKind, string>;

/** The knowledge service, or a 503 while a deployment runs without it. */
export function serviceOf<S>(service: S | undefined): S {
  if (!service) throw new AppError('unavailable');
  return service;
}

/** The public origin: behind CloudFront the viewer's host arrives in X-Forwarded-Host (the distribution's viewer function sets it). */
export function publicOrigin(c: Context<AppEnv>, mode: AppDeps['mode']): string {
  const forwarded = c.req.header('x-forwarded-host');
  if (mode === 'aws' && forwarded && /^[A-Za-z0-9.-]+(:\d+)?$/.test(forwarded)) return `https://${forwarded}`;
  return new URL(c.req.url).origin;
}

/** A published item as the API gives it: attachments with the URL to fetch them. */
function publicOf(item: PublicItem, deps: AppDeps) {
  return {
    ...item,
    attachments: item.attachments.map(({ key, ...a }) => ({
      ...a,
      ...(deps.attachments ? { url: deps.attachments.publicUrl(key) } : {}),
    })),
  };
}

/**
 * The publication a published version corrects: the newest published version below it. Item
 * versions count every edit, so the one before is not always `version - 1`; five are read at a
 * time, newest first.
 */
async function previousPublication(knowledge: KnowledgeService, item: PublicItem) {
  for (let top = item.version - 1; top >= 1; top -= 5) {
    const candidates = Array.from({ length: Math.min(5, top) }, (_, i) => top - i);
    const found = await Promise.all(candidates.map((v) => knowledge.publicVersion(item.id, v)));
    const hit = found.find((p) => p !== undefined);
    if (hit) return { version: hit.version, publishedAt: hit.publishedAt };
  }
  return undefined;
}

export function knowledgeRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const tags = ['knowledge'];
  const staff = { tags, auth: true };
  const knowledge = () => serviceOf(deps.knowledge);

  /** A published item of a kind, or a 404 (a draft, an archived item, another kind's id). */
  async function published(kind: ItemKind, id: string): Promise<PublicItem> {
    const item = await knowledge().publicGet(id);
    if (!item || item.kind !== kind) throw new AppError('not_found', { kind, id });
    return item;
  }

  // ── The CAP form of an alert. Hono cannot read `{id}.cap` as a parameter and a suffix, so the
  // route is mounted with a pattern (before /alerts/{id}) and its spec listed for the document.
  const capSpec = {
    method: 'get' as const,
    path: '/alerts/{id}.cap',
    tags,
    summary: 'A published alert as OASIS CAP 1.2 XML: one <info> per language, areas with GB/T 2260 codes',
    description:
      'application/cap+xml. A correction is msgType Update and references the publication it replaces; an urgent alert published in one language has one <info> until the other follows.',
    params: idParam,
    responses: {
      200: { description: 'The CAP 1.2 document', schema: z.string(), contentType: CAP_CONTENT_TYPE },
      400: problem('Not an alert id'),
      404: problem('No such published alert'),
    },
  };
  api.specs.push(capSpec as (typeof api.specs)[number]);
  api.app.get('/alerts/:file{[^/]+\\.cap}', async (c) => {
    const id = c.req.param('file').slice(0, -'.cap'.length);
    if (!z.safeParse(itemIdText, id).success)
      throw new AppError('validation_failed', {}, [
        {
          path: 'params.id',
          message: 'not an alert id',
          key: 'errors:input.invalid',
          params: { value: id.slice(0, 60) },
        },
      ]);
    const item = await published('alert', id);
    const [catalog, previous] = await Promise.all([deps.catalog(), previousPublication(knowledge(), item)]);
    const origin = publicOrigin(c, deps.mode);
    const files = deps.attachments;
    const ctx: CapContext = {
      sender: new URL(origin).hostname,
      pageUrl: `${origin}/alerts/${item.id}`,
      regions: catalog.regions,
      ...(previous ? { previous } : {}),
      ...(files ? { fileUrl: (key: string) => new URL(files.publicUrl(key), origin).href } : {}),
    };
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.body(capXml(item, ctx), 200, { 'Content-Type': `${CAP_CONTENT_TYPE}; charset=utf-8` });
  });

  // ── Public ──
  api.route(
    {
      method: 'get',
      path: '/guides',
      tags,
      summary: 'Published guides of a commodity (by stage, month and region), as cards without their bodies',
      query: z.object({
        commodity: describe(z.optional(idText), 'A commodity id; absent: the commodities that have guides, as counts'),
        stage: z.optional(z.enum(stages)),
        month: describe(z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(12))), '1–12'),
        region: describe(z.optional(idText), 'A region id: guides for it, the regions above it and all of Tibet'),
        limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
        cursor: pageFields.cursor,
        lang: pageFields.lang,
      }),
      responses: {
        200: json(
          z.object({
            items: z.array(PublishedItem),
            cursor: z.optional(z.string()),
            commodities: describe(
              z.optional(z.record(z.string(), z.number())),
              'Without `commodity`: commodity id → published guides',
            ),
          }),
          'A page of guides',
        ),
        400: problem('Invalid input'),
      },
    },
    async (c, { query }) => {
      c.header('Cache-Control', PUBLIC_CACHE);
      if (!query.commodity) return c.json({ items: [], commodities: await knowledge().guideCommodities() }, 200);
      const page = await knowledge().guides({
        commodityId: query.commodity,
        ...(query.stage ? { stage: query.stage } : {}),
        ...(query.month ? { month: query.month } : {}),
        ...(query.region ? { regionId: query.region } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit,
      });
      return c.json(
        { items: page.items.map((i) => publicOf(i, deps)), ...(page.cursor ? { cursor: page.cursor } : {}) },
        200,
      );
    },
  );

  for (const kind of ['guide', 'bulletin'] as const) {
    api.route(
      {
        method: 'get',
        path: `/${paths[kind]}/{id}`,
        tags,
        summary: `A published ${kind} (the latest publication, or an earlier one with ?version=)`,
        params: idParam,
        query: z.object({
          version: describe(z.optional(z.coerce.number().check(z.int(), z.minimum(1))), 'An earlier published version'),
          lang: pageFields.lang,
        }),
        responses: { 200: json(PublishedItem, `The ${kind}`), 400: problem('Invalid input'), 404: notFound },
      },
      async (c, { params, query }) => {
        const item =
          query.version === undefined
            ? await published(kind, params.id)
            : await knowledge().publicVersion(params.id, query.version);
        if (!item || item.kind !== kind) throw new AppError('not_found', { kind, id: params.id });
        c.header('Cache-Control', PUBLIC_CACHE);
        return c.json(publicOf(item, deps), 200);
      },
    );
  }

  api.route(
    {
      method: 'get',
      path: '/bulletins',
      tags,
      summary: 'Published bulletins of a region (and all of Tibet), newest first, as cards',
      query: z.object({
        region: describe(z.optional(idText), 'A region id; absent: every bulletin'),
        limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
        cursor: pageFields.cursor,
        lang: pageFields.lang,
      }),
      responses: { 200: json(pageOf(PublishedItem), 'A page of bulletins'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      const page = await knowledge().bulletins({
        ...(query.region ? { regionId: query.region } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit,
      });
      c.header('Cache-Control', PUBLIC_CACHE);
      return c.json(
        { items: page.items.map((i) => publicOf(i, deps)), ...(page.cursor ? { cursor: page.cursor } : {}) },
        200,
      );
    },
  );

  api.route(
    {
      method: 'get',
      path: '/alerts',
      tags,
      summary: 'Current alerts (not yet expired) for a region, its prefecture and all of Tibet, severest first',
      query: z.object({
        region: describe(z.optional(idText), 'A region id; absent: every current alert'),
        lang: pageFields.lang,
      }),
      responses: { 200: json(pageOf(PublishedItem), 'The current alerts'), 400: problem('Invalid input') },
    },
    async (c, { query }) => {
      const items = await knowledge().alerts({
        ...(query.region ? { regionId: query.region } : {}),
        now: deps.now(),
      });
      c.header('Cache-Control', PUBLIC_CACHE);
      return c.json({ items: items.map((i) => publicOf(i, deps)) }, 200);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/alerts/{id}',
      tags,
      summary: 'A published alert (also as CAP 1.2: /alerts/{id}.cap)',
      params: idParam,
      query: z.object({ lang: pageFields.lang }),
      responses: { 200: json(PublishedItem, 'The alert'), 400: problem('Invalid input'), 404: notFound },
    },
    async (c, { params }) => {
      const item = await published('alert', params.id);
      c.header('Cache-Control', PUBLIC_CACHE);
      return c.json(publicOf(item, deps), 200);
    },
  );

  // ── Staff ──
  api.route(
    {
      ...staff,
      method: 'get',
      path: '/knowledge',
      summary:
        "Your regions' items of a kind in a status (drafts, review queues, published, archived), newest change first",
      query: z.object({
        kind: z.enum(itemKinds),
        status: z.enum(itemStatuses),
        region: describe(z.optional(idText), 'A region id, or *; default: your first region'),
        limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
        cursor: pageFields.cursor,
        lang: pageFields.lang,
      }),
      responses: { 200: json(pageOf(ItemSummary), 'A page of items'), ...errors },
    },
    async (c, { query }) => {
      const page = await knowledge().list(actingOf(c), {
        kind: query.kind,
        status: query.status,
        ...(query.region ? { region: query.region } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit,
      });
      c.header('Cache-Control', 'no-store');
      return c.json({ items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) }, 200);
    },
  );

  api.route(
    {
      ...staff,
      method: 'get',
      path: '/knowledge/{id}',
      summary: 'An item of any kind as staff see it: working version, reviews, summary segments, the steps open to you',
      params: idParam,
      query: z.object({ lang: pageFields.lang }),
      responses: { 200: json(ItemView, 'The item'), ...errors, 404: notFound },
    },
    async (c, { params }) => {
      const view = await knowledge().get(actingOf(c), params.id);
      c.header('Cache-Control', 'no-store');
      return c.json({ ...view, item: staffItemOf(view.item) }, 200);
    },
  );

  for (const kind of itemKinds) {
    const path = `/${paths[kind]}`;
    const body = bodies[kind];

    api.route(
      {
        ...staff,
        method: 'post',
        path: `${path}/summary-check`,
        summary: `Segments of a ${kind}'s summaries per script, as the SMS would be sent (nothing stored)`,
        body: z.object({ versions: VersionsInput }),
        responses: { 200: json(z.object({ checks: SummaryChecks }), 'The segments'), ...errors },
      },
      async (c, input) => {
        actingOf(c);
        return c.json({ checks: await knowledge().checkSummaries(kind, versionsOf(input.body.versions)) }, 200);
      },
    );

    api.route(
      {
        ...staff,
        method: 'post',
        path,
        summary: `Create a draft ${kind} (editors, in every region of it)`,
        description:
          'Version 1 in draft; nothing is public until a Tibetan and a Chinese reviewer approve the same version. Send an `Idempotency-Key` header to make a retry the same item; without one the request id is used.',
        body,
        responses: { 201: json(StaffItem, 'The draft, with its id and version'), ...errors },
      },
      async (c, input) => {
        const acting = actingOf(c);
        const requestId = requestIdOf(c.req.header('idempotency-key'), acting.actor.phone, c.get('requestId'));
        const item = await knowledge().create(acting, kind, inputOf(kind, input.body as Body), requestId);
        c.header('Location', `/api/v1/knowledge/${item.id}`);
        return c.json(staffItemOf(item), 201);
      },
    );

    api.route(
      {
        ...staff,
        method: 'put',
        path: `${path}/{id}`,
        summary: `Change a ${kind}: a new version (a published one gets a correction in draft)`,
        description:
          "Changing one reviewed language's text withdraws its approval and marks the other's as needs_update; changing regions or fields withdraws both.",
        params: idParam,
        body: withSeq(body),
        responses: { 200: json(StaffItem, 'The changed item'), ...errors, 404: notFound, 409: conflict },
      },
      async (c, { params, body: input }) => {
        ownKind(params.id, kind);
        const { seq, ...rest } = input as Body & { seq?: number };
        const item = await knowledge().update(actingOf(c), params.id, inputOf(kind, rest as Body), seq);
        return c.json(staffItemOf(item), 200);
      },
    );

    const steps = [
      ['submit', 'Send a draft to review (bo and zh complete, summaries within their segments)', undefined],
      [
        'approve',
        'Approve one language of the working version (reviewers of that language, in every region; never an author). The second approval of the same version publishes it',
        z.object({ language: z.enum(reviewedLanguages), version: z.number().check(z.int(), z.minimum(1)) }),
      ],
      [
        'publish-urgent',
        'Alerts marked urgent: publish in the main language alone (one reviewer of it); the other follows as a correction',
        z.object({ version: z.number().check(z.int(), z.minimum(1)) }),
      ],
      ['archive', 'Take it off the public pages and lists', undefined],
    ] as const;
    for (const [step, summary, stepBody] of steps) {
      if (step === 'publish-urgent' && kind !== 'alert') continue;
      api.route(
        {
          ...staff,
          method: 'post',
          path: `${path}/{id}/${step}`,
          summary,
          params: idParam,
          ...(stepBody ? { body: stepBody } : {}),
          responses: { 200: json(StaffItem, 'The item after the step'), ...errors, 404: notFound, 409: conflict },
        },
        async (c, { params, body: given }) => {
          const acting = actingOf(c);
          const service = knowledge();
          ownKind(params.id, kind);
          const b = given as { language?: 'bo' | 'zh'; version?: number } | undefined;
          const item =
            step === 'submit'
              ? await service.submit(acting, params.id)
              : step === 'approve'
                ? await service.approve(acting, params.id, b!.language!, b!.version!)
                : step === 'publish-urgent'
                  ? await service.publishUrgent(acting, params.id, b!.version!)
                  : await service.archive(acting, params.id);
          return c.json(staffItemOf(item), 200);
        },
      );
    }
  }

  return api;
}

/** An id under another kind's path (/guides/a…/submit) is a 404, as a read of it would be. */
function ownKind(id: string, kind: ItemKind): void {
  const letter = { guide: 'g', bulletin: 'n', alert: 'a' }[kind];
  if (!id.startsWith(letter)) throw new AppError('not_found', { kind, id });
}

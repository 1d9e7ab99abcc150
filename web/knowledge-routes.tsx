/**
 * Public knowledge pages: the guide library (/guide, a guide, its print view), current alerts
 * (/alerts), technical bulletins (/bulletins), and — locally — the attachments' files under
 * /files/* (in AWS CloudFront serves that path from the bucket). Server-rendered, no script; each
 * route reads through the knowledge service (published items only) and renders.
 */
import { type Context, Hono } from 'hono';
import { AppError } from '#core/errors.ts';
import { attachmentTypes, type ItemKind, type PublicItem, stages } from '#core/knowledge/item.ts';
import type { KnowledgeService } from '#core/knowledge/service.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import type { Language } from '#core/reference/schemas.ts';
import { primaryName } from './components/names.tsx';
import type { Option } from './components/select.tsx';
import { withQuery } from './forms.ts';
import type { PageDeps, PageEnv } from './kit.ts';
import { knowledgeNamer } from './pages/knowledge/bits.tsx';
import {
  AlertListPage,
  BulletinListPage,
  GuideListPage,
  GuidePrintPage,
  ItemPage,
  type PublicView,
} from './pages/knowledge/public.tsx';
import { sendPage } from './render.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

/** An item id of a kind: its letter and 10 Crockford base32 characters (core/knowledge/ids.ts makes them). */
const itemId: Record<ItemKind, RegExp> = {
  guide: /^g[0-9a-hjkmnp-tv-z]{10}$/u,
  bulletin: /^n[0-9a-hjkmnp-tv-z]{10}$/u,
  alert: /^a[0-9a-hjkmnp-tv-z]{10}$/u,
};
const CURSOR_MAX = 1024;
/** Attachment keys as the service makes them: nothing else is served (no other object of the bucket). */
const FILE_KEY = /^attachments\/[0-9a-z]{11}\/f[0-9a-z]{10}\.(?:jpg|png|webp|pdf)$/u;

/**
 * What the CSP's form-action adds on a page: on the attachment upload page only, the bucket the
 * presigned form posts to (its origin is the deployment's — s3rver locally, S3 in AWS — so the
 * scheme is allowed there, on that one page whose only form we build); elsewhere nothing.
 */
export const uploadFormTarget = (path: string): string =>
  /^\/staff\/knowledge\/[gna][0-9a-z]{10}\/upload$/u.test(path) ? 'https: http:' : '';

/** Prefectures, each followed by its counties, in the page language (the region filters). */
export function regionOptions(catalog: Catalog, lang: Language): Option[] {
  const all = [...catalog.regions.values()];
  const name = (id: string) => primaryName(catalog.regions.get(id)!.names, lang);
  const byName = (a: { id: string }, b: { id: string }) => name(a.id).localeCompare(name(b.id), lang);
  return all
    .filter((r) => r.level === 'prefecture')
    .sort(byName)
    .flatMap((p) => [
      { id: p.id, label: name(p.id) },
      ...all
        .filter((c) => c.parentId === p.id && c.level === 'county')
        .sort(byName)
        .map((c) => ({ id: c.id, label: `— ${name(c.id)}` })),
    ]);
}

/** A reader's page of a list: an old or mangled cursor starts again from the first page. */
async function firstOrCursor<T>(cursor: string | undefined, read: (cursor?: string) => Promise<T>): Promise<T> {
  const at = cursor && cursor.length <= CURSOR_MAX ? cursor : undefined;
  return read(at).catch((err) => {
    if (at && err instanceof AppError && err.code === 'invalid_cursor') return read();
    throw err;
  });
}

export function knowledgeWebRoutes(deps: PageDeps) {
  const web = new Hono<PageEnv>();

  /** The service, read per request: a deployment without it answers these paths with a 404. */
  const service = (_c: Context<PageEnv>): KnowledgeService | undefined => deps.knowledge;
  const base = async (c: Context<PageEnv>): Promise<PublicView & { catalog: Catalog }> => {
    const catalog = await deps.catalog();
    const files = deps.attachments;
    return {
      catalog,
      names: knowledgeNamer(catalog, c.get('t'), c.get('language')),
      fileUrl: (key) => (files ? files.publicUrl(key) : `/files/${key}`),
    };
  };
  const regionOf = (c: Context<PageEnv>, catalog: Catalog) => {
    const r = c.req.query('region') ?? '';
    return catalog.regions.has(r) ? r : '';
  };

  web.get('/guide', async (c) => {
    const knowledge = service(c);
    if (!knowledge) return renderNotFound(c);
    const { catalog, ...view } = await base(c);
    const lang = c.get('language');
    const q = c.req.query();
    const counts = await knowledge.guideCommodities();
    const commodities = Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([id, count]) => ({ id, label: view.names.commodity(id), count }))
      .sort((a, b) => a.label.localeCompare(b.label, lang));
    const commodity = q.commodity && counts[q.commodity] ? q.commodity : '';
    const stage = (stages as readonly string[]).includes(q.stage ?? '') ? (q.stage as (typeof stages)[number]) : '';
    const month = /^(?:[1-9]|1[0-2])$/.test(q.month ?? '') ? Number(q.month) : undefined;
    const region = regionOf(c, catalog);
    const filtered = Boolean(commodity || stage || month || region);
    const page = filtered
      ? await firstOrCursor(q.cursor, (cursor) =>
          knowledge.guides({
            ...(commodity ? { commodityId: commodity } : {}),
            ...(stage ? { stage } : {}),
            ...(month ? { month } : {}),
            ...(region ? { regionId: region } : {}),
            ...(cursor ? { cursor } : {}),
            limit: 20,
          }),
        )
      : { items: [] as PublicItem[], cursor: undefined };
    const filter = { commodity, stage, month: month ? String(month) : '', region };
    const next = page.cursor ? withQuery('/guide', { ...filter, lang, cursor: page.cursor }) : undefined;
    return sendPage(
      c,
      <GuideListPage
        ctx={pageContext(c)}
        view={{ ...view, filter, commodities, regions: regionOptions(catalog, lang), items: page.items, next }}
      />,
    );
  });

  /** A published item of a kind, its `?v=` version when asked for one; undefined: a 404. */
  async function published(c: Context<PageEnv>, kind: ItemKind) {
    const knowledge = service(c);
    const id = c.req.param('id') ?? '';
    if (!knowledge || !itemId[kind].test(id)) return undefined;
    const latest = await knowledge.publicGet(id);
    if (!latest || latest.kind !== kind) return undefined;
    const v = c.req.query('v');
    if (v === undefined || v === String(latest.version)) return { item: latest, latest: latest.version };
    if (!/^\d{1,6}$/.test(v)) return undefined;
    const older = await knowledge.publicVersion(id, Number(v));
    return older ? { item: older, latest: latest.version } : undefined;
  }

  for (const [path, kind] of [
    ['/guide', 'guide'],
    ['/bulletins', 'bulletin'],
    ['/alerts', 'alert'],
  ] as const) {
    web.get(`${path}/:id`, async (c) => {
      const found = await published(c, kind);
      if (!found) return renderNotFound(c);
      const { catalog: _, ...view } = await base(c);
      return sendPage(c, <ItemPage ctx={pageContext(c)} view={{ ...view, ...found }} />);
    });
  }

  web.get('/guide/:id/print', async (c) => {
    const found = await published(c, 'guide');
    if (!found) return renderNotFound(c);
    const { catalog: _, ...view } = await base(c);
    return sendPage(c, <GuidePrintPage ctx={pageContext(c)} view={{ ...view, ...found }} />);
  });

  web.get('/alerts', async (c) => {
    const knowledge = service(c);
    if (!knowledge) return renderNotFound(c);
    const { catalog, ...view } = await base(c);
    const region = regionOf(c, catalog);
    const items = await knowledge.alerts({ ...(region ? { regionId: region } : {}), now: deps.now() });
    const regions = regionOptions(catalog, c.get('language'));
    return sendPage(c, <AlertListPage ctx={pageContext(c)} view={{ ...view, region, regions, items }} />);
  });

  web.get('/bulletins', async (c) => {
    const knowledge = service(c);
    if (!knowledge) return renderNotFound(c);
    const { catalog, ...view } = await base(c);
    const region = regionOf(c, catalog);
    const page = await firstOrCursor(c.req.query('cursor'), (cursor) =>
      knowledge.bulletins({ ...(region ? { regionId: region } : {}), ...(cursor ? { cursor } : {}), limit: 20 }),
    );
    const next = page.cursor
      ? withQuery('/bulletins', { region: region || undefined, lang: c.get('language'), cursor: page.cursor })
      : undefined;
    const regions = regionOptions(catalog, c.get('language'));
    return sendPage(
      c,
      <BulletinListPage ctx={pageContext(c)} view={{ ...view, region, regions, items: page.items, next }} />,
    );
  });

  // Locally the app serves the attachments (in AWS CloudFront does, from the bucket). Only
  // attachment keys; the stored type decides the header, and nosniff keeps browsers to it. An
  // image or PDF opens in the browser; anything else would download.
  web.get('/files/*', async (c) => {
    const key = c.req.path.slice('/files/'.length);
    const files = deps.attachments;
    if (!files || !FILE_KEY.test(key)) return renderNotFound(c);
    const file = await files.read(key);
    if (!file) return renderNotFound(c);
    const known = (attachmentTypes as readonly string[]).includes(file.type);
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': known ? file.type : 'application/octet-stream',
      'Content-Disposition': known ? 'inline' : 'attachment',
      'X-Content-Type-Options': 'nosniff',
      // Keys never change content (a new file is a new key).
      'Cache-Control': 'public, max-age=86400',
    });
  });

  return web;
}

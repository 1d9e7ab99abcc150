/**
 * The knowledge staff pages under /staff/knowledge: the lists, the new-item form per kind (a POST
 * Preview shows the summary checks under the filled form), an item's page with its steps (submit,
 * approve a language, publish an urgent alert, archive), its attachments (a page whose plain form
 * posts the file straight to the bucket, and the address S3 sends the browser back to). Every
 * action is a CSRF-checked POST answered by a redirect; the knowledge service decides who may do
 * what where, validates and logs it — these routes only read forms and show answers.
 */
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { AppError, type ErrorDetail } from '#core/errors.ts';
import type { Translator } from '#core/i18n.ts';
import {
  type AlertKind,
  type GuideTopic,
  type Item,
  type ItemKind,
  type ItemStatus,
  itemKinds,
  itemStatuses,
  MAX_ATTACHMENT_BYTES,
  type ReviewedLanguage,
  reviewedLanguages,
  type Severity,
  type Stage,
  type Versions,
} from '#core/knowledge/item.ts';
import type { ItemInput, KnowledgeService } from '#core/knowledge/service.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import type { Language } from '#core/reference/schemas.ts';
import { languagesWith, regionsWith } from '#core/staff/authz.ts';
import { guard } from '#core/staff/guard.ts';
import { type Actor, ALL_REGIONS } from '#core/staff/roles.ts';
import { commodityChoices } from './components/offer-bits.tsx';
import { type Acting, staffPage } from './components/price-bits.tsx';
import type { Option } from './components/select.tsx';
import { type Form, field, fields, withQuery } from './forms.ts';
import type { PageDeps, PageEnv, PageKit } from './kit.ts';
import { regionOptions } from './knowledge-routes.tsx';
import { itemLanguages, knowledgeNamer, shanghaiInput } from './pages/knowledge/bits.tsx';
import {
  type ItemFormValues,
  type ItemFormView,
  NewItemPage,
  StaffItemPage,
  StaffListPage,
  UploadPage,
} from './pages/knowledge/staff.tsx';
import { sendPage } from './render.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

const ITEM_ID = /^[gna][0-9a-hjkmnp-tv-z]{10}$/u;
const ATTACHMENT_ID = /^f[0-9a-hjkmnp-tv-z]{10}$/u;
const REQUEST_ID = /^[\w-]{8,64}$/;
/** What a datetime-local input sends (seconds only when the browser adds them). */
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/;
const DONE = new Set(['created', 'saved', 'submitted', 'approved', 'published', 'archived', 'attached', 'removed']);
const kindOfId = (id: string): ItemKind => (id[0] === 'g' ? 'guide' : id[0] === 'n' ? 'bulletin' : 'alert');

/** Regions a member edits in: '*' and every prefecture and county for a grant everywhere; else the granted ones and their counties. */
function editRegions(actor: Actor, catalog: Catalog, lang: Language, t: Translator): Option[] {
  const granted = regionsWith(actor, 'content.edit');
  const all = regionOptions(catalog, lang);
  if (granted.has(ALL_REGIONS)) return [{ id: ALL_REGIONS, label: t('web:knowledge.everywhere') }, ...all];
  return all.filter((o) => {
    const r = catalog.regions.get(o.id);
    return granted.has(o.id) || (r?.parentId ? granted.has(r.parentId) : false);
  });
}

const emptyVersion = () => ({ title: '', body: '', summary: '', instruction: '' });

export function emptyValues(kind: ItemKind, today: string): ItemFormValues {
  return {
    kind,
    regions: [],
    commodity: '',
    stage: 'during',
    topic: 'technique',
    months: [],
    date: today,
    bulletinTopic: '',
    alertKind: 'weather',
    severity: 'moderate',
    onset: '',
    expires: '',
    urgent: false,
    mainLanguage: 'bo',
    broadcast: kind !== 'guide',
    versions: { bo: emptyVersion(), zh: emptyVersion(), en: emptyVersion() },
    requestId: randomUUID(),
  };
}

/** The form as typed, each field bounded (nothing here is trusted: the service validates it all). */
function valuesOf(form: Form, kind: ItemKind): ItemFormValues {
  const bounded = (name: string, max: number) => field(form, name).slice(0, max);
  const list = (name: string) => [...new Set(fields(form, name).map((v) => v.slice(0, 100)))].slice(0, 100);
  const requestId = bounded('requestId', 64);
  const seq = /^\d{1,9}$/.test(field(form, 'seq')) ? Number(field(form, 'seq')) : undefined;
  const version = (l: string) => ({
    title: bounded(`${l}_title`, 400),
    body: bounded(`${l}_body`, 40_000),
    summary: bounded(`${l}_summary`, 1000),
    instruction: bounded(`${l}_instruction`, 4000),
  });
  return {
    kind,
    regions: list('regions').filter(Boolean),
    commodity: bounded('commodity', 100),
    stage: bounded('stage', 20),
    topic: bounded('topic', 40),
    months: list('months'),
    date: bounded('date', 20),
    bulletinTopic: bounded('bulletinTopic', 20),
    alertKind: bounded('alertKind', 20),
    severity: bounded('severity', 20),
    onset: bounded('onset', 30),
    expires: bounded('expires', 30),
    urgent: field(form, 'urgent') === '1',
    mainLanguage: bounded('mainLanguage', 5),
    broadcast: field(form, 'broadcast') === '1',
    versions: { bo: version('bo'), zh: version('zh'), en: version('en') },
    // A refused form keeps its id: sending it again after a fix is still the same item.
    requestId: REQUEST_ID.test(requestId) ? requestId : randomUUID(),
    seq,
  };
}

/** A stored item back as form values (editing). */
function valuesOfItem(item: Item): ItemFormValues {
  const f = item.content.fields;
  const v = emptyValues(item.kind, '');
  for (const l of itemLanguages) {
    const x = item.content.versions[l];
    if (x) v.versions[l] = { title: x.title, body: x.body, summary: x.summary, instruction: x.instruction ?? '' };
  }
  return {
    ...v,
    regions: item.content.regions,
    broadcast: Boolean(item.broadcast),
    seq: item.seq,
    ...(f.kind === 'guide'
      ? { commodity: f.commodityId, stage: f.stage, topic: f.topic, months: f.months.map(String) }
      : f.kind === 'bulletin'
        ? { date: f.date, bulletinTopic: f.topic ?? '' }
        : {
            alertKind: f.alertKind,
            severity: f.severity,
            onset: shanghaiInput(f.onset),
            expires: shanghaiInput(f.expires),
            urgent: f.urgent,
            mainLanguage: f.mainLanguage,
          }),
  };
}

/** Asia/Shanghai (UTC+8 all year) wall time from the form, as an instant. */
function instant(local: string): string | undefined {
  const m = LOCAL_TIME.exec(local.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The service's input from the form, or the fields the form itself cannot read. */
function inputOf(v: ItemFormValues, t: Translator): { input: ItemInput; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const versions: Versions = {};
  for (const l of itemLanguages) {
    const x = v.versions[l];
    if (!x.title.trim() && !x.body.trim() && !x.summary.trim() && !x.instruction.trim()) continue;
    versions[l] = {
      title: x.title.trim(),
      body: x.body.trim(),
      summary: x.summary.trim(),
      ...(v.kind === 'alert' && x.instruction.trim() ? { instruction: x.instruction.trim() } : {}),
    };
  }
  let fields: ItemInput['fields'];
  if (v.kind === 'guide') {
    fields = {
      kind: 'guide',
      commodityId: v.commodity,
      stage: v.stage as Stage,
      topic: v.topic as GuideTopic,
      months: v.months.filter((m) => /^\d{1,2}$/.test(m)).map(Number),
    };
  } else if (v.kind === 'bulletin') {
    fields = { kind: 'bulletin', date: v.date, ...(v.bulletinTopic ? { topic: v.bulletinTopic as AlertKind } : {}) };
  } else {
    const onset = instant(v.onset);
    const expires = instant(v.expires);
    if (!onset) errors.onset = t('web:knowledge.staff.badTime');
    if (!expires) errors.expires = t('web:knowledge.staff.badTime');
    fields = {
      kind: 'alert',
      alertKind: v.alertKind as AlertKind,
      severity: v.severity as Severity,
      onset: onset ?? '',
      expires: expires ?? '',
      urgent: v.urgent,
      mainLanguage: (reviewedLanguages as readonly string[]).includes(v.mainLanguage)
        ? (v.mainLanguage as ReviewedLanguage)
        : 'bo',
    };
  }
  return {
    input: { regions: v.regions, fields, versions, ...(v.kind === 'guide' ? {} : { broadcast: v.broadcast }) },
    errors,
  };
}

const detailText = (t: Translator, d: ErrorDetail) => (d.key ? t(d.key, d.params ?? {}) : d.message);

/** Which form field a refused detail belongs beside; `form` when it names none of them. */
function fieldOf(path: string | undefined): string {
  const p = (path ?? '').replace(/^body\./, '');
  const text = /^versions\.(bo|zh|en)\.(title|body|summary|instruction)\b/.exec(p);
  if (text) return `${text[1]}_${text[2]}`;
  const lang = /^versions\.(bo|zh|en)\b/.exec(p);
  if (lang) return `${lang[1]}_title`;
  const f = /^(?:fields\.)?(regions|months|date|onset|expires|commodityId|commodity)\b/.exec(p);
  if (f) return f[1] === 'commodityId' ? 'commodity' : f[1]!;
  return 'form';
}

/** A validation refusal as messages beside the fields. */
function errorsOf(t: Translator, err: AppError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const d of err.details) {
    const name = fieldOf(d.path);
    errors[name] = [errors[name], detailText(t, d)].filter(Boolean).join(' ');
  }
  if (!Object.keys(errors).length) errors.form = refusalText(t, err);
  return errors;
}

/** A refused step (a state that does not allow it, own work, stale version) in the page language. */
export function refusalText(t: Translator, err: AppError): string {
  if (err.details.length) return err.details.map((d) => detailText(t, d)).join(' ');
  const key = typeof err.params.key === 'string' ? err.params.key : undefined;
  if (key) return t(key, err.params);
  if (err.code === 'conflict' && typeof err.params.status === 'string')
    return t('errors:knowledge.status', { status: t(`web:knowledge.staff.status.${err.params.status}`) });
  return t(`errors:${err.code}.title`);
}

/** The redirect address S3 sends the browser to after an upload (absolute: S3 needs one). */
const uploadedUrl = (c: Context<PageEnv>, id: string) => `${new URL(c.req.url).origin}/staff/knowledge/${id}/uploaded`;

/**
 * The upload an S3 redirect names: `key` is `uploads/<uploadId>` (S3 adds bucket, key and etag
 * to the redirect), possibly followed by `/<file name>` when the policy keeps it; an `upload`
 * parameter, when present, says the same.
 */
export function uploadOf(query: Record<string, string>): { uploadId: string; name: string } | undefined {
  const m = /^uploads\/([\w-]{1,100})(?:\/(.{1,200}))?$/u.exec(query.key ?? '');
  const uploadId = query.upload && /^[\w-]{1,100}$/.test(query.upload) ? query.upload : m?.[1];
  if (!uploadId) return undefined;
  const name = (query.name || m?.[2] || uploadId).replace(/[\p{C}/\\]/gu, '').slice(0, 200) || uploadId;
  return { uploadId, name };
}

export function knowledgeStaffWebRoutes(deps: PageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();
  /** Read per request: without the service these pages are a 404. */
  const knowledgeOf = (c: Context<PageEnv>): KnowledgeService | undefined => (c ? deps.knowledge : undefined);
  const fileUrl = (key: string) => (deps.attachments ? deps.attachments.publicUrl(key) : `/files/${key}`);
  const today = () => new Date(deps.now().getTime() + 8 * 3600_000).toISOString().slice(0, 10);

  async function formView(
    c: Context<PageEnv>,
    acting: Acting,
    values: ItemFormValues,
    extra: Partial<Pick<ItemFormView, 'errors' | 'checks' | 'editing'>> = {},
  ): Promise<ItemFormView> {
    const ctx = pageContext(c);
    const catalog = await deps.catalog();
    return {
      csrf: c.get('csrfToken')(),
      values,
      regions: editRegions(acting.actor, catalog, ctx.lang, ctx.t),
      commodities: commodityChoices(catalog, ctx.lang),
      errors: {},
      counter: { signature: deps.smsSignature?.signature, gsmSignature: deps.smsSignature?.gsmSignature },
      ...extra,
    };
  }

  async function renderItem(
    c: Context<PageEnv>,
    acting: Acting,
    knowledge: KnowledgeService,
    id: string,
    extra: { form?: ItemFormView; error?: string; done?: string } = {},
    status: 200 | 400 | 409 = 200,
  ) {
    const ctx = pageContext(c);
    const view = await knowledge.get(acting, id);
    const form =
      extra.form ?? (view.may.edit ? await formView(c, acting, valuesOfItem(view.item), { editing: id }) : undefined);
    const page = {
      csrf: c.get('csrfToken')(),
      view,
      names: knowledgeNamer(await deps.catalog(), ctx.t, ctx.lang),
      form,
      error: extra.error,
      done: extra.done,
      fileUrl,
    };
    return sendPage(c, <StaffItemPage ctx={ctx} page={page} />, status);
  }

  // ── Lists ──
  web.get(
    '/staff/knowledge',
    staffPage(kit, async (c, acting) => {
      const knowledge = knowledgeOf(c);
      if (!knowledge) return renderNotFound(c);
      const ctx = pageContext(c);
      const q = c.req.query();
      const kind: ItemKind = (itemKinds as readonly string[]).includes(q.kind ?? '') ? (q.kind as ItemKind) : 'guide';
      const status: ItemStatus = (itemStatuses as readonly string[]).includes(q.status ?? '')
        ? (q.status as ItemStatus)
        : 'draft';
      const catalog = await deps.catalog();
      const region = q.region && (q.region === ALL_REGIONS || catalog.regions.has(q.region)) ? q.region : '';
      const cursor = q.cursor && q.cursor.length <= 1024 ? q.cursor : undefined;
      const read = (at?: string) =>
        knowledge.list(acting, {
          kind,
          status,
          ...(region ? { region } : {}),
          ...(at ? { cursor: at } : {}),
          limit: 30,
        });
      const page = await read(cursor).catch((err) => {
        if (cursor && err instanceof AppError && err.code === 'invalid_cursor') return read();
        throw err;
      });
      const reviews = [...languagesWith(acting.actor, 'content.review')];
      const view = {
        kind,
        status,
        region,
        regions: regionOptions(catalog, ctx.lang),
        items: page.items,
        next: page.cursor
          ? withQuery('/staff/knowledge', { kind, status, region: region || undefined, cursor: page.cursor })
          : undefined,
        names: knowledgeNamer(catalog, ctx.t, ctx.lang),
        reviews,
      };
      return sendPage(c, <StaffListPage ctx={ctx} view={view} />);
    }),
  );

  // ── New ──
  web.get(
    '/staff/knowledge/new',
    staffPage(kit, async (c, acting) => {
      if (!knowledgeOf(c)) return renderNotFound(c);
      await guard(deps, acting, 'content.edit');
      const asked = c.req.query('kind') ?? '';
      const kind: ItemKind = (itemKinds as readonly string[]).includes(asked) ? (asked as ItemKind) : 'guide';
      const view = await formView(c, acting, emptyValues(kind, today()));
      return sendPage(c, <NewItemPage ctx={pageContext(c)} view={view} />);
    }),
  );

  const kindOfForm = (form: Form): ItemKind => {
    const k = field(form, 'kind');
    return (itemKinds as readonly string[]).includes(k) ? (k as ItemKind) : 'guide';
  };

  /** Preview: the summary checks under the filled form; nothing stored. */
  web.post(
    '/staff/knowledge/preview',
    staffPage(kit, async (c, acting) => {
      const knowledge = knowledgeOf(c);
      if (!knowledge) return renderNotFound(c);
      await guard(deps, acting, 'content.edit');
      const form = (await c.req.parseBody({ all: true })) as Form;
      const values = valuesOf(form, kindOfForm(form));
      const { input, errors } = inputOf(values, pageContext(c).t);
      const checks = await knowledge.checkSummaries(values.kind, input.versions);
      const view = await formView(c, acting, values, { errors, checks });
      return sendPage(c, <NewItemPage ctx={pageContext(c)} view={view} />, Object.keys(errors).length ? 400 : 200);
    }),
  );

  web.post(
    '/staff/knowledge',
    staffPage(kit, async (c, acting) => {
      const knowledge = knowledgeOf(c);
      if (!knowledge) return renderNotFound(c);
      const form = (await c.req.parseBody({ all: true })) as Form;
      const { t } = pageContext(c);
      const values = valuesOf(form, kindOfForm(form));
      const { input, errors } = inputOf(values, t);
      const again = async (errs: Record<string, string>) =>
        sendPage(
          c,
          <NewItemPage
            ctx={pageContext(c)}
            view={
              await formView(c, acting, values, {
                errors: errs,
                checks: await knowledge.checkSummaries(values.kind, input.versions),
              })
            }
          />,
          400,
        );
      if (Object.keys(errors).length) return again(errors);
      try {
        const item = await knowledge.create(acting, values.kind, input, `form-${values.requestId}`);
        return c.redirect(`/staff/knowledge/${item.id}?done=created`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed') return again(errorsOf(t, err));
        throw err;
      }
    }),
  );

  // ── An item ──
  const itemRoute = (
    handler: (c: Context<PageEnv>, acting: Acting, k: KnowledgeService, id: string) => Promise<Response>,
  ) =>
    staffPage(kit, async (c, acting) => {
      const knowledge = knowledgeOf(c);
      const id = c.req.param('id') ?? '';
      if (!knowledge || !ITEM_ID.test(id)) return renderNotFound(c);
      try {
        return await handler(c, acting, knowledge, id);
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return renderNotFound(c);
        throw err;
      }
    });

  web.get(
    '/staff/knowledge/:id',
    itemRoute(async (c, acting, knowledge, id) => {
      const done = c.req.query('done');
      return renderItem(c, acting, knowledge, id, { done: done && DONE.has(done) ? done : undefined });
    }),
  );

  for (const preview of [false, true]) {
    web.post(
      preview ? '/staff/knowledge/:id/preview' : '/staff/knowledge/:id',
      itemRoute(async (c, acting, knowledge, id) => {
        const form = (await c.req.parseBody({ all: true })) as Form;
        const { t } = pageContext(c);
        const values = valuesOf(form, kindOfId(id));
        const { input, errors } = inputOf(values, t);
        const checks = await knowledge.checkSummaries(values.kind, input.versions);
        const show = async (errs: Record<string, string>, status: 200 | 400 | 409) =>
          renderItem(
            c,
            acting,
            knowledge,
            id,
            { form: await formView(c, acting, values, { errors: errs, checks, editing: id }) },
            status,
          );
        if (preview || Object.keys(errors).length) return show(errors, Object.keys(errors).length ? 400 : 200);
        try {
          await knowledge.update(acting, id, input, values.seq);
          return c.redirect(`/staff/knowledge/${id}?done=saved`, 303);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          if (err.code === 'validation_failed') return show(errorsOf(t, err), 400);
          if (err.code === 'conflict') return show({ form: refusalText(t, err) }, 409);
          throw err;
        }
      }),
    );
  }

  /** A step: done → back to the page with its outcome; refused → the page as it is, with why. */
  const step = (
    name: string,
    done: string,
    act: (acting: Acting, k: KnowledgeService, id: string, form: Form) => Promise<unknown>,
  ) =>
    web.post(
      `/staff/knowledge/:id/${name}`,
      itemRoute(async (c, acting, knowledge, id) => {
        const form = (await c.req.parseBody({ all: true })) as Form;
        try {
          await act(acting, knowledge, id, form);
          return c.redirect(`/staff/knowledge/${id}?done=${done}`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || (err.code !== 'conflict' && err.code !== 'validation_failed')) throw err;
          const error = refusalText(pageContext(c).t, err);
          return renderItem(c, acting, knowledge, id, { error }, err.code === 'conflict' ? 409 : 400);
        }
      }),
    );
  const versionOf = (form: Form) => (/^\d{1,9}$/.test(field(form, 'version')) ? Number(field(form, 'version')) : 0);

  step('submit', 'submitted', (acting, k, id) => k.submit(acting, id));
  step('archive', 'archived', (acting, k, id) => k.archive(acting, id));
  step('approve', 'approved', (acting, k, id, form) => {
    const language = field(form, 'language');
    if (!(reviewedLanguages as readonly string[]).includes(language)) throw new AppError('validation_failed');
    return k.approve(acting, id, language as ReviewedLanguage, versionOf(form));
  });
  step('publish-urgent', 'published', (acting, k, id, form) => k.publishUrgent(acting, id, versionOf(form)));

  // ── Attachments ──
  web.get(
    '/staff/knowledge/:id/upload',
    itemRoute(async (c, acting, knowledge, id) => {
      const view = await knowledge.get(acting, id);
      if (!view.may.attach) await guard(deps, acting, 'content.edit', view.item.content.regions);
      const presigned = await knowledge.startUpload(acting, id, uploadedUrl(c, id));
      const page = { item: view.item, url: presigned.url, fields: presigned.fields, maxBytes: MAX_ATTACHMENT_BYTES };
      return sendPage(c, <UploadPage ctx={pageContext(c)} page={page} />);
    }),
  );

  // S3's redirect after the browser's upload (a GET: S3 cannot post a form). The service checks
  // the object by its content, keeps or deletes it; nothing here trusts the query beyond its shape.
  web.get(
    '/staff/knowledge/:id/uploaded',
    itemRoute(async (c, acting, knowledge, id) => {
      const upload = uploadOf(c.req.query());
      // Nothing named to finish (opened by hand, or S3 sent no key): the item's page.
      if (!upload) return c.redirect(`/staff/knowledge/${id}`, 303);
      try {
        await knowledge.finishUpload(acting, id, upload.uploadId, upload.name);
        return c.redirect(`/staff/knowledge/${id}?done=attached`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || (err.code !== 'conflict' && err.code !== 'validation_failed')) throw err;
        const error = refusalText(pageContext(c).t, err);
        return renderItem(c, acting, knowledge, id, { error }, err.code === 'conflict' ? 409 : 400);
      }
    }),
  );

  web.post(
    '/staff/knowledge/:id/attachments/:aid/delete',
    itemRoute(async (c, acting, knowledge, id) => {
      const aid = c.req.param('aid') ?? '';
      if (!ATTACHMENT_ID.test(aid)) return renderNotFound(c);
      await knowledge.removeAttachment(acting, id, aid);
      return c.redirect(`/staff/knowledge/${id}?done=removed`, 303);
    }),
  );

  return web;
}

/**
 * The broadcast staff pages under /staff/broadcasts: history, compose (a POST preview shows the
 * preview under the filled form), a broadcast's page and its steps (approve, send, pause,
 * resume, cancel), edit. Every action is a plain CSRF-checked POST; the broadcast service
 * decides who may do what where, validates, and logs it — these routes only read forms and
 * show answers.
 */
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { Broadcast } from '#core/broadcasts/broadcast.ts';
import type { BroadcastInput } from '#core/broadcasts/service.ts';
import { defaultBroadcastSettings } from '#core/broadcasts/settings.ts';
import { AppError, type ErrorDetail } from '#core/errors.ts';
import type { Language, Translator } from '#core/i18n.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { smsTranslator } from '#core/sms/sms-text.ts';
import { regionsWith } from '#core/staff/authz.ts';
import { guard } from '#core/staff/guard.ts';
import { type Actor, ALL_REGIONS } from '#core/staff/roles.ts';
import { smsResources } from '#locales/sms.ts';
import { primaryName } from './components/names.tsx';
import { commodityChoices } from './components/offer-bits.tsx';
import { type Acting, staffPage } from './components/price-bits.tsx';
import type { Option } from './components/select.tsx';
import { type Form, field, fields, formVersion } from './forms.ts';
import type { PageDeps, PageEnv, PageKit } from './kit.ts';
import {
  type BroadcastNamer,
  BroadcastPage,
  type BroadcastStep,
  broadcastSteps,
  type ComposeErrors,
  type ComposeField,
  ComposePage,
  type ComposeValues,
  type ComposeView,
  HistoryPage,
  plainTopics,
  textLanguages,
} from './pages/broadcasts.tsx';
import { sendPage } from './render.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

const ID = /^[\w-]{1,100}$/;
const REQUEST_ID = /^[\w-]{8,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** What a datetime-local input sends (seconds only when the browser adds them). */
const LOCAL_TIME = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(:\d{2})?$/;

const byName = (lang: Language) => (a: Option, b: Option) => a.label.localeCompare(b.label, lang);

/** Names in the page language for the regions and topics a broadcast carries. */
function broadcastNamer(catalog: Catalog, t: Translator, lang: Language): BroadcastNamer {
  const region = (id: string) => {
    const r = catalog.regions.get(id);
    return r ? primaryName(r.names, lang) : id;
  };
  const topic = (topic: string) => {
    if (topic.startsWith('price:')) {
      const c = catalog.commodities.get(topic.slice(6));
      return t('web:broadcasts.topics.price', { commodity: c ? primaryName(c.names, lang) : topic.slice(6) });
    }
    return (plainTopics as readonly string[]).includes(topic) ? t(`web:broadcasts.topics.${topic}`) : topic;
  };
  return { region, topic };
}

/** The regions a member broadcasts in: '*' for everywhere, else each granted region. */
const broadcastGrants = (actor: Actor): Set<string> => regionsWith(actor, 'sms.broadcast');

/**
 * Prefectures with their counties, as far as the member may broadcast there: a grant for a
 * prefecture gives it and its counties; one for a county, that county (under its prefecture's
 * name, which is not itself offered).
 */
function regionGroups(actor: Actor, catalog: Catalog, lang: Language): ComposeView['regionGroups'] {
  const granted = broadcastGrants(actor);
  const everywhere = granted.has(ALL_REGIONS);
  const all = [...catalog.regions.values()];
  const option = (id: string) => ({ id, label: primaryName(catalog.regions.get(id)!.names, lang) });
  return all
    .filter((p) => p.level === 'prefecture')
    .map((p) => {
      const whole = everywhere || granted.has(p.id);
      const counties = all
        .filter((c) => c.parentId === p.id && (whole || granted.has(c.id)))
        .map((c) => option(c.id))
        .sort(byName(lang));
      return { whole, prefecture: option(p.id), counties };
    })
    .filter((g) => g.whole || g.counties.length)
    .sort((a, b) => byName(lang)(a.prefecture, b.prefecture))
    .map(({ prefecture, counties, whole }) => ({
      // A member granted only some counties sees the prefecture as a heading, not as a choice.
      prefecture: whole ? prefecture : { ...prefecture, id: '' },
      counties,
    }));
}

/** The registered templates (`notice.*` keys of the sms namespace), labelled with their text in the page language. */
function templateChoices(lang: Language): Option[] {
  const notices = (language: Language) =>
    ((smsResources[language] as Record<string, unknown>).notice ?? {}) as Record<string, unknown>;
  return Object.keys(notices('en')).map((name) => {
    const text = notices(lang)[name] ?? notices('en')[name];
    return { id: `notice.${name}`, label: typeof text === 'string' ? `${name}: ${text.slice(0, 60)}` : name };
  });
}

const emptyValues = (): ComposeValues => ({
  regions: [],
  topics: [],
  price: '',
  languages: [],
  texts: { bo: '', zh: '', en: '' },
  template: '',
  params: '',
  sendAt: '',
  requestId: randomUUID(),
});

/** The form as typed, each field bounded (nothing here is trusted: the service validates it all). */
function valuesOf(form: Form): ComposeValues {
  const bounded = (name: string, max: number) => field(form, name).slice(0, max);
  const list = (name: string) => [...new Set(fields(form, name).map((v) => v.slice(0, 100)))].slice(0, 100);
  const requestId = bounded('requestId', 64);
  return {
    regions: list('regions').filter(Boolean),
    topics: list('topics').filter((t) => (plainTopics as readonly string[]).includes(t)),
    price: bounded('price', 100),
    languages: list('languages').filter((l) => (textLanguages as readonly string[]).includes(l)),
    texts: { bo: bounded('text_bo', 5000), zh: bounded('text_zh', 5000), en: bounded('text_en', 5000) },
    template: bounded('template', 100),
    params: bounded('params', 2000),
    sendAt: bounded('sendAt', 30),
    // A refused form keeps its id: sending it again after a fix is still the same broadcast.
    requestId: REQUEST_ID.test(requestId) ? requestId : randomUUID(),
  };
}

/** The service's input from the form, or the fields the form itself cannot read. */
function inputOf(v: ComposeValues, t: Translator): { input: BroadcastInput; errors: ComposeErrors } {
  const errors: ComposeErrors = {};
  let sendAt: string | undefined;
  if (v.sendAt.trim()) {
    const m = LOCAL_TIME.exec(v.sendAt.trim());
    // The form's time is Asia/Shanghai (UTC+8 all year): the offset is written, not looked up.
    if (m) sendAt = `${m[1]}T${m[2]}${m[3] ?? ':00'}+08:00`;
    else errors.sendAt = t('errors:broadcast.send_at_invalid');
  }
  let template: BroadcastInput['template'];
  if (v.template) {
    const params: Record<string, string> = {};
    for (const line of v.params.split(/\r?\n/)) {
      if (!line.trim()) continue;
      const at = line.indexOf('=');
      if (at <= 0) {
        errors.template = t('web:broadcasts.compose.paramsLine', { line: line.slice(0, 40) });
        continue;
      }
      params[line.slice(0, at).trim()] = line.slice(at + 1).trim();
    }
    template = { key: v.template, params };
  }
  const texts = Object.fromEntries(textLanguages.filter((l) => v.texts[l].trim()).map((l) => [l, v.texts[l]]));
  const input: BroadcastInput = {
    audience: {
      regions: v.regions,
      topics: [...v.topics, ...(v.price ? [`price:${v.price}`] : [])] as BroadcastInput['audience']['topics'],
      languages: v.languages as Language[],
    },
    ...(template ? { template } : { texts }),
    ...(sendAt ? { sendAt } : {}),
  };
  return { input, errors };
}

/** A stored broadcast back as form values (editing). */
function valuesOfBroadcast(b: Broadcast): ComposeValues {
  const shanghai = b.sendAt ? new Date(Date.parse(b.sendAt) + 8 * 3600_000).toISOString().slice(0, 16) : '';
  return {
    regions: b.audience.regions,
    topics: b.audience.topics.filter((t) => !t.startsWith('price:')),
    price: b.audience.topics.find((t) => t.startsWith('price:'))?.slice(6) ?? '',
    languages: b.audience.languages,
    texts: { bo: b.texts.bo ?? '', zh: b.texts.zh ?? '', en: b.texts.en ?? '' },
    template: b.template?.key ?? '',
    params: b.template
      ? Object.entries(b.template.params)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n')
      : '',
    sendAt: shanghai,
    requestId: randomUUID(),
  };
}

const detailText = (t: Translator, d: ErrorDetail) => (d.key ? t(d.key, d.params ?? {}) : d.message);

/** Which form field a refused detail belongs beside; `form` when it names none of them. */
function fieldOf(path: string | undefined): ComposeField | 'form' {
  const p = (path ?? '').replace(/^body\./, '');
  const text = /^texts?\.(bo|zh|en)\b/.exec(p);
  if (text) return `text_${text[1] as 'bo' | 'zh' | 'en'}`;
  if (/^texts?\b/.test(p)) return 'text_bo';
  if (/^(audience\.)?regions\b/.test(p)) return 'regions';
  if (/^(audience\.)?topics\b/.test(p)) return 'topics';
  if (/^(audience\.)?languages\b/.test(p)) return 'languages';
  if (/^audience\b/.test(p)) return 'regions';
  if (/^template\b/.test(p)) return 'template';
  if (/^sendAt\b/.test(p)) return 'sendAt';
  return 'form';
}

/** A validation refusal as messages beside the fields. */
function errorsOf(t: Translator, err: AppError): ComposeErrors {
  const errors: ComposeErrors = {};
  for (const d of err.details) {
    const name = fieldOf(d.path);
    errors[name] = [errors[name], detailText(t, d)].filter(Boolean).join(' ');
  }
  if (!Object.keys(errors).length) errors.form = t('errors:validation_failed.title');
  return errors;
}

/** A refused step (a state that does not allow it, own approval, budget) in the page language. */
function refusalText(t: Translator, err: AppError): string {
  if (err.details.length) return err.details.map((d) => detailText(t, d)).join(' ');
  const key = typeof err.params.key === 'string' ? err.params.key : undefined;
  if (key) return t(key, err.params);
  if (err.code === 'conflict' && typeof err.params.status === 'string')
    return t('errors:broadcast.status', { status: t(`web:broadcasts.status.${err.params.status}`) });
  return t(`errors:${err.code}.title`);
}

const DONE = new Set<string>([...broadcastSteps, 'created', 'saved']);

export function broadcastStaffWebRoutes(deps: PageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();
  const settings = defaultBroadcastSettings;

  async function renderCompose(
    c: Context<PageEnv>,
    acting: Acting,
    values: ComposeValues,
    extra: Pick<ComposeView, 'errors'> & Partial<Pick<ComposeView, 'preview' | 'editing'>>,
    status: 200 | 400 | 409 = 200,
  ) {
    const ctx = pageContext(c);
    const catalog = await deps.catalog();
    const counter = Object.fromEntries(
      textLanguages.map((lang) => [
        lang,
        {
          footer: smsTranslator(lang)('footer.optOut'),
          signature: deps.smsSignature?.signature,
          gsmSignature: deps.smsSignature?.gsmSignature,
          maxSegments: settings.maxSegments,
        },
      ]),
    ) as ComposeView['counter'];
    const view: ComposeView = {
      csrf: c.get('csrfToken')(),
      values,
      regionGroups: regionGroups(acting.actor, catalog, ctx.lang),
      commodities: commodityChoices(catalog, ctx.lang),
      templates: templateChoices(ctx.lang),
      names: broadcastNamer(catalog, ctx.t, ctx.lang),
      counter,
      ...extra,
    };
    return sendPage(c, <ComposePage ctx={ctx} view={view} />, status);
  }

  /** The id and version a form posted for an edit, when both look right. */
  const editingOf = (form: Form) => {
    const id = field(form, 'id');
    const version = formVersion(form);
    return ID.test(id) && version !== undefined ? { id, version } : undefined;
  };

  // ── History ──
  web.get(
    '/staff/broadcasts',
    staffPage(kit, async (c, acting) => {
      const ctx = pageContext(c);
      const catalog = await deps.catalog();
      const names = broadcastNamer(catalog, ctx.t, ctx.lang);
      const granted = broadcastGrants(acting.actor);
      const regions: Option[] = [
        { id: '', label: ctx.t('web:broadcasts.history.yourRegions') },
        ...(granted.has(ALL_REGIONS) ? [{ id: '*', label: ctx.t('staff:regions.all') }] : []),
        ...[...granted].filter((id) => id !== ALL_REGIONS).map((id) => ({ id, label: names.region(id) })),
        ...(granted.has(ALL_REGIONS)
          ? [...catalog.regions.values()]
              .filter((r) => r.level === 'prefecture')
              .map((r) => ({ id: r.id, label: names.region(r.id) }))
          : []),
      ];
      const asked = c.req.query('region') ?? '';
      const region = regions.some((r) => r.id === asked) || catalog.regions.has(asked) ? asked : '';
      const day = (name: string) => {
        const v = c.req.query(name) ?? '';
        return DAY.test(v) ? v : '';
      };
      const from = day('from');
      const to = day('to');
      const cursor = c.req.query('cursor');
      const read = (at?: string) =>
        deps.broadcasts.list(acting, {
          ...(region ? { region } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
          ...(at ? { cursor: at } : {}),
        });
      const page = await read(cursor && cursor.length <= 1024 ? cursor : undefined).catch((err) => {
        // An old or mangled cursor: the first page again.
        if (cursor && err instanceof AppError && err.code === 'invalid_cursor') return read();
        throw err;
      });
      const view = {
        regions: regions.some((r) => r.id === region)
          ? regions
          : [...regions, { id: region, label: names.region(region) }],
        region,
        from,
        to,
        items: page.items,
        cursor: page.cursor,
        names,
      };
      return sendPage(c, <HistoryPage ctx={ctx} view={view} />);
    }),
  );

  // ── Compose ──
  web.get(
    '/staff/broadcasts/new',
    staffPage(kit, async (c, acting) => {
      // Only those who may broadcast somewhere see the form (guard logs a refusal).
      await guard(deps, acting, 'sms.broadcast');
      return renderCompose(c, acting, emptyValues(), { errors: {} });
    }),
  );

  web.post(
    '/staff/broadcasts/preview',
    staffPage(kit, async (c, acting) => {
      const form = (await c.req.parseBody({ all: true })) as Form;
      const { t } = pageContext(c);
      const values = valuesOf(form);
      const editing = editingOf(form);
      const { input, errors } = inputOf(values, t);
      if (Object.keys(errors).length) return renderCompose(c, acting, values, { errors, editing }, 400);
      try {
        const preview = await deps.broadcasts.preview(acting, input);
        return renderCompose(c, acting, values, { errors: {}, preview, editing });
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed')
          return renderCompose(c, acting, values, { errors: errorsOf(t, err), editing }, 400);
        throw err;
      }
    }),
  );

  web.post(
    '/staff/broadcasts',
    staffPage(kit, async (c, acting) => {
      const form = (await c.req.parseBody({ all: true })) as Form;
      const { t } = pageContext(c);
      const values = valuesOf(form);
      const { input, errors } = inputOf(values, t);
      if (Object.keys(errors).length) return renderCompose(c, acting, values, { errors }, 400);
      try {
        const broadcast = await deps.broadcasts.create(acting, input, `form-${values.requestId}`);
        return c.redirect(`/staff/broadcasts/${broadcast.id}?done=created`, 303);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed')
          return renderCompose(c, acting, values, { errors: errorsOf(t, err) }, 400);
        throw err;
      }
    }),
  );

  // ── A broadcast ──
  web.get(
    '/staff/broadcasts/:id',
    staffPage(kit, async (c, acting) => {
      const id = c.req.param('id') ?? '';
      if (!ID.test(id)) return renderNotFound(c);
      const ctx = pageContext(c);
      const view = await deps.broadcasts.get(acting, id);
      const done = c.req.query('done');
      const page = {
        csrf: c.get('csrfToken')(),
        view,
        names: broadcastNamer(await deps.catalog(), ctx.t, ctx.lang),
        done: done && DONE.has(done) ? (done as BroadcastStep) : undefined,
      };
      return sendPage(c, <BroadcastPage ctx={ctx} page={page} />);
    }),
  );

  web.get(
    '/staff/broadcasts/:id/edit',
    staffPage(kit, async (c, acting) => {
      const id = c.req.param('id') ?? '';
      if (!ID.test(id)) return renderNotFound(c);
      const { broadcast: b, may } = await deps.broadcasts.get(acting, id);
      // Only a draft changes; anything else goes back to its page, which says why.
      if (!may.edit) return c.redirect(`/staff/broadcasts/${b.id}`, 303);
      return renderCompose(c, acting, valuesOfBroadcast(b), {
        errors: {},
        preview: b.preview,
        editing: { id: b.id, version: b.version },
      });
    }),
  );

  web.post(
    '/staff/broadcasts/:id/edit',
    staffPage(kit, async (c, acting) => {
      const id = c.req.param('id') ?? '';
      if (!ID.test(id)) return renderNotFound(c);
      const form = (await c.req.parseBody({ all: true })) as Form;
      const { t } = pageContext(c);
      const values = valuesOf(form);
      const version = formVersion(form);
      const editing = version === undefined ? undefined : { id, version };
      const { input, errors } = inputOf(values, t);
      if (Object.keys(errors).length) return renderCompose(c, acting, values, { errors, editing }, 400);
      try {
        await deps.broadcasts.update(acting, id, input, version);
        return c.redirect(`/staff/broadcasts/${id}?done=saved`, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'validation_failed')
          return renderCompose(c, acting, values, { errors: errorsOf(t, err), editing }, 400);
        if (err.code === 'conflict')
          return renderCompose(c, acting, values, { errors: { form: refusalText(t, err) }, editing }, 409);
        throw err;
      }
    }),
  );

  for (const step of broadcastSteps) {
    web.post(
      `/staff/broadcasts/:id/${step}`,
      staffPage(kit, async (c, acting) => {
        const id = c.req.param('id') ?? '';
        if (!ID.test(id)) return renderNotFound(c);
        try {
          await deps.broadcasts[step](acting, id);
          return c.redirect(`/staff/broadcasts/${id}?done=${step}`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || (err.code !== 'conflict' && err.code !== 'validation_failed')) throw err;
          // Refused, nothing changed: the page as it is, with why.
          const ctx = pageContext(c);
          const page = {
            csrf: c.get('csrfToken')(),
            view: await deps.broadcasts.get(acting, id),
            names: broadcastNamer(await deps.catalog(), ctx.t, ctx.lang),
            error: refusalText(ctx.t, err),
          };
          return sendPage(c, <BroadcastPage ctx={ctx} page={page} />, err.code === 'conflict' ? 409 : 400);
        }
      }),
    );
  }

  return web;
}

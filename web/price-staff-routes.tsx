/**
 * Collector and reviewer price pages: /staff/prices/new (one observation by form)
 * and /staff/prices/review (the queue of a region, approve or reject). Plain POST forms; a
 * decision is answered by a redirect (POST-redirect-GET) carrying an outcome word, a refused
 * entry is re-shown (400) with its values and each error translated beside its field.
 */
import { type Context, Hono } from 'hono';
import { shanghaiDay } from '#core/dates.ts';
import { AppError, type ErrorDetail } from '#core/errors.ts';
import type { Translator } from '#core/i18n.ts';
import { observationIdentity, type PriceKind, parseIdentity } from '#core/prices/observation.ts';
import { approvePrice, pendingPrices, rejectPrice } from '#core/prices/review.ts';
import { type PriceInput, submitPrice } from '#core/prices/submit.ts';
import { priceUnitIds } from '#core/prices/vocabulary.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { regionsWith } from '#core/staff/authz.ts';
import { guard } from '#core/staff/guard.ts';
import { type Actor, ALL_REGIONS, regionIdPattern } from '#core/staff/roles.ts';
import { primaryName } from './components/names.tsx';
import { type Acting, holdText, mayEnterPrices, namer, priceLine, staffPage } from './components/price-bits.tsx';
import { decisionRefusal, type Form, field, formVersion } from './forms.ts';
import type { PageDeps, PageEnv, PageKit } from './kit.ts';
import { type EntryValues, type EntryView, PriceEntryPage } from './pages/price-entry.tsx';
import { PriceReviewPage } from './pages/price-review.tsx';
import { sendPage } from './render.tsx';
import { pageContext } from './routes.tsx';

const entryFields = ['commodity', 'commodityText', 'market', 'date', 'price', 'unit', 'grade', 'kind'] as const;
const regionOk = (r: string | undefined) => (r && regionIdPattern.test(r) ? r : undefined);

/**
 * Each refused field's message in the page language, from the detail's key (errors:price.*);
 * an empty required field just says so rather than "unknown commodity “”".
 */
function fieldErrors(details: ErrorDetail[], input: PriceInput, t: Translator) {
  const out: EntryView['errors'] = {};
  for (const d of details) {
    const name = (entryFields as readonly string[]).includes(d.path ?? '') ? (d.path as keyof EntryValues) : 'price';
    const empty = (name === 'commodity' || name === 'market' || name === 'price') && !input[name].trim();
    const text = empty ? t('collect:errors.required') : d.key ? t(d.key, d.params ?? {}) : d.message;
    out[name] = [out[name], text].filter(Boolean).join(' ');
  }
  return out;
}

/** The regions a member reviews, for the filter: their grants' regions, or every prefecture for an all-regions grant. */
function reviewRegions(actor: Actor, catalog: Catalog, t: Translator, lang: Parameters<typeof primaryName>[1]) {
  const granted = regionsWith(actor, 'price.review');
  const ids = granted.has(ALL_REGIONS)
    ? [ALL_REGIONS, ...[...catalog.regions.values()].filter((r) => !r.parentId).map((r) => r.id)]
    : [...granted];
  return ids.map((id) => ({
    id,
    label:
      id === ALL_REGIONS
        ? t('collect:review.allRegions')
        : catalog.regions.get(id)
          ? primaryName(catalog.regions.get(id)!.names, lang)
          : id,
  }));
}

export function priceStaffWebRoutes(deps: PageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();

  const mayEnter = (acting: Acting) => mayEnterPrices(deps, acting);

  async function renderEntry(
    c: Context<PageEnv>,
    acting: Acting,
    values: EntryValues,
    errors: EntryView['errors'],
    status: 200 | 400 | 409,
    saved?: EntryView['saved'],
  ) {
    const { lang } = pageContext(c);
    const catalog = await deps.catalog();
    const { authz } = deps;
    const markets = [];
    for (const m of catalog.markets.values()) {
      const region = m.regionId ?? ALL_REGIONS;
      if (
        (await authz.can(acting.actor, 'price.submit', region)) ||
        (await authz.can(acting.actor, 'price.review', region))
      )
        markets.push({ id: m.id, label: primaryName(m.names, lang) });
    }
    const names = namer(catalog, lang);
    const view: EntryView = {
      csrf: c.get('csrfToken')(),
      values,
      errors,
      commodities: [...catalog.commodities.values()].map((x) => ({ id: x.id, label: primaryName(x.names, lang) })),
      markets: markets.sort((a, b) => a.label.localeCompare(b.label)),
      units: priceUnitIds.map((id) => ({ id, label: names.unit(id) })),
      today: shanghaiDay(deps.now()),
      ...(saved ? { saved } : {}),
    };
    return sendPage(c, <PriceEntryPage ctx={pageContext(c)} view={view} />, status);
  }

  web.get(
    '/staff/prices/new',
    staffPage(kit, async (c, acting) => {
      await mayEnter(acting);
      const values: EntryValues = {
        commodity: '',
        commodityText: '',
        market: '',
        date: shanghaiDay(deps.now()),
        price: '',
        unit: 'jin',
        grade: '',
        kind: 'retail',
      };
      // After a save: say what happened to it, and start the next entry from the same item.
      const identity = parseIdentity(c.req.query('saved') ?? '');
      const record = identity && (await deps.prices.getSubmission(identity));
      let saved: EntryView['saved'];
      if (record && record.collector === acting.actor.phone) {
        const { t, lang } = pageContext(c);
        const status = record.status === 'approved' ? 'approved' : record.holdReason ? 'held' : 'pending';
        saved = {
          status,
          item: priceLine(record, namer(await deps.catalog(), lang)),
          hold: record.holdReason && holdText(t, record.holdReason),
        };
        Object.assign(values, {
          commodity: record.commodityId,
          market: record.marketId,
          date: record.date,
          unit: record.unit,
          grade: record.grade ?? '',
          kind: record.kind,
        });
      }
      return renderEntry(c, acting, values, {}, 200, saved);
    }),
  );

  web.post(
    '/staff/prices/new',
    staffPage(kit, async (c, acting) => {
      await mayEnter(acting);
      const form = (await c.req.parseBody({ all: true })) as Form;
      const values = Object.fromEntries(
        entryFields.map((k) => [k, field(form, k).slice(0, 200)]),
      ) as unknown as EntryValues;
      const input: PriceInput = {
        commodity: values.commodityText.trim() || values.commodity,
        market: values.market,
        date: values.date.trim(),
        price: values.price,
        unit: values.unit,
        ...(values.grade.trim() ? { grade: values.grade.trim() } : {}),
        // An unknown kind is passed on for the core to refuse, like any other bad value.
        ...(values.kind ? { kind: values.kind as PriceKind } : {}),
      };
      try {
        const record = await submitPrice(deps, acting, input, 'web');
        return c.redirect(`/staff/prices/new?saved=${encodeURIComponent(observationIdentity(record))}`, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        const { t } = pageContext(c);
        if (err.code === 'conflict')
          return renderEntry(c, acting, values, { price: t('collect:entry.alreadyApproved') }, 409);
        if (err.code !== 'validation_failed') throw err;
        return renderEntry(c, acting, values, fieldErrors(err.details, input, t), 400);
      }
    }),
  );

  web.get(
    '/staff/prices/review',
    staffPage(kit, async (c, acting) => {
      const ctx = pageContext(c);
      const catalog = await deps.catalog();
      const regions = reviewRegions(acting.actor, catalog, ctx.t, ctx.lang);
      // No review grant at all: refused (and logged) before anything is read.
      if (!regions.length) await guard(deps, acting, 'price.review');
      const region = regionOk(c.req.query('region')) ?? regions[0]!.id;
      const cursor = c.req.query('cursor');
      const page = await pendingPrices(deps, acting, region, {
        limit: 50,
        ...(cursor && cursor.length <= 1024 ? { cursor } : {}),
      }).catch((err) => {
        if (err instanceof AppError && err.code === 'invalid_cursor')
          return pendingPrices(deps, acting, region, { limit: 50 });
        throw err;
      });
      const done = c.req.query('done');
      const error = c.req.query('error');
      const view = {
        csrf: c.get('csrfToken')(),
        regions: regions.some((r) => r.id === region)
          ? regions
          : [
              ...regions,
              {
                id: region,
                label: catalog.regions.get(region) ? primaryName(catalog.regions.get(region)!.names, ctx.lang) : region,
              },
            ],
        region,
        items: page.items,
        cursor: page.cursor,
        names: namer(catalog, ctx.lang),
        flash: {
          done: done === 'approved' || done === 'rejected' ? done : undefined,
          error: error === 'changed' || error === 'gone' || error === 'reason' ? error : undefined,
        },
      };
      return sendPage(c, <PriceReviewPage ctx={ctx} view={view} />, 200);
    }),
  );

  /** Approve or reject: back to the queue with the outcome; a stale version is "changed since you looked". */
  const decision = (
    decide: (acting: Acting, form: Form, identity: string, version: number | undefined) => Promise<unknown>,
    done: string,
  ) =>
    staffPage(kit, async (c, acting) => {
      const form = (await c.req.parseBody({ all: true })) as Form;
      const back = (outcome: Record<string, string>) => {
        const region = regionOk(field(form, 'region'));
        return c.redirect(
          `/staff/prices/review?${new URLSearchParams({ ...(region ? { region } : {}), ...outcome })}`,
          303,
        );
      };
      const version = formVersion(form);
      try {
        await decide(acting, form, field(form, 'identity'), version);
        return back({ done });
      } catch (err) {
        const error = decisionRefusal(err);
        if (!error) throw err;
        return back({ error });
      }
    });

  web.post(
    '/staff/prices/review/approve',
    decision((acting, _form, identity, version) => approvePrice(deps, acting, identity, version), 'approved'),
  );
  web.post(
    '/staff/prices/review/reject',
    decision(
      (acting, form, identity, version) =>
        rejectPrice(deps, acting, identity, field(form, 'reason').slice(0, 200), version),
      'rejected',
    ),
  );

  return web;
}

/**
 * The exchange's staff pages under /staff/market: the moderation queue, vouched and blocked
 * numbers, the flagged-word list, the operator's posting form and the printable market sheet.
 * Every action is a plain POST form (CSRF-checked by the app) answered by a redirect that
 * carries an outcome word; the exchange service decides who may do what where, and logs it.
 */
import { randomUUID } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { shanghaiDay } from '#core/dates.ts';
import { AppError, type ErrorDetail } from '#core/errors.ts';
import { MAX_QUANTITY } from '#core/exchange/exchange.ts';
import type { FlaggedWord, Side } from '#core/exchange/listing.ts';
import type { OfferInput } from '#core/exchange/service.ts';
import type { Translator } from '#core/i18n.ts';
import { toE164 } from '#core/phone.ts';
import { parseFen } from '#core/prices/money.ts';
import { priceUnitIds } from '#core/prices/vocabulary.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { regionsWith } from '#core/staff/authz.ts';
import { type Actor, ALL_REGIONS } from '#core/staff/roles.ts';
import { primaryName } from './components/names.tsx';
import { commodityChoices, offerCode, offerNamer, regionChoices } from './components/offer-bits.tsx';
import { type Acting, staffPage } from './components/price-bits.tsx';
import { decisionRefusal, type Form, field, withQuery } from './forms.ts';
import type { PageDeps, PageEnv, PageKit } from './kit.ts';
import {
  type ExchangeFlash,
  MarketSheetPage,
  ModerationPage,
  NumbersPage,
  PostOfferPage,
  type PostValues,
  type PostView,
  postFields,
  WordsPage,
} from './pages/exchange-staff.tsx';
import { sendPage } from './render.tsx';
import { pageContext } from './routes.tsx';

/** The outcome words each page shows; anything else in the query is ignored. */
const DONE = new Set(['approved', 'rejected', 'hidden', 'vouched', 'unvouched', 'blocked', 'unblocked', 'saved']);
const ERRORS = new Set(['changed', 'gone', 'reason', 'phone']);
const flashOf = (c: Context<PageEnv>): ExchangeFlash => {
  const done = c.req.query('done');
  const error = c.req.query('error');
  return {
    done: done && DONE.has(done) ? done : undefined,
    error: error && ERRORS.has(error) ? error : undefined,
  };
};

/** A cursor as far as a page passes it on: bounded, else none. */
const cursorOf = (c: Context<PageEnv>) => {
  const cursor = c.req.query('cursor');
  return cursor && cursor.length <= 1024 ? cursor : undefined;
};

/** Reads a page, starting again from the first page when an old or mangled cursor is refused. */
const fromStart = <T,>(read: (cursor?: string) => Promise<T>, cursor: string | undefined) =>
  read(cursor).catch((err) => {
    if (cursor && err instanceof AppError && err.code === 'invalid_cursor') return read();
    throw err;
  });

/** The regions a member moderates, for the filter: '' (all of them) first, then their grants' regions. */
function moderatedRegions(actor: Actor, catalog: Catalog, t: Translator, lang: Parameters<typeof primaryName>[1]) {
  const granted = regionsWith(actor, 'exchange.moderate');
  const ids = granted.has(ALL_REGIONS)
    ? [...catalog.regions.values()].filter((r) => r.level === 'prefecture').map((r) => r.id)
    : [...granted];
  return [
    { id: '', label: t('exchange:staff.allYourRegions') },
    ...ids.map((id) => ({
      id,
      label: catalog.regions.get(id) ? primaryName(catalog.regions.get(id)!.names, lang) : id,
    })),
  ];
}

/** The units an offer may be in: every reference unit (khal and bre too), else the price units. */
const unitIds = (catalog: Catalog): string[] => (catalog.units?.size ? [...catalog.units.keys()] : [...priceUnitIds]);

/** A detail's message in the page language: its key when it has one, else its English text. */
const detailText = (t: Translator, d: ErrorDetail) => (d.key ? t(d.key, d.params ?? {}) : d.message);

export function exchangeStaffWebRoutes(deps: PageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();

  // ── Moderation ──
  web.get(
    '/staff/market/moderation',
    staffPage(kit, async (c, acting) => {
      const ctx = pageContext(c);
      const catalog = await deps.catalog();
      const regions = moderatedRegions(acting.actor, catalog, ctx.t, ctx.lang);
      const asked = c.req.query('region') ?? '';
      const region = regions.some((r) => r.id === asked) || catalog.regions.has(asked) ? asked : '';
      const page = await fromStart(
        (cursor) =>
          deps.exchange.moderationQueue(acting, {
            ...(region ? { regionId: region } : {}),
            ...(cursor ? { cursor } : {}),
          }),
        cursorOf(c),
      );
      const view = {
        csrf: c.get('csrfToken')(),
        regions: regions.some((r) => r.id === region)
          ? regions
          : [...regions, { id: region, label: offerNamer(catalog, ctx.lang).region(region) }],
        region,
        items: page.items,
        cursor: page.cursor,
        names: offerNamer(catalog, ctx.lang),
        flash: flashOf(c),
      };
      return sendPage(c, <ModerationPage ctx={ctx} view={view} />);
    }),
  );

  /** Approve, reject or hide: back to the queue with the outcome. */
  const decision = (decide: (acting: Acting, code: string, form: Form) => Promise<unknown>, done: string) =>
    staffPage(kit, async (c, acting) => {
      const form = (await c.req.parseBody({ all: true })) as Form;
      const region = field(form, 'region');
      const back = (outcome: Record<string, string>) =>
        c.redirect(withQuery('/staff/market/moderation', { region: region || undefined, ...outcome }), 303);
      const code = offerCode(field(form, 'code'));
      if (!code) return back({ error: 'gone' });
      try {
        await decide(acting, code, form);
        return back({ done });
      } catch (err) {
        const error = decisionRefusal(err);
        if (!error) throw err;
        return back({ error });
      }
    });
  const reason = (form: Form) => field(form, 'reason').trim().slice(0, 200);

  web.post(
    '/staff/market/moderation/approve',
    decision((acting, code) => deps.exchange.approve(acting, code), 'approved'),
  );
  web.post(
    '/staff/market/moderation/reject',
    decision((acting, code, form) => {
      if (!reason(form)) throw new AppError('validation_failed');
      return deps.exchange.reject(acting, code, reason(form));
    }, 'rejected'),
  );
  web.post(
    '/staff/market/moderation/hide',
    decision((acting, code, form) => deps.exchange.hide(acting, code, reason(form) || undefined), 'hidden'),
  );

  // ── Vouched and blocked numbers ──
  const numbersPage = (kind: 'vouches' | 'blocks') =>
    staffPage(kit, async (c, acting) => {
      const exchange = deps.exchange;
      const page = await fromStart(
        (cursor) => (kind === 'vouches' ? exchange.listVouches(acting, cursor) : exchange.listBlocks(acting, cursor)),
        cursorOf(c),
      );
      return sendPage(
        c,
        <NumbersPage
          ctx={pageContext(c)}
          kind={kind}
          csrf={c.get('csrfToken')()}
          items={page.items}
          cursor={page.cursor}
          flash={flashOf(c)}
        />,
      );
    });

  /** A change to a number: back to its list (or the queue it came from) with the outcome. */
  const numberForm = (
    kind: 'vouches' | 'blocks',
    act: (acting: Acting, phone: string, form: Form) => Promise<unknown>,
    done: string,
  ) =>
    staffPage(kit, async (c, acting) => {
      const form = (await c.req.parseBody({ all: true })) as Form;
      const page = field(form, 'back') === 'moderation' ? '/staff/market/moderation' : `/staff/market/${kind}`;
      const back = (outcome: Record<string, string>) => c.redirect(withQuery(page, outcome), 303);
      const phone = toE164(field(form, 'phone').slice(0, 32));
      if (!phone) return back({ error: 'phone' });
      try {
        await act(acting, phone, form);
        return back({ done });
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'invalid_phone') return back({ error: 'phone' });
        if (err.code === 'validation_failed') return back({ error: 'reason' });
        if (err.code === 'not_found') return back({ error: 'gone' });
        if (err.code === 'conflict') return back({ error: 'changed' });
        throw err;
      }
    });

  web.get('/staff/market/vouches', numbersPage('vouches'));
  web.post(
    '/staff/market/vouches',
    numberForm('vouches', (acting, phone) => deps.exchange.vouch(acting, phone), 'vouched'),
  );
  web.post(
    '/staff/market/vouches/remove',
    numberForm('vouches', (acting, phone) => deps.exchange.unvouch(acting, phone), 'unvouched'),
  );
  web.get('/staff/market/blocks', numbersPage('blocks'));
  web.post(
    '/staff/market/blocks',
    numberForm(
      'blocks',
      (acting, phone, form) => {
        if (!reason(form)) throw new AppError('validation_failed');
        return deps.exchange.block(acting, phone, reason(form));
      },
      'blocked',
    ),
  );
  web.post(
    '/staff/market/blocks/remove',
    numberForm('blocks', (acting, phone) => deps.exchange.unblock(acting, phone), 'unblocked'),
  );

  // ── Flagged words (admins) ──
  web.get(
    '/staff/market/words',
    staffPage(kit, async (c, acting) => {
      const words = await deps.exchange.flaggedWords(acting);
      return sendPage(
        c,
        <WordsPage ctx={pageContext(c)} csrf={c.get('csrfToken')()} words={words} flash={flashOf(c)} />,
      );
    }),
  );
  web.post(
    '/staff/market/words',
    staffPage(kit, async (c, acting) => {
      const form = (await c.req.parseBody({ all: true })) as Form;
      // One word or phrase a line; blank lines and repeats dropped, each bounded.
      const words: FlaggedWord[] = (['bo', 'zh', 'en'] as const).flatMap((lang) =>
        [
          ...new Set(
            field(form, lang)
              .split(/\r?\n/)
              .map((w) => w.trim().slice(0, 100))
              .filter(Boolean),
          ),
        ]
          .slice(0, 500)
          .map((text) => ({ text, lang })),
      );
      try {
        await deps.exchange.saveFlaggedWords(acting, words);
      } catch (err) {
        if (err instanceof AppError && err.code === 'validation_failed')
          return c.redirect('/staff/market/words?error=reason', 303);
        throw err;
      }
      return c.redirect('/staff/market/words?done=saved', 303);
    }),
  );

  // ── Posting for a farmer ──
  async function renderPost(
    c: Context<PageEnv>,
    values: PostValues & { requestId?: string },
    errors: PostView['errors'],
    status: 200 | 400,
    sent?: string,
  ) {
    const { lang } = pageContext(c);
    const catalog = await deps.catalog();
    const n = offerNamer(catalog, lang);
    const view: PostView = {
      csrf: c.get('csrfToken')(),
      // A refused form keeps its id: sending it again after a fix is still the same offer.
      requestId: values.requestId && /^[\w-]{8,64}$/.test(values.requestId) ? values.requestId : randomUUID(),
      values,
      errors,
      commodities: commodityChoices(catalog, lang),
      units: unitIds(catalog).map((id) => ({ id, label: n.unit(id) })),
      regions: regionChoices(catalog, lang),
      ...(sent ? { sent } : {}),
    };
    return sendPage(c, <PostOfferPage ctx={pageContext(c)} view={view} />, status);
  }

  const emptyPost: PostValues = {
    phone: '',
    side: 'sell',
    commodity: '',
    quantity: '',
    unit: 'jin',
    price: '',
    grade: '',
    region: '',
  };

  web.get(
    '/staff/market/post',
    staffPage(kit, async (c) => {
      const sent = offerCode(c.req.query('sent') ?? '');
      return renderPost(c, { ...emptyPost }, {}, 200, sent);
    }),
  );

  web.post(
    '/staff/market/post',
    staffPage(kit, async (c, acting) => {
      const form = (await c.req.parseBody({ all: true })) as Form;
      const { t } = pageContext(c);
      const values = Object.fromEntries(postFields.map((k) => [k, field(form, k).slice(0, 200)])) as PostValues & {
        requestId?: string;
      };
      values.requestId = field(form, 'requestId').slice(0, 64);
      const errors: PostView['errors'] = {};
      const phone = toE164(values.phone);
      if (!phone) errors.phone = t('exchange:staff.post.errors.phone');
      const quantity = Number(values.quantity.trim().replace(',', '.'));
      if (!values.quantity.trim() || !Number.isFinite(quantity) || quantity <= 0 || quantity > MAX_QUANTITY)
        errors.quantity = t('exchange:staff.post.errors.quantity');
      const price = values.price.trim() ? parseFen(values.price) : undefined;
      if (price && !price.ok) errors.price = t('exchange:staff.post.errors.price');
      // Core checks each field against the catalog; here only what must be read before it can.
      if (!values.commodity) errors.commodity = t('collect:errors.required');
      if (!values.region) errors.region = t('collect:errors.required');
      if (Object.keys(errors).length) return renderPost(c, values, errors, 400);
      const input: OfferInput & { phone: string } = {
        phone: phone!,
        side: (values.side === 'buy' ? 'buy' : 'sell') satisfies Side,
        commodityId: values.commodity,
        quantity,
        unitId: values.unit,
        priceFen: price?.ok ? price.fen : null,
        ...(values.grade.trim() ? { grade: values.grade.trim() } : {}),
        regionId: values.region,
      };
      const requestId = /^[\w-]{8,64}$/.test(values.requestId) ? values.requestId : randomUUID();
      try {
        const listing = await deps.exchange.postForFarmer(acting, input, `form-${requestId}`);
        return c.redirect(`/staff/market/post?sent=${listing.code}`, 303);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        if (err.code === 'invalid_phone')
          return renderPost(c, values, { phone: t('exchange:staff.post.errors.phone') }, 400);
        if (err.code !== 'validation_failed') throw err;
        const refused: PostView['errors'] = {};
        // Each refused field's message beside it; a detail naming no field of the form goes to the first.
        const fieldOf = (path: string | undefined): keyof PostValues => {
          const name = (path ?? '').replace(/^body\./, '').replace(/Id$/, '');
          return (postFields as readonly string[]).includes(name) ? (name as keyof PostValues) : 'phone';
        };
        for (const d of err.details) {
          const name = fieldOf(d.path);
          refused[name] = [refused[name], detailText(t, d)].filter(Boolean).join(' ');
        }
        if (!Object.keys(refused).length) refused.phone = t('exchange:staff.post.errors.refused');
        return renderPost(c, values, refused, 400);
      }
    }),
  );

  // ── The printable market sheet ──
  web.get(
    '/staff/market/sheet',
    staffPage(kit, async (c, acting) => {
      const ctx = pageContext(c);
      const catalog = await deps.catalog();
      const n = offerNamer(catalog, ctx.lang);
      const regionId = c.req.query('region');
      const today = shanghaiDay(deps.now());
      if (!regionId || !catalog.regions.has(regionId)) {
        const regions = moderatedRegions(acting.actor, catalog, ctx.t, ctx.lang).filter((r) => r.id);
        const choices = regions.length ? regions : regionChoices(catalog, ctx.lang);
        return sendPage(c, <MarketSheetPage ctx={ctx} regions={choices} items={[]} names={n} today={today} />);
      }
      const commodity = c.req.query('commodity');
      const items = await deps.exchange.marketSheet(acting, {
        regionId,
        ...(commodity && catalog.commodities.has(commodity) ? { commodityId: commodity } : {}),
      });
      return sendPage(
        c,
        <MarketSheetPage
          ctx={ctx}
          regions={[]}
          region={{ id: regionId, label: n.region(regionId) }}
          items={items}
          names={n}
          today={today}
          smsNumber={deps.smsNumber}
        />,
      );
    }),
  );

  return web;
}

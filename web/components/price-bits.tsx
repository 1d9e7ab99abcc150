/** Small pieces the collector and reviewer price pages share: labels, the 403 page, the signed-in guard. */
import type { Context } from 'hono';
import { AppError } from '#core/errors.ts';
import type { Language, Translator } from '#core/i18n.ts';
import { maskPhone } from '#core/phone.ts';
import { describeHold } from '#core/prices/change.ts';
import { formatFen } from '#core/prices/money.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { type Acting, type GuardDeps, guard } from '#core/staff/guard.ts';
import type { PageEnv, PageKit } from '../kit.ts';
import { sendPage } from '../render.tsx';
import { pageContext } from '../routes.tsx';
import { Layout, type PageContext } from './layout.tsx';
import { primaryName } from './names.tsx';

/** +86 138****5678: enough for a reviewer to tell collectors apart, not enough to call them. */
export const maskedPhone = (e164: string) => maskPhone(e164).replace(/^\+86(?=\d)/, '+86 ');

/** Names in the page language for the ids a price carries; the id itself when the catalog lacks it. */
export function namer(catalog: Catalog, lang: Language) {
  return {
    commodity: (id: string) => {
      const c = catalog.commodities.get(id);
      return c ? primaryName(c.names, lang) : id;
    },
    market: (id: string) => {
      const m = catalog.markets.get(id);
      return m ? primaryName(m.names, lang) : id;
    },
    unit: (id: string) => {
      const u = catalog.units?.get(id);
      return u ? primaryName(u.names, lang) : id;
    },
  };
}

/** "青稞 · 八廓街 · 2026-11-26 · 4.50/斤" */
export function priceLine(
  r: Pick<PriceRecord, 'commodityId' | 'marketId' | 'date' | 'priceFen' | 'unit' | 'grade'>,
  names: ReturnType<typeof namer>,
) {
  return [
    names.commodity(r.commodityId),
    names.market(r.marketId),
    r.date,
    `${formatFen(r.priceFen)}/${names.unit(r.unit)}`,
    r.grade,
  ]
    .filter(Boolean)
    .join(' · ');
}

/** A stored hold reason (English) in the page language; any text the core does not describe is shown as written. */
export function holdText(t: Translator, reason: string): string {
  const hold = describeHold(reason);
  return hold ? t(hold.key, hold.params) : reason;
}

/** A refusal (role or region; already audit-logged by guard) as a page, with the way back. */
export function ForbiddenPage(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <Layout ctx={props.ctx} title={t('errors:forbidden.title')}>
      <h1>{t('errors:forbidden.title')}</h1>
      <p class="notice notice-error" role="alert">
        {t('errors:forbidden.detail')}
      </p>
      <p>
        <a href="/staff">{t('collect:forbidden.back')}</a>
      </p>
    </Layout>
  );
}

/** A translated message under a field, tied to it for screen readers by id. */
export const FieldError = (props: { id: string; text?: string | undefined }) =>
  props.text ? (
    <span id={props.id} class="field-error" role="alert">
      {props.text}
    </span>
  ) : null;

export type { Acting };

/**
 * A staff page: not signed in → to sign-in and back here; a refusal (guard has logged it)
 * → the 403 page. Everything else is the app's error handling.
 */
export function staffPage(kit: PageKit, handler: (c: Context<PageEnv>, acting: Acting) => Promise<Response>) {
  return async (c: Context<PageEnv>) => {
    if (!c.get('actor')) return c.redirect(`/sign-in?next=${c.req.method === 'GET' ? c.req.path : '/staff'}`, 303);
    try {
      return await handler(c, kit.acting(c));
    } catch (err) {
      if (err instanceof AppError && err.code === 'forbidden')
        return sendPage(c, <ForbiddenPage ctx={pageContext(c)} />, 403);
      throw err;
    }
  };
}

/** Collectors, reviewers and admins enter prices (form or file); anyone else is refused, and logged. */
export async function mayEnterPrices(deps: GuardDeps, acting: Acting) {
  if (!(await deps.authz.can(acting.actor, 'price.submit')) && !(await deps.authz.can(acting.actor, 'price.review')))
    await guard(deps, acting, 'price.submit');
}

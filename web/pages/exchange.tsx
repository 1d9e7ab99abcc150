import type { PublicListing, Side } from '#core/exchange/listing.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { dayOf, type OfferNamer, offerLine, priceText, quantityText, VouchedMark } from '../components/offer-bits.tsx';
import type { Option } from '../components/select.tsx';
import { withQuery } from '../forms.ts';

export interface MarketFilter {
  side: Side;
  commodity?: string | undefined;
  region?: string | undefined;
}

export interface ExchangeListView {
  filter: MarketFilter;
  items: PublicListing[];
  cursor?: string | undefined;
  commodities: Option[];
  regions: Option[];
  names: OfferNamer;
}

/** The list's address with these filters (and a cursor): the side tabs, the next link and the form agree on it. */
export const marketHref = (f: MarketFilter, cursor?: string) =>
  withQuery('/market', { side: f.side, commodity: f.commodity, region: f.region, cursor });

/**
 * /market: open offers, newest first, a page at a time. Kept small on purpose (one line per
 * offer, names in the page language only): a village phone on a slow link loads it.
 */
export function ExchangeListPage(props: { ctx: PageContext; view: ExchangeListView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { filter: f, names } = view;
  const title = t('exchange:list.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p class="lead">{t('exchange:list.intro')}</p>
      <nav class="tabs" aria-label={t('exchange:list.sides')}>
        {(['sell', 'buy'] as const).map((side) => (
          <a href={marketHref({ ...f, side })} aria-current={side === f.side ? 'page' : undefined}>
            {t(`exchange:side.${side}`)}
          </a>
        ))}
      </nav>
      <form method="get" action="/market" class="inline-form market-filter">
        <input type="hidden" name="side" value={f.side} />
        <label for="commodity">{t('exchange:list.commodity')}</label>{' '}
        <select id="commodity" name="commodity">
          <option value="">{t('exchange:list.all')}</option>
          {view.commodities.map((o) => (
            <option value={o.id} selected={o.id === f.commodity}>
              {o.label}
            </option>
          ))}
        </select>{' '}
        <label for="region">{t('exchange:list.region')}</label>{' '}
        <select id="region" name="region">
          <option value="">{t('exchange:list.everywhere')}</option>
          {view.regions.map((o) => (
            <option value={o.id} selected={o.id === f.region}>
              {o.label}
            </option>
          ))}
        </select>{' '}
        <button type="submit" class="secondary">
          {t('exchange:list.show')}
        </button>
      </form>
      {view.items.length ? (
        <ul class="offers">
          {view.items.map((o) => (
            <li>
              <a href={`/market/${o.code}`}>{o.code}</a>
              <VouchedMark t={t} vouched={o.vouched} /> {offerLine(t, names, { ...o, unitId: o.unit })}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('exchange:list.none')}</p>
      )}
      {view.cursor ? (
        <p>
          <a href={marketHref(f, view.cursor)} rel="next">
            {t('exchange:list.next')}
          </a>
        </p>
      ) : null}
      <p class="muted">{t('exchange:list.howToPost')}</p>
    </Layout>
  );
}

/** /market/{code}: one offer, and how to write to its owner by SMS. Never a phone number. */
export function OfferPage(props: {
  ctx: PageContext;
  offer: PublicListing;
  names: OfferNamer;
  /** The service's SMS number, when the deployment sets one. */
  smsNumber?: string | undefined;
}) {
  const { ctx, offer: o, names } = props;
  const { t } = ctx;
  const facts = { ...o, unitId: o.unit };
  const title = `${o.code} · ${t(`exchange:side.${o.side}`)} · ${names.commodity(o.commodityId)}`;
  const number = props.smsNumber ?? t('exchange:offer.theNumber');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>
        {o.code} <VouchedMark t={t} vouched={o.vouched} />
      </h1>
      <p class="lead">
        {t(`exchange:side.${o.side}`)} · {names.commodity(o.commodityId)}
      </p>
      {o.status === 'open' ? null : (
        <p class="notice" role="status">
          {t('exchange:offer.ended')}
        </p>
      )}
      <dl class="facts">
        <dt>{t('exchange:offer.quantityLabel')}</dt>
        <dd>{quantityText(t, names, facts)}</dd>
        <dt>{t('exchange:offer.priceLabel')}</dt>
        <dd>{priceText(t, names, facts)}</dd>
        {o.grade ? (
          <>
            <dt>{t('exchange:offer.grade')}</dt>
            <dd>{o.grade}</dd>
          </>
        ) : null}
        <dt>{t('exchange:offer.place')}</dt>
        <dd>{names.place(o)}</dd>
        <dt>{t('exchange:offer.posted')}</dt>
        <dd>{dayOf(o.createdAt)}</dd>
        <dt>{t('exchange:offer.until')}</dt>
        <dd>{dayOf(o.expiresAt)}</dd>
        {o.vouched ? (
          <>
            <dt>✓</dt>
            <dd>{t('exchange:offer.vouchedText')}</dd>
          </>
        ) : null}
      </dl>
      {o.status === 'open' ? (
        <section>
          <h2>{t('exchange:offer.contactTitle')}</h2>
          <p>
            {t('exchange:offer.contact', { code: o.code, number })}
            <br />
            <code class="sms-example">MSG {o.code} …</code>
          </p>
          <p class="muted">{t('exchange:offer.private')}</p>
          <p class="notice">{t('exchange:offer.safety', { code: o.code })}</p>
        </section>
      ) : null}
      <p>
        <a href={marketHref({ side: o.side, commodity: o.commodityId })}>{t('exchange:offer.more')}</a>
      </p>
    </Layout>
  );
}

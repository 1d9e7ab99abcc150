import { shanghaiMinute } from '#core/dates.ts';
import type { Block, FlaggedWord, PublicListing, Vouch } from '#core/exchange/listing.ts';
import type { ModerationItem } from '#core/exchange/service.ts';
import { formatFen } from '#core/prices/money.ts';
import { DecisionForms } from '../components/decision-forms.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { dayOf, type OfferNamer, offerLine, VouchedMark } from '../components/offer-bits.tsx';
import { FieldError } from '../components/price-bits.tsx';
import { type Option, RegionFilter, Select } from '../components/select.tsx';
import { CsrfInput } from './sign-in.tsx';

/** The outcome a redirect carried back (already checked against the page's own words). */
export interface ExchangeFlash {
  done?: string | undefined;
  error?: string | undefined;
}

function Flash(props: { ctx: PageContext; flash: ExchangeFlash }) {
  const { t } = props.ctx;
  const { done, error } = props.flash;
  return (
    <>
      {error ? (
        <p class="notice notice-error" role="alert">
          {t(`exchange:staff.error.${error}`)}
        </p>
      ) : null}
      {done ? (
        <p class="notice" role="status">
          {t(`exchange:staff.done.${done}`)}
        </p>
      ) : null}
    </>
  );
}

/** The exchange's staff pages, linked from each other and from the staff home. */
function StaffLinks(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <p class="exchange-links">
      <a href="/staff/market/moderation">{t('exchange:staff.links.moderation')}</a> ·{' '}
      <a href="/staff/market/post">{t('exchange:staff.links.post')}</a> ·{' '}
      <a href="/staff/market/vouches">{t('exchange:staff.links.vouches')}</a> ·{' '}
      <a href="/staff/market/blocks">{t('exchange:staff.links.blocks')}</a> ·{' '}
      <a href="/staff/market/words">{t('exchange:staff.links.words')}</a> ·{' '}
      <a href="/staff/market/sheet">{t('exchange:staff.links.sheet')}</a> · <a href="/staff">{t('staff:home.title')}</a>
    </p>
  );
}

/** A stored offer as the shared offer line takes it. */
const factsOf = (l: ModerationItem['listing']) => ({
  ...l,
  price: l.priceFen === null ? null : formatFen(l.priceFen),
});

export interface ModerationView {
  csrf: string;
  /** '' is every region the member moderates. */
  regions: Option[];
  region: string;
  items: ModerationItem[];
  cursor?: string | undefined;
  names: OfferNamer;
  flash: ExchangeFlash;
}

function ModerationRow(props: { ctx: PageContext; item: ModerationItem; view: ModerationView }) {
  const { ctx, item, view } = props;
  const { t } = ctx;
  const l = item.listing;
  const hidden = (
    <>
      <CsrfInput token={view.csrf} />
      <input type="hidden" name="code" value={l.code} />
      <input type="hidden" name="region" value={view.region} />
    </>
  );
  const context = item.priceContext;
  return (
    <li class="moderation-item">
      <p>
        <strong>{l.code}</strong> <VouchedMark t={t} vouched={l.vouched} /> {t(`exchange:side.${l.side}`)} ·{' '}
        {offerLine(t, view.names, factsOf(l))}
      </p>
      <p>
        {t('exchange:staff.moderation.owner')}: <code>{l.ownerPhone}</code> · {t(`exchange:status.${l.status}`)}
      </p>
      {item.reasons.length ? (
        <p class="hold">
          <strong>{item.reasons.map((r) => t(`exchange:hold.${r}`)).join(' · ')}</strong>
        </p>
      ) : null}
      {context ? (
        <p>
          {t('exchange:staff.moderation.context', {
            market: view.names.market(context.marketId),
            price: formatFen(context.priceFen),
            unit: view.names.unit(context.unitId),
            date: context.date,
          })}
        </p>
      ) : null}
      {l.text ? (
        <p>
          {t('exchange:staff.moderation.text')}: <q>{l.text}</q>
        </p>
      ) : null}
      {item.reports.length ? (
        <ul class="reports">
          {item.reports.map((r) => (
            <li>
              {shanghaiMinute(r.at)} · <q>{r.text}</q>
            </li>
          ))}
        </ul>
      ) : null}
      <DecisionForms
        base="/staff/market/moderation"
        hidden={hidden}
        labels={{
          approve: t('exchange:staff.moderation.approve'),
          reject: t('exchange:staff.moderation.reject'),
          reason: t('exchange:staff.moderation.reason'),
        }}
      />{' '}
      <form method="post" action="/staff/market/moderation/hide" class="inline-form">
        {hidden}
        <input
          name="reason"
          maxlength={200}
          aria-label={t('exchange:staff.moderation.hideReason')}
          placeholder={t('exchange:staff.moderation.hideReason')}
        />{' '}
        <button type="submit" class="secondary">
          {t('exchange:staff.moderation.hide')}
        </button>
      </form>{' '}
      {l.vouched ? null : (
        <form method="post" action="/staff/market/vouches" class="inline-form">
          <CsrfInput token={view.csrf} />
          <input type="hidden" name="phone" value={l.ownerPhone} />
          <input type="hidden" name="back" value="moderation" />
          <button type="submit" class="secondary">
            {t('exchange:staff.moderation.vouch')}
          </button>
        </form>
      )}
    </li>
  );
}

/** Offers waiting for a moderator in the member's regions, oldest first, with why and the reports. */
export function ModerationPage(props: { ctx: PageContext; view: ModerationView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const title = t('exchange:staff.moderation.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <Flash ctx={ctx} flash={view.flash} />
      <p class="lead">{t('exchange:staff.moderation.intro')}</p>
      <RegionFilter
        action="/staff/market/moderation"
        label={t('exchange:list.region')}
        show={t('exchange:list.show')}
        regions={view.regions}
        value={view.region}
      />
      {view.items.length ? (
        <ul class="moderation">
          {view.items.map((item) => (
            <ModerationRow ctx={ctx} item={item} view={view} />
          ))}
        </ul>
      ) : (
        <p class="muted">{t('exchange:staff.moderation.none')}</p>
      )}
      {view.cursor ? (
        <p>
          <a
            href={`/staff/market/moderation?region=${encodeURIComponent(view.region)}&cursor=${encodeURIComponent(view.cursor)}`}
          >
            {t('exchange:list.next')}
          </a>
        </p>
      ) : null}
      <StaffLinks ctx={ctx} />
    </Layout>
  );
}

/** Vouched numbers or blocked numbers: a list with a remove button each, and a form to add one. */
export function NumbersPage(props: {
  ctx: PageContext;
  kind: 'vouches' | 'blocks';
  csrf: string;
  items: Array<Vouch | Block>;
  cursor?: string | undefined;
  flash: ExchangeFlash;
}) {
  const { ctx, kind, csrf } = props;
  const { t } = ctx;
  const title = t(`exchange:staff.${kind}.title`);
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <Flash ctx={ctx} flash={props.flash} />
      <p class="lead">{t(`exchange:staff.${kind}.intro`)}</p>
      <form method="post" action={`/staff/market/${kind}`} class="stack">
        <CsrfInput token={csrf} />
        <p>
          <label for="phone">{t('exchange:staff.phone')}</label>
          <input id="phone" name="phone" type="tel" required maxlength={32} autocomplete="off" />
        </p>
        {kind === 'blocks' ? (
          <p>
            <label for="reason">{t('exchange:staff.blocks.reason')}</label>
            <input id="reason" name="reason" required maxlength={200} />
          </p>
        ) : null}
        <p>
          <button type="submit">{t(`exchange:staff.${kind}.add`)}</button>
        </p>
      </form>
      {props.items.length ? (
        <table class="members numbers">
          <thead>
            <tr>
              <th>{t('exchange:staff.phone')}</th>
              <th>{t('exchange:staff.by')}</th>
              <th>{t('exchange:staff.at')}</th>
              {kind === 'blocks' ? <th>{t('exchange:staff.blocks.reason')}</th> : null}
              <th></th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((x) => (
              <tr>
                <td>
                  <code>{x.phone}</code>
                </td>
                <td>
                  <code>{x.by}</code>
                </td>
                <td>{shanghaiMinute(x.at)}</td>
                {kind === 'blocks' ? <td>{'reason' in x ? x.reason : ''}</td> : null}
                <td>
                  <form method="post" action={`/staff/market/${kind}/remove`} class="inline-form">
                    <CsrfInput token={csrf} />
                    <input type="hidden" name="phone" value={x.phone} />
                    <button type="submit" class="secondary">
                      {t(`exchange:staff.${kind}.remove`)}
                    </button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t(`exchange:staff.${kind}.none`)}</p>
      )}
      {props.cursor ? (
        <p>
          <a href={`/staff/market/${kind}?cursor=${encodeURIComponent(props.cursor)}`}>{t('exchange:list.next')}</a>
        </p>
      ) : null}
      <StaffLinks ctx={ctx} />
    </Layout>
  );
}

/** The flagged-word list (admins): one textarea per language, one word or phrase a line. */
export function WordsPage(props: { ctx: PageContext; csrf: string; words: FlaggedWord[]; flash: ExchangeFlash }) {
  const { ctx } = props;
  const { t } = ctx;
  const title = t('exchange:staff.words.title');
  const of = (lang: FlaggedWord['lang']) =>
    props.words
      .filter((w) => w.lang === lang)
      .map((w) => w.text)
      .join('\n');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <Flash ctx={ctx} flash={props.flash} />
      <p class="lead">{t('exchange:staff.words.intro')}</p>
      <form method="post" action="/staff/market/words" class="stack">
        <CsrfInput token={props.csrf} />
        {(['bo', 'zh', 'en'] as const).map((lang) => (
          <p>
            <label for={`words-${lang}`}>{t(`exchange:staff.words.${lang}`)}</label>
            <textarea class="words-field" id={`words-${lang}`} name={lang} rows={8} lang={lang} maxlength={20000}>
              {of(lang)}
            </textarea>
          </p>
        ))}
        <p>
          <button type="submit">{t('exchange:staff.words.save')}</button>
        </p>
      </form>
      <StaffLinks ctx={ctx} />
    </Layout>
  );
}

export const postFields = ['phone', 'side', 'commodity', 'quantity', 'unit', 'price', 'grade', 'region'] as const;
export type PostValues = Record<(typeof postFields)[number], string>;

export interface PostView {
  csrf: string;
  /** Carried by the form so that sending it twice posts one offer. */
  requestId: string;
  values: PostValues;
  /** Translated messages by field name. */
  errors: Partial<PostValues>;
  commodities: Option[];
  units: Option[];
  regions: Option[];
  /** The offer just posted (after the redirect): the farmer was sent an SMS to confirm. */
  sent?: string | undefined;
}

/** An operator posts an offer for a farmer; a refused one comes back with the values kept and each error by its field. */
export function PostOfferPage(props: { ctx: PageContext; view: PostView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { values: v, errors: e } = view;
  const title = t('exchange:staff.post.title');
  const invalid = (name: keyof PostValues) =>
    e[name] ? { 'aria-invalid': 'true', 'aria-describedby': `${name}-error` } : {};
  const label = (name: keyof PostValues) => <label for={name}>{t(`exchange:staff.post.${name}`)}</label>;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      {view.sent ? (
        <p class="notice" role="status">
          {t('exchange:staff.post.sent', { code: view.sent })}
        </p>
      ) : null}
      {Object.keys(e).length ? (
        <p class="notice notice-error" role="alert">
          {t('exchange:staff.post.fixBelow')}
        </p>
      ) : null}
      <p class="lead">{t('exchange:staff.post.intro')}</p>
      <form method="post" action="/staff/market/post" class="stack">
        <CsrfInput token={view.csrf} />
        <input type="hidden" name="requestId" value={view.requestId} />
        <p>
          {label('phone')}
          <input
            id="phone"
            name="phone"
            type="tel"
            value={v.phone}
            required
            maxlength={32}
            autocomplete="off"
            {...invalid('phone')}
          />
          <FieldError id="phone-error" text={e.phone} />
        </p>
        <p>
          {label('side')}
          <Select
            id="side"
            name="side"
            value={v.side}
            options={(['sell', 'buy'] as const).map((s) => ({ id: s, label: t(`exchange:side.${s}`) }))}
            error={e.side}
          />
          <FieldError id="side-error" text={e.side} />
        </p>
        <p>
          {label('commodity')}
          <Select
            id="commodity"
            name="commodity"
            value={v.commodity}
            options={view.commodities}
            blank="—"
            error={e.commodity}
          />
          <FieldError id="commodity-error" text={e.commodity} />
        </p>
        <p>
          {label('quantity')}
          <input
            id="quantity"
            name="quantity"
            value={v.quantity}
            inputmode="decimal"
            required
            maxlength={20}
            {...invalid('quantity')}
          />
          <FieldError id="quantity-error" text={e.quantity} />
        </p>
        <p>
          {label('unit')}
          <Select id="unit" name="unit" value={v.unit} options={view.units} error={e.unit} />
          <FieldError id="unit-error" text={e.unit} />
        </p>
        <p>
          {label('price')}
          <input
            id="price"
            name="price"
            value={v.price}
            inputmode="decimal"
            maxlength={20}
            placeholder={t('exchange:staff.post.priceHint')}
            {...invalid('price')}
          />
          <FieldError id="price-error" text={e.price} />
        </p>
        <p>
          {label('grade')}
          <input id="grade" name="grade" value={v.grade} maxlength={40} {...invalid('grade')} />
          <FieldError id="grade-error" text={e.grade} />
        </p>
        <p>
          {label('region')}
          <Select id="region" name="region" value={v.region} options={view.regions} blank="—" error={e.region} />
          <FieldError id="region-error" text={e.region} />
        </p>
        <p>
          <button type="submit">{t('exchange:staff.post.submit')}</button>
        </p>
      </form>
      <StaffLinks ctx={ctx} />
    </Layout>
  );
}

/** The printable market sheet of a region's open offers, for the notice board. No phone numbers. */
export function MarketSheetPage(props: {
  ctx: PageContext;
  regions: Option[];
  region?: { id: string; label: string } | undefined;
  items: PublicListing[];
  names: OfferNamer;
  today: string;
  smsNumber?: string | undefined;
}) {
  const { ctx, names, region } = props;
  const { t } = ctx;
  const title = t('exchange:sheet.title');
  if (!region) {
    return (
      <Layout ctx={ctx} title={title}>
        <h1>{title}</h1>
        <p>{t('exchange:sheet.choose')}</p>
        <ul class="items">
          {props.regions.map((r) => (
            <li>
              <a href={`/staff/market/sheet?region=${encodeURIComponent(r.id)}`}>{r.label}</a>
            </li>
          ))}
        </ul>
        <StaffLinks ctx={ctx} />
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={`${title} · ${region.label}`}>
      <div class="sheet market-sheet">
        <h1>
          {title} · {region.label}
        </h1>
        <p class="as-of">{t('exchange:sheet.asOf', { date: props.today })}</p>
        {props.items.length ? (
          <table class="prices stacked">
            <thead>
              <tr>
                <th>{t('exchange:sheet.code')}</th>
                <th>{t('exchange:sheet.offer')}</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((o) => (
                <tr>
                  <td>
                    <strong>{o.code}</strong> <VouchedMark t={t} vouched={o.vouched} />
                  </td>
                  <td>
                    {t(`exchange:side.${o.side}`)} · {offerLine(t, names, { ...o, unitId: o.unit })} ·{' '}
                    {t('exchange:sheet.until', { date: dayOf(o.expiresAt) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p>{t('exchange:list.none')}</p>
        )}
        <p class="sheet-howto">
          {t('exchange:offer.contact', { code: 'L…', number: props.smsNumber ?? t('exchange:offer.theNumber') })}
        </p>
      </div>
    </Layout>
  );
}

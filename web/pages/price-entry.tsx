import { priceKinds } from '#core/prices/observation.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { FieldError } from '../components/price-bits.tsx';
import { type Option, Select } from '../components/select.tsx';
import { CsrfInput } from './sign-in.tsx';

export interface EntryValues {
  commodity: string;
  commodityText: string;
  market: string;
  date: string;
  price: string;
  unit: string;
  grade: string;
  kind: string;
}

export interface EntryView {
  csrf: string;
  values: EntryValues;
  /** Translated messages by field name. */
  errors: Partial<Record<keyof EntryValues, string>>;
  commodities: Option[];
  /** Markets in the signed-in member's regions only. */
  markets: Option[];
  units: Option[];
  today: string;
  /** The entry just saved (after the redirect). */
  saved?: { status: 'pending' | 'approved' | 'held'; item: string; hold?: string | undefined };
}

/** One observation per POST; a refused one comes back here with the values kept and each error beside its field. */
export function PriceEntryPage(props: { ctx: PageContext; view: EntryView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { values: v, errors: e } = view;
  const invalid = (name: keyof EntryValues) =>
    e[name] ? { 'aria-invalid': 'true', 'aria-describedby': `${name}-error` } : {};
  return (
    <Layout ctx={ctx} title={t('collect:entry.title')}>
      <h1>{t('collect:entry.title')}</h1>
      {view.saved ? (
        <p class={`notice saved-${view.saved.status}`} role="status">
          {t(`collect:entry.saved.${view.saved.status}`, { item: view.saved.item })}
          {view.saved.hold ? (
            <>
              <br />
              <strong class="hold">{view.saved.hold}</strong>
            </>
          ) : null}
        </p>
      ) : null}
      {Object.keys(e).length ? (
        <p class="notice notice-error" role="alert">
          {t('collect:entry.fixBelow')}
        </p>
      ) : null}
      <p class="lead">{t('collect:entry.intro')}</p>
      {view.markets.length ? null : <p class="notice notice-error">{t('collect:entry.noMarkets')}</p>}
      <form method="post" action="/staff/prices/new" class="stack price-entry">
        <CsrfInput token={view.csrf} />
        <p>
          <label for="commodity">{t('collect:entry.commodity')}</label>
          <Select
            id="commodity"
            name="commodity"
            value={v.commodity}
            options={view.commodities}
            blank="—"
            error={e.commodity}
          />
          <label for="commodityText" class="sub-label">
            {t('collect:entry.commodityText')}
          </label>
          <input
            id="commodityText"
            name="commodityText"
            value={v.commodityText}
            maxlength={100}
            aria-describedby="commodityText-hint"
            {...invalid('commodity')}
          />
          <small id="commodityText-hint" class="muted">
            {t('collect:entry.commodityTextHint')}
          </small>
          <FieldError id="commodity-error" text={e.commodity} />
        </p>
        <p>
          <label for="market">{t('collect:entry.market')}</label>
          <Select id="market" name="market" value={v.market} options={view.markets} blank="—" error={e.market} />
          <FieldError id="market-error" text={e.market} />
        </p>
        <p>
          <label for="date">{t('collect:entry.date')}</label>
          <input
            id="date"
            name="date"
            type="date"
            value={v.date}
            min="2000-01-01"
            max={view.today}
            required
            {...invalid('date')}
          />
          <FieldError id="date-error" text={e.date} />
        </p>
        <p>
          <label for="price">{t('collect:entry.price')}</label>
          <input
            id="price"
            name="price"
            value={v.price}
            inputmode="decimal"
            autocomplete="off"
            required
            maxlength={40}
            placeholder={t('collect:entry.priceHint')}
            {...invalid('price')}
          />
          <FieldError id="price-error" text={e.price} />
        </p>
        <p>
          <label for="unit">{t('collect:entry.unit')}</label>
          <Select id="unit" name="unit" value={v.unit} options={view.units} error={e.unit} />
          <FieldError id="unit-error" text={e.unit} />
        </p>
        <p>
          <label for="grade">{t('collect:entry.grade')}</label>
          <input
            id="grade"
            name="grade"
            value={v.grade}
            maxlength={60}
            placeholder={t('collect:entry.gradeHint')}
            {...invalid('grade')}
          />
          <FieldError id="grade-error" text={e.grade} />
        </p>
        <p>
          <label for="kind">{t('collect:entry.kind')}</label>
          <Select
            id="kind"
            name="kind"
            value={v.kind}
            options={priceKinds.map((k) => ({ id: k, label: t(`collect:kinds.${k}`) }))}
            error={e.kind}
          />
          <FieldError id="kind-error" text={e.kind} />
        </p>
        <p>
          <button type="submit">{t('collect:entry.submit')}</button>
        </p>
      </form>
      <p>
        <a href="/staff/prices/upload">{t('collect:links.upload')}</a> · <a href="/staff">{t('staff:home.title')}</a>
      </p>
    </Layout>
  );
}

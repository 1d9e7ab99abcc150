import { shanghaiMinute } from '#core/dates.ts';
import { formatFen } from '#core/prices/money.ts';
import { observationIdentity } from '#core/prices/observation.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import { DecisionForms } from '../components/decision-forms.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { holdText, maskedPhone, type namer } from '../components/price-bits.tsx';
import { type Option, RegionFilter } from '../components/select.tsx';
import { CsrfInput } from './sign-in.tsx';

export interface ReviewView {
  csrf: string;
  /** The regions the member reviews ('*' for all), the chosen one first-class in the select. */
  regions: Option[];
  region: string;
  items: PriceRecord[];
  cursor?: string | undefined;
  names: ReturnType<typeof namer>;
  flash: { done?: string | undefined; error?: string | undefined };
}

/** Each decision is its own small POST form carrying the identity and the version the reviewer saw. */
function ReviewRow(props: { ctx: PageContext; r: PriceRecord; view: ReviewView }) {
  const { ctx, r, view } = props;
  const { t } = ctx;
  const names = view.names;
  const identity = observationIdentity(r);
  const hidden = (
    <>
      <CsrfInput token={view.csrf} />
      <input type="hidden" name="identity" value={identity} />
      <input type="hidden" name="version" value={String(r.version)} />
      <input type="hidden" name="region" value={view.region} />
    </>
  );
  return (
    <tr class={r.holdReason ? 'held' : undefined}>
      <td>{names.commodity(r.commodityId)}</td>
      <td>{names.market(r.marketId)}</td>
      <td>{r.date}</td>
      <td class="num">
        {formatFen(r.priceFen)}/{names.unit(r.unit)}
      </td>
      <td>{r.grade ?? ''}</td>
      <td>{t(`collect:kinds.${r.kind}`)}</td>
      <td>
        <code>{maskedPhone(r.collector)}</code>
      </td>
      <td>{shanghaiMinute(r.submittedAt)}</td>
      <td class="decide">
        {r.holdReason ? (
          <p class="hold">
            <strong>{holdText(t, r.holdReason)}</strong>
          </p>
        ) : null}
        <DecisionForms
          base="/staff/prices/review"
          hidden={hidden}
          labels={{
            approve: t('collect:review.approve'),
            reject: t('collect:review.reject'),
            reason: t('collect:review.reason'),
          }}
        />
      </td>
    </tr>
  );
}

export function PriceReviewPage(props: { ctx: PageContext; view: ReviewView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const heads = ['commodity', 'market', 'date', 'price', 'grade', 'kind', 'collector', 'submitted'] as const;
  return (
    <Layout ctx={ctx} title={t('collect:review.title')}>
      <h1>{t('collect:review.title')}</h1>
      {view.flash.error ? (
        <p class="notice notice-error" role="alert">
          {t(`collect:review.error.${view.flash.error}`)}
        </p>
      ) : null}
      {view.flash.done ? (
        <p class="notice" role="status">
          {t(`collect:review.done.${view.flash.done}`)}
        </p>
      ) : null}
      <p class="lead">{t('collect:review.intro')}</p>
      <RegionFilter
        action="/staff/prices/review"
        label={t('collect:review.region')}
        show={t('collect:review.show')}
        regions={view.regions}
        value={view.region}
      />
      {view.items.length ? (
        <table class="review-queue">
          <thead>
            <tr>
              {heads.map((h) => (
                <th>{t(`collect:review.${h}`)}</th>
              ))}
              <th></th>
            </tr>
          </thead>
          <tbody>
            {view.items.map((r) => (
              <ReviewRow ctx={ctx} r={r} view={view} />
            ))}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t('collect:review.none')}</p>
      )}
      {view.cursor ? (
        <p>
          <a
            href={`/staff/prices/review?region=${encodeURIComponent(view.region)}&cursor=${encodeURIComponent(view.cursor)}`}
          >
            {t('collect:review.more')}
          </a>
        </p>
      ) : null}
      <p>
        <a href="/staff/prices/new">{t('collect:links.enter')}</a> · <a href="/staff">{t('staff:home.title')}</a>
      </p>
    </Layout>
  );
}

import type { ImportCounts, ImportError, ImportRow } from '#core/prices/import.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import type { namer } from '../components/price-bits.tsx';
import { CsrfInput } from './sign-in.tsx';

/** What the upload page shows: the form alone, a result after a confirmed import, or a message. */
export interface UploadView {
  csrf: string;
  /** The most the upload form may send, as the code enforces it (e.g. `4 MB`: UPLOAD_FORM_BYTES in web/kit.ts, which the app's form limits enforce). */
  limit: string;
  /** After an import: its counts (from the redirect). */
  done?: Partial<ImportCounts>;
  /** A collect:upload.* message key (noFile, expired, tampered, alreadyImported). */
  error?: string;
}

export interface PreviewView {
  csrf: string;
  fileName: string;
  encoding: string;
  names: ReturnType<typeof namer>;
  /** Present when every row is valid: each row's verdict, and the token the confirm form carries. */
  rows?: ImportRow[];
  counts?: ImportCounts;
  token?: string;
  /** Present when the file has problems: every one, nothing written. */
  errors?: ImportError[];
}

export const countKeys = ['new', 'replaces_pending', 'correction', 'unchanged', 'held', 'pending', 'approved'] as const;

function Counts(props: { ctx: PageContext; counts: Partial<ImportCounts> }) {
  const { t } = props.ctx;
  const label = (k: (typeof countKeys)[number]) =>
    k === 'pending' || k === 'approved' ? t(`collect:upload.statuses.${k}`) : t(`collect:upload.verdicts.${k}`);
  return (
    <ul class="import-counts">
      {countKeys
        .filter((k) => props.counts[k])
        .map((k) => (
          <li>{t('collect:upload.count', { label: label(k), count: props.counts[k] })}</li>
        ))}
    </ul>
  );
}

function UploadForm(props: { ctx: PageContext; csrf: string; limit: string }) {
  const { t } = props.ctx;
  return (
    <>
      <form method="post" action="/staff/prices/upload/preview" enctype="multipart/form-data" class="stack">
        <CsrfInput token={props.csrf} />
        <p>
          <label for="file">{t('collect:upload.file')}</label>
          <input id="file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="file-limit" />
          <small id="file-limit" class="muted">
            {t('collect:upload.limit', { limit: props.limit })}
          </small>
        </p>
        <p>
          <button type="submit">{t('collect:upload.preview')}</button>
        </p>
      </form>
      <p>
        <a href="/api/v1/prices/template.csv" download>
          {t('collect:upload.template')}
        </a>
        <br />
        <small class="muted">{t('collect:upload.templateHint')}</small>
      </p>
    </>
  );
}

/** Step 1: choose a file (and, after step 2, see what was saved). */
export function PriceUploadPage(props: { ctx: PageContext; view: UploadView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('collect:upload.title')}>
      <h1>{view.done ? t('collect:upload.doneTitle') : t('collect:upload.title')}</h1>
      {view.error ? (
        <p class="notice notice-error" role="alert">
          {t(`collect:upload.${view.error}`)}
        </p>
      ) : null}
      {view.done ? (
        <div class="notice" role="status">
          <Counts ctx={ctx} counts={view.done} />
        </div>
      ) : null}
      <p class="lead">{t('collect:upload.intro')}</p>
      <UploadForm ctx={ctx} csrf={view.csrf} limit={view.limit} />
      <p>
        <a href="/staff/prices/new">{t('collect:links.enter')}</a> · <a href="/staff">{t('staff:home.title')}</a>
      </p>
    </Layout>
  );
}

/** Step 2: every row with its verdict and a Confirm form, or every problem with its line and column. */
export function PricePreviewPage(props: { ctx: PageContext; view: PreviewView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { names } = view;
  const count = view.rows?.length ?? 0;
  return (
    <Layout ctx={ctx} title={t('collect:upload.previewTitle')}>
      <h1>{t('collect:upload.previewTitle')}</h1>
      <p class="muted">
        {view.rows
          ? t('collect:upload.fileLine', { file: view.fileName || 'CSV', encoding: view.encoding, count })
          : `${view.fileName || 'CSV'} · ${view.encoding}`}
      </p>
      {view.errors ? (
        <>
          <p class="notice notice-error" role="alert">
            {t('collect:upload.errorsTitle', { count: view.errors.length })}
          </p>
          <table class="import-errors">
            <thead>
              <tr>
                <th>{t('collect:upload.line')}</th>
                <th>{t('collect:upload.column')}</th>
                <th>{t('collect:upload.problem')}</th>
              </tr>
            </thead>
            <tbody>
              {view.errors.map((e) => (
                <tr>
                  <td class="num">{e.line}</td>
                  <td>
                    {e.header ?? '—'}
                    {e.column ? (
                      <small class="muted">
                        {' '}
                        · {t(`collect:upload.columns.${e.column}`, { defaultValue: e.column })}
                      </small>
                    ) : null}
                  </td>
                  <td>{e.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      {view.rows && view.counts && view.token ? (
        <>
          <Counts ctx={ctx} counts={view.counts} />
          <form method="post" action="/staff/prices/upload/confirm" class="confirm-import">
            <CsrfInput token={view.csrf} />
            <input type="hidden" name="token" value={view.token} />
            <input type="hidden" name="fileName" value={view.fileName} />
            <button type="submit">{t('collect:upload.confirm')}</button>
          </form>
          <table class="import-preview">
            <thead>
              <tr>
                <th>{t('collect:upload.line')}</th>
                <th>{t('collect:review.commodity')}</th>
                <th>{t('collect:review.market')}</th>
                <th>{t('collect:review.date')}</th>
                <th>{t('collect:review.price')}</th>
                <th>{t('collect:review.grade')}</th>
                <th>{t('collect:review.kind')}</th>
                <th>{t('collect:upload.verdict')}</th>
              </tr>
            </thead>
            <tbody>
              {view.rows.map((r) => (
                <tr class={`verdict-${r.verdict}`}>
                  <td class="num">{r.line}</td>
                  <td>{names.commodity(r.commodityId)}</td>
                  <td>{names.market(r.marketId)}</td>
                  <td>{r.date}</td>
                  <td class="num">
                    {r.price}/{names.unit(r.unit)}
                    {r.current && r.current !== r.price ? <small class="muted"> ({r.current})</small> : null}
                  </td>
                  <td>{r.grade ?? ''}</td>
                  <td>{t(`collect:kinds.${r.kind}`)}</td>
                  <td>
                    <strong>{t(`collect:upload.verdicts.${r.verdict}`)}</strong> ·{' '}
                    {t(`collect:upload.statuses.${r.status}`)}
                    {r.holdReason ? (
                      <>
                        <br />
                        <span class="hold">{r.holdReason}</span>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
      <p>
        <a href="/staff/prices/upload">{t('collect:upload.again')}</a>
      </p>
    </Layout>
  );
}

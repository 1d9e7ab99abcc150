import type { OpenDataSnapshot } from '#core/prices/open-data-publish.ts';
import { Layout, type PageContext } from '../components/layout.tsx';

/** Bytes as a reader sizes a download: B, KB or MB (unit symbols, the same in every language). */
const size = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 * 1024
      ? `${(bytes / 1024).toFixed(1)} KB`
      : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The newest open-data snapshot: each file under /open-data/latest/ with its size and SHA-256. */
export function OpenDataPage(props: { ctx: PageContext; snapshot: OpenDataSnapshot | undefined }) {
  const { ctx, snapshot } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('web:openData.title')}>
      <h1>{t('web:openData.title')}</h1>
      <p class="lead">{t('web:openData.intro')}</p>
      {snapshot ? (
        <section>
          <h2>{t('web:openData.snapshot', { date: snapshot.date, count: snapshot.rows })}</h2>
          <ul class="items">
            {snapshot.files.map((f) => (
              <li>
                <a href={`/open-data/latest/${f.name}`}>{f.name}</a> · {size(f.bytes)}
                <br />
                <small>
                  SHA-256 <code style="overflow-wrap:anywhere">{f.sha256}</code>
                </small>
              </li>
            ))}
          </ul>
          <p>
            {t('web:openData.dated')} <code>/open-data/{snapshot.date}/</code>
          </p>
        </section>
      ) : (
        <p>{t('web:openData.none')}</p>
      )}
      <p>
        <a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a> ·{' '}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
      </p>
    </Layout>
  );
}

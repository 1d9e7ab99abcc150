import { Layout, type PageContext } from '../components/layout.tsx';

export function HomePage(props: {
  ctx: PageContext;
  counts: { commodities: number; regions: number; markets: number };
}) {
  const { ctx, counts } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('common:appName')}>
      <h1>{t('web:home.title')}</h1>
      <p class="lead">{t('web:home.intro')}</p>
      <section>
        <h2>{t('web:home.smsTitle')}</h2>
        <p>{t('web:home.smsText')}</p>
      </section>
      <section>
        <h2>
          <a href="/prices">{t('market:nav')}</a>
        </h2>
        <p>
          {t('market:home')} <a href="/prices/bulletin">{t('market:bulletin.title')}</a> ·{' '}
          <a href="/prices/sheet">{t('market:sheet.title')}</a>
        </p>
      </section>
      <section>
        <h2>
          <a href="/market">{t('exchange:list.title')}</a>
        </h2>
        <p>
          {t('exchange:home')} <a href="/market?side=sell">{t('exchange:side.sell')}</a> ·{' '}
          <a href="/market?side=buy">{t('exchange:side.buy')}</a>
        </p>
      </section>
      <section>
        <h2>
          <a href="/guide">{t('web:knowledge.guides.title')}</a>
        </h2>
        <p>
          {t('web:knowledge.home')} <a href="/alerts">{t('web:knowledge.alerts.title')}</a> ·{' '}
          <a href="/bulletins">{t('web:knowledge.bulletins.title')}</a>
        </p>
      </section>
      <section>
        <h2>{t('web:home.browseTitle')}</h2>
        <ul class="tiles">
          <li>
            <a href="/commodities">{t('web:home.countCommodities', { count: counts.commodities })}</a>
          </li>
          <li>
            <a href="/regions">{t('web:home.countRegions', { count: counts.regions })}</a>
          </li>
          <li>
            <a href="/markets">{t('web:home.countMarkets', { count: counts.markets })}</a>
          </li>
        </ul>
      </section>
      <section>
        <h2>{t('web:home.apiTitle')}</h2>
        <p>
          {t('web:home.apiText')} <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
        </p>
        <p>
          <a href="/open-data">{t('web:openData.link')}</a>
        </p>
      </section>
    </Layout>
  );
}

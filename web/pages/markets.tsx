import { type Market, provinces, type Region } from '#core/reference/schemas.ts';
import { AliasList, ConfidenceBadge, Facts, SourceText } from '../components/item-facts.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { NameLine, primaryName } from '../components/names.tsx';

export function MarketListPage(props: { ctx: PageContext; markets: Market[] }) {
  const { ctx, markets } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('web:markets.title')}>
      <h1>{t('web:markets.title')}</h1>
      <p class="lead">{t('web:markets.intro')}</p>
      {provinces.map((p) => {
        const items = markets.filter((m) => m.province === p);
        return items.length ? (
          <section>
            <h2>{t(`common:province.${p}`)}</h2>
            <ul class="items">
              {items.map((m) => (
                <li>
                  <a href={`/markets/${m.id}`}>
                    <NameLine names={m.names} wylie={m.wylie} lang={lang} />
                  </a>
                </li>
              ))}
            </ul>
          </section>
        ) : null;
      })}
    </Layout>
  );
}

export function MarketPage(props: { ctx: PageContext; market: Market; region?: Region }) {
  const { ctx, market: m, region } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={primaryName(m.names, lang)}>
      <h1>
        <NameLine names={m.names} wylie={m.wylie} lang={lang} />
      </h1>
      <p>
        <a href={`/prices/bulletin?market=${m.id}`}>{t('market:bulletin.title')}</a> ·{' '}
        <a href={`/prices/sheet?market=${m.id}`}>{t('market:sheet.title')}</a>
      </p>
      <Facts
        rows={[
          [
            t('web:item.region'),
            region ? <a href={`/regions/${region.id}`}>{primaryName(region.names, lang)}</a> : null,
          ],
          [t('web:item.province'), t(`common:province.${m.province}`)],
          [t('web:item.aliases'), <AliasList aliases={m.aliases} />],
          [t('web:item.confidence'), <ConfidenceBadge t={t} confidence={m.confidence} />],
          [t('web:item.source'), <SourceText source={m.source} />],
          [t('web:item.id'), <code>{m.id}</code>],
        ]}
      />
    </Layout>
  );
}

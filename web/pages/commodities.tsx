import { type Commodity, commodityGroups, type Unit } from '#core/reference/schemas.ts';
import { AliasList, ConfidenceBadge, Facts, SourceText } from '../components/item-facts.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { NameLine, primaryName } from '../components/names.tsx';

export function CommodityListPage(props: { ctx: PageContext; commodities: Commodity[] }) {
  const { ctx, commodities } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('web:commodities.title')}>
      <h1>{t('web:commodities.title')}</h1>
      <p class="lead">{t('web:commodities.intro')}</p>
      {commodityGroups.map((group) => {
        const items = commodities.filter((c) => c.group === group);
        return items.length ? (
          <section>
            <h2>{t(`common:group.${group}`)}</h2>
            <ul class="items">
              {items.map((c) => (
                <li>
                  <a href={`/commodities/${c.id}`}>
                    <NameLine names={c.names} wylie={c.wylie} lang={lang} />
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

export function CommodityPage(props: { ctx: PageContext; commodity: Commodity; unit?: Unit }) {
  const { ctx, commodity: c, unit } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={primaryName(c.names, lang)}>
      <h1>
        <NameLine names={c.names} wylie={c.wylie} lang={lang} />
      </h1>
      <Facts
        rows={[
          [t('web:item.group'), t(`common:group.${c.group}`)],
          [t('web:item.defaultUnit'), unit ? primaryName(unit.names, lang) : c.defaultUnit],
          [t('web:item.aliases'), <AliasList aliases={c.aliases} />],
          [t('web:item.confidence'), <ConfidenceBadge t={t} confidence={c.confidence} />],
          [t('web:item.source'), <SourceText source={c.source} />],
          [t('web:item.id'), <code>{c.id}</code>],
        ]}
      />
    </Layout>
  );
}

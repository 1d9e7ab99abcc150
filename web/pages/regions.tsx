import type { Market, Region } from '#core/reference/schemas.ts';
import { AliasList, ConfidenceBadge, Facts, SourceText } from '../components/item-facts.tsx';
import { Layout, type PageContext } from '../components/layout.tsx';
import { NameLine, primaryName } from '../components/names.tsx';

function RegionTree(props: { ctx: PageContext; regions: Region[]; parentId: string | null }) {
  const children = props.regions.filter((r) => r.parentId === props.parentId);
  if (!children.length) return null;
  return (
    <ul class="tree">
      {children.map((r) => (
        <li>
          <a href={`/regions/${r.id}`}>
            <NameLine names={r.names} wylie={r.wylie} lang={props.ctx.lang} />
          </a>
          <RegionTree ctx={props.ctx} regions={props.regions} parentId={r.id} />
        </li>
      ))}
    </ul>
  );
}

export function RegionListPage(props: { ctx: PageContext; regions: Region[] }) {
  const { ctx, regions } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('web:regions.title')}>
      <h1>{t('web:regions.title')}</h1>
      <p class="lead">{t('web:regions.intro')}</p>
      <RegionTree ctx={ctx} regions={regions} parentId={null} />
    </Layout>
  );
}

export function RegionPage(props: {
  ctx: PageContext;
  region: Region;
  parent?: Region;
  children: Region[];
  markets: Market[];
}) {
  const { ctx, region: r, parent, children, markets } = props;
  const { t, lang } = ctx;
  const link = (base: string, item: { id: string; names: Region['names'] }) => (
    <a href={`/${base}/${item.id}`}>{primaryName(item.names, lang)}</a>
  );
  return (
    <Layout ctx={ctx} title={primaryName(r.names, lang)}>
      <h1>
        <NameLine names={r.names} wylie={r.wylie} lang={lang} />
      </h1>
      <Facts
        rows={[
          [t('web:item.level'), t(`common:level.${r.level}`)],
          [t('web:item.gbcode'), r.gbcode ? <code>{r.gbcode}</code> : null],
          [t('web:item.parent'), parent ? link('regions', parent) : null],
          [
            t('web:item.children'),
            children.length ? (
              <ul class="inline">
                {children.map((c) => (
                  <li>{link('regions', c)}</li>
                ))}
              </ul>
            ) : null,
          ],
          [
            t('web:item.marketsHere'),
            markets.length ? (
              <ul class="inline">
                {markets.map((m) => (
                  <li>{link('markets', m)}</li>
                ))}
              </ul>
            ) : null,
          ],
          [t('web:item.aliases'), <AliasList aliases={r.aliases} />],
          [t('web:item.confidence'), <ConfidenceBadge t={t} confidence={r.confidence} />],
          [t('web:item.source'), <SourceText source={r.source} />],
          [t('web:item.id'), <code>{r.id}</code>],
        ]}
      />
    </Layout>
  );
}

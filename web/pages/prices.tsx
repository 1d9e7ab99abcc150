import { dateOfDay } from '#core/dates.ts';
import { percentChange } from '#core/prices/change.ts';
import { formatFen } from '#core/prices/money.ts';
import type { CommodityChart, LatestRow, MarketRow } from '#core/prices/page-reads.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import { type Commodity, commodityGroups, type Market } from '#core/reference/schemas.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { NameLine, primaryName } from '../components/names.tsx';
import { Change, DateCell, PriceCell, type PriceView, unitName } from '../components/price-cells.tsx';
import { TrendChart } from '../components/trend-chart.tsx';

const marketName = (v: PriceView, m: Market | undefined, id: string) => (m ? primaryName(m.names, v.lang) : id);

/** /prices: the newest price of each commodity, by group. */
export function PriceListPage(props: { ctx: PageContext; v: PriceView; rows: LatestRow[] }) {
  const { ctx, v, rows } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('market:list.title')}>
      <h1>{t('market:list.title')}</h1>
      <p class="lead">
        {t('market:list.intro')} <a href="/prices/bulletin">{t('market:bulletin.title')}</a> ·{' '}
        <a href="/prices/sheet">{t('market:sheet.title')}</a>
      </p>
      {rows.length ? null : <p>{t('market:list.none')}</p>}
      {commodityGroups.map((g) => {
        const mine = rows.filter((x) => x.commodity.group === g);
        return mine.length ? (
          <section>
            <h2>{t(`common:group.${g}`)}</h2>
            <table class="prices stacked">
              <thead>
                <tr>
                  <th>{t('market:col.item')}</th>
                  <th>{t('market:col.price')}</th>
                  <th>{t('market:col.market')}</th>
                  <th>{t('market:col.date')}</th>
                </tr>
              </thead>
              <tbody>
                {mine.map(({ r, commodity: c, market, stale }) => (
                  <tr>
                    <td>
                      <a href={`/prices/${c.id}`}>
                        <NameLine names={c.names} wylie={c.wylie} lang={lang} />
                      </a>
                    </td>
                    <td data-label={t('market:col.price')}>
                      <PriceCell v={v} r={r} />
                    </td>
                    <td data-label={t('market:col.market')}>{marketName(v, market, r.marketId)}</td>
                    <td data-label={t('market:col.date')}>
                      <DateCell t={t} date={r.date} stale={stale} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null;
      })}
    </Layout>
  );
}

const pct = (from: PriceRecord | undefined, to: PriceRecord) =>
  from ? percentChange(from.priceFen, to.priceFen) : null;

/** /prices/<commodity>: the latest price at each market, its changes and season, and the 12-month chart. */
export function CommodityPricesPage(props: {
  ctx: PageContext;
  v: PriceView;
  commodity: Commodity;
  rows: MarketRow[];
  chart: CommodityChart;
}) {
  const { ctx, v, commodity: c, rows, chart } = props;
  const { t, lang } = ctx;
  const name = primaryName(c.names, lang);
  const labels = Object.fromEntries(chart.markets.map((m) => [m.id, primaryName(m.names, lang)]));
  const from = chart.trend.fromDay;
  const lines = chart.trend.series
    .map((s) => `${labels[s.key] ?? s.key} ${s.points.map((p) => formatFen(p.fen)).at(-1)}`)
    .join('; ');
  return (
    <Layout ctx={ctx} title={`${name} · ${t('market:nav')}`}>
      <h1>
        <NameLine names={c.names} wylie={c.wylie} lang={lang} />
      </h1>
      <p class="lead">
        <a href="/prices">{t('market:list.title')}</a> · <a href={`/commodities/${c.id}`}>{t('web:nav.commodities')}</a>
      </p>
      {rows.length ? (
        <>
          <table class="prices stacked">
            <thead>
              <tr>
                <th>{t('market:col.market')}</th>
                <th>{t('market:col.price')}</th>
                <th>{t('market:col.date')}</th>
                <th>{t('market:col.vsPrevious')}</th>
                <th>{t('market:col.vsYear')}</th>
                <th>{t('market:col.season')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ r, market, stale, previous, yearAgo, season }) => (
                <tr>
                  <td>
                    <a href={`/prices/bulletin?market=${r.marketId}`}>{marketName(v, market, r.marketId)}</a>
                  </td>
                  <td data-label={t('market:col.price')}>
                    <PriceCell v={v} r={r} />
                  </td>
                  <td data-label={t('market:col.date')}>
                    <DateCell t={t} date={r.date} stale={stale} />
                  </td>
                  <td data-label={t('market:col.vsPrevious')}>
                    <Change pct={pct(previous, r)} />
                    {previous ? (
                      <small class="muted">
                        {' '}
                        {formatFen(previous.priceFen)} · {previous.date}
                      </small>
                    ) : null}
                  </td>
                  <td data-label={t('market:col.vsYear')}>
                    <Change pct={pct(yearAgo, r)} />
                    {yearAgo ? (
                      <small class="muted">
                        {' '}
                        {formatFen(yearAgo.priceFen)} · {yearAgo.date}
                      </small>
                    ) : null}
                  </td>
                  <td data-label={t('market:col.season')}>
                    {season?.flag ? (
                      <strong class={`season ${season.flag}`}>{t(`market:season.${season.flag}`)}</strong>
                    ) : null}
                    {season ? (
                      <small class="muted">
                        {' '}
                        {t('market:season.note', { norm: formatFen(season.normFen), years: season.years })}
                      </small>
                    ) : (
                      '—'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('market:detail.chart')}</h2>
          <form method="get" class="pick">
            <label>
              {t('market:col.market')}{' '}
              <select name="market">
                <option value="">{t('market:detail.all')}</option>
                {chart.markets.map((m) => (
                  <option value={m.id} selected={chart.market?.id === m.id}>
                    {labels[m.id]}
                  </option>
                ))}
              </select>
            </label>{' '}
            <button type="submit">{t('market:bulletin.show')}</button>
          </form>
          {chart.trend.series.length ? (
            <TrendChart
              trend={chart.trend}
              labels={labels}
              title={`${name} · ${t('market:detail.chart')}`}
              desc={t('market:detail.chartDesc', {
                unit: unitName(v, chart.unit),
                kind: t(`market:kind.${chart.kind}`),
                from: dateOfDay(from),
                to: dateOfDay(chart.trend.toDay),
                lines,
              })}
            />
          ) : null}
        </>
      ) : (
        <p>{t('market:detail.none')}</p>
      )}
    </Layout>
  );
}

import type { Bulletin, Compare } from '#core/prices/bulletin.ts';
import { formatFen } from '#core/prices/money.ts';
import type { Commodity, Market } from '#core/reference/schemas.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { NameLine, primaryName } from '../components/names.tsx';
import { Change, PriceCell, type PriceView } from '../components/price-cells.tsx';

/** The market · date · comparison form: plain GET, so it works with JavaScript off. */
function Pick(props: {
  ctx: PageContext;
  markets: Market[];
  market: Market | undefined;
  dates: string[];
  date: string | undefined;
  compare: Compare;
}) {
  const { ctx, markets, market, dates, date, compare } = props;
  const { t, lang } = ctx;
  return (
    <form method="get" action="/prices/bulletin" class="pick">
      <label>
        {t('market:bulletin.market')}{' '}
        <select name="market">
          {markets.map((m) => (
            <option value={m.id} selected={m.id === market?.id}>
              {primaryName(m.names, lang)}
            </option>
          ))}
        </select>
      </label>{' '}
      {dates.length ? (
        <label>
          {t('market:bulletin.date')}{' '}
          <select name="date">
            {dates.map((d) => (
              <option selected={d === date}>{d}</option>
            ))}
          </select>
        </label>
      ) : null}{' '}
      <label>
        {t('market:bulletin.compare')}{' '}
        <select name="compare">
          {(['previous', 'year'] as const).map((k) => (
            <option value={k} selected={k === compare}>
              {t(`market:bulletin.${k}`)}
            </option>
          ))}
        </select>
      </label>{' '}
      <button type="submit">{t('market:bulletin.show')}</button>
    </form>
  );
}

/** /prices/bulletin: the bureaus' bulletin of one market on one date. */
export function BulletinPage(props: {
  ctx: PageContext;
  v: PriceView;
  markets: Market[];
  commodities: Map<string, Commodity>;
  bulletin: Bulletin | undefined;
  dates: string[];
  error: string | undefined;
}) {
  const { ctx, v, bulletin: b, markets, commodities, dates, error } = props;
  const { t, lang } = ctx;
  const compare = b?.compare ?? 'previous';
  const other: Compare = compare === 'previous' ? 'year' : 'previous';
  const title = b ? `${t('market:bulletin.title')} · ${primaryName(b.market.names, lang)}` : t('market:bulletin.title');
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{t('market:bulletin.title')}</h1>
      {error ? (
        <p class="notice notice-error" role="alert">
          {error}
        </p>
      ) : null}
      <Pick ctx={ctx} markets={markets} market={b?.market} dates={dates} date={b?.date} compare={compare} />
      {b?.date ? (
        <section>
          <h2>{t('market:bulletin.heading', { market: primaryName(b.market.names, lang), date: b.date })}</h2>
          <p class="counts">
            {t('market:bulletin.counts', { down: b.summary.down, up: b.summary.up, flat: b.summary.flat })}
          </p>
          <p>
            {t(`market:bulletin.${compare}`)} ·{' '}
            <a href={`/prices/bulletin?market=${b.market.id}&date=${b.date}&compare=${other}`}>
              {t(`market:bulletin.${other}`)}
            </a>{' '}
            · <a href={`/prices/sheet?market=${b.market.id}`}>{t('market:sheet.title')}</a>
          </p>
          {b.rows.length ? null : <p>{t('market:bulletin.none')}</p>}
          <table class="prices bulletin stacked">
            <thead>
              <tr>
                <th>{t('market:col.item')}</th>
                <th>{t('market:col.price')}</th>
                <th>{t(compare === 'year' ? 'market:col.yearAgo' : 'market:col.previous')}</th>
                <th>{t('market:col.change')}</th>
              </tr>
            </thead>
            <tbody>
              {b.rows.map(({ record: r, compared }, i) => {
                const c = commodities.get(r.commodityId);
                return (
                  <tr>
                    <td>
                      {c ? (
                        <a href={`/prices/${c.id}`}>
                          <NameLine names={c.names} wylie={c.wylie} lang={lang} />
                        </a>
                      ) : (
                        r.commodityId
                      )}
                    </td>
                    <td data-label={t('market:col.price')}>
                      <PriceCell v={v} r={r} />
                    </td>
                    <td data-label={t(compare === 'year' ? 'market:col.yearAgo' : 'market:col.previous')}>
                      {compared ? (
                        <>
                          {formatFen(compared.priceFen)} <small class="muted">{compared.date}</small>
                        </>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td data-label={t('market:col.change')}>
                      <Change pct={b.summary.items[i]?.changePct} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ) : b ? (
        <p>{t('market:bulletin.none')}</p>
      ) : null}
    </Layout>
  );
}

import type { LatestRow } from '#core/prices/page-reads.ts';
import type { Market } from '#core/reference/schemas.ts';
import { sheetNumbers } from '#core/voice/speech/sheet-numbers.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { NameLine, primaryName } from '../components/names.tsx';
import { DateCell, PriceCell, type PriceView } from '../components/price-cells.tsx';

/** /prices/sheet: every latest price at one market, big and dated, for a notice board (A4). */
export function PriceSheetPage(props: {
  ctx: PageContext;
  v: PriceView;
  market: Market | undefined;
  markets: Market[];
  rows: LatestRow[];
}) {
  const { ctx, v, market, markets, rows } = props;
  const { t, lang } = ctx;
  const newest = rows.reduce((d, x) => (x.r.date > d ? x.r.date : d), '');
  if (!market) {
    return (
      <Layout ctx={ctx} title={t('market:sheet.title')}>
        <h1>{t('market:sheet.title')}</h1>
        <p>{t('market:sheet.choose')}</p>
        <ul class="items">
          {markets.map((m) => (
            <li>
              <a href={`/prices/sheet?market=${m.id}`}>
                <NameLine names={m.names} wylie={m.wylie} lang={lang} />
              </a>
            </li>
          ))}
        </ul>
      </Layout>
    );
  }
  return (
    <Layout ctx={ctx} title={`${t('market:sheet.title')} · ${primaryName(market.names, lang)}`}>
      <div class="sheet">
        <h1>
          <NameLine names={market.names} wylie={market.wylie} lang={lang} />
        </h1>
        <p class="as-of">{rows.length ? t('market:sheet.asOf', { date: newest }) : t('market:bulletin.none')}</p>
        {rows.length ? (
          <table class="prices stacked">
            <thead>
              <tr>
                <th>{t('market:col.item')}</th>
                <th>{t('market:col.price')}</th>
                <th>{t('market:col.date')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ r, commodity: c, stale }) => (
                <tr>
                  <td>
                    {/* The number a caller presses on the voice line for this commodity. */}
                    {sheetNumbers[c.id] === undefined ? null : <span class="sheet-no">{sheetNumbers[c.id]}</span>}
                    <NameLine names={c.names} wylie={c.wylie} lang={lang} />
                  </td>
                  <td data-label={t('market:col.price')}>
                    <PriceCell v={v} r={r} />
                  </td>
                  <td data-label={t('market:col.date')}>
                    <DateCell t={t} date={r.date} stale={stale} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    </Layout>
  );
}

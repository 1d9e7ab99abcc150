import type { Language, Translator } from '#core/i18n.ts';
import { formatFen } from '#core/prices/money.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { fillTibetan } from '#core/text/tibetan-compose.ts';
import { resources } from '#locales/index.ts';
import { primaryName } from './names.tsx';

/** What the price cells need: the page's translator and language, and the catalog for unit names. */
export interface PriceView {
  t: Translator;
  lang: Language;
  catalog: Catalog;
}

/**
 * A unit's short name in the page language ("jin", not "jin (catty, 0.5 kg)"). Tibetan counts
 * livestock without a classifier (glossary §3, `unit_head`): with the commodity given, a count
 * unit without a Tibetan word is the animal itself, as SMS replies write it (`གཡག་རེར` "per
 * yak"); without one, the Chinese name.
 */
export const unitName = (v: PriceView, unitId: string, commodityId?: string) => {
  const unit = v.catalog.units?.get(unitId);
  const commodity = commodityId ? v.catalog.commodities.get(commodityId) : undefined;
  if (v.lang === 'bo' && unit?.dimension === 'count' && !unit.names.bo && commodity?.names.bo)
    return commodity.names.bo;
  return unit
    ? primaryName(unit.names, v.lang)
        .replace(/\s*\(.*\)$/u, '')
        .split(/\s+\/\s+/u)[0]!
    : unitId;
};

/**
 * "per jin" in the page language. In Tibetan the unit joins རེར with a tsheg, as SMS replies
 * write it (`རྒྱ་མ་རེར`, `གཡག་རེར`), or with a space after a name in another script.
 */
export const perUnit = (v: PriceView, unitId: string, commodityId?: string) => {
  const unit = unitName(v, unitId, commodityId);
  return v.lang === 'bo' ? fillTibetan(resources.bo.market.per, { unit }) : v.t('market:per', { unit });
};

/** A price with its unit, kind and grade: "4.50 per jin · retail · 一级". */
export function PriceCell(props: { v: PriceView; r: PriceRecord }) {
  const { v, r } = props;
  return (
    <>
      <strong class="num">{formatFen(r.priceFen)}</strong>{' '}
      <small>
        {perUnit(v, r.unit, r.commodityId)} · {v.t(`market:kind.${r.kind}`)}
        {r.grade ? ` · ${r.grade}` : ''}
      </small>
    </>
  );
}

/** A % change with its mark: ▲ up, ▼ down, ＝ flat (the bureaus' bulletin marks); — when nothing to compare. */
export function Change(props: { pct: number | null | undefined }) {
  const { pct } = props;
  if (pct === null || pct === undefined) return <span class="muted">—</span>;
  const [cls, mark] = pct > 0 ? ['up', '▲'] : pct < 0 ? ['down', '▼'] : ['flat', '＝'];
  return (
    <span class={`chg ${cls}`}>
      {mark} {pct > 0 ? '+' : ''}
      {pct.toFixed(2)}%
    </span>
  );
}

/** A date, marked old when the price is stale. */
export function DateCell(props: { t: Translator; date: string; stale: boolean }) {
  return (
    <>
      <span class="nw">{props.date}</span>
      {props.stale ? (
        <>
          {' '}
          <span class="badge badge-medium">{props.t('market:old')}</span>
        </>
      ) : null}
    </>
  );
}

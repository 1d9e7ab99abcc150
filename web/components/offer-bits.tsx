/** Small pieces the exchange's public and staff pages share: names, the offer line, the region list. */
import { shanghaiDay } from '#core/dates.ts';
import type { Language, Translator } from '#core/i18n.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import type { Region } from '#core/reference/schemas.ts';
import { primaryName } from './names.tsx';
import { namer } from './price-bits.tsx';

/** Names in the page language for the ids an offer carries; the id itself when the catalog lacks it. */
export function offerNamer(catalog: Catalog, lang: Language) {
  const base = namer(catalog, lang);
  const region = (id: string) => {
    const r = catalog.regions.get(id);
    return r ? primaryName(r.names, lang) : id;
  };
  return {
    ...base,
    region,
    /** Where the goods are: the market named, else the region. */
    place: (o: { regionId: string; marketId?: string | null | undefined }) =>
      o.marketId ? base.market(o.marketId) : region(o.regionId),
  };
}
export type OfferNamer = ReturnType<typeof offerNamer>;

/** What every offer line shows, whether it comes from a public listing or a stored one. */
export interface OfferFacts {
  code: string;
  side: 'sell' | 'buy';
  commodityId: string;
  quantity: number;
  unitId: string;
  /** Yuan with two decimals, or null: negotiable. */
  price: string | null;
  grade?: string | null | undefined;
  regionId: string;
  marketId?: string | null | undefined;
  vouched: boolean;
  createdAt: string;
  expiresAt: string;
}

/** The Asia/Shanghai day of an ISO time: the date an offer shows. */
export const dayOf = (iso: string) => shanghaiDay(new Date(iso));

/** "4.50 yuan/jin" or "negotiable". */
export const priceText = (t: Translator, names: OfferNamer, o: Pick<OfferFacts, 'price' | 'unitId'>) =>
  o.price === null
    ? t('exchange:offer.negotiable')
    : t('exchange:offer.price', { price: o.price, unit: names.unit(o.unitId) });

/** "500 jin" */
export const quantityText = (t: Translator, names: OfferNamer, o: Pick<OfferFacts, 'quantity' | 'unitId'>) =>
  t('exchange:offer.quantity', { quantity: String(o.quantity), unit: names.unit(o.unitId) });

/** "Barley · 500 jin · 4.50 yuan/jin · first grade · Gyantse · 2026-12-01": one line, no phone number. */
export function offerLine(t: Translator, names: OfferNamer, o: OfferFacts): string {
  return [
    names.commodity(o.commodityId),
    quantityText(t, names, o),
    priceText(t, names, o),
    o.grade,
    names.place(o),
    dayOf(o.createdAt),
  ]
    .filter(Boolean)
    .join(' · ');
}

/** The ✓ of a number an operator vouched for, with its meaning for screen readers and on hover. */
export const VouchedMark = (props: { t: Translator; vouched: boolean }) =>
  props.vouched ? (
    <span class="vouched" title={props.t('exchange:offer.vouched')}>
      ✓<span class="visually-hidden"> {props.t('exchange:offer.vouched')}</span>
    </span>
  ) : null;

/** Prefectures, each followed by the counties in it (towns left out: offers are placed by county). */
export function regionChoices(catalog: Catalog, lang: Language): Array<{ id: string; label: string }> {
  const all = [...catalog.regions.values()];
  const byName = (a: Region, b: Region) => primaryName(a.names, lang).localeCompare(primaryName(b.names, lang));
  return all
    .filter((r) => r.level === 'prefecture')
    .sort(byName)
    .flatMap((p) => [
      { id: p.id, label: primaryName(p.names, lang) },
      ...all
        .filter((r) => r.parentId === p.id && r.level === 'county')
        .sort(byName)
        .map((c) => ({ id: c.id, label: `— ${primaryName(c.names, lang)}` })),
    ]);
}

/** Commodities by name in the page language. */
export const commodityChoices = (catalog: Catalog, lang: Language) =>
  [...catalog.commodities.values()]
    .map((c) => ({ id: c.id, label: primaryName(c.names, lang) }))
    .sort((a, b) => a.label.localeCompare(b.label));

/** An offer code as typed in an address: `L4821`, `l4821` or `4821` → `L4821`; anything else undefined. */
export function offerCode(text: string): string | undefined {
  const m = /^L?(\d{4,6})$/i.exec(text.trim());
  return m ? `L${m[1]}` : undefined;
}

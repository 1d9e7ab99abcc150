/**
 * Offers as SMS lines: message keys and parameters in one language (compose-sms.ts makes the
 * text). Names come from the catalog in the recipient's language, never a phone number.
 */
import { monthDay, shanghaiDay } from '../dates.ts';
import { formatFen } from '../prices/money.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { MoreLine } from '../sms/ports.ts';
import { smsName, smsUnitName } from '../sms/sms-names.ts';
import type { Listing } from './listing.ts';

export type Line = MoreLine;

/** A quantity as people write it: no trailing zeros (2.5, 500). */
export const formatQuantity = (q: number): string => String(Number(q.toFixed(3)));

/** The MM-DD of an instant, on the Asia/Shanghai calendar. */
export const dayOf = (iso: string): string => monthDay(shanghaiDay(new Date(iso)));

/** Where an offer is, by name: its market if it named one, else its region. */
export function placeName(listing: Pick<Listing, 'marketId' | 'regionId'>, lang: Language, catalog: Catalog): string {
  const market = listing.marketId ? catalog.markets.get(listing.marketId) : undefined;
  if (market) return smsName(market.names, lang);
  const region = catalog.regions.get(listing.regionId);
  return region ? smsName(region.names, lang) : listing.regionId;
}

export function commodityName(commodityId: string, lang: Language, catalog: Catalog): string {
  const commodity = catalog.commodities.get(commodityId);
  return commodity ? smsName(commodity.names, lang) : commodityId;
}

/** The one line that shows an offer: `exchange.offer.sell`, `.sellOpen` (negotiable), `.buy`, `.buyOpen`. */
export function offerLine(listing: Listing, lang: Language, catalog: Catalog, extra: Partial<Line> = {}): Line {
  const negotiable = listing.priceFen === null;
  return {
    key: `exchange.offer.${listing.side}${negotiable ? 'Open' : ''}`,
    params: {
      code: listing.code,
      // ✓ would make an English SMS UCS-2 (70 characters instead of 160) and cut the offer short.
      mark: listing.vouched ? (lang === 'en' ? '*' : '✓') : '',
      commodity: commodityName(listing.commodityId, lang, catalog),
      quantity: formatQuantity(listing.quantity),
      unit: smsUnitName(listing.unitId, listing.commodityId, lang, catalog),
      ...(negotiable ? {} : { price: formatFen(listing.priceFen!) }),
      place: placeName(listing, lang, catalog),
      date: dayOf(listing.createdAt),
    },
    ...extra,
  };
}

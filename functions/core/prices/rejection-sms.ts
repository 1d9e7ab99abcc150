/**
 * Telling a collector by SMS that a reviewer rejected their price: the item,
 * market, date and price, then the reason, in the collector's saved language and script (their
 * subscriber settings: the language they text in; Tibetan when they never texted), within
 * 2 SMS in Tibetan and 1 in Chinese or English. The reason comes last, so a long one is what
 * the composer shortens (cut at a word or syllable, with an ellipsis).
 *
 * Sent for every rejection whoever made the entry, once per decision: the idempotency key is
 * the identity and the rejected record's version, so a retried rejection (or a retry of the
 * send) never sends twice, and a later rejection of a corrected entry sends again. Sent as
 * essential: it answers the collector's own submission, like a reply, and a number that sent
 * STOP (to alerts) still needs to know its report was refused. Its volume is bounded by the
 * collector's own pending entries: each can be rejected once.
 */
import { monthDay } from '../dates.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { Messenger } from '../sms/ports.ts';
import { smsName, smsUnitName } from '../sms/sms-names.ts';
import { formatFen } from './money.ts';
import { observationIdentity } from './observation.ts';
import type { PriceRecord } from './ports.ts';

/** SMS parts a rejection may take: two in Tibetan (UCS-2, 67 characters a part), one otherwise. */
export const REJECTION_SEGMENTS = { bo: 2, zh: 1, en: 1 } as const;

/** The message the collector of a rejected record gets (for `Messenger.send`). */
export function rejectionSms(record: PriceRecord, catalog: Catalog, today: string): Parameters<Messenger['send']>[0] {
  const commodity = catalog.commodities.get(record.commodityId);
  const market = catalog.markets.get(record.marketId);
  // The year only when it is not this year's (as replies to P write MM-DD).
  const date = record.date.slice(0, 4) === today.slice(0, 4) ? monthDay(record.date) : record.date;
  return {
    to: record.collector,
    key: 'collect.rejected',
    params: (lang: Language) => {
      const name = commodity ? smsName(commodity.names, lang) : record.commodityId;
      return {
        commodity: record.grade ? `${name} ${record.grade}` : name,
        market: market ? smsName(market.names, lang) : record.marketId,
        price: formatFen(record.priceFen),
        // Tibetan names a head by its animal (`གཡག་རེར་`), never by the Chinese classifier.
        unit: smsUnitName(record.unit, record.commodityId, lang, catalog),
        date,
        reason: (record.rejectReason ?? '').replace(/\s+/gu, ' ').trim(),
      };
    },
    essential: true,
    idempotencyKey: `price.rejected|${observationIdentity(record)}|${record.version}`,
    maxSegments: REJECTION_SEGMENTS,
  };
}

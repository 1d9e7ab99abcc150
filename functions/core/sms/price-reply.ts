/**
 * The answer to PRICE: the latest approved price of a commodity at up to three markets, the
 * subscriber's home region first, each with price per unit, date (MM-DD) and an "old" mark
 * when older than the commodity's stale days (14 unless it says). One read: the commodity's latest-price rows (1 Query).
 *
 * Segment budget: in Chinese and English the reply is held to one SMS, so markets
 * after the first are optional parts that give way; in Tibetan it may take two, with each
 * row's short form (no unit word spelt out twice) before any market is dropped.
 */

import { monthDay, shanghaiDay } from '../dates.ts';
import { formatFen } from '../prices/money.ts';
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord, type PriceRepository } from '../prices/ports.ts';
import { isStale } from '../prices/stale.ts';
import { type Catalog, isWithin } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import { smsName, smsUnitName } from './sms-names.ts';

export const MAX_MARKETS = 3;

export interface PriceReplyLine {
  key: string;
  params?: Record<string, string | number>;
  optional?: boolean;
  shortKey?: string;
}

export interface PriceReply {
  lines: PriceReplyLine[];
  maxSegments: number;
}

/** PRICE <commodity> [<market or region>], as read (commands/price.ts). */
export interface PriceCommand {
  intent: 'price';
  commodityId: string;
  marketId?: string;
  regionId?: string;
}

const marketRegion = (record: PriceRecord, catalog: Catalog) =>
  catalog.markets.get(record.marketId)?.regionId ?? record.regionId;

function row(record: PriceRecord, lang: Language, catalog: Catalog, today: string): Record<string, string> {
  const market = catalog.markets.get(record.marketId);
  return {
    market: market ? smsName(market.names, lang) : record.marketId,
    price: formatFen(record.priceFen),
    unit: smsUnitName(record.unit, record.commodityId, lang, catalog),
    date: monthDay(record.date),
    // A stale price takes the `_old` variant of its line (`price.row_old`), which says so.
    ...(isStale(record.date, today, catalog.commodities.get(record.commodityId)) ? { context: 'old' } : {}),
  };
}

/** Newest first, then by market id, so that equal dates come out the same every time. */
const newestFirst = (a: PriceRecord, b: PriceRecord) =>
  b.date.localeCompare(a.date) || a.marketId.localeCompare(b.marketId);

/**
 * The reply's lines for markets already chosen: the head, then a row per market (those after
 * the first give way when the SMS would not fit). The voice line sends these for the markets
 * it spoke, so that its SMS says what the caller heard.
 */
export function priceLines(
  commodityName: string,
  shown: readonly PriceRecord[],
  lang: Language,
  catalog: Catalog,
  today: string,
): PriceReplyLine[] {
  return [
    { key: 'price.head', params: { commodity: commodityName } },
    ...shown.map((r, i) => ({
      key: 'price.row',
      shortKey: 'price.rowShort',
      params: row(r, lang, catalog, today),
      ...(i > 0 ? { optional: true } : {}),
    })),
  ];
}

export function priceReply(
  command: PriceCommand,
  records: readonly PriceRecord[],
  sub: Subscriber,
  catalog: Catalog,
  now: Date,
): PriceReply {
  const lang = sub.language;
  const maxSegments = lang === 'bo' ? 2 : 1;
  const today = shanghaiDay(now);
  const commodity = catalog.commodities.get(command.commodityId);
  const commodityName = commodity ? smsName(commodity.names, lang) : command.commodityId;
  const approved = records.filter((r) => r.status === 'approved' && r.commodityId === command.commodityId);

  const place = command.marketId ?? command.regionId;
  const inPlace = approved.filter((r) =>
    command.marketId
      ? r.marketId === command.marketId
      : command.regionId
        ? isWithin(catalog, marketRegion(r, catalog), command.regionId)
        : true,
  );
  const home = sub.homeRegionId;
  const isHome = (r: PriceRecord) => (home ? isWithin(catalog, marketRegion(r, catalog), home) : false);
  const ordered = [...inPlace.filter(isHome).sort(newestFirst), ...inPlace.filter((r) => !isHome(r)).sort(newestFirst)];
  const seen = new Set<string>();
  const shown = ordered.filter((r) => !seen.has(r.marketId) && seen.add(r.marketId)).slice(0, MAX_MARKETS);

  if (shown.length > 0) return { maxSegments, lines: priceLines(commodityName, shown, lang, catalog, today) };
  const nearest = [...approved].sort(newestFirst)[0];
  if (place && nearest) {
    const placeNames = catalog.markets.get(place)?.names ?? catalog.regions.get(place)?.names;
    return {
      maxSegments,
      lines: [
        {
          key: 'price.noneAt',
          params: { commodity: commodityName, place: placeNames ? smsName(placeNames, lang) : place },
        },
        { key: 'price.nearest', shortKey: 'price.rowShort', params: row(nearest, lang, catalog, today) },
      ],
    };
  }
  return { maxSegments, lines: [{ key: 'price.none', params: { commodity: commodityName } }] };
}

/** Reads the commodity's latest prices (one Query) and answers. */
export async function answerPrice(
  prices: Pick<PriceRepository, 'latestForCommodity'> | undefined,
  command: PriceCommand,
  sub: Subscriber,
  catalog: Catalog,
  now: Date,
): Promise<PriceReply> {
  const records = prices ? await prices.latestForCommodity(command.commodityId, LATEST_ROWS_PER_COMMODITY) : [];
  return priceReply(command, records, sub, catalog, now);
}

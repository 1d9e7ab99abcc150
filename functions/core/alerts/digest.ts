/**
 * The daily price digest: once a day (PRICE_DIGEST_TIME, Asia/Shanghai),
 * every subscriber of `price:<commodity>` whose commodity's approved latest price changed
 * since the previous digest gets ONE SMS covering the commodities they follow that changed:
 * up to three markets each, home region first, each with its price and a change sign against
 * the value the previous digest carried (or, for a market new to the digest, the previous
 * approved observation).
 *
 * Reads per commodity: 1 Query for whether anyone follows it, 1 Query for its latest prices
 * (LATEST#<commodity>), 1 GetItem for the last digest's state; then 1 Query per page of
 * subscribers and 1 GetItem per subscriber (language, home region, STOP).
 *
 * Idempotent: a per-day per-subscriber marker (conditional put) is taken before the SMS is
 * handed to the messenger, whose message id is derived from (day, phone) too; and the state a
 * rerun on the same day compares with is the one before that day's first run.
 */

import { monthDay, shanghaiDay } from '../dates.ts';
import { mapLimited } from '../limited.ts';
import { formatFen } from '../prices/money.ts';
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord, type PriceRepository } from '../prices/ports.ts';
import { type Catalog, isWithin } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { DeliveryStatus, OutboundSms, ReplyLine } from '../sms/messages.ts';
import type { SendLines } from '../sms/messenger.ts';
import { smsName, smsUnitName } from '../sms/sms-names.ts';
import type { SubscriberRepository } from '../subscribers/ports.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import type { AlertStore, DigestState } from './ports.ts';

export interface DigestDeps {
  catalog: () => Promise<Catalog>;
  prices: Pick<PriceRepository, 'latestForCommodity' | 'previousBefore'>;
  subscribers: Pick<SubscriberRepository, 'get'>;
  alerts: AlertStore;
  /** Hands back each SMS `blocked` when a guard stopped it (the messenger applies them as it records: sms/admission.ts). */
  messenger: { sendLines(input: SendLines): Promise<OutboundSms & { status: DeliveryStatus }> };
  now: () => Date;
  log: (entry: Record<string, unknown>) => void;
}

export interface DigestReport {
  day: string;
  /** Commodities with subscribers whose prices changed since the previous digest. */
  changed: string[];
  /** SMS handed over for sending. */
  sent: number;
  /** SMS a guard stopped: the daily segment limit or the absolute cap, the country allow-list (recorded as `blocked`). */
  blocked: number;
  /** Subscribers skipped: already sent today, STOP, or no longer following. */
  skipped: number;
  failed: number;
}

const SUBSCRIBER_PAGE = 500;
const MARKETS_PER_COMMODITY = 3;
/** Subscribers handled at once: a burst the table and queue absorb, not a flood. */
const CONCURRENCY = 8;

const rowKey = (r: PriceRecord) =>
  [r.marketId, r.kind ?? 'retail', r.grade ?? '', r.unit].map(encodeURIComponent).join('|');

interface CommodityChange {
  commodityId: string;
  rows: PriceRecord[];
  changed: Set<string>;
  /** Row → the value to show the change against. */
  previous: Map<string, number>;
}

/**
 * The markets shown to one subscriber: one row per market (its changed row, else its newest),
 * the home region's first, then changed before unchanged, then newest, then by market id.
 */
export function marketsFor(
  change: CommodityChange,
  sub: Pick<Subscriber, 'homeRegionId'>,
  catalog: Catalog,
  limit = MARKETS_PER_COMMODITY,
): PriceRecord[] {
  const regionOf = (r: PriceRecord) => catalog.markets.get(r.marketId)?.regionId ?? r.regionId;
  const home = (r: PriceRecord) => (sub.homeRegionId && isWithin(catalog, regionOf(r), sub.homeRegionId) ? 1 : 0);
  const changed = (r: PriceRecord) => (change.changed.has(rowKey(r)) ? 1 : 0);
  const order = (a: PriceRecord, b: PriceRecord) =>
    home(b) - home(a) ||
    changed(b) - changed(a) ||
    b.date.localeCompare(a.date) ||
    a.marketId.localeCompare(b.marketId);
  const seen = new Set<string>();
  return [...change.rows]
    .sort(order)
    .filter((r) => !seen.has(r.marketId) && seen.add(r.marketId))
    .slice(0, limit);
}

/**
 * A change as a sign and amount, written straight after the unit: arrows where the message is
 * UCS-2 anyway (Chinese, Tibetan script); " +0.50", " -0.50", " =" where it is GSM-7 (English,
 * Wylie), since one arrow would make the whole SMS UCS-2 and halve what it holds. Nothing when
 * there is no earlier value to compare with (a market new to the digest).
 */
export function changeMark(now: number, before: number | undefined, plain: boolean): string {
  if (before === undefined) return '';
  if (before === now) return plain ? ' =' : '→';
  const amount = formatFen(Math.abs(now - before));
  return now > before ? `${plain ? ' +' : '↑'}${amount}` : `${plain ? ' -' : '↓'}${amount}`;
}

/**
 * The digest lines for one subscriber: each commodity's first market is one part with its name,
 * later markets optional. Each row carries its price's date (MM-DD): rows of one digest may be
 * from different days.
 */
export function digestLines(changes: readonly CommodityChange[], sub: Subscriber, catalog: Catalog): ReplyLine[] {
  const lang: Language = sub.language;
  const plain = lang === 'en' || (lang === 'bo' && sub.script === 'wylie');
  // Several commodities share one SMS: fewer markets each, so that every commodity is named
  // before any gives way (parts are dropped last first).
  const perCommodity = Math.max(1, Math.floor(MARKETS_PER_COMMODITY / changes.length));
  return changes.flatMap((change, c) => {
    const commodity = catalog.commodities.get(change.commodityId);
    const commodityName = commodity ? smsName(commodity.names, lang) : change.commodityId;
    return marketsFor(change, sub, catalog, perCommodity).map((r, i) => {
      const market = catalog.markets.get(r.marketId);
      const params = {
        commodity: commodityName,
        market: market ? smsName(market.names, lang) : r.marketId,
        price: formatFen(r.priceFen),
        unit: smsUnitName(r.unit, change.commodityId, lang, catalog),
        change: changeMark(r.priceFen, change.previous.get(rowKey(r)), plain),
        // Every price a farmer receives carries its date (MM-DD, as PRICE replies do).
        date: monthDay(r.date),
      };
      // (The first commodity's first market is what the SMS is for; all else may give way.)
      const first = i === 0;
      return {
        key: first ? 'digest.item' : 'digest.row',
        shortKey: first ? 'digest.itemShort' : 'digest.rowShort',
        params,
        ...(c > 0 || !first ? { optional: true } : {}),
      };
    });
  });
}

/** What changed for one commodity since the previous digest, or undefined when nothing did or nobody follows it. */
async function commodityChange(
  deps: DigestDeps,
  commodityId: string,
  day: string,
): Promise<{ change: CommodityChange; state: DigestState } | undefined> {
  const topic = `price:${commodityId}`;
  const anyone = await deps.alerts.subscribersOf(topic, { limit: 1 });
  if (anyone.items.length === 0) return undefined;
  const [rows, stored] = await Promise.all([
    deps.prices.latestForCommodity(commodityId, LATEST_ROWS_PER_COMMODITY),
    deps.alerts.getDigestState(topic),
  ]);
  const approved = rows.filter((r) => r.status === 'approved' && r.commodityId === commodityId);
  // A rerun on the same day compares with what the day's first run compared with.
  const baseline = stored ? (stored.day === day ? stored.baseline : stored.current) : {};
  const changed = new Set(approved.filter((r) => baseline[rowKey(r)]?.priceFen !== r.priceFen).map(rowKey));
  if (changed.size === 0) return undefined;
  const previous = new Map<string, number>();
  await Promise.all(
    approved.map(async (r) => {
      const before = baseline[rowKey(r)]?.priceFen ?? (await deps.prices.previousBefore(r, r.date))?.priceFen;
      if (before !== undefined) previous.set(rowKey(r), before);
    }),
  );
  const current = Object.fromEntries(approved.map((r) => [rowKey(r), { priceFen: r.priceFen, date: r.date }]));
  return { change: { commodityId, rows: approved, changed, previous }, state: { day, baseline, current } };
}

/**
 * Runs the digest of the Asia/Shanghai day of `deps.now()`. Throws after finishing the rest
 * when any SMS could not be handed over (so the scheduler retries; the markers make the retry
 * send only what is missing); the baselines move on only after a run without failures.
 */
export async function runPriceDigest(deps: DigestDeps): Promise<DigestReport> {
  const day = shanghaiDay(deps.now());
  const catalog = await deps.catalog();
  const changes: CommodityChange[] = [];
  const states = new Map<string, DigestState>();
  for (const commodityId of [...catalog.commodities.keys()].sort()) {
    const found = await commodityChange(deps, commodityId, day);
    if (!found) continue;
    changes.push(found.change);
    states.set(`price:${commodityId}`, found.state);
  }

  // Phone → the changed commodities it follows, in commodity order.
  const byPhone = new Map<string, CommodityChange[]>();
  for (const change of changes) {
    let cursor: string | undefined;
    do {
      const page = await deps.alerts.subscribersOf(`price:${change.commodityId}`, {
        limit: SUBSCRIBER_PAGE,
        ...(cursor ? { cursor } : {}),
      });
      for (const phone of page.items) byPhone.set(phone, [...(byPhone.get(phone) ?? []), change]);
      cursor = page.cursor;
    } while (cursor);
  }

  const report: DigestReport = {
    day,
    changed: changes.map((c) => c.commodityId),
    sent: 0,
    blocked: 0,
    skipped: 0,
    failed: 0,
  };
  await mapLimited([...byPhone.keys()].sort(), CONCURRENCY, async (phone) => {
    const sub = await deps.subscribers.get(phone);
    // The index may lag the profile (a crash between writes): the profile decides.
    const followed = sub ? byPhone.get(phone)!.filter((c) => sub.topics.includes(`price:${c.commodityId}`)) : [];
    if (!sub || sub.optedOut || followed.length === 0 || !(await deps.alerts.claimDigest(day, phone, deps.now()))) {
      report.skipped++;
      return;
    }
    try {
      const handed = await deps.messenger.sendLines({
        to: phone,
        lines: digestLines(followed, sub, catalog),
        essential: false,
        footer: true,
        idempotencyKey: `price-digest:${day}:${phone}`,
        maxSegments: sub.language === 'bo' ? 2 : 1,
      });
      if (handed.status === 'blocked') report.blocked++;
      else report.sent++;
    } catch (err) {
      report.failed++;
      deps.log({ level: 'error', msg: 'price digest SMS not handed over', day, error: (err as Error).message });
      await deps.alerts.releaseDigest(day, phone).catch(() => {});
    }
  });
  if (report.failed)
    throw new Error(`price digest ${day}: ${report.failed} SMS could not be handed over; a rerun sends only those`);
  for (const [topic, state] of states) await deps.alerts.saveDigestState(topic, state);
  deps.log({ level: 'info', msg: 'price digest done', ...report });
  return report;
}

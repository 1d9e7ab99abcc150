/**
 * What the line says after a menu: a commodity's prices, the area's alerts, the month's tips.
 * Each is read once and turned into both the clips that speak it and the SMS lines key 8
 * sends — the same keys and parameters the PRICE, ALERTS and TIP replies use — so that the
 * SMS says what the caller heard.
 */
import { shanghaiDay } from '../dates.ts';
import type { KnowledgeStore } from '../knowledge/ports.ts';
import { alertLines, bareText, bySeverity, pathOf, textFor } from '../knowledge/reading.ts';
import { rankTips } from '../knowledge/tip.ts';
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord, type PriceRepository } from '../prices/ports.ts';
import { isStale } from '../prices/stale.ts';
import { type Catalog, isWithin } from '../reference/catalog.ts';
import type { ReplyLine } from '../sms/messages.ts';
import { priceLines } from '../sms/price-reply.ts';
import { smsName } from '../sms/sms-names.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import type { ClipId, VoiceLanguage } from './call.ts';
import { type ClipContext, canPlay } from './clips.ts';
import { alertClips, priceRowClips } from './speech/phrases.ts';

/** What a content node says: its clips, the SMS lines of the same, and item texts to speak from. */
export interface Spoken {
  what: string;
  clips: ClipId[];
  lines: Array<ReplyLine & { optional?: boolean; shortKey?: string }>;
  maxSegments: number;
}

/** Tibetan takes two SMS parts for what Chinese says in one (as the SMS replies). */
const segmentsFor = (lang: VoiceLanguage) => (lang === 'bo' ? 2 : 1);

/** Tips spoken in one go: more is a library, not a phone call. */
export const TIPS_SPOKEN = 3;
/** Alerts spoken in one go (severest first). */
export const ALERTS_SPOKEN = 3;

const marketRegion = (r: PriceRecord, catalog: Catalog) => catalog.markets.get(r.marketId)?.regionId ?? r.regionId;

/**
 * Up to `count` markets nearest the home: those in the home county, then in its prefecture,
 * then anywhere; the newest price first within each; one row per market.
 */
export function nearestMarkets(
  records: readonly PriceRecord[],
  commodityId: string,
  homePath: readonly string[],
  catalog: Catalog,
  count: number,
): PriceRecord[] {
  const tier = (r: PriceRecord) => {
    const region = marketRegion(r, catalog);
    const i = homePath.findIndex((id) => isWithin(catalog, region, id));
    return i < 0 ? homePath.length : i;
  };
  const ranked = records
    .filter((r) => r.status === 'approved' && r.commodityId === commodityId)
    .map((r) => ({ r, tier: tier(r) }))
    .sort((a, b) => a.tier - b.tier || b.r.date.localeCompare(a.r.date) || a.r.marketId.localeCompare(b.r.marketId));
  const seen = new Set<string>();
  return ranked
    .map((x) => x.r)
    .filter((r) => !seen.has(r.marketId) && seen.add(r.marketId))
    .slice(0, count);
}

export async function pricesSpoken(
  deps: { prices: Pick<PriceRepository, 'latestForCommodity'> },
  input: {
    lang: VoiceLanguage;
    commodityId: string;
    homeRegionId?: string;
    markets: number;
    catalog: Catalog;
    now: Date;
  },
): Promise<Spoken> {
  const { lang, commodityId, catalog } = input;
  const today = shanghaiDay(input.now);
  const records = await deps.prices.latestForCommodity(commodityId, LATEST_ROWS_PER_COMMODITY);
  const shown = nearestMarkets(records, commodityId, pathOf(catalog, input.homeRegionId), catalog, input.markets);
  const commodity = catalog.commodities.get(commodityId);
  const name = commodity ? smsName(commodity.names, lang) : commodityId;
  const head: ClipId[] = ['say.priceOf', `commodity.${commodityId}`];
  if (shown.length === 0)
    return {
      what: `prices:${commodityId}`,
      clips: [...head, 'say.noPrice'],
      lines: [{ key: 'price.none', params: { commodity: name } }],
      maxSegments: segmentsFor(lang),
    };
  const rows = shown.flatMap((r) =>
    priceRowClips(
      lang,
      {
        marketId: r.marketId,
        priceFen: r.priceFen,
        unitId: r.unit,
        date: r.date,
        old: isStale(r.date, today, commodity),
      },
      today,
    ),
  );
  return {
    what: `prices:${commodityId}`,
    clips: [...head, ...rows],
    lines: priceLines(name, shown, lang, catalog, today),
    maxSegments: segmentsFor(lang),
  };
}

export async function alertsSpoken(
  deps: { library: Pick<KnowledgeStore, 'currentAlerts'> },
  input: { lang: VoiceLanguage; homeRegionId?: string; catalog: Catalog; clips: ClipContext; now: Date },
): Promise<Spoken> {
  const { lang } = input;
  const home = pathOf(input.catalog, input.homeRegionId);
  if (home.length === 0)
    return { what: 'alerts', clips: ['say.noHome'], lines: [{ key: 'alerts.noHome' }], maxSegments: 1 };
  const at = input.now.toISOString();
  const current = (await deps.library.currentAlerts([...home, ALL_REGIONS], input.now))
    .filter((a) => a.content.fields.kind === 'alert' && a.content.fields.expires > at)
    .sort(bySeverity);
  if (current.length === 0)
    return { what: 'alerts', clips: ['say.noAlerts'], lines: [{ key: 'alerts.none' }], maxSegments: 1 };
  let missing = false;
  const clips = current.slice(0, ALERTS_SPOKEN).flatMap((a) => {
    const f = a.content.fields;
    if (f.kind !== 'alert') return [];
    const item = `item.${a.id}.${a.version}`;
    input.clips.items.set(`${a.id}.${a.version}`, {
      bo: a.content.versions.bo?.summary,
      zh: a.content.versions.zh?.summary,
    });
    const playable = canPlay(input.clips, lang, item);
    if (!playable) missing = true;
    return alertClips(lang, {
      kind: f.alertKind,
      severity: f.severity,
      regionIds: a.content.regions,
      ...(playable ? { itemClip: item } : {}),
    });
  });
  return {
    what: 'alerts',
    clips: missing ? [...clips, 'say.missing'] : clips,
    lines: alertLines(current, lang),
    maxSegments: 2,
  };
}

/** The month (1…12) of an instant in Asia/Shanghai. */
const monthOf = (now: Date) => Number(shanghaiDay(now).slice(5, 7));

export async function tipsSpoken(
  deps: { library: Pick<KnowledgeStore, 'tipEntries'> },
  input: {
    lang: VoiceLanguage;
    commodityId: string;
    homeRegionId?: string;
    catalog: Catalog;
    clips: ClipContext;
    now: Date;
  },
): Promise<Spoken> {
  const { lang, commodityId, catalog } = input;
  const month = monthOf(input.now);
  const home = pathOf(catalog, input.homeRegionId).slice(0, 2);
  const ranked = rankTips(await deps.library.tipEntries(commodityId, month), home, month).filter(
    (e) => textFor(e.summaries, lang) !== undefined,
  );
  const commodity = catalog.commodities.get(commodityId);
  const name = commodity ? smsName(commodity.names, lang) : commodityId;
  if (ranked.length === 0)
    return {
      what: `tips:${commodityId}`,
      clips: ['say.noTips'],
      lines: [{ key: 'tip.noneAtAll', params: { commodity: name } }],
      maxSegments: segmentsFor(lang),
    };
  const spoken = ranked.slice(0, TIPS_SPOKEN);
  for (const e of spoken)
    input.clips.items.set(`${e.guideId}.${e.version}`, { bo: e.summaries.bo, zh: e.summaries.zh });
  return {
    what: `tips:${commodityId}:${spoken.length}`,
    clips: ['say.tipIntro', `commodity.${commodityId}`, ...spoken.map((e) => `item.${e.guideId}.${e.version}`)],
    lines: spoken.map((e, i) => ({
      key: 'tip.reply',
      params: { summary: bareText(textFor(e.summaries, lang)!) },
      ...(i > 0 ? { optional: true } : {}),
    })),
    maxSegments: segmentsFor(lang),
  };
}

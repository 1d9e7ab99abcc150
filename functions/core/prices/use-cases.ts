/**
 * Price collection and review (issue 4): a collector's entry waits for a reviewer of the
 * market's region; a reviewer's or admin's own entry is approved at once, unless it looks
 * absurd (over 10× the item's recent median, or under a tenth of it), in which case it is held
 * for review too.
 */

import { isCalendarDate, shanghaiDay } from '../dates.ts';
import { AppError, type ErrorDetail, notFound } from '../errors.ts';
import { mapLimited } from '../limited.ts';
import type { Page, PageRequest } from '../paging.ts';
import { type Catalog, isWithin, nameIn, regionsUnder } from '../reference/catalog.ts';
import type { Commodity, Market } from '../reference/schemas.ts';
import type { Messenger } from '../sms/ports.ts';
import { auditEntry } from '../staff/audit.ts';
import { type Acting, type GuardDeps, guard } from '../staff/guard.ts';
import type { AuditLog } from '../staff/ports.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import { absurdHoldReason } from './absurd.ts';
import { parseFen } from './money.ts';
import {
  checkObservationDate,
  EARLIEST_DATE,
  type ObservationIdentityFields,
  observationIdentity,
  type PriceKind,
  priceKinds,
} from './observation.ts';
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord, type PriceRepository } from './ports.ts';
import { rejectionSms } from './rejection-sms.ts';
import { isStale } from './stale.ts';
import { acceptedUnits, resolveUnit } from './vocabulary.ts';

export interface PriceDeps extends GuardDeps {
  prices: PriceRepository;
  catalog: () => Promise<Catalog>;
  audit: AuditLog;
}

/** How many recent approved values the median is taken over. */
export const MEDIAN_WINDOW = 10;

export interface PriceInput {
  commodity: string;
  market: string;
  date: string;
  price: string;
  unit: string;
  grade?: string | undefined;
  kind?: PriceKind | undefined;
}

const invalid = (details: ErrorDetail[]) => new AppError('validation_failed', {}, details);

/** A detail shown in the reader's language (`errors:price.*`), with its English text for logs and old clients. */
const detail = (
  path: string,
  key: string,
  message: string,
  params: Record<string, string | number> = {},
): ErrorDetail => ({
  path,
  message,
  key: `errors:price.${key}`,
  params,
});

type Kind = 'commodity' | 'market';

/** How a suggested item is named in an error: every script, then the id a form or CSV can use. */
const label = (item: { id: string; names: Commodity['names'] }) =>
  `${item.names.bo} / ${nameIn(item.names, 'zh')} / ${item.names.en} (${item.id})`;

/** A commodity or market by id or any of its names; unknown or ambiguous → 400 with the closest names. */
export function resolve(catalog: Catalog, kind: 'commodity', text: string): Commodity;
export function resolve(catalog: Catalog, kind: 'market', text: string): Market;
export function resolve(catalog: Catalog, kind: Kind, text: string): Commodity | Market {
  const byId = kind === 'commodity' ? catalog.commodities.get(text) : catalog.markets.get(text);
  if (byId) return byId;
  const hits = catalog.matcher.match(text, { kinds: [kind] });
  const ids = [...new Set(hits.map((h) => h.item.id))];
  if (ids.length === 1) return hits[0]!.item as Commodity | Market;
  if (ids.length > 1) {
    const names = ids.map((id) => label(hits.find((h) => h.item.id === id)!.item as Commodity)).join('; ');
    throw invalid([detail(kind, `ambiguous_${kind}`, `“${text}” names several: ${names}`, { text, names })]);
  }
  const suggestions = catalog.matcher.suggest(text, { kinds: [kind], limit: 5 });
  const names = [...new Map(suggestions.map((s) => [s.item.id, label(s.item as Commodity)])).values()].join('; ');
  throw invalid([
    names
      ? detail(kind, `unknown_${kind}_suggest`, `Unknown ${kind} “${text}”; did you mean: ${names}`, { text, names })
      : detail(kind, `unknown_${kind}`, `Unknown ${kind} “${text}”`, { text }),
  ]);
}

const dateMessages = {
  invalid_date: 'Expected a calendar date YYYY-MM-DD',
  in_future: 'The date is in the future',
  before_2000: 'The date is before 2000-01-01',
} as const;
const moneyMessages = {
  not_a_number: 'Not a price: write it like 4.50',
  zero_or_negative: 'The price must be more than zero',
  too_many_decimals: 'At most two decimals (fen)',
  too_large: 'The price is too large',
} as const;

/**
 * Dates taken as query bounds (`from`, `to`): each must be a real calendar day (2026-13-01 and
 * 2026-02-30 are not), else a 400 naming each bad one in the reader's language. The same check
 * (`isCalendarDate`) as an observation's date, a bulletin's date and a CSV cell's.
 */
export function checkCalendarDates(dates: Record<string, string | undefined>): void {
  const problems = Object.entries(dates).flatMap(([path, value]) =>
    value !== undefined && !isCalendarDate(value)
      ? [detail(path, 'date_invalid_date', `${dateMessages.invalid_date} (${value})`, { value })]
      : [],
  );
  if (problems.length) throw invalid(problems);
}

/** The region whose staff decide a market's prices; a market in no listed region is for all-region staff only. */
export const regionOfMarket = (market: Pick<Market, 'regionId'>) => market.regionId ?? ALL_REGIONS;

/**
 * Checks and stores one observation. Collectors' entries are pending; reviewers' and admins'
 * are approved at once unless held as absurd. Throws validation_failed listing every bad field.
 */
export async function submitPrice(
  deps: PriceDeps,
  acting: Acting,
  input: PriceInput,
  source = 'api',
): Promise<PriceRecord> {
  const catalog = await deps.catalog();
  const problems: ErrorDetail[] = [];
  const attempt = <T>(fn: () => T): T | undefined => {
    try {
      return fn();
    } catch (err) {
      if (err instanceof AppError && err.code === 'validation_failed') problems.push(...err.details);
      else throw err;
      return undefined;
    }
  };
  const commodity = attempt(() => resolve(catalog, 'commodity', input.commodity));
  const market = attempt(() => resolve(catalog, 'market', input.market));
  const today = shanghaiDay(deps.now());
  const date = checkObservationDate(input.date, today);
  if (!date.ok) {
    problems.push(
      detail(
        'date',
        `date_${date.reason}`,
        `${dateMessages[date.reason]} (${input.date}; allowed 2000-01-01 … ${today})`,
        { value: input.date, earliest: EARLIEST_DATE, today },
      ),
    );
  }
  const money = parseFen(input.price);
  if (!money.ok)
    problems.push(detail('price', `price_${money.reason}`, moneyMessages[money.reason], { value: input.price }));
  // Any name of a unit (斤, 公斤, རྒྱ་མ, catty…) is stored as its id.
  const unit = resolveUnit(input.unit, catalog.units);
  if (!unit) {
    const allowed = acceptedUnits(catalog.units);
    problems.push(
      detail('unit', 'unit_unknown', `Unknown unit “${input.unit}”; one of ${allowed}`, { value: input.unit, allowed }),
    );
  }
  if (input.kind !== undefined && !priceKinds.includes(input.kind)) {
    problems.push(
      detail('kind', 'kind_unknown', `One of ${priceKinds.join(', ')}`, {
        value: input.kind,
        allowed: priceKinds.join(', '),
      }),
    );
  }
  if (problems.length || !commodity || !market || !money.ok || !unit) throw invalid(problems);

  const regionId = regionOfMarket(market);
  const reviewer = await deps.authz.can(acting.actor, 'price.review', regionId);
  if (!reviewer) await guard(deps, acting, 'price.submit', [regionId]);

  const grade = input.grade?.trim() || undefined;
  const kind = input.kind ?? 'retail';
  const recent = await deps.prices.history(
    commodity.id,
    market.id,
    { kind, unit, ...(grade ? { grade } : {}) },
    { limit: MEDIAN_WINDOW, newestFirst: true, to: input.date },
  );
  const holdReason = await absurdHoldReason({
    priceFen: money.fen,
    unit,
    own: recent.items.map((r) => r.priceFen),
    commodityLatest: () => deps.prices.latestForCommodity(commodity.id, LATEST_ROWS_PER_COMMODITY),
    units: catalog.units,
  });
  const submission = {
    commodityId: commodity.id,
    marketId: market.id,
    date: input.date,
    priceFen: money.fen,
    unit,
    ...(grade ? { grade } : {}),
    kind,
    source,
    collector: acting.actor.phone,
    regionId,
    submittedAt: deps.now().toISOString(),
    ...(holdReason ? { holdReason } : {}),
  };
  if (reviewer && !holdReason) return deps.prices.enterApproved(submission, acting.actor.phone);
  // A reviewer's held correction of an approved price waits for a second look; the approved
  // value stays public meanwhile (as a CSV import does). A collector cannot change an approved one.
  return deps.prices.submit(submission, { overApproved: reviewer });
}

/** The identity fields back from the string `observationIdentity` makes; undefined when malformed. */
export function parseIdentity(text: string): ObservationIdentityFields | undefined {
  const parts = text.split('|');
  if (parts.length !== 6) return undefined;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [commodityId, marketId, date, kind, grade, unit] = decoded as [string, string, string, string, string, string];
  if (!priceKinds.includes(kind as PriceKind)) return undefined;
  return { commodityId, marketId, date, kind: kind as PriceKind, unit, ...(grade ? { grade } : {}) };
}

/**
 * The submission a reviewer decides. Staff who review nowhere are refused (403) before anything
 * is read. A submission in a region the reviewer does not hold answers exactly as one that does
 * not exist (404 not_found), so that nobody learns from the answer which entries exist
 * elsewhere; the attempt is still written to the audit log as refused.
 */
async function pendingFor(deps: PriceDeps, acting: Acting, identityText: string) {
  if (!(await deps.authz.can(acting.actor, 'price.review'))) await guard(deps, acting, 'price.review');
  const identity = parseIdentity(identityText);
  const record = identity && (await deps.prices.getSubmission(identity));
  if (!identity || !record) throw notFound('price', identityText);
  try {
    await guard(deps, acting, 'price.review', [record.regionId]);
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden') throw notFound('price', identityText);
    throw err;
  }
  return { identity, record };
}

async function logDecision(
  deps: PriceDeps,
  acting: Acting,
  action: string,
  record: PriceRecord,
  detail: Record<string, string | number>,
) {
  await deps.audit.record(
    auditEntry(
      {
        actor: acting.actor.phone,
        action,
        target: observationIdentity(record),
        regions: [record.regionId],
        outcome: 'ok',
        detail,
        ...(acting.requestId ? { requestId: acting.requestId } : {}),
      },
      deps.now(),
    ),
  );
}

/** A reviewer of the market's region approves a pending submission (at the version seen, if given). */
export async function approvePrice(
  deps: PriceDeps,
  acting: Acting,
  identityText: string,
  version?: number,
): Promise<PriceRecord> {
  const { identity, record } = await pendingFor(deps, acting, identityText);
  const approved = await deps.prices.approve(
    identity,
    version ?? record.version,
    acting.actor.phone,
    deps.now().toISOString(),
  );
  await logDecision(deps, acting, 'price.approve', approved, { priceFen: approved.priceFen });
  return approved;
}

/**
 * A reviewer rejects a pending submission; the reason is required and kept, and the collector
 * is told by SMS (`rejectionSms`; not when they rejected their own entry). The same rejection
 * again (same reviewer and reason, at the version it decided) is a retry: answered as the first
 * was, nothing written twice, and the SMS made sure of without a second one being sent.
 */
export async function rejectPrice(
  deps: PriceDeps & { messenger: Pick<Messenger, 'send'> },
  acting: Acting,
  identityText: string,
  reason: string,
  version?: number,
): Promise<PriceRecord> {
  const why = reason.trim();
  if (!why) throw invalid([detail('reason', 'reason_required', 'A reason is required')]);
  const { identity, record } = await pendingFor(deps, acting, identityText);
  const retry =
    record.status === 'rejected' &&
    record.reviewedBy === acting.actor.phone &&
    record.rejectReason === why &&
    (version === undefined || version === record.version - 1);
  let rejected = record;
  if (!retry) {
    rejected = await deps.prices.reject(
      identity,
      version ?? record.version,
      acting.actor.phone,
      why,
      deps.now().toISOString(),
    );
    await logDecision(deps, acting, 'price.reject', rejected, { reason: why });
  }
  if (rejected.collector !== acting.actor.phone)
    await deps.messenger.send(rejectionSms(rejected, await deps.catalog(), shanghaiDay(deps.now())));
  return rejected;
}

/** Where a page of a review queue ends: the last entry's submission time and identity, opaque to clients. */
function queuePosition(cursor: string | undefined): { submittedAt: string; identity: string } | undefined {
  if (cursor === undefined) return undefined;
  try {
    const [submittedAt, identity] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof submittedAt === 'string' && typeof identity === 'string' && parseIdentity(identity))
      return { submittedAt, identity };
  } catch {
    // falls through: not one of ours
  }
  throw new AppError('invalid_cursor');
}

/**
 * Pending submissions of a region and the regions under it (reviewers of that region), oldest
 * first, paged: one Query per region from the same position, merged, the first `limit` kept;
 * the cursor is the last one shown, so the next page starts after it in every region.
 */
export async function pendingPrices(
  deps: PriceDeps,
  acting: Acting,
  regionId: string,
  page: PageRequest,
): Promise<Page<PriceRecord>> {
  await guard(deps, acting, 'price.review', [regionId]);
  const catalog = await deps.catalog();
  const regions = regionId === ALL_REGIONS ? [ALL_REGIONS, ...catalog.regions.keys()] : regionsUnder(catalog, regionId);
  const after = queuePosition(page.cursor);
  // Every region's queue (83 for a reviewer of all regions), a few at a time rather than all at once.
  const pages = await mapLimited(regions, 8, (r) => deps.prices.pendingInRegion(r, { limit: page.limit }, after));
  const keyOf = (r: PriceRecord) => `${r.submittedAt}#${observationIdentity(r)}`;
  const all = pages.flatMap((p) => p.items).sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : keyOf(a) > keyOf(b) ? 1 : 0));
  const items = all.slice(0, page.limit);
  const more = all.length > page.limit || pages.some((p) => p.cursor !== undefined);
  const last = items.at(-1);
  const cursor =
    more && last
      ? Buffer.from(JSON.stringify([last.submittedAt, observationIdentity(last)])).toString('base64url')
      : undefined;
  return { items, ...(cursor ? { cursor } : {}) };
}

export interface HistoryFilters {
  commodity: string;
  market: string;
  from?: string | undefined;
  to?: string | undefined;
  unit?: string | undefined;
  kind?: PriceKind | undefined;
  grade?: string | undefined;
}

/**
 * The approved history of one item at one market, page by page: names resolved (400 with the
 * closest names), the item defaulted (the commodity's usual unit, retail), the range checked.
 * What GET /prices and GET /prices.csv both read.
 */
export async function historyReader(deps: Pick<PriceDeps, 'catalog' | 'prices'>, filters: HistoryFilters) {
  const catalog = await deps.catalog();
  const commodity = resolve(catalog, 'commodity', filters.commodity);
  const market = resolve(catalog, 'market', filters.market);
  checkCalendarDates({ from: filters.from, to: filters.to });
  if (filters.from && filters.to && filters.from > filters.to)
    throw invalid([detail('from', 'range_reversed', 'from is after to', { from: filters.from, to: filters.to })]);
  const item = {
    unit: filters.unit ?? commodity.defaultUnit,
    kind: filters.kind ?? 'retail',
    ...(filters.grade ? { grade: filters.grade } : {}),
  };
  const range = { ...(filters.from ? { from: filters.from } : {}), ...(filters.to ? { to: filters.to } : {}) };
  return {
    commodity,
    market,
    page: (page: PageRequest) => deps.prices.history(commodity.id, market.id, item, { ...page, ...range }),
  };
}

/** The latest approved prices of a commodity, optionally only at markets in a region (or under it). */
export async function latestPrices(deps: PriceDeps, commodityText: string, regionId?: string) {
  const catalog = await deps.catalog();
  const commodity = resolve(catalog, 'commodity', commodityText);
  const rows = await deps.prices.latestForCommodity(commodity.id, LATEST_ROWS_PER_COMMODITY);
  const today = shanghaiDay(deps.now());
  // A price of a market in no listed region belongs to no region's list.
  const kept = rows.filter((r) => !regionId || (r.regionId !== ALL_REGIONS && isWithin(catalog, r.regionId, regionId)));
  return {
    commodity,
    items: kept.map((r) => ({
      record: r,
      market: catalog.markets.get(r.marketId),
      stale: isStale(r.date, today, commodity),
    })),
  };
}

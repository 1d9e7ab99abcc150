/**
 * Submitting a price: a collector's entry waits for a reviewer of the market's region; a
 * reviewer's or admin's own entry is approved at once, unless it looks absurd (over 10× the
 * item's recent median, or under a tenth of it), in which case it is held for review too.
 */
import { shanghaiDay } from '../dates.ts';
import { AppError, type ErrorDetail, priceDetail, validationFailed } from '../errors.ts';
import { resolve } from '../reference/resolve.ts';
import type { Market } from '../reference/schemas.ts';
import { type Acting, guard } from '../staff/guard.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import { absurdHoldReason } from './absurd.ts';
import type { PriceDeps } from './deps.ts';
import { parseFen } from './money.ts';
import { checkObservationDate, EARLIEST_DATE, type PriceKind, priceKinds } from './observation.ts';
import { LATEST_ROWS_PER_COMMODITY, type PriceRecord } from './ports.ts';
import { dateMessages } from './problems.ts';
import { acceptedUnits, resolveUnit } from './vocabulary.ts';

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

const moneyMessages = {
  not_a_number: 'Not a price: write it like 4.50',
  zero_or_negative: 'The price must be more than zero',
  too_many_decimals: 'At most two decimals (fen)',
  too_large: 'The price is too large',
} as const;

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
      priceDetail(
        'date',
        `date_${date.reason}`,
        `${dateMessages[date.reason]} (${input.date}; allowed 2000-01-01 … ${today})`,
        { value: input.date, earliest: EARLIEST_DATE, today },
      ),
    );
  }
  const money = parseFen(input.price);
  if (!money.ok)
    problems.push(priceDetail('price', `price_${money.reason}`, moneyMessages[money.reason], { value: input.price }));
  // Any name of a unit (斤, 公斤, རྒྱ་མ, catty…) is stored as its id.
  const unit = resolveUnit(input.unit, catalog.units);
  if (!unit) {
    const allowed = acceptedUnits(catalog.units);
    problems.push(
      priceDetail('unit', 'unit_unknown', `Unknown unit “${input.unit}”; one of ${allowed}`, {
        value: input.unit,
        allowed,
      }),
    );
  }
  if (input.kind !== undefined && !priceKinds.includes(input.kind)) {
    problems.push(
      priceDetail('kind', 'kind_unknown', `One of ${priceKinds.join(', ')}`, {
        value: input.kind,
        allowed: priceKinds.join(', '),
      }),
    );
  }
  if (problems.length || !commodity || !market || !money.ok || !unit) throw validationFailed(problems);

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

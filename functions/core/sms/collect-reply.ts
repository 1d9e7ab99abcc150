/**
 * The answer to P (a staff price report by SMS): who may report is decided by the same
 * `guard`/`can` as the API (a refusal is audit-logged), the observation goes through
 * `submitPrice` with source 'sms', and the reply says what became of it — waiting for review,
 * published, or held — in the sender's language, in one SMS (Chinese, English) or two (Tibetan).
 * A redelivered SMS never reaches here twice (the inbound claim); a resubmission of the same
 * observation replaces the pending value (the repository's identity rule).
 */

import { monthDay, shanghaiDay } from '../dates.ts';
import { AppError } from '../errors.ts';
import type { PriceDeps } from '../prices/deps.ts';
import { formatFen } from '../prices/money.ts';
import { checkObservationDate } from '../prices/observation.ts';
import { submitPrice } from '../prices/submit.ts';
import { resolveUnit } from '../prices/vocabulary.ts';
import { type Catalog, isWithin } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import { type Acting, guard } from '../staff/guard.ts';
import type { StaffRepository } from '../staff/ports.ts';
import { actorFrom } from '../staff/roles.ts';
import type { ReplyLine } from './messages.ts';
import { smsName, smsUnitName } from './sms-names.ts';
import { listNames } from './sms-text.ts';

/**
 * P <commodity> <market> <price> [unit] [kind] [date]: a staff member's price report by SMS, as
 * read (commands/collect.ts). Unit and date are as typed (resolved against the catalog and today here).
 */
export interface CollectCommand {
  intent: 'collect';
  commodityId: string;
  /** The market, or a region whose market is picked here (P 青稞 拉萨 …: one market there, else "which one"). */
  marketId?: string;
  regionId?: string;
  /** ASCII digits, e.g. "4.50". */
  price: string;
  /** A unit word as typed (斤, jin, kg, རྒྱ་མ…); absent: the commodity's default unit. */
  unit?: string;
  kind?: 'wholesale' | 'retail' | 'farm_gate';
  /** MM-DD or YYYY-MM-DD (zero-padded); absent: today in Asia/Shanghai. */
  date?: string;
}

export interface CollectDeps extends PriceDeps {
  staff: Pick<StaffRepository, 'get'>;
  adminPhones: readonly string[];
}

export interface CollectReply {
  lines: ReplyLine[];
  maxSegments: number;
}

/** A unit word as typed → one of the units prices are kept in (斤, jin, 公斤, kg, རྒྱ་མ…): the resolver every way in shares. */
export function unitOf(text: string, catalog: Catalog): string | undefined {
  return resolveUnit(text, catalog.units);
}

/**
 * The business date of a report: today (Asia/Shanghai) when none is given; MM-DD in the
 * current year, or the year before when that day has not come yet (a collector sending
 * "12-30" on 2 January means last week, not next December).
 */
export function reportDate(date: string | undefined, today: string): string {
  if (!date) return today;
  if (date.length === 10) return date;
  const thisYear = `${today.slice(0, 4)}-${date}`;
  return thisYear <= today ? thisYear : `${Number(today.slice(0, 4)) - 1}-${date}`;
}

export async function answerCollect(
  deps: CollectDeps | undefined,
  command: CollectCommand,
  from: string,
  lang: Language,
  catalog: Catalog,
  messageId: string,
): Promise<CollectReply> {
  const reply = (key: string, params: Record<string, string | number> = {}): CollectReply => ({
    lines: [{ key, params }],
    maxSegments: lang === 'bo' ? 2 : 1,
  });
  if (!deps) return reply('collect.notAllowed');

  // Anyone may text P; only staff who collect or review somewhere get further. A phone that is
  // not staff acts with no grants, so that the guard writes its attempt to the audit log too.
  const actor = actorFrom(from, await deps.staff.get(from), deps.adminPhones) ?? {
    phone: from,
    grants: [],
    configAdmin: false,
  };
  const acting: Acting = { actor, requestId: messageId, target: 'SMS P' };
  try {
    if (!(await deps.authz.can(actor, 'price.review')) && !(await deps.authz.can(actor, 'price.submit')))
      await guard(deps, acting, 'price.submit');
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden') return reply('collect.notAllowed');
    throw err;
  }

  const commodity = catalog.commodities.get(command.commodityId)!;
  let marketId = command.marketId;
  if (!marketId) {
    const inRegion = [...catalog.markets.values()].filter((m) => isWithin(catalog, m.regionId, command.regionId!));
    const region = catalog.regions.get(command.regionId!);
    const regionName = region ? smsName(region.names, lang) : command.regionId!;
    if (inRegion.length === 0) return reply('collect.market.notFound', { text: regionName });
    if (inRegion.length > 1) {
      const names = inRegion.slice(0, 3).map((m) => smsName(m.names, lang));
      return reply('collect.market.which', { text: regionName, suggestions: listNames(lang, names) });
    }
    marketId = inRegion[0]!.id;
  }
  const market = catalog.markets.get(marketId)!;

  const unit = command.unit ? unitOf(command.unit, catalog) : commodity.defaultUnit;
  if (!unit) return reply('collect.unit.unknown', { text: command.unit! });
  const today = shanghaiDay(deps.now());
  const date = reportDate(command.date, today);
  const dateCheck = checkObservationDate(date, today);
  if (!dateCheck.ok)
    return reply(dateCheck.reason === 'in_future' ? 'collect.date.future' : 'collect.date.bad', {
      text: command.date ?? date,
    });

  let record: Awaited<ReturnType<typeof submitPrice>>;
  try {
    record = await submitPrice(
      deps,
      acting,
      {
        commodity: commodity.id,
        market: market.id,
        date,
        price: command.price,
        unit,
        ...(command.kind ? { kind: command.kind } : {}),
      },
      'sms',
    );
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'forbidden') return reply('collect.notAllowed');
    // An approved value is corrected by a reviewer, not replaced by a collector's report.
    if (err.code === 'conflict') return reply('collect.alreadyApproved');
    if (err.code === 'validation_failed') return reply('collect.usage');
    throw err;
  }
  const params = {
    commodity: smsName(commodity.names, lang),
    market: smsName(market.names, lang),
    price: formatFen(record.priceFen),
    unit: smsUnitName(record.unit, commodity.id, lang, catalog),
    date: monthDay(record.date),
  };
  if (record.status === 'approved') return reply('collect.approved', params);
  return reply(record.holdReason ? 'collect.held' : 'collect.pending', params);
}

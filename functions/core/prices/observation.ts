import { isCalendarDate } from '../dates.ts';
import { normaliseText } from '../text/normalise.ts';
import * as z from '../zod.ts';
import { formatFen, MAX_PRICE_FEN } from './money.ts';

/** The earliest business date an observation may carry. */
export const EARLIEST_DATE = '2000-01-01';

export const priceKinds = ['wholesale', 'retail', 'farm_gate'] as const;
export const priceKindSchema = z.enum(priceKinds);
export type PriceKind = z.infer<typeof priceKindSchema>;

export const observationStatuses = ['pending', 'approved', 'rejected'] as const;
export const observationStatusSchema = z.enum(observationStatuses);
export type ObservationStatus = z.infer<typeof observationStatusSchema>;

const id = (description: string) =>
  z
    .string()
    .check(z.regex(/^[a-z0-9_]+$/))
    .register(z.globalRegistry, { description });

export const businessDateSchema = z
  .string()
  .check(z.refine(isCalendarDate, { message: 'Expected a calendar date YYYY-MM-DD' }))
  .register(z.globalRegistry, { description: 'Business date (Asia/Shanghai calendar day), YYYY-MM-DD' });

export const priceObservationSchema = z.object({
  commodityId: id('Commodity id'),
  marketId: id('Market id'),
  date: businessDateSchema,
  priceFen: z
    .number()
    .check(z.int(), z.positive(), z.maximum(MAX_PRICE_FEN))
    .register(z.globalRegistry, { description: 'Price per unit in integer fen (CNY)' }),
  unit: id('Unit id, as entered'),
  grade: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(60))),
  kind: z._default(priceKindSchema, 'retail'),
  source: z.string().check(z.trim(), z.minLength(1), z.maxLength(200)),
  collector: z
    .string()
    .check(z.regex(/^\+[1-9]\d{6,14}$/))
    .register(z.globalRegistry, { description: 'Collector phone, E.164' }),
  status: observationStatusSchema,
  version: z.number().check(z.int(), z.minimum(1)),
});
export type PriceObservation = z.infer<typeof priceObservationSchema>;
export type PriceObservationInput = z.input<typeof priceObservationSchema>;

/** The fields that make two observations the same one (so a resubmission replaces, never duplicates). */
export type ObservationIdentityFields = Pick<PriceObservation, 'commodityId' | 'marketId' | 'date' | 'unit'> & {
  kind?: PriceKind | undefined;
  grade?: string | undefined;
};

/**
 * The stable key of an observation: (commodity, market, date, kind, grade, unit). Submitting
 * the same key again replaces the pending value instead of adding one. A missing kind is
 * retail (the default) and a missing or blank grade is the empty grade; the grade is compared
 * in normalised spelling (width, case, spaces), so "一级" and " 一级 " are one grade. Parts are
 * percent-encoded, so no grade can forge a separator.
 *
 * @example observationIdentity({ commodityId: 'barley', marketId: 'lhasa', date: '2025-03-01', unit: 'jin' })
 *   // 'barley|lhasa|2025-03-01|retail||jin'
 */
export function observationIdentity(o: ObservationIdentityFields): string {
  const grade = o.grade === undefined ? '' : normaliseText(o.grade).text;
  return [o.commodityId, o.marketId, o.date, o.kind ?? 'retail', grade, o.unit].map(encodeURIComponent).join('|');
}

export type DateFailure = 'invalid_date' | 'in_future' | 'before_2000';
export type DateCheck = { ok: true } | { ok: false; reason: DateFailure };

/**
 * Checks an observation's business date against `today` (the Asia/Shanghai business date, as
 * `shanghaiDay(now)` gives it): a real YYYY-MM-DD date, not after today, not before 2000-01-01.
 */
export function checkObservationDate(date: string, today: string): DateCheck {
  if (!isCalendarDate(today)) throw new RangeError(`today is not a YYYY-MM-DD date: ${today}`);
  if (!isCalendarDate(date)) return { ok: false, reason: 'invalid_date' };
  if (date < EARLIEST_DATE) return { ok: false, reason: 'before_2000' };
  if (date > today) return { ok: false, reason: 'in_future' };
  return { ok: true };
}

/** How a price reads on the wire everywhere (API, import preview): money as '4.50' beside the integer fen. */
export function priceWire(r: {
  marketId: string;
  date: string;
  priceFen: number;
  unit: string;
  grade?: string | undefined;
  kind: PriceKind;
}) {
  return {
    marketId: r.marketId,
    date: r.date,
    price: formatFen(r.priceFen),
    priceFen: r.priceFen,
    unit: r.unit,
    ...(r.grade !== undefined ? { grade: r.grade } : {}),
    kind: r.kind,
  };
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

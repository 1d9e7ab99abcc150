/** Calendar arithmetic on business dates (YYYY-MM-DD, Asia/Shanghai calendar days). */

const shape = /^(\d{4})-(\d{2})-(\d{2})$/u;
const DAY_MS = 86_400_000;

/** True for a real calendar date written YYYY-MM-DD (so 2025-02-29 is false). */
export function isCalendarDate(date: string): boolean {
  const match = shape.exec(date);
  if (!match) return false;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const at = new Date(Date.UTC(y, m - 1, d));
  return at.getUTCFullYear() === y && at.getUTCMonth() === m - 1 && at.getUTCDate() === d;
}

/** Days since 1970-01-01 of a YYYY-MM-DD date (any valid calendar date). */
export function dayNumber(date: string): number {
  if (!isCalendarDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/**
 * The same month and day one year earlier; 29 February becomes 28 February (the year before a
 * leap year never has a 29th).
 *
 * @example oneYearBefore('2024-02-29') // '2023-02-28'
 */
export function oneYearBefore(date: string): string {
  if (!isCalendarDate(date)) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  const year = String(Number(date.slice(0, 4)) - 1).padStart(4, '0');
  const monthDay = date.slice(5) === '02-29' ? '02-28' : date.slice(5);
  return `${year}-${monthDay}`;
}

/** A latest price older than this many days is marked old, unless its commodity says otherwise. */
export const DEFAULT_STALE_DAYS = 14;

/** Whether a price dated `date` is old on `today` for a commodity (its own `staleDays`, else 14). */
export function isStale(date: string, today: string, commodity?: { staleDays?: number | undefined }): boolean {
  return daysBetween(date, today) > (commodity?.staleDays ?? DEFAULT_STALE_DAYS);
}

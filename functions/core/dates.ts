/**
 * Business dates and times: Asia/Shanghai days (UTC+8 all year: no daylight saving since 1991)
 * and calendar arithmetic on YYYY-MM-DD dates. Every date the project reads, writes or shows
 * goes through here.
 */

/** Asia/Shanghai's offset from UTC, in seconds: daily windows and schedules end at its midnight. */
export const SHANGHAI_OFFSET_SECONDS = 8 * 3600;

const DAY_MS = 86_400_000;
const shape = /^(\d{4})-(\d{2})-(\d{2})$/u;

const shanghaiDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

const shanghaiTime = new Intl.DateTimeFormat('sv-SE', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
});

/**
 * The business date (Asia/Shanghai calendar day) of an instant, as YYYY-MM-DD.
 *
 * @example shanghaiDay(new Date('2026-11-27T17:00:00Z')) === '2026-11-28'
 */
export function shanghaiDay(at: Date): string {
  return shanghaiDate.format(at);
}

/**
 * An ISO instant as the Asia/Shanghai clock shows it, to the minute.
 *
 * @example shanghaiMinute('2026-11-27T17:05:00Z') // '2026-11-28 01:05'
 */
export const shanghaiMinute = (iso: string) => shanghaiTime.format(new Date(iso));

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

/** The YYYY-MM-DD date of a day number (days since 1970-01-01): `dayNumber` back. */
export const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** `date` moved by `days` calendar days. @example addDays('2025-03-01', -1) // '2025-02-28' */
export const addDays = (date: string, days: number) => dateOfDay(dayNumber(date) + days);

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

/** The MM-DD of a YYYY-MM-DD date: how a short SMS names a day. @example monthDay('2026-03-09') // '03-09' */
export const monthDay = (date: string) => date.slice(5);

/**
 * Quiet hours: the Asia/Shanghai clock time from which broadcasts stop until the next end
 * time (default 21:00–08:00, which wraps midnight). Pure arithmetic on the UTC+8 offset
 * (Shanghai keeps no daylight saving), so it is the same on every machine.
 */
import { SHANGHAI_OFFSET_SECONDS } from '../dates.ts';

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1440;

export interface QuietHours {
  /** HH:MM, Asia/Shanghai. */
  start: string;
  end: string;
}

/** Minutes after midnight of an HH:MM time. */
export function minutesOf(hhmm: string): number {
  const match = /^(\d{1,2}):(\d{2})$/u.exec(hhmm);
  if (!match) throw new RangeError(`not a time HH:MM: ${hhmm}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** Minutes since midnight on the Asia/Shanghai clock (with the fraction of the minute). */
const shanghaiMinuteOfDay = (at: Date) => {
  const local = at.getTime() / MINUTE_MS + SHANGHAI_OFFSET_SECONDS / 60;
  return ((local % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
};

/**
 * Whether `at` falls in the quiet hours: [start, end) on the Shanghai clock, wrapping midnight
 * when end ≤ start. start = end: no quiet hours.
 *
 * @example isQuiet(new Date('2026-12-05T14:30:00Z'), { start: '21:00', end: '08:00' }) // true (22:30 in Shanghai)
 */
export function isQuiet(at: Date, quiet: QuietHours): boolean {
  const start = minutesOf(quiet.start);
  const end = minutesOf(quiet.end);
  if (start === end) return false;
  const m = shanghaiMinuteOfDay(at);
  return start < end ? m >= start && m < end : m >= start || m < end;
}

/** When the quiet hours that hold `at` end (`at` itself when it is not quiet). */
export function quietEnds(at: Date, quiet: QuietHours): Date {
  if (!isQuiet(at, quiet)) return at;
  const m = shanghaiMinuteOfDay(at);
  const end = minutesOf(quiet.end);
  const wait = (end - m + DAY_MINUTES) % DAY_MINUTES;
  return new Date(at.getTime() + wait * MINUTE_MS);
}

/** When the next quiet hours begin after `at` (`at` when it is quiet now; never when there are none). */
export function quietBegins(at: Date, quiet: QuietHours): Date | undefined {
  const start = minutesOf(quiet.start);
  if (start === minutesOf(quiet.end)) return undefined;
  if (isQuiet(at, quiet)) return at;
  const m = shanghaiMinuteOfDay(at);
  const wait = (start - m + DAY_MINUTES) % DAY_MINUTES;
  return new Date(at.getTime() + wait * MINUTE_MS);
}

/** Whether a send from `from` lasting `seconds` meets quiet hours (it would be held): quiet now, or quiet before it ends. */
export function quietMeets(from: Date, seconds: number, quiet: QuietHours): boolean {
  if (isQuiet(from, quiet)) return true;
  const begins = quietBegins(from, quiet);
  return begins !== undefined && begins.getTime() < from.getTime() + seconds * 1000;
}

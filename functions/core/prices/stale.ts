/** When a latest price counts as old: shown marked, and left out where only current prices belong. */
import { daysBetween } from '../dates.ts';

/** A latest price older than this many days is marked old, unless its commodity says otherwise. */
export const DEFAULT_STALE_DAYS = 14;

/** Whether a price dated `date` is old on `today` for a commodity (its own `staleDays`, else 14). */
export function isStale(date: string, today: string, commodity?: { staleDays?: number | undefined }): boolean {
  return daysBetween(date, today) > (commodity?.staleDays ?? DEFAULT_STALE_DAYS);
}

/**
 * How a price use-case says what is wrong with its input: a 400 listing every bad field, each
 * detail with its English text (logs, old clients) and a message key the reader's language shows.
 */
import { isCalendarDate } from '../dates.ts';
import { priceDetail, validationFailed } from '../errors.ts';

export const dateMessages = {
  invalid_date: 'Expected a calendar date YYYY-MM-DD',
  in_future: 'The date is in the future',
  before_2000: 'The date is before 2000-01-01',
} as const;

/**
 * Dates taken as query bounds (`from`, `to`): each must be a real calendar day (2026-13-01 and
 * 2026-02-30 are not), else a 400 naming each bad one in the reader's language. The same check
 * (`isCalendarDate`) as an observation's date, a bulletin's date and a CSV cell's.
 */
export function checkCalendarDates(dates: Record<string, string | undefined>): void {
  const problems = Object.entries(dates).flatMap(([path, value]) =>
    value !== undefined && !isCalendarDate(value)
      ? [priceDetail(path, 'date_invalid_date', `${dateMessages.invalid_date} (${value})`, { value })]
      : [],
  );
  if (problems.length) throw validationFailed(problems);
}

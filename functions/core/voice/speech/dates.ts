/**
 * A price's date as the caller hears it: today, yesterday, or N days ago, counted in days of
 * Asia/Shanghai (both dates are that zone's YYYY-MM-DD already, so the count is plain calendar
 * arithmetic). A date after today (a clock a little ahead) is today.
 */
import type { ClipId } from '../call.ts';
import type { SpeechLanguage } from './language.ts';
import { numberClips } from './numbers.ts';

const DAY_MS = 86_400_000;
const isoDay = /^\d{4}-\d{2}-\d{2}$/u;

/** Whole days from `date` to `today` (both YYYY-MM-DD), or undefined when either is not a date. */
export function daysBetween(date: string, today: string): number | undefined {
  if (!isoDay.test(date) || !isoDay.test(today)) return undefined;
  const a = Date.parse(`${date}T00:00:00Z`);
  const b = Date.parse(`${today}T00:00:00Z`);
  if (Number.isNaN(a) || Number.isNaN(b)) return undefined;
  return Math.round((b - a) / DAY_MS);
}

/**
 * @example dayClips('zh', '2026-05-17', '2026-05-20') // ['num.3', 'say.days', 'say.daysAgo'] 三天前
 * @example dayClips('bo', '2026-05-17', '2026-05-20') // ['say.days', 'num.3', 'say.daysAgo'] ཉིན་གསུམ་སྔོན་ལ
 */
export function dayClips(lang: SpeechLanguage, date: string, today: string): ClipId[] {
  const days = daysBetween(date, today);
  // An unreadable date is not spoken at all rather than spoken wrong.
  if (days === undefined) return [];
  if (days <= 0) return ['say.today'];
  if (days === 1) return ['say.yesterday'];
  // Tibetan counts days noun first (ཉིན་གསུམ), then "before"; Chinese and English number first
  // (三 天 前, three days ago).
  if (lang === 'bo') return ['say.days', ...numberClips(lang, days), 'say.daysAgo'];
  return [...numberClips(lang, days), 'say.days', 'say.daysAgo'];
}

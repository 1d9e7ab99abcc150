/**
 * Reading the library without the library: which version a reader gets, a region's path,
 * alerts' order and ALERTS' lines. Pure and light (no SMS composer, no i18n), so that the voice
 * Lambda, which speaks alerts and takes questions, carries none of the staff use-cases.
 */
import type { Catalog } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { ReplyLine } from '../sms/messages.ts';
import { type PublicItem, severityRank } from './item.ts';

/**
 * A text as a message parameter: the Tibetan messages end it with their own shad (and a
 * broadcast's too), so one the author typed at the end is dropped rather than doubled.
 */
export const bareText = (text: string) => text.replace(/[\s\u0F0D\u0F0E]+$/u, '');

/** How many alerts an SMS names (2 segments hold about that many summaries). */
const ALERTS_IN_SMS = 2;

/** The version a reader of a language gets: never Chinese for a Tibetan reader (their phone may not show it). */
const readingOrder: Record<Language, readonly Language[]> = {
  bo: ['bo', 'en'],
  zh: ['zh', 'bo', 'en'],
  en: ['en', 'zh'],
};

export const textFor = <T>(texts: Partial<Record<Language, T>>, lang: Language): T | undefined => {
  for (const l of readingOrder[lang]) if (texts[l] !== undefined && texts[l] !== '') return texts[l];
  return undefined;
};

/** A region's path, itself first (county, prefecture), from the catalog: no reads. */
export function pathOf(catalog: Pick<Catalog, 'regions'>, regionId: string | undefined): string[] {
  const path: string[] = [];
  for (let id = regionId ?? null; id && path.length < 10 && !path.includes(id); ) {
    if (!catalog.regions.has(id)) break;
    path.push(id);
    id = catalog.regions.get(id)?.parentId ?? null;
  }
  return path;
}

/** Severest first, then soonest onset. */
export const bySeverity = (a: PublicItem, b: PublicItem) => {
  const fa = a.content.fields;
  const fb = b.content.fields;
  if (fa.kind !== 'alert' || fb.kind !== 'alert') return 0;
  return severityRank(fb.severity) - severityRank(fa.severity) || fa.onset.localeCompare(fb.onset);
};

/**
 * ALERTS' lines for current alerts sorted severest first (`bySeverity`): the first few
 * summaries in the reader's language, and how many more. The voice line sends the same.
 */
export function alertLines(current: readonly PublicItem[], lang: Language): Array<ReplyLine & { optional?: boolean }> {
  const readable = current.flatMap((a) => {
    const summaries: Partial<Record<Language, string>> = {};
    for (const [l, v] of Object.entries(a.content.versions)) summaries[l as Language] = v?.summary ?? '';
    const text = textFor(summaries, lang);
    return text ? [bareText(text)] : [];
  });
  if (readable.length === 0) return [{ key: 'alerts.none' }];
  const shown = readable.slice(0, ALERTS_IN_SMS);
  const lines: Array<ReplyLine & { optional?: boolean }> = shown.map((text, i) => ({
    key: 'alerts.item',
    params: { text },
    ...(i > 0 ? { optional: true } : {}),
  }));
  if (readable.length > shown.length)
    lines.push({ key: 'alerts.more', params: { count: readable.length - shown.length }, optional: true });
  return lines;
}

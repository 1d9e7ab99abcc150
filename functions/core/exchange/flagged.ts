/**
 * Flagged words: phrases that SMS trading fraud uses (advance payment, deposits, transfers
 * before meeting). An offer or a relayed message containing one waits for a moderator.
 * Admins edit the list; until they first save it, the seed below applies. The glossary has no
 * Tibetan for these phrases yet and we invent none, so the Tibetan list starts empty: admins
 * add the phrases they see.
 */
import { matchKey } from '../text/normalise.ts';
import type { FlaggedWord } from './listing.ts';

export const seedFlaggedWords: readonly FlaggedWord[] = [
  { lang: 'en', text: 'pay first' },
  { lang: 'en', text: 'pay in advance' },
  { lang: 'en', text: 'advance payment' },
  { lang: 'en', text: 'deposit' },
  { lang: 'en', text: 'transfer first' },
  { lang: 'en', text: 'send money' },
  { lang: 'en', text: 'western union' },
  { lang: 'zh', text: '先付款' },
  { lang: 'zh', text: '先打款' },
  { lang: 'zh', text: '先转账' },
  { lang: 'zh', text: '预付' },
  { lang: 'zh', text: '定金' },
  { lang: 'zh', text: '订金' },
  { lang: 'zh', text: '保证金' },
  { lang: 'zh', text: '押金' },
  { lang: 'zh', text: '汇款' },
];

/**
 * The first flagged word the text contains, compared by match key (case, width, spacing,
 * tsheg and punctuation do not hide a word: "PAY  FIRST", "先 付 款" are found).
 */
export function flaggedWordIn(text: string, words: readonly FlaggedWord[]): FlaggedWord | undefined {
  const key = matchKey(text);
  if (!key) return undefined;
  return words.find((w) => {
    const wordKey = matchKey(w.text);
    return wordKey.length > 0 && key.includes(wordKey);
  });
}

/** A list as an admin typed it: trimmed, empty and repeated entries dropped, at most 500. */
export function cleanFlaggedWords(words: readonly FlaggedWord[]): FlaggedWord[] {
  const seen = new Set<string>();
  const out: FlaggedWord[] = [];
  for (const w of words) {
    const text = w.text.normalize('NFKC').replace(/\s+/gu, ' ').trim();
    const key = `${w.lang}:${matchKey(text)}`;
    if (!text || matchKey(text) === '' || seen.has(key)) continue;
    seen.add(key);
    out.push({ lang: w.lang, text: text.slice(0, 100) });
  }
  return out.slice(0, 500);
}

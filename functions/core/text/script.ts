import type { Language } from '#core/reference/schemas.ts';
import { normaliseText, tokenise } from './normalise.ts';

export type Script = 'tibetan' | 'han' | 'latin' | 'mixed' | 'none';

const tibetanLetter = /\p{sc=Tibetan}/u;
const hanLetter = /\p{sc=Han}/u;
const latinLetter = /\p{sc=Latin}/u;
const letter = /[\p{L}\p{Nl}]/u;

function letterCounts(text: string): { tibetan: number; han: number; latin: number } {
  const counts = { tibetan: 0, han: 0, latin: 0 };
  for (const c of text) {
    if (!letter.test(c)) continue;
    if (tibetanLetter.test(c)) counts.tibetan++;
    else if (hanLetter.test(c)) counts.han++;
    else if (latinLetter.test(c)) counts.latin++;
  }
  return counts;
}

/**
 * Which of our three scripts the letters of a text are in. Digits, punctuation and letters of
 * other scripts do not count, so "L123 ?" is latin and "5 8000" is none.
 *
 * @example detectScript('青稞价格') // 'han'
 * @example detectScript('PRICE ནས') // 'mixed'
 */
export function detectScript(input: string): Script {
  const counts = letterCounts(normaliseText(input).text);
  const present = (['tibetan', 'han', 'latin'] as const).filter((s) => counts[s] > 0);
  if (present.length === 0) return 'none';
  if (present.length > 1) return 'mixed';
  return present[0]!;
}

export interface LanguageGuess {
  language: Language;
  /** True when the text was Latin-script Wylie, so the sender may want replies in Wylie. */
  wylie: boolean;
}

/**
 * Guesses a new subscriber's language from their first message. Tibetan script wins over Han,
 * and Han over Latin, when they are mixed: every phone can type Latin (listing codes, units,
 * English keywords), but only a reader of Tibetan or Chinese types those scripts. Latin text is
 * Tibetan in Wylie when a strict majority of its words are Wylie words we know (the caller
 * decides what "known" means, e.g. `matcher.isWylieSyllable`); otherwise English. Returns null
 * when there is nothing to go on (digits, "?", emoji).
 *
 * @example guessLanguage('rin gong nas', (w) => ['rin', 'gong', 'nas'].includes(w)) // { language: 'bo', wylie: true }
 */
export function guessLanguage(input: string, isWylieWord?: (word: string) => boolean): LanguageGuess | null {
  const text = normaliseText(input).text;
  const counts = letterCounts(text);
  if (counts.tibetan > 0) return { language: 'bo', wylie: false };
  if (counts.han > 0) return { language: 'zh', wylie: false };
  if (counts.latin === 0) return null;
  if (isWylieWord) {
    const words = tokenise(text).filter((t) => latinLetter.test(t));
    const wylieWords = words.filter((w) => isWylieWord(w)).length;
    if (wylieWords * 2 > words.length) return { language: 'bo', wylie: true };
  }
  return { language: 'en', wylie: false };
}

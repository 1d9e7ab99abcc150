/**
 * How long a clip takes to say, estimated from its text: the length of a development placeholder,
 * and the studio's guide to a recording. Tibetan by syllables (between tsheg, shad or spaces)
 * at about 4 a second; Chinese by characters at about 4.5 a second; English by words at about
 * 2.5 a second; and 150 ms for the gap every clip has around it.
 */
import type { SpeechLanguage } from './language.ts';

export const CLIP_GAP_MS = 150;
const perSecond: Record<SpeechLanguage, number> = { bo: 4, zh: 4.5, en: 2.5 };

/** Tibetan syllables: runs of Tibetan letters between tsheg, shad, spaces and punctuation. */
const TIBETAN_SYLLABLE = /[\u0f40-\u0fbc]+/gu;
/** Han characters, and digits or Latin words (a code, "SMS"), each spoken as about one unit. */
const CHINESE_UNIT = /\p{Script=Han}|[0-9]|[A-Za-z]+/gu;
const WORD = /[\p{L}\p{N}]+/gu;

/** Syllables (bo), characters (zh) or words (en) in a text. */
export function speechUnits(lang: SpeechLanguage, text: string): number {
  const pattern = lang === 'bo' ? TIBETAN_SYLLABLE : lang === 'zh' ? CHINESE_UNIT : WORD;
  let count = text.match(pattern)?.length ?? 0;
  // A digit or Latin word inside Tibetan text (a code) is said too.
  if (lang === 'bo') count += text.match(/[0-9]|[A-Za-z]+/gu)?.length ?? 0;
  return count;
}

/**
 * @example estimateMs('zh', '今天') // 150 + 2 / 4.5 s ≈ 594
 */
export function estimateMs(lang: SpeechLanguage, text: string): number {
  return Math.round(CLIP_GAP_MS + (speechUnits(lang, text) / perSecond[lang]) * 1000);
}

/**
 * A price in fen spoken as yuan, jiao and fen. Chinese: 三元五角, 十二元零五分 (a 零 where jiao
 * is 0 between yuan and fen), 两元 for a lone 2 before the measure word (how it is said aloud).
 * Tibetan: the currency word first, then its number: སྒོར་མོ་བཅུ་གཉིས་ཞོ་གསུམ་སྐར་མ་ལྔ
 * (སྒོར་མོ yuan, ཞོ jiao, སྐར་མ fen; listed for review). A part that is 0 is left out; 0 itself
 * is "0 yuan".
 */
import type { ClipId } from '../call.ts';
import type { SpeechLanguage } from './language.ts';
import { numberClips } from './numbers.ts';

/** A count before 元/角/分: a lone 2 is 两 (两元, 两角), as measure words take it. */
function zhCount(n: number): ClipId[] {
  return n === 2 ? ['num.liang'] : numberClips('zh', n);
}

/**
 * @example priceClips('zh', 1205) // 十二元零五分
 * @example priceClips('bo', 350) // སྒོར་མོ་གསུམ་ཞོ་ལྔ
 */
export function priceClips(lang: SpeechLanguage, fen: number): ClipId[] {
  if (!Number.isFinite(fen) || fen < 0) throw new RangeError(`not a price in fen: ${fen}`);
  const whole = Math.round(fen);
  const yuan = Math.floor(whole / 100);
  const jiao = Math.floor(whole / 10) % 10;
  const cents = whole % 10;
  const out: ClipId[] = [];
  if (lang === 'zh') {
    if (yuan || (!jiao && !cents)) out.push(...zhCount(yuan), 'say.yuan');
    if (jiao) out.push(...zhCount(jiao), 'say.jiao');
    // 十二元零五分: the jiao place is skipped between yuan and fen, and says so.
    else if (yuan && cents) out.push('num.0');
    if (cents) out.push(...zhCount(cents), 'say.fen');
    return out;
  }
  if (lang === 'bo') {
    if (yuan || (!jiao && !cents)) out.push('say.yuan', ...numberClips('bo', yuan));
    if (jiao) out.push('say.jiao', ...numberClips('bo', jiao));
    if (cents) out.push('say.fen', ...numberClips('bo', cents));
    return out;
  }
  if (yuan || (!jiao && !cents)) out.push(...numberClips('en', yuan), 'say.yuan');
  if (jiao) out.push(...numberClips('en', jiao), 'say.jiao');
  if (cents) out.push(...numberClips('en', cents), 'say.fen');
  return out;
}

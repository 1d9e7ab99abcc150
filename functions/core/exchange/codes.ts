/**
 * Offer codes (`L` and 4–6 digits) and aliases (`A` and 4–6 digits) as people type them: with
 * or without the letter, in any case, full-width or Tibetan digits, a space or dash after the
 * letter. Everything else is not a code.
 */
import { normaliseText } from '../text/normalise.ts';

const CODE = /^([la])?[\s-]?(\d{4,6})$/u;

/**
 * @example normaliseCode('Ｌ４８２１') // 'L4821'
 * @example normaliseCode('4821') // 'L4821'
 * @example normaliseCode('a1234') // 'A1234'
 */
export function normaliseCode(text: string): string | undefined {
  const match = CODE.exec(normaliseText(text).text);
  if (!match) return undefined;
  return `${match[1] === 'a' ? 'A' : 'L'}${match[2]}`;
}

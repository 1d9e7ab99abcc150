/**
 * Offer codes and aliases: short enough to type on a keypad, unambiguous when read aloud.
 * `L` and 4–6 digits name an offer; `A` and 4–6 digits name a number that wrote about someone
 * else's offer without one of its own (relayed messages are signed with it, never with a phone).
 */
import { normaliseText } from '../text/normalise.ts';

const CODE = /^([la])?[-# ]?(\d{4,6})$/u;

/**
 * The code a person typed, in its stored form; undefined when it is none. The `L` may be left
 * out (digits alone are an offer code); Tibetan and full-width digits count.
 *
 * @example normaliseCode('l4821') // 'L4821'
 * @example normaliseCode('༤༨༢༡') // 'L4821'
 * @example normaliseCode('a1234') // 'A1234'
 */
export function normaliseCode(text: string): string | undefined {
  const match = CODE.exec(normaliseText(text).text);
  if (!match) return undefined;
  const [, letter, digits] = match as unknown as [string, string | undefined, string];
  if (digits.startsWith('0')) return undefined;
  return `${(letter ?? 'l').toUpperCase()}${digits}`;
}

/** An offer code (`L…`), not an alias. */
export const isOfferCode = (code: string): boolean => code.startsWith('L');

/**
 * A source of fresh codes with one prefix: four digits while they last, then five, then six —
 * each length tried twice before the next, so a crowded space costs a few conditional writes,
 * never a failure. No leading zero (people drop it).
 *
 * @example const next = codeSource('L', Math.random); next() // 'L4821'
 */
export function codeSource(prefix: 'L' | 'A', random: () => number = Math.random): () => string {
  let calls = 0;
  return () => {
    const digits = calls < 2 ? 4 : calls < 4 ? 5 : 6;
    calls++;
    const low = 10 ** (digits - 1);
    return `${prefix}${low + Math.floor(random() * 9 * low)}`;
  };
}

/**
 * Character classes shared by the normaliser, the tokeniser and the script detector, so that
 * "what separates words" and "what is noise" are decided in one place.
 */

export const TSHEG = '\u0F0B';

/** U+0F0D–U+0F12: shad and its variants (nyis shad, tsheg shad, rin chen spungs shad…). */
export function isShad(c: string): boolean {
  return c >= '\u0F0D' && c <= '\u0F12';
}

/**
 * Characters we cannot interpret and so drop, telling the caller: lone surrogates (a broken
 * UTF-16 decode at the gateway), U+FFFD (a decode that already failed upstream) and private-use
 * code points — old Tibetan fonts put precomposed stacks at U+F300–U+F8FF, and what a sender
 * meant by them depends on a font we do not have.
 */
const unsupported = /^(?:[\uD800-\uDFFF\uFFFD]|\p{Co})$/u;
export function isUnsupported(c: string): boolean {
  return unsupported.test(c);
}

/** Line breaks and tabs: meaningful only as word separators in an SMS. */
const lineSpace = /^[\t\n\v\f\r\u0085\u2028\u2029]$/u;
export function isLineSpace(c: string): boolean {
  return lineSpace.test(c);
}

/**
 * Invisible characters (controls, format characters, zero-width spaces/joiners, BOM, variation
 * selectors): phones and copy-paste insert them, and they would make equal words compare unequal.
 * Format characters (Cf) include the bidi marks and controls (U+200E/F, U+061C, U+202A–E,
 * U+2066–9) that right-to-left keyboards put before a word, the soft hyphen and the word joiner:
 * `\u200FSTOP` must still be STOP (test/unit/text/normalise*.test.ts).
 */
const ignorable = /^[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}]$/u;
export function isIgnorable(c: string): boolean {
  return ignorable.test(c);
}

/** Quote marks that phone keyboards substitute for the ASCII apostrophe (the Wylie a-chung). */
const apostrophes = /[\u2018\u2019\u201B\u2032\u02BC]/gu;
export function foldApostrophes(s: string): string {
  return s.replace(apostrophes, "'");
}

/** Tibetan digits ༠–༩ (U+0F20–U+0F29) to ASCII; NFKC already folds full-width digits. */
const tibetanDigits = /[\u0F20-\u0F29]/gu;
export function foldTibetanDigits(s: string): string {
  return s.replace(tibetanDigits, (d) => String.fromCharCode(d.charCodeAt(0) - 0x0f20 + 0x30));
}

const tibetanLetterOrMark = /^[\p{L}\p{M}]$/u;
const tibetanScript = /^\p{sc=Tibetan}$/u;
/** Part of a Tibetan syllable (letters, subjoined letters, vowel signs), not its punctuation. */
export function isTibetanWordChar(c: string): boolean {
  return tibetanScript.test(c) && tibetanLetterOrMark.test(c);
}

const han = /^[\p{sc=Han}]$/u;
/** A Han character (ideograph, 々, 〇): Chinese has no spaces, so each one may start or end a word. */
export function isHan(c: string): boolean {
  return han.test(c);
}

const wordChar = /^[\p{L}\p{M}\p{N}]$/u;
/** Letters, marks and digits of any script. */
export function isWordChar(c: string): boolean {
  return wordChar.test(c);
}

/** Whitespace, punctuation (tsheg and shad included) and symbols: never part of a name's key. */
const separator = /[\s\p{P}\p{S}]/gu;
export function removeSeparators(s: string): string {
  return s.replace(separator, '');
}

const latinLetter = /^\p{sc=Latin}$/u;
export function isLatinLetter(c: string): boolean {
  return latinLetter.test(c);
}

import jsewts from 'jsewts';
import { foldApostrophes, isIgnorable, isLineSpace, isUnsupported } from './chars.ts';
import { normaliseText } from './normalise.ts';

// jsewts (buda-base, a port of the THL Java converter) does the EWTS work; this module fixes our
// conventions around it. Its escape=false mode drops spaces between Tibetan runs, so we always
// escape and hand it Tibetan only, passing other text through ourselves.
const tibetanRun = /[\u0F00-\u0FFF]+/gu;

/**
 * Tibetan Unicode → EWTS in the glossary's style: syllables separated by spaces, no trailing
 * tsheg, shad as `/`. Text around the Tibetan (digits, Latin) passes through normalised.
 *
 * @example toWylie('གཡག་') // 'g.yag'
 * @example toWylie('རིན་གོང་ནས།') // 'rin gong nas/'
 */
export function toWylie(tibetan: string): string {
  const text = normaliseText(tibetan).text;
  return text
    .replace(tibetanRun, (run) => jsewts.toWylie(run, true))
    .replace(/ {2,}/gu, ' ')
    .trim();
}

export interface ParsedWylie {
  tibetan: string;
  /** jsewts's complaints (unexpected characters, no Tibetan found); empty for valid EWTS. */
  warnings: string[];
}

function cleanLatin(input: string): string {
  let kept = '';
  for (const c of input) {
    if (isLineSpace(c)) kept += ' ';
    else if (!isIgnorable(c) && !isUnsupported(c)) kept += c;
  }
  // No lower-casing: EWTS capitals are different letters (T ཊ, A ཱ, I ཱི).
  return foldApostrophes(kept.normalize('NFKC')).replace(/\s+/gu, ' ').trim();
}

/**
 * EWTS → Tibetan Unicode with a tsheg between syllables and none at the end, plus the
 * converter's warnings, so a caller can tell Wylie from English.
 *
 * @example parseWylie('rgyal rtse') // { tibetan: 'རྒྱལ་རྩེ', warnings: [] }
 */
export function parseWylie(wylie: string): ParsedWylie {
  const warnings: string[] = [];
  const tibetan = jsewts.fromWylie(cleanLatin(wylie), null, warnings);
  return { tibetan, warnings };
}

/**
 * EWTS → Tibetan Unicode (see parseWylie for the warnings).
 *
 * @example fromWylie("nas 'bru") // 'ནས་འབྲུ'
 */
export function fromWylie(wylie: string): string {
  return parseWylie(wylie).tibetan;
}

/**
 * A key for Wylie typed loosely on a Latin keyboard: lower-case, without `.`, `'` and `+`,
 * `_` read as a space, spaces collapsed. So `g.yag`, `gyag` and `G.Yag` all give `gyag`, and
 * `'o ma` gives `o ma`.
 */
export function looseWylieKey(input: string): string {
  return normaliseText(input).text.replace(/[.'+]/gu, '').replace(/_/gu, ' ').replace(/ {2,}/gu, ' ').trim();
}

/**
 * Joining Tibetan phrases and interpolated names so that the result keeps our orthography
 * (`../shared/reference/tibetan-orthography.md`): whatever a name ends with — ང, a bare ཀ/ག,
 * a digit, Latin letters — the junction with the template text around it comes out right.
 *
 * Glossary names are written without a trailing tsheg or shad (glossary.md §1), so a template
 * says `{{commodity}}་རིན་གོང་།` (a tsheg where the name meets the next syllable) and
 * `{{market}}། ` (a phrase ends after the name); `joinTibetan` then repairs each junction:
 *
 * | left ends with | right starts with | result |
 * |---|---|---|
 * | a syllable | `་` | kept (`ནས` + `་རིན` → `ནས་རིན`) |
 * | `་`, `།` or a space | `་` | the right's tsheg dropped |
 * | Latin, a digit, other | `་` | a space instead (`JOIN ཡིན་ནམ།`) |
 * | a syllable | a syllable or a digit | `་` between (R4, R8: `སྒོར་5.00`) |
 * | ང(+vowel), with or without `་` | `།` | `ང་།` (R1) |
 * | a bare ཀ/ག(+vowel), with or without `་` | `།` | the shad left out, the space after it kept (R3: `…ག སྒོར`) |
 * | another syllable + `་` | `།` | the tsheg dropped (R2) |
 * | `།` | `།` | one shad |
 * | `།` | a syllable | a space between (R5) |
 * | `་` | a Latin letter | a space between (`ཡང་ན་ Lhasa`) |
 *
 * Pure. Text without Tibetan at the junction is concatenated unchanged.
 */

const TSHEG = '\u0f0b';
const NB_TSHEG = '\u0f0c';
const SHAD = '\u0f0d';

const isSyllableChar = (c: string | undefined) => c !== undefined && c >= '\u0f40' && c <= '\u0fbc';
const isVowelSign = (c: string | undefined) =>
  c !== undefined && ((c >= '\u0f72' && c <= '\u0f7d') || c === '\u0f80' || c === '\u0f81');
const isTsheg = (c: string | undefined) => c === TSHEG || c === NB_TSHEG;
const isDigit = (c: string | undefined) => c !== undefined && /^[0-9\u0f20-\u0f29]$/u.test(c);

/** The last letter of a syllable ending at the end of `s`, past one vowel sign. */
function finalLetter(s: string): string | undefined {
  const chars = [...s];
  let i = chars.length - 1;
  if (isVowelSign(chars[i])) i--;
  return chars[i];
}

/** R1: the syllable at the end of `s` ends in ང (with or without a vowel). */
export const endsInNga = (s: string) => isSyllableChar([...s].at(-1)) && finalLetter(s) === '\u0f44';

/** R3: the syllable at the end of `s` ends in a bare ཀ or ག (not stacked; with or without a vowel). */
export const endsInBareKaGa = (s: string) => {
  const last = finalLetter(s);
  return isSyllableChar([...s].at(-1)) && (last === '\u0f40' || last === '\u0f42');
};

/**
 * `left` + `right`, with the junction written as our orthography wants it (see the table
 * above).
 *
 * @example joinTibetan('ཁྲོམ་གཟིགས་ཁང', '། ') // 'ཁྲོམ་གཟིགས་ཁང་། '
 * @example joinTibetan('སོག', '། སྒོར') // 'སོག སྒོར'
 * @example joinTibetan('ནས', '་རིན་གོང་།') // 'ནས་རིན་གོང་།'
 */
export function joinTibetan(left: string, right: string): string {
  if (left === '' || right === '') return left + right;
  const l = [...left].at(-1)!;
  const r = right[0]!;

  if (isTsheg(r)) {
    if (isSyllableChar(l)) return left + right;
    if (isTsheg(l) || l === SHAD || /\s/u.test(l)) return left + right.slice(1);
    return `${left} ${right.slice(1)}`;
  }

  if (r === SHAD) {
    if (l === SHAD) return left + right.slice(1);
    const bare = isTsheg(l) ? left.slice(0, -1) : left;
    if (!isSyllableChar([...bare].at(-1))) return left + right;
    if (endsInNga(bare)) return bare + TSHEG + right;
    // R3: a bare ཀ/ག takes no shad; the space after it does the shad's work.
    if (endsInBareKaGa(bare) && (right.length === 1 || right[1] === ' ')) return bare + right.slice(1);
    return bare + right;
  }

  if (isSyllableChar(r) || isDigit(r)) {
    if (isSyllableChar(l)) return left + TSHEG + right;
    if (l === SHAD && isSyllableChar(r)) return `${left} ${right}`;
  }
  // Latin after a tsheg is set off by a space, as in `ལན་ Wylie ཐོག་`.
  if (isTsheg(l) && /^[A-Za-z]/u.test(r)) return `${left} ${right}`;
  return left + right;
}

const PLACEHOLDER = /\{\{\s*([\w.]+)\s*\}\}/gu;

/**
 * A `{{name}}` template filled with `params`, every junction between template text and a
 * value joined by `joinTibetan`. A missing value is empty (as the translator does).
 *
 * @example fillTibetan('{{market}}། སྒོར་{{price}}།', { market: 'སྐྱིད་གྲོང', price: '3.20' }) // 'སྐྱིད་གྲོང་། སྒོར་3.20།'
 */
export function fillTibetan(template: string, params: Readonly<Record<string, unknown>> = {}): string {
  let out = '';
  let at = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    out = joinTibetan(out, template.slice(at, m.index));
    const value = params[m[1]!];
    out = joinTibetan(out, value === undefined || value === null ? '' : String(value));
    at = m.index! + m[0].length;
  }
  return joinTibetan(out, template.slice(at));
}

/**
 * Items in running Tibetan text with a joining word between them (`ཡང་ན` "or"), syllables
 * joined by tsheg: `རྒྱལ་རྩེ་ཡང་ན་རྒྱལ་ཐང`.
 */
export function listTibetan(items: readonly string[], word: string): string {
  return items.reduce(
    (acc, item, i) => (i === 0 ? item : joinTibetan(joinTibetan(acc, `${TSHEG}${word}${TSHEG}`), item)),
    '',
  );
}

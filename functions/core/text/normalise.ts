import {
  foldApostrophes,
  foldTibetanDigits,
  isHan,
  isIgnorable,
  isLineSpace,
  isTibetanWordChar,
  isUnsupported,
  isWordChar,
  removeSeparators,
  TSHEG,
} from './chars.ts';

/** Normalised SMS text, and whether characters we cannot read were dropped from it. */
export interface NormalisedText {
  text: string;
  /** True when lone surrogates, U+FFFD or private-use characters (e.g. legacy precomposed Tibetan at U+F300–U+F8FF) were removed. */
  unsupported: boolean;
}

// A tsheg with a space, a shad or either end of the text beside it separates nothing (runs of
// tsheg are collapsed first): phones add one after every syllable, people type one before a space.
const strayTshegAfter = /(^|[ \u0F0D-\u0F12])\u0F0B+/gu;
const strayTshegBefore = /\u0F0B+(?=$|[ \u0F0D-\u0F12])/gu;

/**
 * Brings an SMS into one canonical spelling for parsing: NFKC (full-width Latin, digits and
 * punctuation become ASCII; U+0F0C becomes U+0F0B), Tibetan digits become ASCII, Latin is
 * lower-cased, invisible characters go, whitespace runs become one space and stray tsheg go.
 * Idempotent: normalising normalised text changes nothing. `keepCase` does all of it but the
 * lower-casing (the words of a relayed message, passed on as they were written).
 *
 * @example normaliseText('ＰＲＩＣＥ　ＢＡＲＬＥＹ ༥').text // 'price barley 5'
 */
export function normaliseText(input: string, options: { keepCase?: boolean } = {}): NormalisedText {
  let unsupported = false;
  let kept = '';
  for (const c of input) {
    if (isUnsupported(c)) unsupported = true;
    else if (isLineSpace(c)) kept += ' ';
    else if (!isIgnorable(c)) kept += c;
  }
  // NFKC before lower-casing (NFKC can yield capitals, e.g. ᴬ → A), and again after it in case
  // a lower-case mapping is not itself normalised.
  const nfkc = kept.normalize('NFKC');
  let text = foldTibetanDigits(foldApostrophes(options.keepCase ? nfkc : nfkc.toLowerCase())).normalize('NFKC');
  text = text
    .replace(/\s+/gu, ' ')
    .replace(/\u0F0B{2,}/gu, TSHEG)
    .replace(strayTshegAfter, '$1')
    .replace(strayTshegBefore, '')
    .replace(/ {2,}/gu, ' ')
    .trim();
  return { text, unsupported };
}

// Latin diacritics are dropped from keys: people type Gyangze for Gyangzê and Tolung for Tölung.
const latinMarks = /(?<=\p{sc=Latin}\p{M}*)\p{M}/gu;

/**
 * The key two spellings of one name share: normalised, then without spaces, tsheg, shad,
 * punctuation or symbols, without Latin diacritics, and with final sigma folded. So ནས, ནས་,
 * ནས། and "ནས ་" share a key, as do "G.Yag" and "gyag", "Hulless barley" and "hullessbarley".
 * Meant for names and keywords; numbers lose their decimal point.
 *
 * @example matchKey('རིན་གོང་།') // 'རིནགོང'
 */
export function matchKey(input: string): string {
  const compact = removeSeparators(normaliseText(input).text);
  // Removing separators can bring a base letter next to a combining mark: re-normalise.
  return compact.normalize('NFD').replace(latinMarks, '').normalize('NFKC').replace(/ς/gu, 'σ');
}

type TokenClass = 'tibetan' | 'han' | 'word' | 'question' | 'joiner' | 'apostrophe' | 'separator';

function classify(c: string): TokenClass {
  if (isTibetanWordChar(c)) return 'tibetan';
  if (isHan(c)) return 'han';
  if (isWordChar(c)) return 'word';
  if (c === '?') return 'question';
  // Wylie spells g.yag, 'o ma, g+ha; English has DELETE-ME; numbers have 3.5.
  if (c === '.' || c === '+' || c === '-') return 'joiner';
  if (c === "'") return 'apostrophe';
  return 'separator';
}

/**
 * Splits SMS text into the units a name can start or end at: Tibetan syllables (split at tsheg,
 * shad and spaces), single Han characters (Chinese is written without spaces), and Latin/digit
 * words (split at spaces and punctuation, keeping Wylie's `.`, `+`, `'` and hyphens inside a word).
 * A `?` is kept as a token of its own, since alone it asks for help. Scripts never share a token,
 * so 20斤 gives 20 and 斤.
 *
 * @example tokenise('རིན་གོང་ནས། 青稞 G.YAG 20斤') // ['རིན','གོང','ནས','青','稞','g.yag','20','斤']
 */
export function tokenise(input: string): string[] {
  const chars = [...normaliseText(input).text];
  const tokens: string[] = [];
  let current = '';
  let currentClass: TokenClass | null = null;
  const flush = () => {
    if (current) tokens.push(current);
    current = '';
    currentClass = null;
  };
  chars.forEach((c, i) => {
    const cls = classify(c);
    if (cls === 'tibetan' || cls === 'word') {
      if (currentClass !== cls) flush();
      current += c;
      currentClass = cls;
    } else if (cls === 'han' || cls === 'question') {
      flush();
      tokens.push(c);
    } else if (cls === 'apostrophe') {
      // The a-chung may open ('bri) or close (mnga') a Wylie syllable.
      const next = chars[i + 1];
      if (currentClass !== 'word' && !(next !== undefined && classify(next) === 'word')) flush();
      else {
        if (currentClass !== 'word') flush();
        current += c;
        currentClass = 'word';
      }
    } else if (cls === 'joiner') {
      const next = chars[i + 1];
      if (currentClass === 'word' && next !== undefined && classify(next) === 'word') current += c;
      else flush();
    } else flush();
  });
  flush();
  return tokens;
}

/**
 * Joins tokens back into text the way their scripts are written: tsheg between Tibetan
 * syllables, nothing between Han characters, a space otherwise.
 *
 * @example joinTokens(['རིན', 'གོང', '青', '稞', 'price']) // 'རིན་གོང 青稞 price'
 */
export function joinTokens(tokens: readonly string[]): string {
  let out = '';
  let previous: string | undefined;
  for (const token of tokens) {
    if (previous !== undefined) {
      const a = [...previous].at(-1) ?? '';
      const b = [...token][0] ?? '';
      if (isTibetanWordChar(a) && isTibetanWordChar(b)) out += TSHEG;
      else if (!(isHan(a) && isHan(b))) out += ' ';
    }
    out += token;
    previous = token;
  }
  return out;
}

import fc from 'fast-check';

/** Separators that matching must ignore: tsheg, the non-breaking tsheg, shad variants, spaces. */
export const separator = fc.constantFrom(
  '\u0F0B',
  '\u0F0C',
  '\u0F0D',
  '\u0F0E',
  '\u0F11',
  '\u0F12',
  ' ',
  '\u3000',
  '\t',
);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n));
const privateUseTibetan = fc.integer({ min: 0xf300, max: 0xf8ff }).map((n) => String.fromCharCode(n));
const control = fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n));
const zeroWidth = fc.constantFrom('\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', '\uFE0F');
const emoji = fc.constantFrom('🐂', '👍🏽', '❤️‍🔥', '🇨🇳', '🌾');
const tibetan = fc.integer({ min: 0x0f00, max: 0x0fff }).map((n) => String.fromCharCode(n));
const fullWidth = fc.integer({ min: 0xff01, max: 0xff5e }).map((n) => String.fromCharCode(n));
const han = fc.constantFrom('青', '稞', '价', '格', '羊', '江', '孜', '。', '，', '？');

/** Any code point, plus the characters SMS input is known to carry that break naive code. */
export const hostileChar = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  loneSurrogate,
  privateUseTibetan,
  control,
  zeroWidth,
  emoji,
  tibetan,
  fullWidth,
  han,
  separator,
);

export const hostileText = fc.string({ unit: hostileChar, maxLength: 40 });

/** A Tibetan syllable: root letter, optional subjoined letter, vowel sign and final letter. */
// U+0F48 is unassigned.
const root = fc
  .integer({ min: 0x0f40, max: 0x0f6c })
  .filter((n) => n !== 0x0f48)
  .map((n) => String.fromCharCode(n));
const vowel = fc.constantFrom('', '\u0F72', '\u0F74', '\u0F7A', '\u0F7C');
const subjoined = fc.constantFrom('', '\u0FB1', '\u0FB2', '\u0FB3');
export const tibetanSyllable = fc
  .tuple(root, subjoined, vowel, fc.constantFrom('', 'ག', 'ང', 'ད', 'ན', 'ས'))
  .map((p) => p.join(''));

/**
 * Every invisible format character (general category Cf: bidi marks, embeddings and isolates,
 * zero-width space/joiner/non-joiner, word joiner, BOM, soft hyphen, Arabic letter mark…):
 * phones and copy-paste put them before and inside words, and matching must not see them.
 */
export const FORMAT_CHARACTERS: readonly string[] = (() => {
  const found: string[] = [];
  for (let cp = 0; cp < 0x110000; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const c = String.fromCodePoint(cp);
    if (/^\p{Cf}$/u.test(c)) found.push(c);
  }
  return found;
})();
/** The ones the issue names, first: RTL/LTR marks, ZWSP/ZWNJ/ZWJ, word joiner, BOM, soft hyphen, bidi controls. */
export const NAMED_FORMAT_CHARACTERS = [
  '\u200F',
  '\u200E',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u00AD',
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
];
export const formatCharacter = fc.oneof(
  fc.constantFrom(...NAMED_FORMAT_CHARACTERS),
  fc.constantFrom(...FORMAT_CHARACTERS),
);

/** Inserts characters at code-point positions (never inside a surrogate pair). */
export const withInserted = (text: string, inserts: readonly [number, string][]) => {
  const points = [...text];
  for (const [at, c] of inserts) points.splice(at % (points.length + 1), 0, c);
  return points.join('');
};

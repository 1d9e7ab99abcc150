/**
 * fast-check generators of SMS-like text: GSM-7 letters and punctuation, extension-table
 * characters, a little non-GSM Latin, Chinese (BMP and astral Han, CJK punctuation), Tibetan
 * syllables (prefixes, subjoined letters, vowel signs, suffixes, tsheg, shad, digits) and emoji
 * (single, skin tones, ZWJ sequences, flags, keycaps, variation selectors).
 */
import fc from 'fast-check';

const chars = (s: string): string[] => [...s];

export const GSM_BASIC_SAMPLE = chars(
  'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789' +
    ' .,!?-+:;\'"@£$¥èéùìòÇ\nØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ#¤%&()*/<=>¡ÄÖÑÜ§¿äöñüà\r',
);
export const GSM_EXTENSION_SAMPLE = chars('^{}\\[]~|€\f');
const NON_GSM_LATIN = chars('çáíóúõâ“”’–');
const CJK_PUNCT = chars('，。、：；！？「」【】（）');
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧', '🇨🇳', '1️⃣', '☀️', '🌾', '🧑‍🌾', '❤️‍🔥', '🐄', '🏔️'];

const TIB_PREFIX = chars('གདབམའ');
const TIB_SUFFIX = chars('གངདནབམའརལས');
// base consonants U+0F40–U+0F69 (U+0F48 is unassigned)
const TIB_BASE = Array.from({ length: 0x0f69 - 0x0f40 + 1 }, (_, i) => 0x0f40 + i)
  .filter((cp) => cp !== 0x0f48)
  .map((cp) => String.fromCodePoint(cp));
// subjoined letters U+0F90–U+0FB9 (U+0F98 is unassigned)
const TIB_SUBJOINED = Array.from({ length: 0x0fb9 - 0x0f90 + 1 }, (_, i) => 0x0f90 + i)
  .filter((cp) => cp !== 0x0f98)
  .map((cp) => String.fromCodePoint(cp));
const TIB_COMMON_SUBJOINED = chars('\u0fb1\u0fb2\u0fb3\u0fad'); // ya-ta, ra-ta, la-ta, wa-zur
const TIB_VOWEL = chars('\u0f72\u0f74\u0f7a\u0f7c\u0f71\u0f80');
const TIB_FINAL_MARK = chars('\u0f7e\u0f7f\u0f83');
const TIB_DIGITS = chars('༠༡༢༣༤༥༦༧༨༩');

export const tibetanSyllable: fc.Arbitrary<string> = fc
  .tuple(
    fc.option(fc.constantFrom(...TIB_PREFIX), { freq: 3 }),
    fc.constantFrom(...TIB_BASE),
    fc.array(
      fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...TIB_COMMON_SUBJOINED) }, fc.constantFrom(...TIB_SUBJOINED)),
      {
        maxLength: 2,
      },
    ),
    fc.option(fc.constantFrom(...TIB_VOWEL), { freq: 2 }),
    fc.option(fc.constantFrom(...TIB_FINAL_MARK), { freq: 8 }),
    fc.array(fc.constantFrom(...TIB_SUFFIX), { maxLength: 2 }),
  )
  .map(
    ([pre, base, sub, vowel, mark, suf]) =>
      (pre ?? '') + base + sub.join('') + (vowel ?? '') + (mark ?? '') + suf.join(''),
  );

/** A syllable with what follows it: usually a tsheg, sometimes a shad, a space or nothing. */
export const tibetanToken: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 20,
    arbitrary: fc
      .tuple(tibetanSyllable, fc.constantFrom('་', '་', '་', '་', '་', '་', '།', '། ', ' ', '', '༌།'))
      .map(([s, t]) => s + t),
  },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom(...TIB_DIGITS), { minLength: 1, maxLength: 3 }).map((d) => d.join('')),
  },
  { weight: 1, arbitrary: fc.constantFrom('༄༅། ', '། །', '༎ ') },
);

const bmpHan = fc.integer({ min: 0x4e00, max: 0x9fff }).map((cp) => String.fromCodePoint(cp));
const astralHan = fc.integer({ min: 0x20000, max: 0x2a6df }).map((cp) => String.fromCodePoint(cp));
export const chineseToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: bmpHan },
  { weight: 2, arbitrary: fc.constantFrom(...CJK_PUNCT) },
  { weight: 1, arbitrary: astralHan },
);

export const gsmToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom(...GSM_BASIC_SAMPLE) },
  { weight: 6, arbitrary: fc.constant(' ') },
  { weight: 2, arbitrary: fc.constantFrom(...GSM_EXTENSION_SAMPLE) },
);

export const emojiToken: fc.Arbitrary<string> = fc.constantFrom(...EMOJI);

/** A combining mark out of place (after a space, at the start, after Latin). */
const strayMark: fc.Arbitrary<string> = fc.constantFrom('\u0f71', '\u0fb1', '\u0f7c', '\u0301');

const mixedToken: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: gsmToken },
  { weight: 8, arbitrary: tibetanToken },
  { weight: 8, arbitrary: chineseToken },
  { weight: 2, arbitrary: emojiToken },
  { weight: 1, arbitrary: fc.constantFrom(...NON_GSM_LATIN) },
  { weight: 1, arbitrary: strayMark },
);

/** Up to `maxLength` tokens, the count uniform (fast-check's default size would keep arrays short). */
const tokens = (token: fc.Arbitrary<string>, maxLength: number): fc.Arbitrary<string> =>
  fc
    .integer({ min: 0, max: maxLength })
    .chain((n) => fc.array(token, { minLength: n, maxLength: n }))
    .map((t) => t.join(''));

/**
 * SMS-like text of every kind: GSM-7 only (up to ~3 parts), Latin with a stray non-GSM
 * character, Chinese, Tibetan, and everything mixed.
 */
export const smsText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: tokens(gsmToken, 480) },
  {
    weight: 1,
    arbitrary: tokens(
      fc.oneof({ weight: 40, arbitrary: gsmToken }, { weight: 1, arbitrary: fc.constantFrom(...NON_GSM_LATIN) }),
      300,
    ),
  },
  {
    weight: 2,
    arbitrary: tokens(fc.oneof({ weight: 10, arbitrary: chineseToken }, { weight: 1, arbitrary: gsmToken }), 220),
  },
  {
    weight: 3,
    arbitrary: tokens(fc.oneof({ weight: 12, arbitrary: tibetanToken }, { weight: 1, arbitrary: gsmToken }), 45),
  },
  { weight: 3, arbitrary: tokens(mixedToken, 120) },
);

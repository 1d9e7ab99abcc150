/**
 * Tibetan orthography and punctuation checks: the fifteen automated checks of
 * `../shared/reference/tibetan-orthography.md` §7 (rules R1–R14; the numbers below are that
 * section's). Pure, no I/O: tests run it over every `bo` string of `locales/` and over every
 * composed Tibetan SMS; anything a rule cannot decide is a `warning`, not an `error`.
 *
 * Written by hand: no library checks Tibetan punctuation (tsheg/shad/space rules) or syllable
 * structure in JavaScript, and the rules are sourced conventions of our own house style.
 *
 * | check | rule | what |
 * |---|---|---|
 * | 1 | R10 | no discouraged or deprecated code point (U+0F73 U+0F75 U+0F77 U+0F79 U+0F81) |
 * | 2 | R11 | NFC |
 * | 3 | R6 R9 R13 | only letters, ི ུ ེ ོ, subjoined letters, ་ ༌ །, digits; ཱ ཾ only in allow-listed syllables; outside the block printable ASCII (and `allowChars`) |
 * | 4 | R13 | no invisible character or non-ASCII space |
 * | 5 | R12 | combining marks only after a base; subjoined letters before the vowel; one vowel sign per stack |
 * | 6 | R14 | every syllable is standard Tibetan or on the allow-list |
 * | 7 | R2 | no ་/༌ before ། except after ང(+vowel) |
 * | 8 | R1 | ང(+vowel) is never directly followed by ། |
 * | 9 | R4 | no space between Tibetan syllables, except after ། or a bare ཀ/ག (R3) or a quoted keyword |
 * | 10 | R5 | no space before ། (except after a bare ཀ/ག); ། followed by one space or the end; no ་་, ། ། or leading ་/། |
 * | 11 | R3 | warning: a bare ཀ/ག(+vowel) directly followed by ། |
 * | 12 | R8 R9 | a Tibetan letter is not directly followed by a digit (`སྒོར་5.00`); one digit script per number; "." as decimal point |
 * | 13 | §5 | SMS parts (`checkSegments`): cut after ་ or a space, each part starts with a letter or digit |
 * | 14 | R7 | a whole message (`{ message: true }`) ends with ། or a bare ཀ/ག |
 * | 15 | R1 R3 | template tests with names ending in ང, ཀ/ག and digits: the tests' job |
 */

export type OrthographyLevel = 'error' | 'warning';

export interface OrthographyFinding {
  /** The check's number in §7 of tibetan-orthography.md. */
  check: number;
  /** The rule(s) it enforces, e.g. "R1". */
  rule: string;
  level: OrthographyLevel;
  /** UTF-16 index into the text where the problem is. */
  index: number;
  /** A few characters around it. */
  excerpt: string;
  message: string;
}

export interface OrthographyOptions {
  /**
   * More syllables accepted although they are not standard Tibetan (loanwords, names,
   * Sanskrit), besides `REVIEWED_SYLLABLES`: R14 passes them, and ཱ ཾ may appear in them.
   */
  allowSyllables?: Iterable<string>;
  /**
   * Keywords quoted in help text (what to type: `རོགས་རམ་ ཞེས་བཏང་།`, `སྐད་ཡིག་ བོད་སྐད`): a space may
   * follow or precede one, as it does in the SMS to type. Written without a trailing tsheg.
   */
  keywords?: Iterable<string>;
  /** Characters outside the Tibetan block and printable ASCII that are accepted (e.g. “ ”). */
  allowChars?: RegExp;
  /** The text is a whole message: check 14 applies (it must end with ། or a bare ཀ/ག). */
  message?: boolean;
}

/**
 * Syllables that are not standard Tibetan (R14) but are accepted, each with the reason: loans,
 * names, Sanskrit. Every one is listed in locales/REVIEW.md for a native speaker; add to it
 * only what a source attests (the glossary row says which).
 */
export const REVIEWED_SYLLABLES: ReadonlyMap<string, string> = new Map([
  [
    'པའེ',
    'cabbage alias པའེ་ཚལ: a loan from Chinese 白菜 (glossary `cabbage`, medium: the written form of the loan varies)',
  ],
]);

// ---------------------------------------------------------------------------------------------
// character classes

const TSHEG = 0x0f0b;
const NB_TSHEG = 0x0f0c;
const SHAD = 0x0f0d;
const NGA = 0x0f44;
const KA = 0x0f40;
const GA = 0x0f42;
const SPACE = 0x20;

const isLetter = (cp: number) => cp >= 0x0f40 && cp <= 0x0f6c;
const isSubjoined = (cp: number) => cp >= 0x0f8d && cp <= 0x0fbc;
/** Vowel signs, the composed (discouraged) ones included. */
const isVowelSign = (cp: number) => (cp >= 0x0f72 && cp <= 0x0f7d) || cp === 0x0f80 || cp === 0x0f81;
const isTibetanMark = (cp: number) =>
  (cp >= 0x0f71 && cp <= 0x0f87 && cp !== 0x0f7f && cp !== 0x0f85) ||
  isSubjoined(cp) ||
  cp === 0x0fc6 ||
  cp === 0x0f18 ||
  cp === 0x0f19 ||
  cp === 0x0f35 ||
  cp === 0x0f37 ||
  cp === 0x0f39 ||
  cp === 0x0f3e ||
  cp === 0x0f3f;
/** Part of a syllable: a letter or anything stacked on one. */
const isSyllableChar = (cp: number) => isLetter(cp) || isTibetanMark(cp) || cp === 0x0f7f;
const isTsheg = (cp: number) => cp === TSHEG || cp === NB_TSHEG;
const isAsciiDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;
const isTibetanDigit = (cp: number) => cp >= 0x0f20 && cp <= 0x0f29;
const isDigit = (cp: number) => isAsciiDigit(cp) || isTibetanDigit(cp) || (cp >= 0x0f2a && cp <= 0x0f33);

/** R10: discouraged (names list) or deprecated (UCD) code points. */
const DISCOURAGED = new Set([0x0f73, 0x0f75, 0x0f77, 0x0f79, 0x0f81]);
const DEPRECATED = /\p{Deprecated}/u;

/** Check 3: what may appear inside the Tibetan block. */
function allowedTibetan(cp: number): boolean {
  if (cp >= 0x0f40 && cp <= 0x0f69) return cp !== 0x0f48; // letters (0F6A–0F6C: fixed ra, Balti: no)
  if (cp >= 0x0f90 && cp <= 0x0fb9) return cp !== 0x0f98; // subjoined letters (0FBA–0FBC fixed forms: no)
  return (
    cp === 0x0f72 ||
    cp === 0x0f74 ||
    cp === 0x0f7a ||
    cp === 0x0f7c ||
    cp === TSHEG ||
    cp === NB_TSHEG ||
    cp === SHAD ||
    isTibetanDigit(cp)
  );
}
/** Allowed only inside an allow-listed syllable: a-chung (ཱ) and anusvara (ཾ). */
const ALLOW_LISTED_ONLY = new Set([0x0f71, 0x0f7e]);

/** Check 4: invisible characters and spaces other than U+0020. */
// (The combining grapheme joiner and the Hangul fillers U+115F, U+1160 stand apart: in a class they
// would read as joined to the character before them.)
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\u3164\uFFA0\u180E]|\u034F|\u115F|\u1160/u;

const printableAscii = (cp: number) => cp >= 0x20 && cp <= 0x7e;

// ---------------------------------------------------------------------------------------------
// syllables (R14)

/** A letter's subjoined form: ཀ U+0F40 → ྐ U+0F90 (the block keeps them 0x50 apart). */
const sub = (letter: string) => String.fromCodePoint(letter.codePointAt(0)! + 0x50);
/** A stack: the top letter as written, the rest subjoined. */
const stack = (letters: string) => [...letters].map((l, i) => (i === 0 ? l : sub(l))).join('');
const spaced = (s: string) => s.split(' ').filter(Boolean);

/** The 30 consonants that may be a syllable's root. */
const ROOTS = [...'ཀཁགངཅཆཇཉཏཐདནཔཕབམཙཚཛཝཞཟའཡརལཤསཧཨ'];

/**
 * Stacks (superscript + root + subscripts), written top to bottom as plain letters: the
 * combinations standard orthography allows (superscripts ར ལ ས, subscripts ཡ ར ལ ཝ).
 */
const STACKS = spaced(
  // ར on top
  'རཀ རག རང རཇ རཉ རཏ རད རན རབ རམ རཙ རཛ ' +
    // ལ on top
    'ལཀ ལག ལང ལཅ ལཇ ལཏ ལད ལཔ ལབ ལཧ ' +
    // ས on top
    'སཀ སག སང སཉ སཏ སད སན སཔ སབ སམ སཙ ' +
    // ཡ below
    'ཀཡ ཁཡ གཡ པཡ ཕཡ བཡ མཡ ' +
    // ར below
    'ཀར ཁར གར ཏར ཐར དར པར ཕར བར མར ཤར སར ཧར ' +
    // ལ below
    'ཀལ གལ བལ ཟལ རལ སལ ' +
    // ཝ below (wa-zur)
    'ཀཝ ཁཝ གཝ ཉཝ ཏཝ དཝ ཙཝ ཚཝ ཞཝ ཟཝ རཝ ལཝ ཤཝ སཝ ཧཝ ' +
    // on top and below
    'རཀཡ རགཡ རམཡ སཀཡ སགཡ སཔཡ སབཡ སམཡ སཀར སགར སནར སཔར སབར སམར གརཝ རཙཝ ཕཡཝ སཏཝ དརཝ',
).map(stack);

/** Which roots and stacks each prefix letter (ག ད བ མ འ) may stand before. */
const PREFIXED: Record<string, string> = {
  ག: 'ཅ ཉ ཏ ད ན ཙ ཞ ཟ ཡ ཤ ས ཏར',
  ད: 'ཀ ག ང པ བ མ ཀཡ གཡ པཡ བཡ མཡ ཀར གར པར བར མར ཀལ',
  བ: 'ཀ ག ཅ ཏ ད ཙ ཞ ཟ ཤ ས ཀཡ གཡ ཀར གར ཏར སར ཀལ གལ ཟལ རལ སལ རཀ རག རང རཇ རཉ རཏ རད རན རཙ རཛ ལཏ ལད སཀ སག སང སཉ སཏ སད སན སཙ རཀཡ རགཡ སཀཡ སགཡ སཀར སགར',
  མ: 'ཁ ག ང ཆ ཇ ཉ ཐ ད ན ཚ ཛ ཁཡ གཡ ཁར གར དར',
  འ: 'ཁ ག ཆ ཇ ཐ ད ཕ བ ཚ ཛ ཁཡ གཡ ཕཡ བཡ ཁར གར དར ཕར བར',
};

/** Every onset (prefix + stack) a standard syllable may start with. */
const ONSETS: string[] = [
  ...ROOTS,
  ...STACKS,
  ...Object.entries(PREFIXED).flatMap(([prefix, stacks]) => spaced(stacks).map((s) => prefix + stack(s))),
].sort((a, b) => b.length - a.length);

/**
 * What may follow the onset: an optional vowel sign (ི ུ ེ ོ), then a suffix (ག ང ད ན བ མ འ ར ལ ས),
 * a second suffix ས after ག ང བ མ, or the particles that join an open syllable (འི འོ འང འམ ར ས,
 * also after འུ).
 */
const CODAS: Set<string> = (() => {
  const particles = ['འི', 'འོ', 'འང', 'འམ', 'ར', 'ས'];
  const finals = ['', ...'གངདནབམའརལས', 'གས', 'ངས', 'བས', 'མས', 'འུ', ...particles, ...particles.map((p) => `འུ${p}`)];
  return new Set(['', '\u0f72', '\u0f74', '\u0f7a', '\u0f7c'].flatMap((v) => finals.map((f) => v + f)));
})();

/**
 * Whether a syllable (letters and marks, no tsheg) is standard Tibetan (R14): an onset from a
 * closed set, then a closed set of vowel + suffix endings. Loanwords, names and Sanskrit need
 * the allow-list.
 *
 * @example isStandardSyllable('བསྐོར') // true
 * @example isStandardSyllable('ནཀ') // false: ཀ is no suffix
 */
export function isStandardSyllable(syllable: string): boolean {
  return ONSETS.some((onset) => syllable.startsWith(onset) && CODAS.has(syllable.slice(onset.length)));
}

/** The syllables of a text (runs of letters and the marks stacked on them), with their index. */
export function tibetanSyllables(text: string): Array<{ syllable: string; index: number }> {
  const out: Array<{ syllable: string; index: number }> = [];
  let start = -1;
  let i = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (isSyllableChar(cp) && cp !== 0x0f7f) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push({ syllable: text.slice(start, i), index: start });
      start = -1;
    }
    i += ch.length;
  }
  if (start >= 0) out.push({ syllable: text.slice(start), index: start });
  return out;
}

// ---------------------------------------------------------------------------------------------
// helpers over code points

interface Cp {
  cp: number;
  index: number;
}

function codePoints(text: string): Cp[] {
  const out: Cp[] = [];
  let index = 0;
  for (const ch of text) {
    out.push({ cp: ch.codePointAt(0)!, index });
    index += ch.length;
  }
  return out;
}

/**
 * Whether the syllable ending just before code point `end` (exclusive) ends in ང, optionally
 * with a vowel sign (R1: ང་།, ངོ་།).
 */
function endsInNga(cps: Cp[], end: number): boolean {
  let i = end - 1;
  if (i >= 0 && isVowelSign(cps[i]!.cp)) i--;
  return i >= 0 && cps[i]!.cp === NGA;
}

/**
 * Whether the syllable ending just before `end` ends in a bare ཀ or ག (R3): the letter itself,
 * not subjoined, with no subjoined letter under it, optionally with a vowel sign.
 */
function endsInBareKaGa(cps: Cp[], end: number): boolean {
  let i = end - 1;
  if (i >= 0 && isVowelSign(cps[i]!.cp)) i--;
  return i >= 0 && (cps[i]!.cp === KA || cps[i]!.cp === GA);
}

/** The Tibetan word (syllables and tsheg) that ends at code point `end`, without its tsheg. */
function wordBefore(cps: Cp[], text: string, end: number): string {
  let i = end;
  while (i > 0 && (isSyllableChar(cps[i - 1]!.cp) || isTsheg(cps[i - 1]!.cp))) i--;
  return stripTsheg(text.slice(cps[i]?.index ?? text.length, cps[end]?.index ?? text.length));
}

/** The Tibetan word that starts at code point `start`, without a closing tsheg or shad. */
function wordAfter(cps: Cp[], text: string, start: number): string {
  let i = start;
  while (i < cps.length && (isSyllableChar(cps[i]!.cp) || isTsheg(cps[i]!.cp))) i++;
  return stripTsheg(text.slice(cps[start]?.index ?? text.length, cps[i]?.index ?? text.length));
}

const stripTsheg = (s: string) => s.replace(/^[\u0f0b\u0f0c]+|[\u0f0b\u0f0c\u0f0d]+$/gu, '');

function excerptAt(text: string, index: number): string {
  return text.slice(Math.max(0, index - 6), index + 6);
}

// ---------------------------------------------------------------------------------------------
// the checks

/**
 * Runs checks 1–12 (and 14 with `{ message: true }`) over a text. Text outside Tibetan (Latin,
 * digits, `{{placeholders}}`) is checked only where it touches Tibetan and for stray code points.
 */
export function checkTibetan(text: string, options: OrthographyOptions = {}): OrthographyFinding[] {
  const findings: OrthographyFinding[] = [];
  const allow = new Set([...REVIEWED_SYLLABLES.keys(), ...(options.allowSyllables ?? [])]);
  const keywords = new Set([...(options.keywords ?? [])].map(stripTsheg));
  const cps = codePoints(text);
  const add = (check: number, rule: string, index: number, message: string, level: OrthographyLevel = 'error') =>
    findings.push({ check, rule, level, index, excerpt: excerptAt(text, index), message });

  // 2. NFC
  if (text !== text.normalize('NFC')) add(2, 'R11', 0, 'not in NFC');

  const allowListedAt = new Set<number>();
  // 6. syllables
  for (const { syllable, index } of tibetanSyllables(text)) {
    if (allow.has(syllable)) {
      for (let i = index; i < index + syllable.length; i++) allowListedAt.add(i);
      continue;
    }
    if (!isStandardSyllable(syllable))
      add(
        6,
        'R14',
        index,
        `"${syllable}" is not a standard Tibetan syllable (loanword or name: add it to the reviewed allow-list)`,
      );
  }

  let vowels = 0;
  let sawVowel = false;
  for (let i = 0; i < cps.length; i++) {
    const { cp, index } = cps[i]!;
    const prev = cps[i - 1]?.cp;
    const next = cps[i + 1]?.cp;
    const ch = String.fromCodePoint(cp);

    // 1. discouraged and deprecated code points
    if (DISCOURAGED.has(cp) || DEPRECATED.test(ch))
      add(1, 'R10', index, `U+${cp.toString(16).toUpperCase().padStart(4, '0')} is discouraged or deprecated`);
    // 4. invisible characters and non-ASCII spaces
    else if (cp !== SPACE && INVISIBLE.test(ch))
      add(4, 'R13', index, `invisible or non-ASCII space U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
    // 3. allowed code points
    else if (cp >= 0x0f00 && cp <= 0x0fff) {
      if (ALLOW_LISTED_ONLY.has(cp) ? !allowListedAt.has(index) : !allowedTibetan(cp)) {
        add(
          3,
          'R6 R9 R13',
          index,
          `U+${cp.toString(16).toUpperCase()} ${ch} is not used in our Tibetan text${ALLOW_LISTED_ONLY.has(cp) ? ' (only in allow-listed syllables)' : ''}`,
        );
      }
    } else if (!printableAscii(cp) && !options.allowChars?.test(ch))
      add(3, 'R13', index, `U+${cp.toString(16).toUpperCase()} ${ch} is outside printable ASCII`);

    // 5. combining marks: after a base, subjoined before vowel, one vowel per stack
    if (isLetter(cp)) {
      vowels = 0;
      sawVowel = false;
    } else if (/\p{M}/u.test(ch)) {
      const base =
        cp >= 0x0f00 && cp <= 0x0fff
          ? prev !== undefined && (isLetter(prev) || isTibetanMark(prev))
          : prev !== undefined && /[\p{L}\p{M}]/u.test(String.fromCodePoint(prev));
      if (!base) add(5, 'R12', index, 'a combining mark without a base letter');
      if (isSubjoined(cp) && sawVowel) add(5, 'R12', index, 'a subjoined letter after the vowel sign');
      if (isVowelSign(cp)) {
        vowels++;
        sawVowel = true;
        if (vowels > 1) add(5, 'R12', index, 'more than one vowel sign on a stack');
      }
    }

    if (cp === SHAD) {
      // 7. no tsheg before a shad, except after ང
      if (prev !== undefined && isTsheg(prev) && !endsInNga(cps, i - 1))
        add(7, 'R2', index, 'a tsheg before the shad (only ང keeps it: ང་།)');
      // 8. ང directly before a shad
      if (endsInNga(cps, i)) add(8, 'R1', index, 'ང before a shad needs its tsheg: ང་།');
      // 11. (warning) bare ཀ/ག before a shad
      else if (prev !== undefined && isSyllableChar(prev) && endsInBareKaGa(cps, i)) {
        add(11, 'R3', index, 'a shad after a bare ཀ/ག is usually left out (ག or ག །); sources differ', 'warning');
      }
      // 10. spaces around the shad
      if (prev === SPACE) {
        let j = i - 1;
        while (j >= 0 && cps[j]!.cp === SPACE) j--;
        if (!(j >= 0 && isSyllableChar(cps[j]!.cp) && endsInBareKaGa(cps, j + 1)))
          add(10, 'R5', index, 'a space before the shad (only after a bare ཀ/ག)');
      }
      if (next !== undefined && next !== SPACE)
        add(10, 'R5', index, 'a shad followed by text needs one space after it');
      if (next === SPACE && (cps[i + 2]?.cp === SPACE || cps[i + 2]?.cp === SHAD))
        add(10, 'R5 R6', index, 'one space after a shad, and no "། །" in an SMS');
    }

    if (isTsheg(cp)) {
      if (next !== undefined && isTsheg(next)) add(10, 'R5', index, 'two tsheg in a row');
      if (prev === undefined || prev === SPACE || prev === SHAD)
        add(10, 'R5', index, 'a tsheg that follows no syllable');
    }
    if (cp === SHAD && prev === undefined) add(10, 'R5', index, 'a text does not start with a shad');

    // 9. spaces between Tibetan syllables
    if (cp === SPACE && prev !== undefined && (isSyllableChar(prev) || isTsheg(prev))) {
      let j = i;
      while (j < cps.length && cps[j]!.cp === SPACE) j++;
      const after = cps[j]?.cp;
      if (after !== undefined && isLetter(after)) {
        const bareKaGa = isSyllableChar(prev) && endsInBareKaGa(cps, i);
        const quoted = keywords.has(wordBefore(cps, text, i)) || keywords.has(wordAfter(cps, text, j));
        if (!bareKaGa && !quoted) {
          add(
            9,
            'R4',
            index,
            isTsheg(prev)
              ? 'a space after a tsheg, before a syllable'
              : 'a space between two Tibetan syllables (use ་, or ། and a space between phrases)',
          );
        }
      }
    }

    // 12. numbers
    if (isDigit(cp) && prev !== undefined && isSyllableChar(prev))
      add(12, 'R8', index, 'a Tibetan syllable directly before a digit: write ་ between them (སྒོར་5.00)');
    if (isDigit(cp) && (prev === undefined || !isDigit(prev))) {
      // the whole number: digits with single separators between them
      let j = i;
      let ascii = false;
      let tibetan = false;
      while (j < cps.length) {
        const c = cps[j]!.cp;
        if (isDigit(c)) {
          if (isAsciiDigit(c)) ascii = true;
          else tibetan = true;
          j++;
        } else if (
          j + 1 < cps.length &&
          isDigit(cps[j + 1]!.cp) &&
          (c === 0x2e || isTsheg(c) || c === 0xb7 || c === 0x066b || c === 0xff0e)
        ) {
          if (c !== 0x2e) add(12, 'R9', cps[j]!.index, 'the decimal point is the ASCII "."');
          j++;
        } else break;
      }
      if (ascii && tibetan) add(12, 'R9', index, 'ASCII and Tibetan digits in one number');
    }
  }

  // 14. a whole message ends with ། (R1 is checks 7 and 8) or a bare ཀ/ག
  if (options.message) {
    const trimmed = text.trimEnd();
    const last = codePoints(trimmed);
    const end = last.length;
    const endsWell =
      end > 0 && (last[end - 1]!.cp === SHAD || (isSyllableChar(last[end - 1]!.cp) && endsInBareKaGa(last, end)));
    if (!endsWell) add(14, 'R7', Math.max(0, trimmed.length - 1), 'a Tibetan message ends with ། (or a bare ཀ/ག)');
  }
  return findings;
}

/**
 * Check 13, over the parts an SMS is sent as: every cut is after ་ or a space, and the next
 * part starts with a letter or a digit (so never with a shad or a space, and never between
 * ང་ and །).
 */
export function checkSegments(parts: readonly string[]): OrthographyFinding[] {
  const findings: OrthographyFinding[] = [];
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    if (i > 0) {
      const before = parts[i - 1]!.codePointAt(parts[i - 1]!.length - 1) ?? 0;
      const after = part.codePointAt(0) ?? 0;
      const cutAfterOk = before === TSHEG || before === SPACE || before === 0x0a;
      const startsOk = /^[\p{L}\p{N}]/u.test(part);
      const context = `${parts[i - 1]!.slice(-6)}|${part.slice(0, 6)}`;
      if (!cutAfterOk)
        findings.push({
          check: 13,
          rule: '§5',
          level: 'error',
          index: at,
          excerpt: context,
          message: `part ${i + 1} is cut after U+${before.toString(16).toUpperCase()}, not after ་ or a space`,
        });
      if (!startsOk)
        findings.push({
          check: 13,
          rule: '§5',
          level: 'error',
          index: at,
          excerpt: context,
          message: `part ${i + 1} starts with U+${after.toString(16).toUpperCase()}, not a letter or digit`,
        });
    }
    at += part.length;
  }
  return findings;
}

/** Only the errors (warnings are for review, not for failing a test). */
export const errorsOf = (findings: readonly OrthographyFinding[]) => findings.filter((f) => f.level === 'error');

/** One line per finding, for assertion messages. */
export const describeFindings = (findings: readonly OrthographyFinding[]) =>
  findings.map((f) => `check ${f.check} (${f.rule}) at ${f.index} "${f.excerpt}": ${f.message}`).join('\n');

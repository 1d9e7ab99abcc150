/**
 * SMS segment arithmetic and safe splitting.
 *
 * Encoding: GSM-7 when every character is in the GSM 03.38 default alphabet or its extension
 * table, else UCS-2. Capacities (140 octets of user data per SMS; a part of a concatenated
 * message gives 6 octets to the user data header):
 *
 * | encoding | unit                        | one SMS | per part of a long message |
 * |----------|-----------------------------|---------|----------------------------|
 * | GSM-7    | septet (extension table: 2) | 160     | 153                        |
 * | UCS-2    | UTF-16 code unit            | 70      | 67                         |
 *
 * A message that fits one SMS is one segment, whatever it holds (the empty message too).
 * A longer one is cut into parts, and the cut never falls
 * - inside a character: an extension-table character's escape and code stay together (a part
 *   then holds 152 septets), and a surrogate pair stays together (a part then holds 66 units);
 * - inside a grapheme cluster (Intl.Segmenter): a base letter and its combining marks, an emoji
 *   ZWJ sequence, a flag, a CR LF pair; nor before any combining mark (a stray mark after a
 *   line break is a cluster of its own in UAX #29, but must not start a part either);
 * - inside a Tibetan syllable: between two characters of U+0F40–U+0FBC (letters, subjoined
 *   letters, vowel signs and other marks), before the tsheg or shad that closes a syllable, or
 *   right after a non-breaking tsheg (U+0F0C);
 * - in a text with Tibetan in it, anywhere but after a tsheg or a space and before a letter or
 *   digit: a part never starts with a shad, a space or other punctuation, so there is no cut
 *   between ང་ and །, none inside `། །` or `ག །`, none between a number and its sign
 *   (tibetan-orthography.md §5).
 * These are the hard rules. Only a run that is itself longer than a whole part (not a real
 * syllable or grapheme) is cut at the next weaker rule: grapheme clusters, then code points.
 *
 * Among the cuts the hard rules allow, a cut between words is preferred — after a space, after a
 * tsheg or shad, after CJK punctuation, on either side of a Han character (never before closing
 * punctuation, a tsheg or a shad, nor after an opening bracket) — but only when it costs no
 * extra part: the splitter first finds the fewest parts the hard rules allow, then moves each cut
 * back to a preferred place when the rest still fits in the parts that are left.
 *
 * `segmentsOf` counts exactly the parts that `splitIntoSegments` produces, so the count is honest
 * about what is sent. Compared with plain arithmetic (⌈units / 153⌉ or ⌈units / 67⌉) the count is
 * one part higher only when the hard rules waste room at a cut: an extension character or a
 * surrogate pair at the edge (1 unit), a grapheme cluster or a Tibetan syllable that would
 * straddle the cut (a Tibetan syllable is at most a dozen or so units, so a Tibetan reply can lose
 * that much room per part). Word preference never costs a part.
 */
import { gsm7Septets } from './gsm7.ts';

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SegmentInfo {
  encoding: SmsEncoding;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  units: number;
  /** Parts the message is sent as; at least 1. */
  segments: number;
  /** Units one part can hold: 160 or 70 for a single SMS, 153 or 67 for a part of a long one. */
  perSegment: number;
}

export interface SegmentedText extends SegmentInfo {
  /** The parts, in order; `parts.join('') === text` and `parts.length === segments`. */
  parts: string[];
}

export const GSM7_SINGLE = 160;
export const GSM7_PER_PART = 153;
export const UCS2_SINGLE = 70;
export const UCS2_PER_PART = 67;

/** A place between two code points where a message may be cut. */
export interface Boundary {
  /** UTF-16 index into the text. */
  index: number;
  /** True for a cut between words: after a space, tsheg, shad or CJK punctuation, beside Han. */
  preferred: boolean;
}

// ---------------------------------------------------------------------------------------------
// character classes

const TSHEG = 0x0f0b;
const NON_BREAKING_TSHEG = 0x0f0c;

/** Characters that make up a Tibetan syllable: letters, subjoined letters, vowel signs, marks. */
function isTibetanSyllableChar(cp: number): boolean {
  return (
    (cp >= 0x0f40 && cp <= 0x0fbc) ||
    cp === 0x0f35 ||
    cp === 0x0f37 ||
    cp === 0x0f39 ||
    cp === 0x0f3e ||
    cp === 0x0f3f ||
    cp === 0x0fc6
  );
}

/** Tsheg and the shad family: they close a syllable or a clause. */
function isTibetanDelimiter(cp: number): boolean {
  return cp === TSHEG || cp === NON_BREAKING_TSHEG || (cp >= 0x0f0d && cp <= 0x0f12) || cp === 0x0f14;
}

/** Whitespace that allows a break (no-break spaces excluded). */
function isBreakingSpace(cp: number): boolean {
  return (
    cp === 0x20 ||
    (cp >= 0x09 && cp <= 0x0d) ||
    cp === 0x1680 ||
    (cp >= 0x2000 && cp <= 0x2006) ||
    (cp >= 0x2008 && cp <= 0x200a) ||
    cp === 0x2028 ||
    cp === 0x2029 ||
    cp === 0x205f ||
    cp === 0x3000
  );
}

/** CJK punctuation that ends a clause: a preferred cut may follow it, never precede it. */
const CJK_CLOSING = new Set([
  0x3001, 0x3002, 0x3009, 0x300b, 0x300d, 0x300f, 0x3011, 0x3015, 0x3017, 0x3019, 0x301b, 0xff01, 0xff09, 0xff0c,
  0xff0e, 0xff1a, 0xff1b, 0xff1f, 0xff3d, 0xff5d,
]);

/** CJK opening brackets: no preferred cut right after one. */
const CJK_OPENING = new Set([
  0x3008, 0x300a, 0x300c, 0x300e, 0x3010, 0x3014, 0x3016, 0x3018, 0x301a, 0xff08, 0xff3b, 0xff5b,
]);

const HAN = /\p{Script=Han}/u;
function isHan(cp: number): boolean {
  return cp >= 0x2e80 && HAN.test(String.fromCodePoint(cp));
}

const MARK = /^\p{M}/u;

/**
 * A hard rule forbids cutting between `a` and `b` (code points). Besides the Tibetan rules, a
 * part never starts with a combining mark, not even where UAX #29 allows it (a mark after a
 * control character such as CR or LF begins a cluster of its own).
 */
const startsWithMark = (cp: number) => cp >= 0x0300 && MARK.test(String.fromCodePoint(cp));

function glued(a: number, b: number): boolean {
  if (a === NON_BREAKING_TSHEG) return true;
  if (startsWithMark(b)) return true;
  return isTibetanSyllableChar(a) && (isTibetanSyllableChar(b) || isTibetanDelimiter(b));
}

/** Text with anything of the Tibetan block in it: the Tibetan line-breaking rules apply. */
const TIBETAN_TEXT = /[\u0F00-\u0FFF]/u;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]/u;

/**
 * In Tibetan text, a part is cut only after a tsheg or a space and starts with a letter or a
 * digit (tibetan-orthography.md §5, after W3C tlreq and Digital Tibetan: "a line must never
 * start with a shad, space, or other punctuation sign"). So never before a shad — not between
 * ང་ and །, not inside `། །` or `ག །` —, never before a space, and never after a shad (its space
 * goes with it).
 */
function tibetanCut(a: number, b: number): boolean {
  return (a === TSHEG || isBreakingSpace(a)) && LETTER_OR_DIGIT.test(String.fromCodePoint(b));
}

/** A cut between `a` and `b` is between words (given that the hard rules allow it). */
function preferredBetween(a: number, b: number): boolean {
  if (CJK_CLOSING.has(b) || isTibetanDelimiter(b)) return false;
  return (
    isBreakingSpace(a) ||
    (isTibetanDelimiter(a) && a !== NON_BREAKING_TSHEG) ||
    CJK_CLOSING.has(a) ||
    // Chinese has no spaces: a break may fall on either side of a Han character
    (isHan(a) && !isBreakingSpace(b)) ||
    (isHan(b) && !CJK_OPENING.has(a) && !isBreakingSpace(a))
  );
}

// ---------------------------------------------------------------------------------------------
// encoding and units

/** 'GSM-7' when every character of `text` has a GSM 03.38 code, else 'UCS-2'. */
export function encodingOf(text: string): SmsEncoding {
  for (const ch of text) {
    if (gsm7Septets(ch) === undefined) return 'UCS-2';
  }
  return 'GSM-7';
}

/** Units of one code point in an encoding. */
function unitCost(ch: string, encoding: SmsEncoding): number {
  return encoding === 'GSM-7' ? (gsm7Septets(ch) ?? 2) : ch.length;
}

/** Septets (GSM-7) or UTF-16 code units (UCS-2) of `text` in `encoding` (default: its own). */
export function unitsOf(text: string, encoding: SmsEncoding = encodingOf(text)): number {
  if (encoding === 'UCS-2') return text.length;
  let units = 0;
  for (const ch of text) units += unitCost(ch, 'GSM-7');
  return units;
}

// ---------------------------------------------------------------------------------------------
// boundaries

let graphemeSegmenter: Intl.Segmenter | undefined;
function graphemeStarts(text: string): Set<number> {
  graphemeSegmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' });
  const starts = new Set<number>();
  for (const { index } of graphemeSegmenter.segment(text)) starts.add(index);
  starts.add(text.length);
  return starts;
}

interface CodePoint {
  index: number;
  cp: number;
  ch: string;
}

function codePoints(text: string): CodePoint[] {
  const out: CodePoint[] = [];
  let index = 0;
  for (const ch of text) {
    out.push({ index, cp: ch.codePointAt(0)!, ch });
    index += ch.length;
  }
  return out;
}

/**
 * Strength of the rule that a cut at a code point boundary respects: 0 between code points only,
 * 1 between grapheme clusters, 2 between grapheme clusters and outside Tibetan syllables (every
 * hard rule).
 */
type Level = 0 | 1 | 2;
const Level = { CodePoint: 0, Grapheme: 1, Safe: 2 } as const;

interface Analysis {
  cps: CodePoint[];
  /** level[i]: the strongest rule a cut before cps[i] respects (i in 1..cps.length-1). */
  level: Level[];
  preferred: boolean[];
}

function analyse(text: string): Analysis {
  const cps = codePoints(text);
  const starts = graphemeStarts(text);
  const tibetan = TIBETAN_TEXT.test(text);
  const level: Level[] = new Array<Level>(cps.length).fill(Level.CodePoint);
  const preferred: boolean[] = new Array<boolean>(cps.length).fill(false);
  for (let i = 1; i < cps.length; i++) {
    const here = cps[i]!;
    const a = cps[i - 1]!.cp;
    if (!starts.has(here.index)) continue;
    if (glued(a, here.cp) || (tibetan && !tibetanCut(a, here.cp))) {
      // A combining mark begins a cluster of its own only after a control (a mark after LF): a
      // cut there is a last resort, with the cuts inside clusters, not one of the grapheme cuts
      // a run too long for a part falls back to (a part would start with the mark).
      level[i] = startsWithMark(here.cp) ? Level.CodePoint : Level.Grapheme;
      continue;
    }
    level[i] = Level.Safe;
    preferred[i] = preferredBetween(a, here.cp);
  }
  return { cps, level, preferred };
}

/**
 * The places where every hard rule allows a cut, in order, excluding the start and the end of
 * the text; `preferred` marks those between words.
 */
export function safeBoundaries(text: string): Boundary[] {
  const { cps, level, preferred } = analyse(text);
  const out: Boundary[] = [];
  for (let i = 1; i < cps.length; i++) {
    if (level[i] === Level.Safe) out.push({ index: cps[i]!.index, preferred: preferred[i]! });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// splitting

interface Atom {
  start: number; // code point index
  end: number; // exclusive
  cost: number;
  preferredBefore: boolean;
}

/** Cut the code points into indivisible atoms no larger than `cap`, weakening rules only where needed. */
function atomsOf(analysis: Analysis, costs: number[], cap: number): Atom[] {
  const { cps, level, preferred } = analysis;
  const atoms: Atom[] = [];
  const push = (start: number, end: number, minLevel: Level): void => {
    let cost = 0;
    for (let i = start; i < end; i++) cost += costs[i]!;
    if (cost <= cap || minLevel === Level.CodePoint || end - start === 1) {
      atoms.push({ start, end, cost, preferredBefore: start > 0 && preferred[start]! });
      return;
    }
    // Too big for one part (a run that is no real syllable or grapheme): cut it at the next
    // weaker rule.
    const weaker = (minLevel - 1) as Level;
    let from = start;
    for (let i = start + 1; i < end; i++) {
      if (level[i]! >= weaker) {
        push(from, i, weaker);
        from = i;
      }
    }
    push(from, end, weaker);
  };
  let from = 0;
  for (let i = 1; i < cps.length; i++) {
    if (level[i] === Level.Safe) {
      push(from, i, Level.Safe);
      from = i;
    }
  }
  if (cps.length > 0) push(from, cps.length, Level.Safe);
  return atoms;
}

/**
 * Fewest parts of at most `cap` units, then each cut moved back to a preferred place when the
 * atoms after it still fit in the parts left. Returns the atom index where each part starts.
 */
function pack(atoms: Atom[], cap: number): number[] {
  const m = atoms.length;
  // reach[j]: first atom that no longer fits in a part starting at atom j (greedy fill)
  const reach = new Array<number>(m);
  // (every atom fits a part, so reach[j] > j; `sum` is the cost of atoms j..k-1)
  let k = 0;
  let sum = 0;
  for (let j = 0; j < m; j++) {
    while (k < m && sum + atoms[k]!.cost <= cap) {
      sum += atoms[k]!.cost;
      k++;
    }
    reach[j] = k;
    sum -= atoms[j]!.cost;
  }
  // fewest[j]: fewest parts for atoms j..m-1 (greedy furthest fill is optimal; non-increasing in j)
  const fewest = new Array<number>(m + 1);
  fewest[m] = 0;
  for (let j = m - 1; j >= 0; j--) fewest[j] = 1 + fewest[reach[j]!]!;

  const starts: number[] = [];
  let j = 0;
  let left = fewest[0]!;
  while (j < m) {
    starts.push(j);
    const far = reach[j]!;
    let end = far;
    if (far < m) {
      for (let e = far; e > j && fewest[e]! <= left - 1; e--) {
        if (atoms[e]!.preferredBefore) {
          end = e;
          break;
        }
      }
    }
    j = end;
    left -= 1;
  }
  return starts;
}

/** Encoding, units, the segment count and the parts themselves. */
export function segmentText(text: string): SegmentedText {
  const encoding = encodingOf(text);
  const units = unitsOf(text, encoding);
  const single = encoding === 'GSM-7' ? GSM7_SINGLE : UCS2_SINGLE;
  if (units <= single) return { encoding, units, segments: 1, perSegment: single, parts: [text] };

  const cap = encoding === 'GSM-7' ? GSM7_PER_PART : UCS2_PER_PART;
  const analysis = analyse(text);
  const costs = analysis.cps.map(({ ch }) => unitCost(ch, encoding));
  const atoms = atomsOf(analysis, costs, cap);
  const starts = pack(atoms, cap);
  const parts = starts.map((a, p) => {
    const from = analysis.cps[atoms[a]!.start]!.index;
    const nextAtom = starts[p + 1];
    const to = nextAtom === undefined ? text.length : analysis.cps[atoms[nextAtom]!.start]!.index;
    return text.slice(from, to);
  });
  return { encoding, units, segments: parts.length, perSegment: cap, parts };
}

/**
 * Encoding, units and the number of parts `text` is sent as (counted by the real split, see
 * the module comment). The empty text is one segment.
 */
export function segmentsOf(text: string): SegmentInfo {
  const { encoding, units, segments, perSegment } = segmentText(text);
  return { encoding, units, segments, perSegment };
}

/**
 * The parts `text` is sent as, cut only where the hard rules allow and between words where that
 * costs no extra part. `splitIntoSegments(x).join('') === x`; the empty text gives `['']`.
 */
export function splitIntoSegments(text: string): string[] {
  return segmentText(text).parts;
}

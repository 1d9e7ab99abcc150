/**
 * Property tests of the segmenter, and a comparison with an independent implementation:
 * `sms-segments-calculator` (Twilio's Messaging Segment Calculator, a devDependency).
 *
 * What the reference does, and how it differs from us by rule choice (not by mistake):
 *
 * - Encoding: GSM-7 when every character is in the GSM 03.38 default alphabet or extension
 *   table, else UCS-2 — the same rule and the same table. Compared exactly, on every string.
 * - Capacity: 140 octets per SMS, 6 octets of UDH per part of a long message: 160/153 septets,
 *   70/67 UCS-2 units; an extension character and a surrogate pair stay in one part — the same.
 * - What may not be split: the reference packs whole grapheme clusters, found with the
 *   `grapheme-splitter` package, which implements an older UAX #29 (before Unicode 11's
 *   Extended_Pictographic rule, so it cuts ZWJ sequences such as ❤️‍🔥 after the ZWJ — the only
 *   cluster difference these generators meet); it also splits CR LF into two characters. We use Intl.Segmenter (current UAX #29: CR LF is one cluster) and add our
 *   own rules: never cut inside a Tibetan syllable or before the tsheg/shad that closes it
 *   (DESIGN.md, PRODUCT.md "never splits a Tibetan syllable across segments"), never before
 *   a combining mark (UAX #29 lets a stray mark after CR or LF begin a cluster), and in a text
 *   with Tibetan in it only after a tsheg or a space and before a letter or digit
 *   (tibetan-orthography.md §5: no part starts with a shad, a space or punctuation). A piece
 *   these rules make longer than a part is cut between its grapheme clusters instead.
 *
 * So the segment count is compared two ways:
 * 1. raw: the reference as it is. Equal on every string where none of the documented
 *    differences can matter (no Tibetan syllable cut, no CR LF, same grapheme clusters);
 *    on the others we may only be *more* conservative (never fewer parts).
 * 2. adjusted: the reference's own packing (`_buildSegments`: its bit arithmetic, UDH and
 *    segment building) fed with the indivisible pieces our documented rules define, written out
 *    independently below. Equal on every string where that packing is valid: it can overfill a
 *    part when a piece is dozens of units long (a Tibetan text's run without a tsheg or space,
 *    see `referenceAdjusted`); those few are counted and skipped.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, test } from 'vitest';
import { segmentsOf, segmentText, splitIntoSegments } from '#core/sms/segments.ts';
import { smsText } from './arbitraries.ts';

const RUNS = Number(process.env.SMS_PROPERTY_RUNS ?? 10_000);

// --- the documented rules, written independently of functions/core/sms -----------------------

const graphemes = (text: string): string[] => [
  ...[...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)].map((s) => s.segment),
];
const inSyllable = (cp: number): boolean =>
  (cp >= 0x0f40 && cp <= 0x0fbc) || [0x0f35, 0x0f37, 0x0f39, 0x0f3e, 0x0f3f, 0x0fc6].includes(cp);
const closesSyllable = (cp: number): boolean =>
  cp === 0x0f0b || cp === 0x0f0c || (cp >= 0x0f0d && cp <= 0x0f12) || cp === 0x0f14;
const lastCp = (s: string): number => [...s].at(-1)!.codePointAt(0)!;
const firstCp = (s: string): number => s.codePointAt(0)!;
const hasTibetan = (text: string): boolean => /[\u0f00-\u0fff]/u.test(text);
const breakingSpace = (cp: number): boolean =>
  /^[ \t\n\v\f\r\u1680\u2000-\u2006\u2008-\u200a\u2028\u2029\u205f\u3000]$/u.test(String.fromCodePoint(cp));
/** The documented hard rules between two grapheme clusters (`tibetan`: the text has Tibetan in it). */
const mustJoin = (a: string, b: string, tibetan: boolean): boolean =>
  /^\p{M}/u.test(b) || // no part starts with a combining mark
  lastCp(a) === 0x0f0c || // nor right after a non-breaking tsheg
  (inSyllable(lastCp(a)) && (inSyllable(firstCp(b)) || closesSyllable(firstCp(b)))) || // nor inside a syllable
  (tibetan && !((lastCp(a) === 0x0f0b || breakingSpace(lastCp(a))) && /^[\p{L}\p{N}]/u.test(b))); // Tibetan text: after ་ or a space, before a letter or digit

const GSM_EXTENSION = '^{}\\[]~|€\f';
/** Units a piece costs in an encoding: septets (extension characters 2) or UTF-16 code units. */
const costOf = (piece: string, encoding: string): number =>
  encoding === 'UCS-2' ? piece.length : [...piece].reduce((n, c) => n + (GSM_EXTENSION.includes(c) ? 2 : 1), 0);

/**
 * Indivisible pieces: grapheme clusters (current UAX #29) joined where the hard rules forbid a
 * cut; a piece longer than a part (`cap` units) is its grapheme clusters again.
 */
function pieces(text: string, encoding = 'UCS-2', cap = Infinity): string[] {
  const tibetan = hasTibetan(text);
  const joined: string[][] = [];
  for (const g of graphemes(text)) {
    const last = joined.at(-1);
    if (last && mustJoin(last.join(''), g, tibetan)) last.push(g);
    else joined.push([g]);
  }
  return joined.flatMap((gs) => (costOf(gs.join(''), encoding) > cap ? gs : [gs.join('')]));
}

/**
 * The reference's packing (of `message`, made from `text`) over our pieces; undefined when it
 * overfills a part. (It packs the first part without a header and, when a second is needed,
 * moves what no longer fits after the header into the second without checking that it fits
 * there: harmless with characters, wrong with a piece of dozens of units, such as a run of a
 * Tibetan text without a tsheg or space.)
 */
function referenceAdjusted(text: string, message: SegmentedMessage): number | undefined {
  const first = message.encodedChars[0];
  if (first === undefined) return message.segmentsCount;
  type Char = typeof first;
  const EncodedChar = first.constructor as new (char: string, encoding: 'GSM-7' | 'UCS-2') => Char;
  const cap = message.encodingName === 'GSM-7' ? 153 : 67;
  const chars = pieces(text, message.encodingName, cap).map((p) => new EncodedChar(p, message.encodingName));
  const segments = message._buildSegments(chars);
  return segments.some((segment) => segment.freeSizeInBits() < 0) ? undefined : segments.length;
}

/** Whether one of the documented differences from the raw reference can matter for `text`. */
function documentedDifference(text: string, reference: SegmentedMessage): string | undefined {
  if (text.includes('\r\n')) return 'CR LF';
  const ours = graphemes(text);
  if (ours.length !== reference.graphemes.length || ours.some((g, i) => g !== reference.graphemes[i])) {
    return 'grapheme clusters';
  }
  for (let i = 1; i < ours.length; i++) {
    if (mustJoin(ours[i - 1]!, ours[i]!, false)) return /^\p{M}/u.test(ours[i]!) ? 'stray mark' : 'Tibetan syllable';
  }
  if (hasTibetan(text)) return 'Tibetan text';
  return undefined;
}

// ---------------------------------------------------------------------------------------------

const TIBETAN_MARK = /^[\u0f71-\u0f84\u0f90-\u0fbc]/u;
const LOW_SURROGATE = /^[\udc00-\udfff]/;

describe('segmenter properties', () => {
  test('parts join back to the text, fit their limit, and start cleanly', () => {
    fc.assert(
      fc.property(smsText, (text) => {
        const { parts, segments, encoding, perSegment } = segmentText(text);
        assert.equal(parts.join(''), text);
        // where a part may start: the start of an indivisible piece
        const starts = new Set<number>();
        let at = 0;
        for (const piece of pieces(text, encoding, segments > 1 ? perSegment : Infinity)) {
          starts.add(at);
          at += piece.length;
        }
        assert.equal(parts.length, segments);
        assert.deepEqual(splitIntoSegments(text), parts);
        for (const [i, part] of parts.entries()) {
          const units =
            encoding === 'UCS-2'
              ? part.length
              : [...part].reduce((n, c) => n + ('^{}\\[]~|€\f'.includes(c) ? 2 : 1), 0);
          assert.ok(units <= perSegment, `part ${i} has ${units} > ${perSegment} units`);
          if (segments > 1) assert.ok(part.length > 0, 'no empty part');
          if (i > 0) {
            assert.doesNotMatch(part, TIBETAN_MARK, `part ${i} starts with a Tibetan combining mark`);
            assert.doesNotMatch(part, LOW_SURROGATE, `part ${i} starts with a low surrogate`);
            // never where the hard rules forbid it (inside a Tibetan syllable, before a shad…)
            const offset = parts.slice(0, i).join('').length;
            assert.ok(
              starts.has(offset),
              `part ${i} starts where the rules forbid a cut: ${JSON.stringify(parts[i - 1]!.slice(-4))}|${JSON.stringify(part.slice(0, 4))}`,
            );
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  test(`agrees with sms-segments-calculator on ${RUNS} random strings`, () => {
    let compared = 0;
    let encodingAgreed = 0;
    let unitsAgreed = 0;
    let rawAgreed = 0;
    let adjustedAgreed = 0;
    let overfilled = 0;
    const differences = new Map<string, number>();
    const disagreements = new Map<string, number>();
    fc.assert(
      fc.property(smsText, (text) => {
        compared++;
        const ours = segmentsOf(text);
        const reference = new SegmentedMessage(text);
        assert.equal(ours.encoding, reference.encodingName, 'encoding');
        encodingAgreed++;
        // messageSize: bits without the UDH; 7 per septet, 16 per UCS-2 unit
        assert.equal(ours.units, reference.messageSize / (ours.encoding === 'GSM-7' ? 7 : 16), 'units');
        unitsAgreed++;

        const why = documentedDifference(text, reference);
        if (why) differences.set(why, (differences.get(why) ?? 0) + 1);
        if (ours.segments === reference.segmentsCount) rawAgreed++;
        else {
          disagreements.set(why ?? 'none', (disagreements.get(why ?? 'none') ?? 0) + 1);
          assert.ok(
            why,
            `raw count differs (${ours.segments} vs ${reference.segmentsCount}) with no documented reason`,
          );
          if (why !== 'grapheme clusters') {
            assert.ok(ours.segments > reference.segmentsCount, `${why}: we may only count more parts`);
          }
        }
        const adjusted = referenceAdjusted(text, reference);
        if (adjusted === undefined) overfilled++;
        else {
          assert.equal(ours.segments, adjusted, 'adjusted count');
          adjustedAgreed++;
        }
      }),
      { numRuns: RUNS },
    );
    console.log(
      `compared ${compared}; encoding agreed ${encodingAgreed}; units agreed ${unitsAgreed}; ` +
        `segments agreed raw ${rawAgreed}, adjusted ${adjustedAgreed} (${overfilled} the reference's packing overfilled)`,
    );
    console.log(`strings with a documented difference: ${JSON.stringify(Object.fromEntries(differences))}`);
    console.log(`raw disagreements by reason: ${JSON.stringify(Object.fromEntries(disagreements))}`);
    assert.ok(compared >= RUNS);
    assert.ok(
      overfilled * 20 < compared,
      `the adjusted comparison was skipped on ${overfilled} of ${compared} strings`,
    );
  });
});

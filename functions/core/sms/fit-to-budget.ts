/**
 * Fitting a reply into its SMS budget (docs/sms.md, "The pipeline, in order").
 *
 * The message is `signature + parts + footer`. The signature (e.g. `【农牧通】` or `[Zhingdrok]`)
 * and the footer (opt-out text such as `回T退订`) are always sent whole; the parts are what gives
 * way when the message is over budget, in this order:
 *
 * 1. each part's `shortText` replaces its `text`, from the last part to the first, until it fits;
 * 2. optional parts are dropped, from the last to the first, until it fits; full texts are then
 *    restored, first part first, wherever they still fit;
 * 3. last resort: the body is cut at the longest place the segmenter allows (between words when
 *    such a cut keeps at least half of what the longest safe cut keeps; never inside a Tibetan
 *    syllable, grapheme cluster or surrogate pair) and ends with an ellipsis: `...` when the message is GSM-7 (`…`
 *    is not in the GSM alphabet and would turn the whole message into UCS-2), else `…`.
 *
 * Joining: two pieces are joined with one space, except where either side already has
 * whitespace there or either side is CJK (Han, CJK punctuation, fullwidth forms), which is
 * written without spaces (`【农牧通】玉米…`). `separator` overrides the join between parts.
 *
 * Pure and deterministic. Throws a RangeError when `maxSegments` is not a positive integer or
 * when the signature and footer alone do not fit in it.
 */
import {
  encodingOf,
  GSM7_PER_PART,
  GSM7_SINGLE,
  type SegmentedText,
  type SmsEncoding,
  safeBoundaries,
  segmentText,
  UCS2_PER_PART,
  UCS2_SINGLE,
  unitsOf,
} from './segments.ts';

export interface MessagePart {
  text: string;
  /** May be dropped when the message is over budget. */
  optional?: boolean;
  /** Used instead of `text` when the message is over budget. */
  shortText?: string;
}

export interface FitOptions {
  /** Sender signature, prefixed to every message. */
  signature: string;
  /** Sent at the end of the message and never shortened, e.g. the opt-out text. */
  footer?: string;
  /** At most this many SMS parts (a positive integer). */
  maxSegments: number;
  /** Joins the parts; by default a space, or nothing beside CJK text. */
  separator?: string;
}

export interface FittedMessage extends SegmentedText {
  /** The final message, signature and footer included; `parts.join('') === text`. */
  text: string;
  /** Parts sent as their `shortText`. */
  shortened: number;
  /** Optional parts left out. */
  dropped: number;
  /** The body was cut and ends with an ellipsis. */
  truncated: boolean;
}

/** Most units `maxSegments` parts can carry (the real split may carry fewer). */
function unitBudget(encoding: SmsEncoding, maxSegments: number): number {
  if (encoding === 'GSM-7') return maxSegments === 1 ? GSM7_SINGLE : GSM7_PER_PART * maxSegments;
  return maxSegments === 1 ? UCS2_SINGLE : UCS2_PER_PART * maxSegments;
}

const GSM_ELLIPSIS = '...';
const UNICODE_ELLIPSIS = '…';

function isSpace(cp: number): boolean {
  return /\s/u.test(String.fromCodePoint(cp));
}

function isCjk(cp: number): boolean {
  return (
    (cp >= 0x3000 && cp <= 0x303f) ||
    (cp >= 0xff00 && cp <= 0xffef) ||
    (cp >= 0x2e80 && /\p{Script=Han}/u.test(String.fromCodePoint(cp)))
  );
}

/** `a` and `b` with a space between them unless either side is CJK or already whitespace. */
function joinPair(a: string, b: string, separator?: string): string {
  if (a === '') return b;
  if (b === '') return a;
  if (separator !== undefined) return a + separator + b;
  const last = a.codePointAt(a.length - 1 - (/[\uDC00-\uDFFF]$/.test(a) ? 1 : 0))!;
  const first = b.codePointAt(0)!;
  if (isSpace(last) || isSpace(first) || isCjk(last) || isCjk(first)) return a + b;
  return `${a} ${b}`;
}

function joinParts(texts: readonly string[], separator?: string): string {
  return texts.reduce((acc, t) => joinPair(acc, t, separator), '');
}

function assemble(signature: string, body: string, footer: string): string {
  return joinPair(joinPair(signature, body), footer);
}

export function fitToBudget(parts: readonly MessagePart[], options: FitOptions): FittedMessage {
  const { signature, maxSegments, separator } = options;
  const footer = options.footer ?? '';
  if (!Number.isInteger(maxSegments) || maxSegments < 1) {
    throw new RangeError(`maxSegments must be a positive integer, got ${maxSegments}`);
  }

  const useShort = parts.map(() => false);
  const keep = parts.map(() => true);

  const body = (): string =>
    joinParts(
      parts.flatMap((p, i) => (keep[i] ? [useShort[i] ? (p.shortText ?? p.text) : p.text] : [])),
      separator,
    );
  const attempt = (): SegmentedText & { text: string } => {
    const text = assemble(signature, body(), footer);
    return { ...segmentText(text), text };
  };
  const done = (m: SegmentedText & { text: string }, truncated = false): FittedMessage => ({
    ...m,
    shortened: parts.filter((p, i) => keep[i] && useShort[i] && p.shortText !== undefined).length,
    dropped: keep.filter((k) => !k).length,
    truncated,
  });

  let current = attempt();
  if (current.segments <= maxSegments) return done(current);

  // 1. short texts, last part first
  for (let i = parts.length - 1; i >= 0; i--) {
    const p = parts[i]!;
    if (p.shortText === undefined || p.shortText === p.text) continue;
    useShort[i] = true;
    current = attempt();
    if (current.segments <= maxSegments) return done(current);
  }

  // 2. drop optional parts, last first; then give back full texts where they fit again
  for (let i = parts.length - 1; i >= 0; i--) {
    if (!parts[i]!.optional) continue;
    keep[i] = false;
    current = attempt();
    if (current.segments <= maxSegments) {
      for (let r = 0; r < parts.length; r++) {
        if (!keep[r] || !useShort[r]) continue;
        useShort[r] = false;
        const restored = attempt();
        if (restored.segments <= maxSegments) current = restored;
        else useShort[r] = true;
      }
      return done(current);
    }
  }

  // 3. truncate the body at a safe place, with an ellipsis
  const full = body();
  // No message longer than this many UTF-16 code units fits: a GSM-7 character takes at least
  // one septet, a UCS-2 one at least one unit, and UCS-2 parts are the smaller.
  const ceiling = unitBudget('GSM-7', maxSegments);
  const boundaries = safeBoundaries(full);
  const cuts = [0, ...boundaries.map((b) => b.index)];
  const preferred = new Set(boundaries.filter((b) => b.preferred).map((b) => b.index));
  const overhead = signature.length + footer.length;
  // The longest cut that fits is the fallback; a cut between words is taken instead when it
  // keeps at least half as much (a lone long word or URL is not worth losing the whole body).
  let fallback: { at: number; message: SegmentedText & { text: string } } | undefined;
  for (let c = cuts.length - 1; c >= 0; c--) {
    const at = cuts[c]!;
    if (fallback && at * 2 < fallback.at) break;
    const kept = full.slice(0, at).trimEnd();
    if (kept.length + overhead > ceiling) continue;
    const plain = assemble(signature, kept, footer);
    const ellipsis = encodingOf(plain) === 'GSM-7' ? GSM_ELLIPSIS : UNICODE_ELLIPSIS;
    // the ellipsis sticks to the kept text: "word...", "ཀ་…", "玉米…"
    const text = assemble(signature, kept === '' ? ellipsis : kept + ellipsis, footer);
    if (unitsOf(text) > unitBudget(encodingOf(text), maxSegments)) continue; // cheap pre-check
    const message = { ...segmentText(text), text };
    if (message.segments > maxSegments) continue;
    if (preferred.has(at)) return done(message, true);
    fallback ??= { at, message };
  }
  if (fallback) return done(fallback.message, true);

  // Not even an ellipsis fits: signature and footer alone, if they do.
  const bare = assemble(signature, '', footer);
  const bareFit = { ...segmentText(bare), text: bare };
  if (bareFit.segments <= maxSegments) return done(bareFit, true);
  throw new RangeError(
    `signature and footer alone take ${bareFit.segments} SMS segments, more than maxSegments (${maxSegments})`,
  );
}

import type { Commodity, Market, Region, Term, Unit } from '#core/reference/schemas.ts';
import { editDistance, syllableDistance } from './edit-distance.ts';
import { matchKey, tokenise } from './normalise.ts';
import { type KindedItem, type MatchKind, type NameRef, namesOf } from './reference-names.ts';
import { detectScript } from './script.ts';
import { looseWylieKey } from './wylie.ts';

export type { Derivation, KindedItem, MatchKind, NameForm, NameRef } from './reference-names.ts';

/** The reference lists to index; `referenceSeed()` fits as it is. */
export interface MatcherSource {
  commodities?: readonly Commodity[];
  regions?: readonly Region[];
  markets?: readonly Market[];
  units?: readonly Unit[];
  terms?: readonly Term[];
}

/** An item whose name matched, and which of its names did. */
export type MatchHit = KindedItem & { matched: NameRef };
/** A "did you mean" candidate: distance is in edits (Latin letters, Han characters) or syllables (Tibetan). */
export type Suggestion = MatchHit & { distance: number };
/** Tokens start..end (exclusive) spell a name of every item in hits. */
export interface TokenMatch {
  start: number;
  end: number;
  hits: MatchHit[];
}

export interface MatchOptions {
  kinds?: readonly MatchKind[];
}
export interface SuggestOptions extends MatchOptions {
  limit?: number;
}

export interface Matcher {
  /** Every item one of whose names has the text's matchKey; several when the name is ambiguous. */
  match(text: string, options?: MatchOptions): MatchHit[];
  /** Near misses for text that matched nothing, best first; empty when nothing is close. */
  suggest(text: string, options?: SuggestOptions): Suggestion[];
  /** At each token position, the longest run of tokens (from `tokenise`) that spells a name. */
  findInTokens(tokens: readonly string[], kinds?: readonly MatchKind[]): TokenMatch[];
  /** Whether a Latin word is a syllable of some Wylie name we index (for guessLanguage). */
  isWylieSyllable(word: string): boolean;
}

type Bucket = 'bo' | 'zh' | 'latin';

interface Entry {
  hit: MatchHit;
  key: string;
  bucket: Bucket;
  /** What edit distance counts: syllables for Tibetan, code points of the key otherwise. */
  units: readonly string[];
  /** 0 is best: exact names, exact aliases, trimmed names, trimmed aliases, shortened… */
  rank: number;
  tier: number;
}

const tiers = { exact: 0, trimmed: 1, shortened: 2 } as const;

function bucketOf(ref: NameRef): Bucket {
  return ref.form === 'bo' ? 'bo' : ref.form === 'zh' ? 'zh' : 'latin';
}

function tibetanSyllables(text: string): string[] {
  return tokenise(text).filter((t) => /\p{sc=Tibetan}/u.test(t));
}

/**
 * How far a suggestion may be from the query, by the query's length: nothing for very short
 * input (two letters are close to too many names), one edit for short words, more for longer.
 */
function allowance(bucket: Bucket, length: number): number {
  if (bucket === 'latin') return length <= 3 ? 0 : length <= 5 ? 1 : length <= 8 ? 2 : 3;
  if (bucket === 'zh') return length <= 1 ? 0 : length <= 4 ? 1 : 2;
  // Tibetan, in syllables: one letter wrong in a 3-letter syllable costs 1/3.
  return length <= 1 ? 0.34 : length <= 3 ? 0.75 : 1.25;
}

function commonPrefix(a: readonly string[], b: readonly string[]): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

interface Candidate {
  entry: Entry;
  distance: number;
  prefix: number;
}

/** Fewest edits first; on a tie, the longer shared start (people get the start of a word right more often), then the better name. */
function byCloseness(a: Candidate, b: Candidate): number {
  return a.distance - b.distance || b.prefix - a.prefix || a.entry.rank - b.entry.rank;
}

function itemKey(hit: MatchHit): string {
  return `${hit.kind}:${hit.item.id}`;
}

function kindFilter(kinds: readonly MatchKind[] | undefined): (e: Entry) => boolean {
  return kinds ? (e) => kinds.includes(e.hit.kind) : () => true;
}

function buildEntries(source: MatcherSource): Entry[] {
  const items: KindedItem[] = [
    ...(source.commodities ?? []).map((item) => ({ kind: 'commodity' as const, item })),
    ...(source.regions ?? []).map((item) => ({ kind: 'region' as const, item })),
    ...(source.markets ?? []).map((item) => ({ kind: 'market' as const, item })),
    ...(source.units ?? []).map((item) => ({ kind: 'unit' as const, item })),
    ...(source.terms ?? []).map((item) => ({ kind: 'term' as const, item })),
  ];
  const entries: Entry[] = [];
  for (const kinded of items) {
    const seen = new Set<string>();
    for (const ref of namesOf(kinded)) {
      // Wylie is indexed by matchKey, which also drops what looseWylieKey drops (. ' + and
      // spaces), so g.yag, gyag and "g yag" all find གཡག.
      const key = matchKey(ref.matchedText);
      if (!key || seen.has(key)) continue;
      seen.add(key);
      const bucket = bucketOf(ref);
      const tier = tiers[ref.derivation];
      entries.push({
        hit: { ...kinded, matched: ref },
        key,
        bucket,
        units: bucket === 'bo' ? tibetanSyllables(ref.matchedText) : [...key],
        rank: tier * 2 + (ref.alias ? 1 : 0),
        tier,
      });
    }
  }
  return entries;
}

/** One hit per item, best name first; derived names only when no name matched outright. */
function bestHits(candidates: readonly Entry[]): MatchHit[] {
  if (candidates.length === 0) return [];
  const bestTier = Math.min(...candidates.map((e) => e.tier));
  const byItem = new Map<string, Entry>();
  for (const e of candidates) {
    if (e.tier !== bestTier) continue;
    const id = itemKey(e.hit);
    const held = byItem.get(id);
    if (!held || e.rank < held.rank) byItem.set(id, e);
  }
  return [...byItem.values()].sort((a, b) => a.rank - b.rank).map((e) => e.hit);
}

/**
 * Indexes reference items by every name and alias in every script, for exact lookups, longest
 * matches in token lists and "did you mean" suggestions. Ambiguous names (羊 is sheep and goat;
 * ཆབ་མདོ is a prefecture and a market) return every item: choosing is the caller's business.
 *
 * @example
 * const m = createMatcher(referenceSeed());
 * m.match('rgyal rtse')[0]?.item.id // 'cty_shigatse_gyantse'
 * m.suggest('Gyantze')[0]?.item.id // 'cty_shigatse_gyantse'
 */
export function createMatcher(source: MatcherSource): Matcher {
  const entries = buildEntries(source);
  const byKey = new Map<string, Entry[]>();
  for (const e of entries) byKey.set(e.key, [...(byKey.get(e.key) ?? []), e]);
  const longestName = Math.max(1, ...entries.map((e) => tokenise(e.hit.matched.matchedText).length));
  const wylieSyllables = new Set(
    entries
      .filter((e) => e.hit.matched.form === 'wylie')
      .flatMap((e) => looseWylieKey(e.hit.matched.matchedText).split(' ')),
  );

  const lookup = (key: string, kinds?: readonly MatchKind[]) =>
    key ? bestHits((byKey.get(key) ?? []).filter(kindFilter(kinds))) : [];

  return {
    match: (text, options = {}) => lookup(matchKey(text), options.kinds),

    findInTokens(tokens, kinds) {
      const found: TokenMatch[] = [];
      for (let start = 0; start < tokens.length; start++) {
        for (let end = Math.min(tokens.length, start + longestName); end > start; end--) {
          const hits = lookup(matchKey(tokens.slice(start, end).join('')), kinds);
          if (hits.length > 0) {
            found.push({ start, end, hits });
            break;
          }
        }
      }
      return found;
    },

    suggest(text, options = {}) {
      const script = detectScript(text);
      const bucket: Bucket | null =
        script === 'tibetan' ? 'bo' : script === 'han' ? 'zh' : script === 'latin' ? 'latin' : null;
      if (!bucket) return [];
      const query = bucket === 'bo' ? tibetanSyllables(text) : [...matchKey(text)];
      if (query.length === 0) return [];
      const limit = allowance(bucket, query.length);
      const inKinds = kindFilter(options.kinds);
      const best = new Map<string, Candidate>();
      for (const entry of entries) {
        if (entry.bucket !== bucket || !inKinds(entry)) continue;
        const distance = bucket === 'bo' ? syllableDistance(query, entry.units) : editDistance(query, entry.units);
        if (distance > limit) continue;
        const candidate = { entry, distance, prefix: commonPrefix(query, entry.units) };
        const id = itemKey(entry.hit);
        const held = best.get(id);
        if (!held || byCloseness(candidate, held) < 0) best.set(id, candidate);
      }
      return [...best.values()]
        .sort(byCloseness)
        .slice(0, options.limit ?? 3)
        .map(({ entry, distance }) => ({ ...entry.hit, distance }));
    },

    isWylieSyllable: (word) => wylieSyllables.has(looseWylieKey(word)),
  };
}

/**
 * Picks non-overlapping matches from findInTokens, left to right, longest first: the reading
 * of "རིན་གོང ནས" as price + barley rather than price, གོང, barley.
 */
export function coverTokens(matches: readonly TokenMatch[]): TokenMatch[] {
  const cover: TokenMatch[] = [];
  let next = 0;
  for (const m of [...matches].sort((a, b) => a.start - b.start)) {
    if (m.start < next) continue;
    cover.push(m);
    next = m.end;
  }
  return cover;
}

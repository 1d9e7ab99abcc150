import type { Matcher } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import type { ReadOutcome } from './command.ts';

/** Topics a subscriber can follow: weather, pest, livestock disease and market news, and price alerts per commodity. */
export type Topic = 'weather' | 'pest' | 'disease' | 'market' | `price:${string}`;

export type TopicCommand<I extends 'sub' | 'unsub'> = { intent: I; topic: Topic };

const topicTerms: Record<string, Topic> = {
  kw_weather: 'weather',
  kw_pest: 'pest',
  kw_disease: 'disease',
  kw_market: 'market',
};

/**
 * English topic words that SUB and UNSUB read as their own topic before the glossary: the
 * glossary keeps "disease" as an alias of kw_pest (crop disease, 病害), but `SUB DISEASE` is
 * how HELP names the livestock-disease topic (kw_disease), so after SUB it means that.
 */
const englishTopicWords: Record<string, Topic> = { disease: 'disease' };

/** The named topic a keyword term stands for (kw_weather → weather), if any. */
export const topicOfTerm = (termId: string): Topic | undefined => topicTerms[termId];

/**
 * The topic after SUB or UNSUB: weather, pest, disease, market, or a commodity (optionally after the price
 * keyword) for its price alerts. `rest` is not empty: each command answers a bare keyword
 * its own way (SUB asks for a topic; UNSUB alone is STOP).
 */
export function readTopic<I extends 'sub' | 'unsub'>(
  intent: I,
  rest: string[],
  matcher: Matcher,
): ReadOutcome<TopicCommand<I>> {
  let words = rest;
  const lead = matcher
    .findInTokens(rest, ['term'])
    .find((m) => m.start === 0 && m.hits.some((h) => h.item.id === 'kw_price'));
  if (lead) words = rest.slice(lead.end);
  const text = joinTokens(words);
  if (!lead) {
    const word = englishTopicWords[text.toLowerCase()];
    if (word) return { ok: true, command: { intent, topic: word } };
    const term = matcher.match(text, { kinds: ['term'] }).find((h) => h.item.id in topicTerms);
    if (term) return { ok: true, command: { intent, topic: topicTerms[term.item.id]! } };
  }
  if (words.length === 0) return { ok: false, intent, problem: 'missing_argument' };
  const ids = [...new Set(matcher.match(text, { kinds: ['commodity'] }).map((h) => h.item.id))];
  if (ids.length === 1) return { ok: true, command: { intent, topic: `price:${ids[0]}` } };
  if (ids.length > 1) return { ok: false, intent, problem: 'ambiguous', text, suggestions: ids.slice(0, 3) };
  const suggestions = [
    ...new Set(
      matcher
        .suggest(text, { kinds: lead ? ['commodity'] : ['commodity', 'term'], limit: 5 })
        .flatMap((s) => (s.kind === 'commodity' ? [s.item.id] : s.item.id in topicTerms ? [s.item.id] : [])),
    ),
  ].slice(0, 3);
  return { ok: false, intent, problem: 'unknown_argument', text, suggestions };
}

/**
 * The ids a topic is named by in "did you mean" lists (weather and pest by their keyword
 * terms, a price topic by its commodity): for UNSUB of a topic we could not read, the
 * topics the number follows are the likeliest meant.
 */
export function suggestionIdsOf(topics: readonly string[]): string[] {
  const termOf = Object.fromEntries(Object.entries(topicTerms).map(([id, topic]) => [topic, id]));
  return topics.map((t) => termOf[t] ?? (t.startsWith('price:') ? t.slice('price:'.length) : t));
}

/** The message keys every topic command may answer with, beside its own. */
export const topicMessageKeys = [
  'sub.missing',
  'topic.ambiguous',
  'topic.unknown',
  'topic.notFound',
  'topic.weather',
  'topic.pest',
  'topic.disease',
  'topic.market',
  'topic.price',
] as const;

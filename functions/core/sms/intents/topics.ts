import type { Matcher } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import type { Topic } from '../commands.ts';
import type { ArgumentOutcome } from './index.ts';

const topicTerms: Record<string, Topic> = { kw_weather: 'weather', kw_pest: 'pest' };

/** Anything but spaces and punctuation: an emoji, a symbol, an unreadable character (U+FFFD). */
const typedSomething = /[^\s\p{P}]/u;

/**
 * SUB/UNSUB <topic>: weather, pest, or a commodity (optionally after the price keyword) for
 * its price alerts. UNSUB with no topic is STOP: the glossary gives "unsubscribe" as STOP.
 * But only UNSUB alone (or with punctuation: "UNSUB.", "取消订阅！"): UNSUB with anything
 * else after it — a topic we cannot read, an emoji — named a topic, so it is answered like
 * an unknown topic and changes nothing, rather than opting the number out of everything.
 */
export function readTopic(intent: 'sub' | 'unsub', rest: string[], matcher: Matcher, after = ''): ArgumentOutcome {
  if (rest.length === 0) {
    if (intent === 'sub') return { ok: false, intent, problem: 'missing_argument' };
    if (!typedSomething.test(after)) return { ok: true, command: { intent: 'stop' } };
    return { ok: false, intent, problem: 'unknown_argument', text: after.replace(/\uFFFD/gu, '?'), suggestions: [] };
  }
  let words = rest;
  const lead = matcher
    .findInTokens(rest, ['term'])
    .find((m) => m.start === 0 && m.hits.some((h) => h.item.id === 'kw_price'));
  if (lead) words = rest.slice(lead.end);
  const text = joinTokens(words);
  if (!lead) {
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

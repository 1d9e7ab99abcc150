import type { Matcher } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import type { Topic } from '../commands.ts';
import type { ArgumentOutcome } from './index.ts';

const topicTerms: Record<string, Topic> = { kw_weather: 'weather', kw_pest: 'pest' };

/**
 * SUB/UNSUB <topic>: weather, pest, or a commodity (optionally after the price keyword) for
 * its price alerts. UNSUB with no topic is STOP: the glossary gives "unsubscribe" as STOP.
 */
export function readTopic(intent: 'sub' | 'unsub', rest: string[], matcher: Matcher): ArgumentOutcome {
  if (rest.length === 0) {
    return intent === 'unsub' ? { ok: true, command: { intent: 'stop' } } : { ok: false, intent, problem: 'missing_argument' };
  }
  let words = rest;
  const lead = matcher.findInTokens(rest, ['term']).find((m) => m.start === 0 && m.hits.some((h) => h.item.id === 'kw_price'));
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
    ...new Set(matcher.suggest(text, { kinds: lead ? ['commodity'] : ['commodity', 'term'], limit: 5 }).flatMap((s) => (s.kind === 'commodity' ? [s.item.id] : s.item.id in topicTerms ? [s.item.id] : []))),
  ].slice(0, 3);
  return { ok: false, intent, problem: 'unknown_argument', text, suggestions };
}

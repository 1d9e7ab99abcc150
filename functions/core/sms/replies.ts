/**
 * What each command does to a subscriber, and which message lines answer it. Pure:
 * the pipeline loads and saves; this decides.
 */
import type { Catalog } from '../reference/catalog.ts';
import type { Language } from '../reference/schemas.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import type { Command, ParseFailure, Topic } from './commands.ts';
import { listNames, smsTranslator } from './sms-text.ts';

export interface ReplyLine {
  key: string;
  params?: Record<string, string | number>;
}

export interface Outcome {
  /** The subscriber after the command; undefined when erased. */
  subscriber: Subscriber | undefined;
  lines: ReplyLine[];
}

/** Echoed user text is cut short: it is there to show what we read, not to cost segments. */
const echo = (text: string) => ([...text].length > 16 ? `${[...text].slice(0, 15).join('')}…` : text);

import { smsName } from './sms-names.ts';

export { smsName, smsUnitName } from './sms-names.ts';

function topicName(topic: Topic, lang: Language, catalog: Catalog): string {
  const t = smsTranslator(lang);
  if (topic === 'weather' || topic === 'pest') return t(`topic.${topic}`);
  const commodity = catalog.commodities.get(topic.slice('price:'.length));
  return t('topic.price', { commodity: commodity ? smsName(commodity.names, lang) : topic });
}

function nameOfId(id: string, lang: Language, catalog: Catalog): string {
  const item =
    catalog.regions.get(id) ?? catalog.commodities.get(id) ?? catalog.markets.get(id) ?? catalog.terms.get(id);
  if (!item) return id;
  if (id === 'kw_weather' || id === 'kw_pest')
    return topicName(id === 'kw_weather' ? 'weather' : 'pest', lang, catalog);
  return smsName(item.names, lang);
}

const list = (ids: string[], lang: Language, catalog: Catalog) =>
  listNames(
    lang,
    ids.map((id) => nameOfId(id, lang, catalog)),
  );

export function applyCommand(command: Command, sub: Subscriber, catalog: Catalog, now: Date): Outcome {
  const at = now.toISOString();
  const lang = sub.language;
  switch (command.intent) {
    case 'help':
      return { subscriber: sub, lines: [{ key: 'help.commands' }] };
    case 'join': {
      const region = catalog.regions.get(command.regionId)!;
      return {
        subscriber: { ...sub, homeRegionId: region.id, updatedAt: at },
        lines: [{ key: 'join.ok', params: { region: smsName(region.names, lang) } }],
      };
    }
    case 'lang':
      return { subscriber: { ...sub, language: command.language, updatedAt: at }, lines: [{ key: 'lang.ok' }] };
    case 'script':
      return {
        subscriber: { ...sub, script: command.script, updatedAt: at },
        lines: [{ key: `script.${command.script}` }],
      };
    case 'sub': {
      const topics = sub.topics.includes(command.topic) ? sub.topics : [...sub.topics, command.topic];
      return {
        subscriber: { ...sub, topics, updatedAt: at },
        lines: [{ key: 'sub.ok', params: { topic: topicName(command.topic, lang, catalog) } }],
      };
    }
    case 'unsub':
      return {
        subscriber: { ...sub, topics: sub.topics.filter((t) => t !== command.topic), updatedAt: at },
        lines: [{ key: 'unsub.ok', params: { topic: topicName(command.topic, lang, catalog) } }],
      };
    case 'stop':
      return { subscriber: { ...sub, optedOut: true, updatedAt: at }, lines: [{ key: 'stop.ok' }] };
    case 'start':
      return { subscriber: { ...sub, optedOut: false, updatedAt: at }, lines: [{ key: 'start.ok' }] };
    case 'delete':
      return { subscriber: undefined, lines: [{ key: 'delete.ok' }] };
    case 'price':
    case 'collect':
      // Answered by the pipeline (price-reply.ts, collect-reply.ts): nothing about the subscriber changes.
      return { subscriber: sub, lines: [] };
  }
}

/** The reply to a message we could not act on: what was wrong and what to send instead. */
export function failureReply(failure: ParseFailure, lang: Language, catalog: Catalog): ReplyLine[] {
  const { intent, problem } = failure;
  // P (staff price reports): which part was wrong, with the closest names where there are some.
  if (problem === 'bad_argument') {
    const params = { text: echo(failure.text), suggestions: list(failure.suggestions, lang, catalog) };
    const variant =
      failure.argument === 'price' || failure.argument === 'date'
        ? 'bad'
        : failure.suggestions.length
          ? 'unknown'
          : 'notFound';
    return [{ key: `collect.${failure.argument}.${variant}`, params }];
  }
  if (intent === 'collect' && problem === 'missing_argument') return [{ key: 'collect.usage' }];
  if (problem === 'unknown_command' && failure.suggestion)
    return [{ key: 'help.didYouMean', params: { keyword: failure.suggestion.keyword } }];
  if (intent === 'unknown') return [{ key: 'help.unknown' }];
  const family =
    intent === 'join'
      ? 'join'
      : intent === 'lang'
        ? 'lang'
        : intent === 'script'
          ? 'script'
          : intent === 'sub' || intent === 'unsub'
            ? 'topic'
            : intent === 'price'
              ? 'price'
              : 'help';
  if (family === 'lang' || family === 'script') return [{ key: `${family}.help` }];
  if (family === 'help') return [{ key: 'help.unknown' }];
  if (problem === 'missing_argument')
    return [{ key: family === 'join' ? 'join.missing' : family === 'price' ? 'price.missing' : 'sub.missing' }];
  if (problem === 'ambiguous')
    return [{ key: `${family}.ambiguous`, params: { suggestions: list(failure.suggestions, lang, catalog) } }];
  if (problem === 'unknown_argument') {
    return failure.suggestions.length
      ? [
          {
            key: `${family}.unknown`,
            params: { text: echo(failure.text), suggestions: list(failure.suggestions, lang, catalog) },
          },
        ]
      : [{ key: `${family}.notFound`, params: { text: echo(failure.text) } }];
  }
  return [{ key: 'help.unknown' }];
}

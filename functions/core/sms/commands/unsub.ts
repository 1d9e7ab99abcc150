import { argumentFailure, topicName } from './argument-replies.ts';
import { defineCommand } from './command.ts';
import type { StopCommand } from './stop.ts';
import { readTopic, suggestionIdsOf, type TopicCommand, topicMessageKeys } from './topic-reader.ts';

export type UnsubCommand = TopicCommand<'unsub'>;

/** Anything but spaces and punctuation: an emoji, a symbol, an unreadable character (U+FFFD). */
const typedSomething = /[^\s\p{P}]/u;

/**
 * UNSUB <topic>: stops following a topic. UNSUB with no topic is STOP: the glossary gives
 * "unsubscribe" as STOP. But only UNSUB alone (or with punctuation: "UNSUB.", "取消订阅！"):
 * UNSUB with anything else after it — a topic we cannot read, an emoji — named a topic, so it
 * is answered like an unknown topic and changes nothing, rather than opting the number out of
 * everything.
 */
export const unsub = defineCommand<UnsubCommand, UnsubCommand | StopCommand>({
  intent: 'unsub',
  keywords: {
    en: ['unsub', 'unsubscribe'],
    zh: ['取消订阅', '取消关注'],
    bo: ['མངགས་ཉོ་མཚམས་འཇོག'],
    wylie: ["mngags nyo mtshams 'jog"],
  },
  read({ rest, matcher, after }) {
    if (rest.length > 0) return readTopic('unsub', rest, matcher);
    if (!typedSomething.test(after)) return { ok: true, command: { intent: 'stop' } };
    return {
      ok: false,
      intent: 'unsub',
      problem: 'unknown_argument',
      text: after.replace(/\uFFFD/gu, '?'),
      suggestions: [],
    };
  },
  handler: {
    kind: 'change',
    apply: (command, subscriber, { catalog, now }) => ({
      subscriber: {
        ...subscriber,
        topics: subscriber.topics.filter((t) => t !== command.topic),
        updatedAt: now.toISOString(),
      },
      lines: [{ key: 'unsub.ok', params: { topic: topicName(command.topic, subscriber.language, catalog) } }],
    }),
  },
  failureReply(failure, { lang, catalog, subscriber }) {
    // A topic nothing resembles: the topics the number follows are what it likely meant.
    const offered =
      failure.problem === 'unknown_argument' && failure.suggestions.length === 0
        ? { ...failure, suggestions: suggestionIdsOf(subscriber.topics).slice(0, 3) }
        : failure;
    return argumentFailure('topic', offered, lang, catalog, 'sub.missing');
  },
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['unsub.ok', ...topicMessageKeys],
});

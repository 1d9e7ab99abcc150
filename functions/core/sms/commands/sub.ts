import { argumentFailure, topicName } from './argument-replies.ts';
import { defineCommand } from './command.ts';
import { readTopic, type TopicCommand, topicMessageKeys } from './topic-reader.ts';

export type SubCommand = TopicCommand<'sub'>;

/** SUB <topic>: follows weather, pest, disease or market news, or a commodity's price alerts (SUB PRICE BARLEY, 订阅 青稞). */
export const sub = defineCommand<SubCommand>({
  intent: 'sub',
  keywords: {
    en: ['sub', 'subscribe', 'follow'],
    zh: ['订阅', '关注', '订购'],
    bo: ['མངགས་ཉོ'],
    wylie: ['mngags nyo'],
  },
  read: ({ rest, matcher }) =>
    rest.length === 0 ? { ok: false, intent: 'sub', problem: 'missing_argument' } : readTopic('sub', rest, matcher),
  handler: {
    kind: 'change',
    apply(command, subscriber, { catalog, now }) {
      const topics = subscriber.topics.includes(command.topic)
        ? subscriber.topics
        : [...subscriber.topics, command.topic];
      return {
        subscriber: { ...subscriber, topics, updatedAt: now.toISOString() },
        lines: [{ key: 'sub.ok', params: { topic: topicName(command.topic, subscriber.language, catalog) } }],
      };
    },
  },
  failureReply: (failure, { lang, catalog }) => argumentFailure('topic', failure, lang, catalog, 'sub.missing'),
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['sub.ok', ...topicMessageKeys],
});

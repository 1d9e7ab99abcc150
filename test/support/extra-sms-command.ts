/**
 * A command the app does not have, made the way docs/sms.md says a new command is made: one
 * module, and a registry with one more line. Tests use it to show that the parser, the
 * pipeline and the replies take a new command without any other change. It borrows existing
 * `sms` strings (a test cannot add locale files): a real command adds its own.
 *
 * TOPICS (我的订阅): the topics the number follows, one line each; anything after the keyword
 * is refused with a reply of its own.
 */
import { topicName } from '#core/sms/commands/argument-replies.ts';
import { defineCommand } from '#core/sms/commands/command.ts';
import { type Command, createRegistry, smsCommands } from '#core/sms/commands/index.ts';
import type { Topic } from '#core/sms/commands/topic-reader.ts';

export type TopicsCommand = { intent: 'topics' };

export const topics = defineCommand<TopicsCommand>({
  intent: 'topics',
  keywords: { en: ['topics', 'my topics'], zh: ['我的订阅'], bo: [], wylie: [] },
  read: ({ rest }) =>
    rest.length === 0
      ? { ok: true, command: { intent: 'topics' } }
      : { ok: false, intent: 'topics', problem: 'unknown_argument', text: rest.join(' '), suggestions: [] },
  handler: {
    kind: 'answer',
    answer: async (_command, { subscriber, catalog }) => ({
      lines: subscriber.topics.length
        ? subscriber.topics.map((t) => ({
            key: 'sub.ok',
            params: { topic: topicName(t as Topic, subscriber.language, catalog) },
          }))
        : [{ key: 'sub.missing' }],
      maxSegments: 1,
    }),
  },
  failureReply: (failure) => [{ key: 'topic.notFound', params: { text: 'text' in failure ? failure.text : '' } }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['sub.ok', 'sub.missing', 'topic.notFound'],
});

/** The app's commands and TOPICS: the one registry line a new command adds. */
export const withTopics = createRegistry<Command | TopicsCommand>([...smsCommands.commands, topics]);

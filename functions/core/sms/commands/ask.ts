import { normaliseQuestionCode } from '../../knowledge/ids.ts';
import { defineCommand, type ReadInput, type ReadOutcome } from './command.ts';

export type AskCommand = { intent: 'ask'; text: string; code?: string };

/** Spaces, tsheg and shad around the question are no part of it. */
const edges = /^[\s\u0F0B-\u0F12]+|[\s\u0F0B-\u0F12]+$/gu;

/**
 * The question as typed (case and punctuation kept), and the code of an earlier one when it
 * leads (`ASK Q1234 …`, `问 q 1234 …`): then it is a follow-up in that thread.
 *
 * @example readAsk({ rest: ['q1234', 'still', 'coughing'], after: 'q1234 still coughing', afterAsTyped: 'Q1234 still coughing' }) // { code: 'Q1234', text: 'still coughing' }
 */
export function readAsk({
  rest,
  after,
  afterAsTyped,
}: Pick<ReadInput, 'rest' | 'after' | 'afterAsTyped'>): ReadOutcome<AskCommand> {
  const typed = afterAsTyped !== undefined && afterAsTyped.length === after.length ? afterAsTyped : after;
  for (const taken of [1, 2]) {
    if (rest.length < taken) break;
    const code = normaliseQuestionCode(rest.slice(0, taken).join(''));
    if (!code) continue;
    let at = 0;
    for (const token of rest.slice(0, taken)) {
      const found = after.indexOf(token, at);
      at = found < 0 ? at : found + token.length;
    }
    const text = typed.slice(at).replace(edges, '');
    if (!text) return { ok: false, intent: 'ask', problem: 'missing_argument' };
    return { ok: true, command: { intent: 'ask', code, text } };
  }
  const text = typed.replace(/\uFFFD/gu, '').replace(edges, '');
  if (!text) return { ok: false, intent: 'ask', problem: 'missing_argument' };
  return { ok: true, command: { intent: 'ask', text } };
}

/**
 * ASK <question> | ASK Q1234 <more>: a question to the experts of the sender's county, with a
 * code and the time an answer is promised in; the answer comes by SMS (core/knowledge/
 * questions.ts). The glossary's kw_ask.
 */
export const ask = defineCommand<AskCommand>({
  intent: 'ask',
  keywords: {
    en: ['ask', 'question', 'ask expert', 'query', 'consult'],
    zh: ['提问', '问', '咨询', '请教', '问专家', '问题'],
    bo: ['འདྲི', 'དྲི་བ', 'འདྲི་བ', 'དྲིས', 'དྲི་གཏུག'],
    wylie: ["'dri", 'dri ba', "'dri ba", 'dris', 'dri gtug'],
  },
  read: (input) => readAsk(input),
  handler: {
    kind: 'answer',
    answer: async (command, { services, subscriber, messageId, now }) => {
      if (!services.questions) return { lines: [{ key: 'help.unknown' }] };
      const lines = await services.questions.ask(
        subscriber,
        { text: command.text, ...(command.code ? { code: command.code } : {}) },
        messageId,
        now,
      );
      return { lines, maxSegments: 2 };
    },
  },
  failureReply: () => [{ key: 'ask.usage' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['ask.usage', 'ask.ack', 'ask.followAck', 'ask.limit', 'ask.tooLong', 'ask.notYours', 'help.unknown'],
});

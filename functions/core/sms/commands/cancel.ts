import { defineCommand } from './command.ts';
import { type CodeWords, commonKeys, readCodeCommand, withExchange } from './exchange-words.ts';

export type CancelCommand = { intent: 'cancel' } & CodeWords;

/**
 * CANCEL <code>: the sender takes their offer down. 取消订阅 / 取消关注 (UNSUB) and CANCEL ALL
 * (STOP) are longer keywords and win; 取消 without a code gets the usage, never an opt-out.
 */
export const cancel = defineCommand<CancelCommand>({
  intent: 'cancel',
  keywords: {
    en: ['cancel', 'discard'],
    zh: ['取消', '撤销', '作废'],
    bo: ['འདོར', 'འདོར་བ'],
    wylie: ["'dor", "'dor ba"],
  },
  read: (input) => readCodeCommand('cancel', input),
  handler: {
    kind: 'answer',
    answer: (command, context) =>
      withExchange(context, (exchange, sender) => exchange.end(sender, command.code, 'cancelled')),
  },
  failureReply: () => [{ key: 'exchange.codeUsage.cancel' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['exchange.codeUsage.cancel', 'exchange.cancelled', ...commonKeys],
});

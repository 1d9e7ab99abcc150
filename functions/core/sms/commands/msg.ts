import { defineCommand } from './command.ts';
import { type CodeWords, commonKeys, readCodeCommand, withExchange } from './exchange-words.ts';

export type MsgCommand = { intent: 'msg' } & CodeWords;

/**
 * MSG <code or alias> <text>: relayed to the other side from the service's number, signed
 * with the sender's offer code or alias, never their number. The text is what the parser
 * normalised (Latin in lower case).
 */
export const msg = defineCommand<MsgCommand>({
  intent: 'msg',
  keywords: {
    en: ['msg', 'message', 'send message', 'dm'],
    zh: ['留言', '私信', '发消息', '消息'],
    bo: ['བརྡ་འཕྲིན', 'འཕྲིན', 'ཆ་འཕྲིན', 'འཕྲིན་ཐུང', 'འཕྲིན་ཡིག'],
    wylie: ["brda 'phrin", "'phrin", "cha 'phrin", "'phrin thung", "'phrin yig"],
  },
  read: (input) => readCodeCommand('msg', input, true),
  handler: {
    kind: 'answer',
    answer: (command, context) =>
      withExchange(context, (exchange, sender) => exchange.message(sender, command.code, command.text)),
  },
  failureReply: () => [{ key: 'exchange.codeUsage.msg' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: [
    'exchange.codeUsage.msg',
    'exchange.relay',
    'exchange.relayed',
    'exchange.relayFlagged',
    'exchange.relayLimitDay',
    'exchange.relayLimitOffer',
    'exchange.ownOffer',
    ...commonKeys,
  ],
});

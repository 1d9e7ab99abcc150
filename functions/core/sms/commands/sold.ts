import { defineCommand } from './command.ts';
import { type CodeWords, commonKeys, readCodeCommand, withExchange } from './exchange-words.ts';

export type SoldCommand = { intent: 'sold' } & CodeWords;

/** SOLD <code>: the sender's offer is sold and leaves the market. */
export const sold = defineCommand<SoldCommand>({
  intent: 'sold',
  keywords: {
    en: ['sold', 'sold out'],
    zh: ['已售出', '已卖', '卖掉了', '售罄'],
    bo: ['བཙོངས་ཟིན', 'བཙོངས་ཚར', 'བཙོངས'],
    wylie: ['btsongs zin', 'btsongs tshar', 'btsongs'],
  },
  read: (input) => readCodeCommand('sold', input),
  handler: {
    kind: 'answer',
    answer: (command, context) =>
      withExchange(context, (exchange, sender) => exchange.end(sender, command.code, 'sold')),
  },
  failureReply: () => [{ key: 'exchange.codeUsage.sold' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['exchange.codeUsage.sold', 'exchange.sold', ...commonKeys],
});

import { defineCommand } from './command.ts';
import { commonKeys, withExchange } from './exchange-words.ts';

export type ListCommand = { intent: 'list' };

/**
 * LIST: the sender's live offers, codes first. Words that begin ordinary messages (我的, my,
 * mine, ཐོ, ངའི) count only alone; the rest of the message is read past (LIST ALL, 列表 全部).
 */
export const list = defineCommand<ListCommand>({
  intent: 'list',
  keywords: {
    en: ['list', 'my listings', 'listings'],
    zh: ['列表', '我的发布', '我的信息', '清单'],
    bo: ['གསལ་ཐོ', 'ཐོ་ཡིག'],
    wylie: ['gsal tho', 'tho yig'],
    wholeOnly: ['my', 'mine', '我的', 'ཐོ', 'ངའི', 'tho', "nga'i"],
  },
  read: () => ({ ok: true, command: { intent: 'list' } }),
  handler: {
    kind: 'answer',
    answer: (_command, context) => withExchange(context, (exchange, sender) => exchange.list(sender)),
  },
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: [
    'exchange.list.head',
    'exchange.list.none',
    'exchange.list.waiting',
    'exchange.offer.sell',
    'exchange.offer.buy',
    'exchange.offer.sellOpen',
    'exchange.offer.buyOpen',
    ...commonKeys,
  ],
});

import { defineCommand } from './command.ts';
import { withExchange } from './exchange-words.ts';
import { type ConfirmCommand, confirmKeys, readConfirm } from './yes.ts';

/** NO [code]: the farmer refuses an offer an operator posted for them; it is discarded. */
export const no = defineCommand<ConfirmCommand<'no'>>({
  intent: 'no',
  keywords: {
    en: ['no', 'n'],
    zh: ['否', '不', '不是', '没有'],
    bo: ['མིན', 'མ་རེད', 'མ་ཡིན', 'མེད'],
    wylie: ['min', 'ma red', 'ma yin', 'med'],
  },
  read: (input) => readConfirm('no', input),
  handler: {
    kind: 'answer',
    answer: (command, context) =>
      withExchange(context, (exchange, sender) => exchange.confirm(sender, 'no', command.code)),
  },
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: confirmKeys,
});

import { defineCommand } from './command.ts';
import { type CodeWords, commonKeys, readCodeCommand, withExchange } from './exchange-words.ts';

export type RenewCommand = { intent: 'renew' } & CodeWords;

/** RENEW <code>: the sender's open offer stays open for the offer days again from today. */
export const renew = defineCommand<RenewCommand>({
  intent: 'renew',
  keywords: {
    en: ['renew', 'extend', 'relist'],
    zh: ['续期', '延期', '续订', '延长', '续'],
    bo: ['མུ་མཐུད', 'མཐུད་མངག', 'དུས་འགྱངས'],
    wylie: ['mu mthud', 'mthud mngag', "dus 'gyangs"],
  },
  read: (input) => readCodeCommand('renew', input),
  handler: {
    kind: 'answer',
    answer: (command, context) => withExchange(context, (exchange, sender) => exchange.renew(sender, command.code)),
  },
  failureReply: () => [{ key: 'exchange.codeUsage.renew' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['exchange.codeUsage.renew', 'exchange.renewed', 'exchange.notOpen', ...commonKeys],
});

import { defineCommand } from './command.ts';
import { type CodeWords, commonKeys, readCodeCommand, withExchange } from './exchange-words.ts';

export type ReportCommand = { intent: 'report' } & CodeWords;

/** REPORT <code> [why]: the offer goes to its region's moderators (three reports hide it). */
export const report = defineCommand<ReportCommand>({
  intent: 'report',
  keywords: {
    en: ['report', 'complaint', 'report fraud', 'scam', 'abuse'],
    zh: ['举报', '投诉', '举报虚假', '骗子'],
    bo: ['སྙན་ཞུ', 'ཞུ་ཐོ', 'སྙན་སེང'],
    wylie: ['snyan zhu', 'zhu tho', 'snyan seng'],
  },
  read: (input) => readCodeCommand('report', input),
  handler: {
    kind: 'answer',
    answer: (command, context) =>
      withExchange(context, (exchange, sender) => exchange.report(sender, command.code, command.text)),
  },
  failureReply: () => [{ key: 'exchange.codeUsage.report' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['exchange.codeUsage.report', 'exchange.report.done', 'exchange.ownOffer', ...commonKeys],
});

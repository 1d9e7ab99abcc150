import { defineCommand } from './command.ts';
import { type CodeWords, commonKeys, readCodeCommand, withExchange } from './exchange-words.ts';

export type ShareCommand = { intent: 'share' } & CodeWords;

/**
 * SHARE <code or alias>: consent to exchange numbers in that conversation; when both sides
 * have sent it, each gets the other's number. 电话号码 and ཁ་པར་ཨང་གྲངས ("phone number") are
 * the glossary's forms people write for it.
 */
export const share = defineCommand<ShareCommand>({
  intent: 'share',
  keywords: {
    en: ['share', 'exchange numbers', 'share number', 'agree', 'consent'],
    zh: ['交换号码', '同意', '分享', '共享', '电话号码', '给号码'],
    bo: ['མཉམ་སྤྱོད', 'མོས་མཐུན', 'ཁ་པར་ཨང་གྲངས', 'བརྗེ་བ'],
    wylie: ['mnyam spyod', 'mos mthun', 'kha par ang grangs', 'brje ba'],
  },
  read: (input) => readCodeCommand('share', input),
  handler: {
    kind: 'answer',
    answer: (command, context) => withExchange(context, (exchange, sender) => exchange.share(sender, command.code)),
  },
  failureReply: () => [{ key: 'exchange.codeUsage.share' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: [
    'exchange.codeUsage.share',
    'exchange.share.waiting',
    'exchange.share.asked',
    'exchange.share.done',
    'exchange.ownOffer',
    ...commonKeys,
  ],
});

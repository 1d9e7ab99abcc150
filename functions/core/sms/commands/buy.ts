import { defineCommand } from './command.ts';
import { type OfferCommand, offerFailureReply, offerHandler, offerMessageKeys, readOfferCommand } from './sell.ts';

/**
 * BUY <product> <quantity>[<unit>] [<price>] [<place>]: an offer to buy (`BUY BARLEY 500 JIN
 * 4.2 LHASA`, `求购 牦牛 10头`, `nyo nas 100 rgya ma`). 求购 is the usual Chinese word on
 * supply-and-demand boards (供求信息) beside the glossary's 收购.
 */
export const buy = defineCommand<OfferCommand<'buy'>>({
  intent: 'buy',
  keywords: {
    en: ['buy', 'purchase', 'buying', 'wanted'],
    zh: ['买', '购买', '收购', '买入', '求购'],
    bo: ['ཉོ', 'ཉོས', 'ཉོ་བ'],
    wylie: ['nyo', 'nyos', 'nyo ba'],
  },
  read: (input) => readOfferCommand('buy', input),
  handler: offerHandler<'buy'>(),
  failureReply: offerFailureReply('buy'),
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: offerMessageKeys('buy'),
});

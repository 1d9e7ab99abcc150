import type { Side } from '../../exchange/listing.ts';
import type { Catalog } from '../../reference/catalog.ts';
import { joinTokens } from '../../text/normalise.ts';
import { defineCommand, type ReadInput, type ReadOutcome } from './command.ts';
import { commonKeys, offerFailure, offerLineKeys, withExchange } from './exchange-words.ts';
import { type OfferWords, readOffer } from './offer-reader.ts';

export type OfferCommand<S extends Side> = { intent: S; offer: OfferWords; text: string };

/** SELL and BUY read alike: the words after the keyword, then the use-case with the side. */
export function readOfferCommand<S extends Side>(side: S, input: ReadInput): ReadOutcome<OfferCommand<S>> {
  const read = readOffer(side, input.rest, input.matcher);
  // The words as read (not as typed): what moderators see and flagged words are looked for in.
  return read.ok ? { ok: true, command: { intent: side, offer: read.offer, text: joinTokens(input.rest) } } : read;
}

export const offerHandler = <S extends Side>() => ({
  kind: 'answer' as const,
  answer: (command: OfferCommand<S>, context: Parameters<typeof withExchange>[0]) =>
    withExchange(context, (exchange, sender) =>
      exchange.post(sender, { side: command.intent, ...command.offer }, command.text),
    ),
});

/** Every key SELL and BUY (and the core behind them) may answer with. */
export const offerMessageKeys = (side: Side) => [
  `exchange.usage.${side}`,
  ...offerLineKeys,
  'exchange.posted',
  'exchange.held',
  'exchange.context',
  'exchange.unknownCommodity',
  'exchange.unknownUnit',
  'exchange.badPrice',
  'exchange.badQuantity',
  'exchange.unknownPlace',
  'exchange.noPlace',
  'exchange.limitOpen',
  'exchange.limitDaily',
  // (sent by the core behind SELL/BUY to both owners when the new offer matches another)
  'exchange.match',
  'exchange.matchHowto',
  'exchange.safety',
  ...commonKeys,
];

export const offerFailureReply =
  (side: Side) =>
  (
    failure: Parameters<typeof offerFailure>[1],
    { lang, catalog }: { lang: Parameters<typeof offerFailure>[2]; catalog: Catalog },
  ) =>
    offerFailure(`exchange.usage.${side}`, failure, lang, catalog);

/**
 * SELL <product> <quantity>[<unit>] [<price>] [<place>]: an offer to sell (`SELL YAK 5 HEAD
 * 8000`, `卖 酥油 20斤 35元`, `འཚོང གཡག ༥`). 卖掉了 and 已卖 are SOLD's (longer keywords win).
 */
export const sell = defineCommand<OfferCommand<'sell'>>({
  intent: 'sell',
  keywords: {
    en: ['sell', 'sale', 'selling'],
    zh: ['卖', '出售', '销售', '卖出'],
    // (not the glossary's ཚོང / tshong: it begins ཚོང་ར and ཚོང་ཁང, "market")
    bo: ['འཚོང'],
    wylie: ["'tshong"],
  },
  read: (input) => readOfferCommand('sell', input),
  handler: offerHandler<'sell'>(),
  failureReply: offerFailureReply('sell'),
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: offerMessageKeys('sell'),
});

import type { Side } from '../../exchange/listing.ts';
import { defineCommand, type ReadOutcome } from './command.ts';
import { commonKeys, offerFailure, offerLineKeys, withExchange } from './exchange-words.ts';
import { readCommodity, readPlace } from './offer-reader.ts';

export type FindCommand = { intent: 'find'; side: Side; commodityId: string; regionId?: string };

/**
 * The side word that may follow the keyword: whose offers are wanted. Sell offers by default
 * (whoever looks is mostly a buyer); `FIND BUY BARLEY` / `找 收购 青稞` / `'tshol nyo nas`
 * finds buyers, for a seller.
 */
const sideWords = new Map<string, Side>([
  ...['sell', 'sellers', 'seller', 'sale', '卖', '出售', '卖出', 'འཚོང', "'tshong"].map((w) => [w, 'sell'] as const),
  ...['buy', 'buyers', 'buyer', 'wanted', '买', '收购', '求购', '购买', 'ཉོ', 'ཉོས', 'nyo', 'nyos'].map(
    (w) => [w, 'buy'] as const,
  ),
]);

/** The side word at the start (one token, or two Han characters: 收购), and how many tokens it took. */
function sideAt(rest: readonly string[]): { side: Side; taken: number } | undefined {
  const two = rest.length >= 2 ? sideWords.get(rest[0]! + rest[1]!) : undefined;
  if (two) return { side: two, taken: 2 };
  const one = rest.length >= 1 ? sideWords.get(rest[0]!) : undefined;
  return one ? { side: one, taken: 1 } : undefined;
}

/**
 * [SELL|BUY] <product> [<place>]: the product is the longest leading run of words naming one;
 * the words after it name a county, prefecture or market (its region).
 */
export function readFind(
  rest: readonly string[],
  matcher: Parameters<typeof readCommodity>[1],
): ReadOutcome<FindCommand> {
  const sided = sideAt(rest);
  const side: Side = sided?.side ?? 'sell';
  const words = rest.slice(sided?.taken ?? 0);
  if (words.length === 0) return { ok: false, intent: 'find', problem: 'missing_argument' };
  let end = words.length;
  while (end > 1 && !readCommodity(words.slice(0, end), matcher).ok) end--;
  const commodity = readCommodity(words.slice(0, end), matcher);
  if (!commodity.ok) {
    const all = readCommodity(words, matcher);
    if (all.ok) return { ok: true, command: { intent: 'find', side, commodityId: all.commodityId } };
    return {
      ok: false,
      intent: 'find',
      problem: 'bad_argument',
      argument: 'commodity',
      text: all.text,
      suggestions: all.suggestions,
    };
  }
  const placeWords = words.slice(end);
  const command: FindCommand = { intent: 'find', side, commodityId: commodity.commodityId };
  if (placeWords.length === 0) return { ok: true, command };
  const place = readPlace(placeWords, matcher);
  if (!place.ok)
    return {
      ok: false,
      intent: 'find',
      problem: 'bad_argument',
      argument: 'place',
      text: place.text,
      suggestions: place.suggestions,
    };
  return { ok: true, command: { ...command, regionId: place.regionId } };
}

/** FIND <product> [<place>]: up to three open offers nearest the sender (or the place named). */
export const find = defineCommand<FindCommand>({
  intent: 'find',
  keywords: {
    en: ['find', 'search', 'look for', 'offers'],
    zh: ['查找', '找', '搜索', '搜', '寻找'],
    bo: ['འཚོལ', 'བཤེར་འཚོལ', 'བཙལ', 'འཚོལ་བ'],
    wylie: ["'tshol", "bsher 'tshol", 'btsal', "'tshol ba"],
  },
  read: ({ rest, matcher }) => readFind(rest, matcher),
  handler: {
    kind: 'answer',
    answer: (command, context) =>
      withExchange(context, (exchange, sender) =>
        exchange.find(sender, {
          side: command.side,
          commodityId: command.commodityId,
          ...(command.regionId ? { regionId: command.regionId } : {}),
        }),
      ),
  },
  failureReply: (failure, { lang, catalog }) => offerFailure('exchange.usage.find', failure, lang, catalog),
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: [
    'exchange.usage.find',
    'exchange.unknownCommodity',
    'exchange.unknownPlace',
    'exchange.find.head',
    'exchange.find.none',
    'exchange.find.howto',
    'exchange.safety',
    'exchange.noPlace',
    ...offerLineKeys,
    ...commonKeys,
  ],
});

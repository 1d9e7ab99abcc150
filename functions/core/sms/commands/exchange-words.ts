/**
 * What the exchange's commands share: reading an offer code (and the text after it), the
 * sender as the exchange service knows them, the refusals of SELL/BUY/FIND as `exchange.*`
 * replies, and the message keys the core answers with.
 */
import { normaliseCode } from '../../exchange/codes.ts';
import type { ExchangeService, SmsAnswer, SmsSender } from '../../exchange/service.ts';
import type { Catalog } from '../../reference/catalog.ts';
import type { Language } from '../../reference/schemas.ts';
import type { ReplyLine } from '../messages.ts';
import { echo, listIds } from './argument-replies.ts';
import type { Answer, AnswerContext, ParseFailure, ReadInput, ReadOutcome } from './command.ts';

/** A code and what followed it, as read after MSG / REPORT / SOLD …. */
export interface CodeWords {
  code: string;
  /** The words after the code, as typed (normalised); '' when none. */
  text: string;
}

/** Spaces, tsheg and shad around the text after a code separate it from the code; they are no part of it. */
const edges = /^[\s\u0F0B-\u0F12]+|[\s\u0F0B-\u0F12]+$/gu;

/**
 * The code at the start of the words after the keyword — `L4821`, `4821`, `L 4821`, `a1234`
 * — and the text after it (from `after`, so that punctuation in a relayed message survives).
 */
export function readCode({ rest, after }: Pick<ReadInput, 'rest' | 'after'>): CodeWords | undefined {
  for (const taken of [1, 2]) {
    if (rest.length < taken) break;
    const code = normaliseCode(rest.slice(0, taken).join(' '));
    if (!code) continue;
    // The code's characters in `after` are the first `taken` tokens: skip past each of them.
    let at = 0;
    for (const token of rest.slice(0, taken)) {
      const found = after.indexOf(token, at);
      at = found < 0 ? at : found + token.length;
    }
    return { code, text: after.slice(at).replace(edges, '') };
  }
  return undefined;
}

/**
 * A keyword-and-code command's reading: the code, or `missing_argument` (the usage reply).
 * With `textRequired`, a code alone is the usage reply too (MSG needs its message).
 */
export function readCodeCommand<I extends string>(
  intent: I,
  input: ReadInput,
  textRequired = false,
): ReadOutcome<{ intent: I } & CodeWords> {
  const words = readCode(input);
  if (!words || (textRequired && !words.text)) return { ok: false, intent, problem: 'missing_argument' };
  return { ok: true, command: { intent, ...words } };
}

/** Who sent the SMS, as the exchange keys its effects. */
export const senderOf = (context: AnswerContext): SmsSender => ({
  phone: context.from,
  messageId: context.messageId,
  // (the names in the reply, and its budget, are in the sender's language)
  language: context.subscriber.language,
  ...(context.subscriber.homeRegionId ? { homeRegionId: context.subscriber.homeRegionId } : {}),
});

/** Runs a use-case of the exchange; without the service (tests of other things) the short help. */
export async function withExchange(
  context: AnswerContext,
  use: (exchange: ExchangeService, sender: SmsSender) => Promise<SmsAnswer>,
): Promise<Answer> {
  const exchange = context.services.exchange;
  if (!exchange) return { lines: [{ key: 'help.unknown' }] };
  return use(exchange, senderOf(context));
}

/**
 * The reply to SELL / BUY / FIND words we could not read: the part that was wrong, with the
 * closest names for a commodity or place, or the usage with an example.
 */
export function offerFailure(usageKey: string, failure: ParseFailure, lang: Language, catalog: Catalog): ReplyLine[] {
  if (failure.problem !== 'bad_argument')
    return [{ key: failure.problem === 'missing_argument' ? usageKey : 'help.unknown' }];
  const text = echo(failure.text);
  const named = (key: string): ReplyLine =>
    failure.suggestions.length
      ? { key, params: { text, suggestions: listIds(failure.suggestions, lang, catalog) } }
      : { key, params: { text, suggestions: '', context: 'none' } };
  switch (failure.argument) {
    case 'commodity':
      return [named('exchange.unknownCommodity')];
    case 'place':
      return [named('exchange.unknownPlace')];
    case 'quantity':
      return [{ key: 'exchange.badQuantity', params: { text } }];
    case 'unit':
      return [{ key: 'exchange.unknownUnit', params: { text } }];
    case 'price':
      return [{ key: 'exchange.badPrice', params: { text } }];
    default:
      return [{ key: usageKey }];
  }
}

/** An offer line and its variants, as core writes one (listed wherever an offer may be shown). */
export const offerLineKeys = [
  'exchange.offer.sell',
  'exchange.offer.buy',
  'exchange.offer.sellOpen',
  'exchange.offer.buyOpen',
] as const;

/** What any exchange command may answer whatever it is: refusals of the number, and no offer of yours. */
export const commonKeys = ['exchange.blocked', 'exchange.notYours', 'help.unknown'] as const;

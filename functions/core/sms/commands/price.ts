import type { Matcher } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import { answerPrice, type PriceCommand } from '../price-reply.ts';
import { argumentFailure } from './argument-replies.ts';
import { defineCommand, type ReadOutcome } from './command.ts';

const HAN = /\p{sc=Han}/u;

const unique = (ids: string[]) => [...new Set(ids)];
const commodityIds = (tokens: readonly string[], matcher: Matcher) =>
  unique(matcher.match(joinTokens(tokens), { kinds: ['commodity'] }).map((h) => h.item.id));

/**
 * PRICE <commodity> [<market or region>]: the commodity is the longest run of leading words
 * that names one; what follows names a market, or a region (its markets). Unknown → the
 * closest names.
 *
 * @example readPrice(['barley', 'lhasa'], matcher) // { ok: true, command: { intent: 'price', commodityId: 'barley_qingke', regionId: 'city_lhasa' } }
 */
export function readPrice(rest: string[], matcher: Matcher): ReadOutcome<PriceCommand> {
  if (rest.length === 0) return { ok: false, intent: 'price', problem: 'missing_argument' };
  for (let end = rest.length; end >= 1; end--) {
    const ids = commodityIds(rest.slice(0, end), matcher);
    if (ids.length === 0) continue;
    if (ids.length > 1)
      return {
        ok: false,
        intent: 'price',
        problem: 'ambiguous',
        text: joinTokens(rest.slice(0, end)),
        suggestions: ids.slice(0, 3),
      };
    const commodityId = ids[0]!;
    const placeWords = rest.slice(end);
    if (placeWords.length === 0) return { ok: true, command: { intent: 'price', commodityId } };
    const text = joinTokens(placeWords);
    const hits = matcher.match(text, { kinds: ['market', 'region'] });
    const markets = unique(hits.filter((h) => h.kind === 'market').map((h) => h.item.id));
    const regions = unique(hits.filter((h) => h.kind === 'region').map((h) => h.item.id));
    if (markets.length === 1) return { ok: true, command: { intent: 'price', commodityId, marketId: markets[0]! } };
    if (markets.length === 0 && regions.length === 1)
      return { ok: true, command: { intent: 'price', commodityId, regionId: regions[0]! } };
    if (markets.length + regions.length > 1)
      return {
        ok: false,
        intent: 'price',
        problem: 'ambiguous',
        text,
        suggestions: [...markets, ...regions].slice(0, 3),
      };
    const suggestions = unique(
      matcher.suggest(text, { kinds: ['market', 'region'], limit: 3 }).map((s) => s.item.id),
    ).slice(0, 3);
    return { ok: false, intent: 'price', problem: 'unknown_argument', text, suggestions };
  }
  const text = joinTokens(rest);
  const suggestions = unique(matcher.suggest(text, { kinds: ['commodity'], limit: 3 }).map((s) => s.item.id)).slice(
    0,
    3,
  );
  return { ok: false, intent: 'price', problem: 'unknown_argument', text, suggestions };
}

/** Chinese price words written straight after the commodity, in one run of Han: 青稞价格. */
const hanPriceSuffixes = ['价格', '价钱', '多少钱', '行情'];

/**
 * The commodity-first form, when no keyword leads: `青稞价格`, `ནས་རིན་གོང`, `ནས་གོང་ག་ཚོད`,
 * `nas rin gong` — a commodity, then price words (the glossary's kw_price names), then
 * optionally a market or region (`青稞价格 八廓街`).
 * Undefined when the message is not of that form, so that it stays an unknown command.
 */
export function readPriceSuffix(input: readonly string[], matcher: Matcher): ReadOutcome<PriceCommand> | undefined {
  // Han is tokenised per character already; a whole Han token ending in a price word is split.
  const tokens = input.flatMap((t) => {
    if (!HAN.test(t)) return [t];
    const suffix = hanPriceSuffixes.find((s) => t.endsWith(s) && t.length > s.length);
    return suffix ? [t.slice(0, -suffix.length), suffix] : [t];
  });
  const n = tokens.length;
  // (a commodity and a price word are a few words: longer text is something else)
  if (n < 2 || n > 16) return undefined;
  const priceRuns = matcher.findInTokens(tokens, ['term']).filter((m) => m.hits.some((h) => h.item.id === 'kw_price'));
  // covered[p]: tokens p..n are all price words
  const covered: boolean[] = Array.from({ length: n + 1 }, () => false);
  covered[n] = true;
  for (let p = n - 1; p >= 1; p--)
    covered[p] = priceRuns.some((m) => m.start === p && m.end > p && m.end <= n && covered[m.end]);
  for (let s = 1; s < n; s++) {
    if (!covered[s]) continue;
    const ids = commodityIds(tokens.slice(0, s), matcher);
    if (ids.length === 1) return { ok: true, command: { intent: 'price', commodityId: ids[0]! } };
    if (ids.length > 1)
      return {
        ok: false,
        intent: 'price',
        problem: 'ambiguous',
        text: joinTokens(tokens.slice(0, s)),
        suggestions: ids.slice(0, 3),
      };
  }
  // A place after the price words: 青稞价格 八廓街, nas rin gong lha sa — read as PRICE <commodity> <place>.
  for (const run of priceRuns) {
    if (run.start < 1 || run.end >= n) continue;
    const ids = commodityIds(tokens.slice(0, run.start), matcher);
    if (ids.length === 1) return readPrice([...tokens.slice(0, run.start), ...tokens.slice(run.end)], matcher);
  }
  return undefined;
}

/**
 * PRICE <product> [<market or county>], or the product first (青稞价格): the latest approved
 * prices (price-reply.ts). Changes nothing about the subscriber.
 */
export const price = defineCommand<PriceCommand>({
  intent: 'price',
  keywords: { en: ['price'], zh: ['价格', '价钱', '多少钱', '行情'], bo: ['རིན་གོང', 'གོང'], wylie: ['rin gong'] },
  read: ({ rest, matcher }) => readPrice(rest, matcher),
  readWithoutKeyword: readPriceSuffix,
  handler: {
    kind: 'answer',
    answer: (command, { services, subscriber, catalog, now }) =>
      answerPrice(services.prices, command, subscriber, catalog, now),
  },
  failureReply: (failure, { lang, catalog }) => argumentFailure('price', failure, lang, catalog),
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: [
    'price.head',
    'price.row',
    'price.rowShort',
    'price.old',
    'price.none',
    'price.noneAt',
    'price.nearest',
    'price.missing',
    'price.ambiguous',
    'price.unknown',
    'price.notFound',
  ],
});

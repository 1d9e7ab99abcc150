/**
 * The words after SELL / BUY (and FIND) → an offer: commodity, quantity and unit, price per
 * unit, place. Read by hand because the grammar is ours: people write the parts in one order
 * (commodity, quantity, unit, price, place) but in four scripts, with the unit attached or
 * apart (`20斤`, `20 jin`, `20 rgya ma`), the price bare or dressed (`35`, `35元`, `每斤35元`,
 * `¥35`, `རྒྱ་མ་རེར་སྒོར་35`), and the unit left out where the commodity implies it (a yak is
 * counted by the head).
 */
import { parseFen } from '../../prices/money.ts';
import { parseUnit } from '../../prices/vocabulary.ts';
import type { Commodity } from '../../reference/schemas.ts';
import type { Matcher, MatchHit } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import type { ParseFailure } from './command.ts';

/** What SELL / BUY read: an OfferInput (exchange/service.ts) without its side. */
export interface OfferWords {
  commodityId: string;
  quantity: number;
  unitId: string;
  /** Fen per unit; null: negotiable. */
  priceFen: number | null;
  regionId?: string;
  marketId?: string;
}

/** The part of an offer that could not be read (the `bad_argument` failure's `argument`). */
export type OfferArgument = 'commodity' | 'quantity' | 'unit' | 'price' | 'place';

export type OfferRead<I extends string> =
  | { ok: true; offer: OfferWords }
  | ({ ok: false } & Extract<ParseFailure<I>, { problem: 'missing_argument' | 'bad_argument' }>);

/** A number as typed (Tibetan and full-width digits are ASCII after normalising). */
const NUMBER = /^\d+(?:\.\d+)?$/u;
const NUMBER_THEN_WORD = /^(\d+(?:\.\d+)?)([a-z]+)$/u;
/** A quantity: up to 7 whole digits and 2 decimals (2.5 khal; nobody sells ten million jin by SMS). */
const QUANTITY = /^\d{1,7}(?:\.\d{1,2})?$/u;
/** Commodities counted without a unit word (`SELL YAK 5`, `འཚོང གཡག ༥`): Tibetan has no classifier for them. */
const COUNTED = new Set(['head']);
/**
 * Money and "per" words not (yet) among the glossary's terms (unit_yuan, unit_per): 块钱 is two
 * Han tokens, རེར is the "per" form written before སྒོར in prices (རྒྱ་མ་རེར་སྒོར་35), and
 * "each" (8000 each) is a price per the quantity's unit, not the unit `piece`.
 */
const moneyWords = new Set(['钱', 'rmb', 'rer', 'རེར', 'each']);

const unique = (ids: string[]) => [...new Set(ids)];
const bad = <I extends string>(intent: I, argument: OfferArgument, text: string, suggestions: string[] = []) =>
  ({ ok: false, intent, problem: 'bad_argument', argument, text, suggestions }) as const;

/** The unit tokens at `start` name (longest run first, up to 3 tokens: `rgya ma`, `市斤`), and how many they take. */
function unitAt(
  tokens: readonly string[],
  start: number,
  matcher: Matcher,
): { unitId: string; taken: number } | undefined {
  for (let n = Math.min(3, tokens.length - start); n >= 1; n--) {
    const text = joinTokens(tokens.slice(start, start + n));
    if (NUMBER.test(text)) continue;
    const ids = unique(matcher.match(text, { kinds: ['unit'] }).map((h) => h.item.id));
    const unitId = ids.length === 1 ? ids[0] : parseUnit(text);
    if (unitId) return { unitId, taken: n };
  }
  return undefined;
}

/** Whether the tokens at `start` are money or "per" words (元, 块, yuan, sgor, 每, per, རེ…), and how many. */
function moneyAt(tokens: readonly string[], start: number, matcher: Matcher): number {
  if (moneyWords.has(tokens[start]!)) return 1;
  for (let n = Math.min(2, tokens.length - start); n >= 1; n--) {
    const hits = matcher.match(joinTokens(tokens.slice(start, start + n)), { kinds: ['term'] });
    if (hits.some((h) => h.item.id === 'unit_yuan' || h.item.id === 'unit_per')) return n;
  }
  return 0;
}

/** The place words name one region (preferred: an offer is where the goods are) or one market. */
export function readPlace(
  words: readonly string[],
  matcher: Matcher,
): { ok: true; regionId: string; marketId?: string } | { ok: false; text: string; suggestions: string[] } {
  const text = joinTokens(words);
  const hits = matcher.match(text, { kinds: ['market', 'region'] });
  const regions = unique(hits.filter((h) => h.kind === 'region').map((h) => h.item.id));
  const markets = hits.filter((h) => h.kind === 'market');
  if (regions.length === 1) return { ok: true, regionId: regions[0]! };
  if (regions.length === 0 && markets.length === 1) {
    const market = markets[0]!.item as MatchHit['item'] & { regionId?: string };
    return market.regionId
      ? { ok: true, regionId: market.regionId, marketId: market.id }
      : { ok: false, text, suggestions: [] };
  }
  if (hits.length > 1) return { ok: false, text, suggestions: unique(hits.map((h) => h.item.id)).slice(0, 3) };
  const suggestions = unique(matcher.suggest(text, { kinds: ['market', 'region'], limit: 3 }).map((s) => s.item.id));
  return { ok: false, text, suggestions: suggestions.slice(0, 3) };
}

/**
 * The commodity the words name, all of them: one id, or the closest names. A leading run that
 * names one (`butter fresh`) is offered first.
 */
export function readCommodity(
  words: readonly string[],
  matcher: Matcher,
): { ok: true; commodityId: string; defaultUnit?: string } | { ok: false; text: string; suggestions: string[] } {
  const text = joinTokens(words);
  const hits = matcher.match(text, { kinds: ['commodity'] });
  const ids = unique(hits.map((h) => h.item.id));
  if (ids.length === 1) {
    const { defaultUnit } = hits[0]!.item as Commodity;
    return { ok: true, commodityId: ids[0]!, ...(defaultUnit ? { defaultUnit } : {}) };
  }
  if (ids.length > 1) return { ok: false, text, suggestions: ids.slice(0, 3) };
  const prefix: string[] = [];
  for (let end = words.length - 1; end >= 1 && prefix.length === 0; end--)
    prefix.push(...matcher.match(joinTokens(words.slice(0, end)), { kinds: ['commodity'] }).map((h) => h.item.id));
  const near = matcher.suggest(text, { kinds: ['commodity'], limit: 3 }).map((s) => s.item.id);
  return { ok: false, text, suggestions: unique([...prefix, ...near]).slice(0, 3) };
}

/**
 * The quantity written first (`SELL 5 YAK 8000`, `卖 5头 牦牛`) moved after the commodity: the
 * number and its unit, then the words up to the next number or money word are the commodity.
 */
function quantityLast(tokens: readonly string[], matcher: Matcher): string[] | undefined {
  const unit = unitAt(tokens, 1, matcher);
  const from = 1 + (unit?.taken ?? 0);
  let to = from;
  while (to < tokens.length && !/\d/u.test(tokens[to]!) && !moneyAt(tokens, to, matcher)) to++;
  // No words for a commodity: the usage reply.
  if (to === from) return undefined;
  return [...tokens.slice(from, to), ...tokens.slice(0, from), ...tokens.slice(to)];
}

/**
 * <commodity> <quantity>[<unit>] [<price>] [<place>], or <commodity> <unit> <quantity> … as Tibetan
 * orders it. The commodity's default unit (reference
 * data) stands in when none is written and the commodity is counted (livestock: head); for
 * anything else a missing unit is a usage reply, since "20 butter" could be jin or kg.
 *
 * @example readOffer('sell', ['butter', '20', 'jin', '35'], matcher)
 *   // { ok: true, offer: { commodityId: 'butter', quantity: 20, unitId: 'jin', priceFen: 3500 } }
 */
export function readOffer<I extends string>(intent: I, typed: readonly string[], matcher: Matcher): OfferRead<I> {
  // A Latin unit or currency written onto its number is one token: 20jin, 35yuan, 5head.
  const tokens = typed.flatMap((t) => {
    const glued = NUMBER_THEN_WORD.exec(t);
    return glued ? [glued[1]!, glued[2]!] : [t];
  });
  const q = tokens.findIndex((t) => NUMBER.test(t) || /^[\d.]+$/u.test(t));
  if (tokens.length === 0) return { ok: false, intent, problem: 'missing_argument' };
  if (q === 0) {
    const moved = quantityLast(tokens, matcher);
    return moved ? readOffer(intent, moved, matcher) : { ok: false, intent, problem: 'missing_argument' };
  }
  // No number at all: a commodity without a quantity, or words that are no offer.
  const names = tokens.slice(0, q < 0 ? tokens.length : q);
  if (names.length === 0) return { ok: false, intent, problem: 'missing_argument' };
  // Tibetan puts the measure before the number (མར་རྒྱ་མ་20, "butter jin 20"): a unit ending the names.
  let commodity = readCommodity(names, matcher);
  let unitBefore: string | undefined;
  for (let n = 1; !commodity.ok && n <= 3 && n < names.length; n++) {
    const unit = unitAt(names, names.length - n, matcher);
    const before = unit?.taken === n ? readCommodity(names.slice(0, -n), matcher) : undefined;
    if (before?.ok) {
      commodity = before;
      unitBefore = unit!.unitId;
    }
  }
  if (!commodity.ok) return bad(intent, 'commodity', commodity.text, commodity.suggestions);
  if (q < 0) return bad(intent, 'quantity', '');
  const { commodityId } = commodity;
  const quantityText = tokens[q]!;
  const quantity = Number(quantityText);
  if (!QUANTITY.test(quantityText) || !(quantity > 0)) return bad(intent, 'quantity', quantityText);

  let at = q + 1;
  let unitId: string;
  const unit = unitBefore ? { unitId: unitBefore, taken: 0 } : unitAt(tokens, at, matcher);
  if (unit) {
    unitId = unit.unitId;
    at += unit.taken;
  } else {
    const implied = commodity.defaultUnit;
    const next = tokens[at];
    if (implied && COUNTED.has(implied)) unitId = implied;
    else if (next === undefined || NUMBER.test(next) || moneyAt(tokens, at, matcher))
      return { ok: false, intent, problem: 'missing_argument' };
    else return bad(intent, 'unit', next);
  }

  // The price: money and "per" words around one number, and the unit again (每斤4.5元, 35元/斤).
  let priceFen: number | null = null;
  let priceText: string | undefined;
  while (at < tokens.length) {
    const money = moneyAt(tokens, at, matcher);
    if (money) {
      at += money;
      continue;
    }
    const again = unitAt(tokens, at, matcher);
    if (again) {
      // A price per another unit than the quantity's (500 jin at 9/kg) would be stored wrong.
      if (again.unitId !== unitId) return bad(intent, 'price', joinTokens(tokens.slice(at, at + again.taken)));
      at += again.taken;
      continue;
    }
    if (priceText === undefined && /^[\d.]+$/u.test(tokens[at]!)) {
      priceText = tokens[at]!;
      const fen = parseFen(priceText);
      if (!fen.ok) return bad(intent, 'price', priceText);
      priceFen = fen.fen;
      at++;
      continue;
    }
    break;
  }

  const rest = tokens.slice(at);
  const offer: OfferWords = { commodityId, quantity, unitId, priceFen };
  if (rest.length === 0) return { ok: true, offer };
  // A second number, or a number glued to letters (4,5 typed as "4 5"; "35yuan"): not a price we can read.
  if (rest.some((t) => /\d/u.test(t))) return bad(intent, 'price', rest.find((t) => /\d/u.test(t))!);
  const place = readPlace(rest, matcher);
  if (!place.ok) return bad(intent, 'place', place.text, place.suggestions);
  return {
    ok: true,
    offer: { ...offer, regionId: place.regionId, ...(place.marketId ? { marketId: place.marketId } : {}) },
  };
}

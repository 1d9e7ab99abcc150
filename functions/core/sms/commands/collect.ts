import { parseFen } from '../../prices/money.ts';
import { parseKind } from '../../prices/vocabulary.ts';
import type { Matcher } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import { answerCollect, type CollectCommand } from '../collect-reply.ts';
import { echo, listIds } from './argument-replies.ts';
import { defineCommand, type ReadOutcome } from './command.ts';

/** A P report's part that could not be read. */
export type CollectArgument = 'commodity' | 'market' | 'price' | 'date';

/** A price token after normalising (Tibetan and full-width digits are ASCII by then): 4, 4.5, .5, 4.567 (read, then refused). */
const PRICE = /^(?:\d+(?:\.\d*)?|\.\d+)$/u;
/** Currency words people write beside a price (4.5元, 4.5 yuan, སྒོར་4.5): read past. */
const currencyWords = new Set(['元', '块', 'yuan', 'rmb', 'sgor', 'སྒོར', 'སྒོར་མོ']);
const MONTH_DAY = /^(\d{1,2})-(\d{1,2})$/u;
const FULL_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/u;

const unique = (ids: string[]) => [...new Set(ids)];
const pad = (n: string) => n.padStart(2, '0');

const bad = (argument: CollectArgument, text: string, suggestions: string[] = []): ReadOutcome<CollectCommand> => ({
  ok: false,
  intent: 'collect',
  problem: 'bad_argument',
  argument,
  text,
  suggestions,
});

/** MM-DD / YYYY-MM-DD / 5月20日 starting at tokens[i]: the date (zero-padded) and how many tokens it took. */
function readDate(tokens: readonly string[], i: number): { date: string; taken: number } | 'invalid' | undefined {
  const t = tokens[i]!;
  let y: string | undefined,
    m: string,
    d: string,
    taken = 1;
  const full = FULL_DATE.exec(t);
  const short = MONTH_DAY.exec(t);
  if (full) [, y, m, d] = full as unknown as [string, string, string, string];
  else if (short) [, m, d] = short as unknown as [string, string, string];
  else if (/^\d{1,2}$/u.test(t) && tokens[i + 1] === '月' && /^\d{1,2}$/u.test(tokens[i + 2] ?? '')) {
    [m, d] = [t, tokens[i + 2]!];
    taken = tokens[i + 3] === '日' || tokens[i + 3] === '号' ? 4 : 3;
  } else return undefined;
  if (Number(m) < 1 || Number(m) > 12 || Number(d) < 1 || Number(d) > 31) return 'invalid';
  return { date: `${y ? `${y}-` : ''}${pad(m)}-${pad(d)}`, taken };
}

/** The words after the price: unit, kind and date in any order; whatever is neither kind nor date is the unit. */
function readTail(
  tail: readonly string[],
): ReadOutcome<CollectCommand> | Pick<CollectCommand, 'unit' | 'kind' | 'date'> {
  const out: Pick<CollectCommand, 'unit' | 'kind' | 'date'> = {};
  const unitWords: string[] = [];
  for (let i = 0; i < tail.length; ) {
    const token = tail[i]!;
    if (currencyWords.has(token)) {
      i++;
      continue;
    }
    const date = readDate(tail, i);
    if (date === 'invalid') return bad('date', token);
    if (date) {
      out.date = date.date;
      i += date.taken;
      continue;
    }
    // Kind words may span tokens (Han is one token per character: 批发价 is three).
    let kindTaken = 0;
    for (let n = Math.min(3, tail.length - i); n >= 1 && !kindTaken; n--) {
      const kind = parseKind(joinTokens(tail.slice(i, i + n)));
      if (kind) {
        out.kind = kind;
        kindTaken = n;
      }
    }
    if (kindTaken) {
      i += kindTaken;
      continue;
    }
    unitWords.push(token);
    i++;
  }
  if (unitWords.length) out.unit = joinTokens(unitWords);
  return out;
}

/** Markets (or one region) named by the words; several → ambiguous. */
function placeOf(words: readonly string[], matcher: Matcher) {
  const hits = matcher.match(joinTokens(words), { kinds: ['market', 'region'] });
  return {
    markets: unique(hits.filter((h) => h.kind === 'market').map((h) => h.item.id)),
    regions: unique(hits.filter((h) => h.kind === 'region').map((h) => h.item.id)),
  };
}

/**
 * P <commodity> <market> <price> [unit] [kind] [date] — a staff price report. The price is the
 * first number; before it, the longest run of words naming a commodity, then a market (or a
 * region, whose one market the pipeline picks, or lists when it has several). Unknown names
 * get the closest ones.
 *
 * @example readCollect(['青','稞','东','嘎','4.50','斤','批','发','05-20'], matcher)
 *   // { ok: true, command: { intent: 'collect', commodityId: 'barley_qingke', marketId: 'mkt_lhasa_dongga', price: '4.50', unit: '斤', kind: 'wholesale', date: '05-20' } }
 */
export function readCollect(rest: string[], matcher: Matcher): ReadOutcome<CollectCommand> {
  const at = rest.findIndex((t, i) => i >= 2 && PRICE.test(t));
  if (at < 0) return { ok: false, intent: 'collect', problem: 'missing_argument' };
  const names = rest.slice(0, at);
  const money = parseFen(rest[at]!);
  const tail = readTail(rest.slice(at + 1));
  if ('ok' in tail) return tail;

  let marketFailure: ReadOutcome<CollectCommand> | undefined;
  for (let end = names.length - 1; end >= 1; end--) {
    const ids = unique(matcher.match(joinTokens(names.slice(0, end)), { kinds: ['commodity'] }).map((h) => h.item.id));
    if (ids.length === 0) continue;
    if (ids.length > 1) return bad('commodity', joinTokens(names.slice(0, end)), ids.slice(0, 3));
    const words = names.slice(end);
    const { markets, regions } = placeOf(words, matcher);
    const place =
      markets.length === 1
        ? { marketId: markets[0]! }
        : markets.length === 0 && regions.length === 1
          ? { regionId: regions[0]! }
          : undefined;
    if (place) {
      if (!money.ok) return bad('price', rest[at]!);
      return { ok: true, command: { intent: 'collect', commodityId: ids[0]!, ...place, price: rest[at]!, ...tail } };
    }
    const text = joinTokens(words);
    marketFailure ??=
      markets.length + regions.length > 1
        ? bad('market', text, [...markets, ...regions].slice(0, 3))
        : bad(
            'market',
            text,
            unique(matcher.suggest(text, { kinds: ['market', 'region'], limit: 3 }).map((s) => s.item.id)).slice(0, 3),
          );
  }
  if (marketFailure) return marketFailure;
  // A commodity and no market at all: how to write a report.
  if (matcher.match(joinTokens(names), { kinds: ['commodity'] }).length)
    return { ok: false, intent: 'collect', problem: 'missing_argument' };
  // No commodity: the words before the longest run naming a place are the commodity as typed.
  let commodityEnd = 1;
  for (let s = 1; s < names.length; s++) {
    const { markets, regions } = placeOf(names.slice(s), matcher);
    if (markets.length || regions.length) {
      commodityEnd = s;
      break;
    }
  }
  const text = joinTokens(names.slice(0, commodityEnd));
  return bad(
    'commodity',
    text,
    unique(matcher.suggest(text, { kinds: ['commodity'], limit: 3 }).map((s) => s.item.id)).slice(0, 3),
  );
}

/**
 * P / 报价: a staff member's price report by SMS (collect-reply.ts decides who may, submits,
 * and says what became of it). The glossary has no Tibetan word for "report a price", so
 * there is no Tibetan or Wylie keyword.
 */
export const collect = defineCommand<CollectCommand>({
  intent: 'collect',
  keywords: { en: ['p'], zh: ['报价'], bo: [], wylie: [] },
  read: ({ rest, matcher }) => readCollect(rest, matcher),
  handler: {
    kind: 'answer',
    answer: (command, { services, from, subscriber, catalog, messageId }) =>
      answerCollect(services.collect, command, from, subscriber.language, catalog, messageId),
  },
  failureReply(failure, { lang, catalog }) {
    // Which part was wrong, with the closest names where there are some.
    if (failure.problem === 'bad_argument') {
      const params = { text: echo(failure.text), suggestions: listIds(failure.suggestions, lang, catalog) };
      const variant =
        failure.argument === 'price' || failure.argument === 'date'
          ? 'bad'
          : failure.suggestions.length
            ? 'unknown'
            : 'notFound';
      return [{ key: `collect.${failure.argument}.${variant}`, params }];
    }
    if (failure.problem === 'missing_argument') return [{ key: 'collect.usage' }];
    return [{ key: 'help.unknown' }];
  },
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: [
    'collect.usage',
    'collect.notAllowed',
    'collect.pending',
    'collect.approved',
    'collect.held',
    'collect.alreadyApproved',
    'collect.commodity.unknown',
    'collect.commodity.notFound',
    'collect.market.unknown',
    'collect.market.notFound',
    'collect.market.which',
    'collect.price.bad',
    'collect.date.bad',
    'collect.date.future',
    'collect.unit.unknown',
  ],
});

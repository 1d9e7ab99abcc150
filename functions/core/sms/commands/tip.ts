import type { Matcher } from '../../text/matcher.ts';
import { joinTokens } from '../../text/normalise.ts';
import { argumentFailure } from './argument-replies.ts';
import { defineCommand, type ReadOutcome } from './command.ts';

export type TipCommand = { intent: 'tip'; commodityId: string; n: number };

/** TIP BARLEY 2 … 9: the next guides; more than this is no longer a tip but a library (/guide). */
const MAX_N = 9;

/**
 * The commodity (the whole of the words, or all but a trailing number) and which guide: 1 by
 * default, `TIP BARLEY 2` the next.
 *
 * @example readTip(['barley', '2'], matcher) // { ok: true, command: { intent: 'tip', commodityId: 'barley_qingke', n: 2 } }
 */
export function readTip(rest: string[], matcher: Matcher): ReadOutcome<TipCommand> {
  if (rest.length === 0) return { ok: false, intent: 'tip', problem: 'missing_argument' };
  const last = rest[rest.length - 1]!;
  const numbered = rest.length > 1 && /^\d{1,3}$/u.test(last);
  const words = numbered ? rest.slice(0, -1) : rest;
  const n = numbered ? Math.min(Math.max(Number(last), 1), MAX_N) : 1;
  const text = joinTokens(words);
  const ids = [...new Set(matcher.match(text, { kinds: ['commodity'] }).map((h) => h.item.id))];
  if (ids.length === 1) return { ok: true, command: { intent: 'tip', commodityId: ids[0]!, n } };
  if (ids.length > 1) return { ok: false, intent: 'tip', problem: 'ambiguous', text, suggestions: ids.slice(0, 3) };
  const suggestions = [
    ...new Set(matcher.suggest(text, { kinds: ['commodity'], limit: 3 }).map((s) => s.item.id)),
  ].slice(0, 3);
  return { ok: false, intent: 'tip', problem: 'unknown_argument', text, suggestions };
}

/**
 * TIP <product> [n]: the published guide's summary most relevant to the sender's home region,
 * this month and its stage (core/knowledge/tip.ts), in one SMS in Chinese and English (two in
 * Tibetan); a product without guides names those that have some. The glossary's kw_advice.
 */
export const tip = defineCommand<TipCommand>({
  intent: 'tip',
  keywords: {
    en: ['tip', 'tips', 'advice', 'guidance'],
    zh: ['建议', '技术指导', '指导', '提示'],
    bo: ['སློབ་སྟོན', 'གྲོས་འཆར', 'བསམ་འཆར'],
    wylie: ['slob ston', "gros 'char", "bsam 'char"],
  },
  read: ({ rest, matcher }) => readTip(rest, matcher),
  handler: {
    kind: 'answer',
    answer: async (command, { services, subscriber, now }) => {
      // Tibetan needs two parts for what Chinese and English say in one.
      const maxSegments = subscriber.language === 'bo' ? 2 : 1;
      if (!services.knowledge) return { lines: [{ key: 'tip.noneAtAll', params: { commodity: '' } }], maxSegments };
      return { lines: await services.knowledge.tip(subscriber, command.commodityId, command.n, now), maxSegments };
    },
  },
  failureReply: (failure, { lang, catalog }) => argumentFailure('tip', failure, lang, catalog, 'tip.usage'),
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: [
    'tip.reply',
    'tip.next',
    'tip.none',
    'tip.noneAtAll',
    'tip.noMore',
    'tip.joinHint',
    'tip.usage',
    'tip.unknown',
    'tip.notFound',
    'tip.ambiguous',
  ],
});

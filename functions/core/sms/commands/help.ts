import { joinTokens } from '../../text/normalise.ts';
import { defineCommand } from './command.ts';

export type HelpCommand = { intent: 'help'; topic?: 'market' | 'knowledge' };

/** The exchange's commands: `HELP SELL`, `帮助 卖` also ask for the market's list. */
const marketWords = ['kw_market', 'kw_sell', 'kw_buy', 'kw_find', 'kw_sold', 'kw_message', 'kw_report', 'kw_list'];

/** The knowledge commands: `HELP TIP`, `帮助 建议`, `HELP ASK`, `HELP ALERTS` ask for their list. */
const knowledgeWords = ['kw_advice', 'kw_ask', 'kw_alert'];
/** Plurals of the commands' own English keywords, which the glossary does not list. */
const knowledgePlurals = new Set(['tips', 'alerts', 'warnings']);

/**
 * HELP: the commands, in one or two SMS; `HELP MARKET` (帮助 市场, རོགས་རམ ཁྲོམ, rogs ram khrom,
 * or HELP and any market keyword) the market's commands, which the main list has no room for;
 * `HELP TIP` (or ASK, ALERTS, in any form) the knowledge commands, likewise.
 * Answered after STOP too.
 */
export const help = defineCommand<HelpCommand>({
  intent: 'help',
  keywords: {
    en: ['help', 'menu', '?'],
    zh: ['帮助', '帮忙', '求助', '菜单'],
    bo: ['རོགས་རམ'],
    wylie: ['rogs ram'],
    wholeOnly: ['h'],
  },
  read: ({ rest, matcher }) => {
    const terms = rest.length > 0 ? matcher.match(joinTokens(rest), { kinds: ['term'] }).map((hit) => hit.item.id) : [];
    if (terms.some((id) => marketWords.includes(id))) return { ok: true, command: { intent: 'help', topic: 'market' } };
    if (terms.some((id) => knowledgeWords.includes(id)) || knowledgePlurals.has(joinTokens(rest).toLowerCase()))
      return { ok: true, command: { intent: 'help', topic: 'knowledge' } };
    return { ok: true, command: { intent: 'help' } };
  },
  handler: {
    kind: 'change',
    apply: (command, subscriber) => ({
      subscriber,
      lines: [{ key: command.topic ? `help.${command.topic}` : 'help.commands' }],
    }),
  },
  flags: { answeredAfterStop: true, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['help.commands', 'help.market', 'help.knowledge'],
});

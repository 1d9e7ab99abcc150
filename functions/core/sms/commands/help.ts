import { joinTokens } from '../../text/normalise.ts';
import { defineCommand } from './command.ts';

export type HelpCommand = { intent: 'help'; topic?: 'market' };

/** The exchange's commands: `HELP SELL`, `帮助 卖` also ask for the market's list. */
const marketWords = ['kw_market', 'kw_sell', 'kw_buy', 'kw_find', 'kw_sold', 'kw_message', 'kw_report', 'kw_list'];

/**
 * HELP: the commands, in one or two SMS; `HELP MARKET` (帮助 市场, རོགས་རམ ཁྲོམ, rogs ram khrom,
 * or HELP and any market keyword) the market's commands, which the main list has no room for.
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
    const market =
      rest.length > 0 &&
      matcher.match(joinTokens(rest), { kinds: ['term'] }).some((hit) => marketWords.includes(hit.item.id));
    return { ok: true, command: market ? { intent: 'help', topic: 'market' } : { intent: 'help' } };
  },
  handler: {
    kind: 'change',
    apply: (command, subscriber) => ({
      subscriber,
      lines: [{ key: command.topic === 'market' ? 'help.market' : 'help.commands' }],
    }),
  },
  flags: { answeredAfterStop: true, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['help.commands', 'help.market'],
});

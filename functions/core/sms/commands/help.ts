import { defineCommand } from './command.ts';

export type HelpCommand = { intent: 'help' };

/** HELP: the commands, in one or two SMS. Answered after STOP too. */
export const help = defineCommand<HelpCommand>({
  intent: 'help',
  keywords: {
    en: ['help', 'menu', '?'],
    zh: ['帮助', '帮忙', '求助', '菜单'],
    bo: ['རོགས་རམ'],
    wylie: ['rogs ram'],
    wholeOnly: ['h'],
  },
  read: () => ({ ok: true, command: { intent: 'help' } }),
  handler: { kind: 'change', apply: (_command, subscriber) => ({ subscriber, lines: [{ key: 'help.commands' }] }) },
  flags: { answeredAfterStop: true, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['help.commands'],
});

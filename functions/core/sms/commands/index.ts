/**
 * The registry: every SMS command, listed once. The parser, the pipeline and the replies find
 * a command here by its keywords or its intent; the command type is the union of what the
 * listed commands handle. A new command is one file beside this one and one line below.
 */
import type { Language } from '../../reference/schemas.ts';
import { alerts } from './alerts.ts';
import { ask } from './ask.ts';
import { buy } from './buy.ts';
import { cancel } from './cancel.ts';
import { collect } from './collect.ts';
import type { CommandOf, CommandShape, ParseFailure, SmsCommand } from './command.ts';
import { deleteMe } from './delete.ts';
import { find } from './find.ts';
import { help } from './help.ts';
import { join } from './join.ts';
import { lang } from './lang.ts';
import { list } from './list.ts';
import { msg } from './msg.ts';
import { no } from './no.ts';
import { price } from './price.ts';
import { renew } from './renew.ts';
import { report } from './report.ts';
import { script } from './script.ts';
import { sell } from './sell.ts';
import { share } from './share.ts';
import { sold } from './sold.ts';
import { start } from './start.ts';
import { stop } from './stop.ts';
import { sub } from './sub.ts';
import { tip } from './tip.ts';
import { unsub } from './unsub.ts';
import { yes } from './yes.ts';

/**
 * In the order keywords are tried: of two keywords a message starts with equally well, or two
 * typos equally close, the earlier command's wins (UNSUB before SUB). The exchange's commands
 * come last, so that a tie with an older keyword keeps the meaning it had (SOLD before SELL:
 * a typo of SOLD must not post an offer). The knowledge commands (TIP, ASK, ALERTS) come after
 * them for the same reason: a typo of an older keyword keeps its meaning.
 */
const commands = [
  help,
  join,
  lang,
  script,
  unsub,
  sub,
  price,
  collect,
  stop,
  start,
  deleteMe,
  sold,
  cancel,
  renew,
  sell,
  buy,
  list,
  find,
  msg,
  share,
  report,
  yes,
  no,
  tip,
  ask,
  alerts,
] as const;

/** A parsed command: one of the listed commands' own types. */
export type Command = CommandOf<(typeof commands)[number]>;
export type Intent = Command['intent'];

export interface CommandRegistry<C extends CommandShape = CommandShape> {
  readonly commands: readonly SmsCommand<C, C>[];
  /** The command of an intent; undefined for `unknown` and any name no command has. */
  get(intent: string): SmsCommand<C, C> | undefined;
}

/** A registry of these commands (the app's is `smsCommands`; tests build others). */
export function createRegistry<C extends CommandShape>(list: readonly SmsCommand<C, C>[]): CommandRegistry<C> {
  const byIntent = new Map(list.map((c) => [c.intent as string, c]));
  if (byIntent.size !== list.length) throw new Error('two SMS commands have the same intent');
  return { commands: list, get: (intent) => byIntent.get(intent) };
}

export const smsCommands: CommandRegistry<Command> = createRegistry<Command>(commands);

/** Every command's keywords in the four forms, with its intent. */
export const keywords = commands.map((c) => ({ intent: c.intent, ...c.keywords }));

/** Text → a command of the registry, or a failure that says what the reply should offer. */
export type ParseResult<C extends CommandShape = Command> =
  | { ok: true; command: C; language?: Language; wylie?: boolean }
  | ({ ok: false; language?: Language; wylie?: boolean } & ParseFailure<C['intent']>);

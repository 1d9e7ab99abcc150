import type { Matcher } from '../../text/matcher.ts';
import type { Command, Intent, ParseFailure } from '../commands.ts';
import { readCollect } from './collect.ts';
import { readJoin } from './join.ts';
import { readPrice } from './price.ts';
import { readLanguage, readScript } from './settings.ts';
import { readTopic } from './topics.ts';

export type ArgumentOutcome = { ok: true; command: Command } | ({ ok: false } & ParseFailure);

/**
 * Each intent's reader of the words after its keyword. `after` is the text after the keyword
 * as typed (normalised), symbols and punctuation included, for readers that care (UNSUB).
 */
export function readArguments(intent: Intent, rest: string[], matcher: Matcher, after = ''): ArgumentOutcome {
  switch (intent) {
    case 'help':
    case 'stop':
    case 'start':
    case 'delete':
      return { ok: true, command: { intent } };
    case 'join':
      return readJoin(rest, matcher);
    case 'lang':
      return readLanguage(rest, matcher);
    case 'script':
      return readScript(rest);
    case 'sub':
    case 'unsub':
      return readTopic(intent, rest, matcher, after);
    case 'price':
      return readPrice(rest, matcher);
    case 'collect':
      return readCollect(rest, matcher);
  }
}

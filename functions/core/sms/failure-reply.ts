/**
 * The reply to a message we could not act on: what was wrong and what to send instead. A
 * command's own refusals are its `failureReply` (commands/); what no command led — an
 * unknown word, an empty or unreadable message — is answered here.
 */
import type { Catalog } from '../reference/catalog.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import type { ParseFailure } from './commands/command.ts';
import { type CommandRegistry, smsCommands } from './commands/index.ts';
import type { ReplyLine } from './messages.ts';

export function failureReply(
  failure: ParseFailure,
  subscriber: Subscriber,
  catalog: Catalog,
  registry: CommandRegistry = smsCommands,
): ReplyLine[] {
  const command = registry.get(failure.intent);
  if (command) {
    const reply = command.failureReply?.(failure, { lang: subscriber.language, catalog, subscriber });
    return reply ?? [{ key: 'help.unknown' }];
  }
  if (failure.problem === 'unknown_command' && failure.suggestion)
    return [{ key: 'help.didYouMean', params: { keyword: failure.suggestion.keyword } }];
  return [{ key: 'help.unknown' }];
}

import type { Script } from '../../subscribers/subscriber.ts';
import { joinTokens, matchKey } from '../../text/normalise.ts';
import { defineCommand, type ReadOutcome } from './command.ts';

export type ScriptCommand = { intent: 'script'; script: Script };

/** SCRIPT words: Tibetan script, or Wylie (Latin letters) for phones without Tibetan fonts. */
const scriptWords: Record<string, Script> = {
  tibetan: 'tibetan',
  bo: 'tibetan',
  uchen: 'tibetan',
  藏文: 'tibetan',
  藏字: 'tibetan',
  [matchKey('བོད་ཡིག')]: 'tibetan',
  wylie: 'wylie',
  latin: 'wylie',
  roman: 'wylie',
  ewts: 'wylie',
  拉丁: 'wylie',
  拉丁字母: 'wylie',
  威利: 'wylie',
};

export function readScript(rest: string[]): ReadOutcome<ScriptCommand> {
  if (rest.length === 0) return { ok: false, intent: 'script', problem: 'missing_argument' };
  const text = joinTokens(rest);
  const script = scriptWords[matchKey(text)];
  if (script) return { ok: true, command: { intent: 'script', script } };
  return { ok: false, intent: 'script', problem: 'unknown_argument', text, suggestions: [] };
}

/**
 * SCRIPT TIBETAN|WYLIE: Tibetan replies in Tibetan script, or in Wylie for phones without
 * Tibetan fonts. No Tibetan keyword: the glossary has none.
 */
export const script = defineCommand<ScriptCommand>({
  intent: 'script',
  keywords: { en: ['script', 'font'], zh: ['文字', '字体'], bo: [], wylie: [], codesFollow: true },
  read: ({ rest }) => readScript(rest),
  handler: {
    kind: 'change',
    apply: (command, subscriber, { now }) => ({
      subscriber: { ...subscriber, script: command.script, updatedAt: now.toISOString() },
      lines: [{ key: `script.${command.script}` }],
    }),
  },
  failureReply: () => [{ key: 'script.help' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['script.tibetan', 'script.wylie', 'script.help'],
});

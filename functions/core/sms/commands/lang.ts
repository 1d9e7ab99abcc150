import type { Language } from '../../reference/schemas.ts';
import type { Matcher } from '../../text/matcher.ts';
import { joinTokens, matchKey } from '../../text/normalise.ts';
import { defineCommand, type ReadOutcome } from './command.ts';

export type LangCommand = { intent: 'lang'; language: Language };

/** Glossary language-option terms, plus the codes people type. */
const languageTerms: Record<string, Language> = { lang_tibetan: 'bo', lang_chinese: 'zh', lang_english: 'en' };
const languageCodes: Record<string, Language> = {
  bo: 'bo',
  tib: 'bo',
  tibetan: 'bo',
  藏: 'bo',
  藏语: 'bo',
  藏文: 'bo',
  zh: 'zh',
  cn: 'zh',
  chinese: 'zh',
  中: 'zh',
  汉: 'zh',
  汉语: 'zh',
  中文: 'zh',
  en: 'en',
  eng: 'en',
  english: 'en',
  英: 'en',
  英语: 'en',
  英文: 'en',
};

export function readLanguage(rest: string[], matcher: Matcher): ReadOutcome<LangCommand> {
  if (rest.length === 0) return { ok: false, intent: 'lang', problem: 'missing_argument' };
  const text = joinTokens(rest);
  const byCode = languageCodes[matchKey(text)];
  if (byCode) return { ok: true, command: { intent: 'lang', language: byCode } };
  const term = matcher.match(text, { kinds: ['term'] }).find((h) => h.item.id in languageTerms);
  if (term) return { ok: true, command: { intent: 'lang', language: languageTerms[term.item.id]! } };
  return { ok: false, intent: 'lang', problem: 'unknown_argument', text, suggestions: [] };
}

/** LANG BO|ZH|EN: the language of the replies, answered in the new one. */
export const lang = defineCommand<LangCommand>({
  intent: 'lang',
  keywords: {
    en: ['lang', 'language'],
    zh: ['语言', '语种'],
    bo: ['སྐད་ཡིག', 'སྐད་བརྡ'],
    wylie: ['skad yig', 'skad brda'],
    codesFollow: true,
  },
  read: ({ rest, matcher }) => readLanguage(rest, matcher),
  handler: {
    kind: 'change',
    apply: (command, subscriber, { now }) => ({
      subscriber: { ...subscriber, language: command.language, updatedAt: now.toISOString() },
      lines: [{ key: 'lang.ok' }],
    }),
  },
  // Whatever was wrong, the reply shows how to write it.
  failureReply: () => [{ key: 'lang.help' }],
  flags: { answeredAfterStop: false, carriedOutUnanswered: false, registersNewNumber: true },
  messageKeys: ['lang.ok', 'lang.help'],
});

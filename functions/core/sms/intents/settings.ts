import type { Language } from '../../reference/schemas.ts';
import type { Script } from '../../subscribers/subscriber.ts';
import type { Matcher } from '../../text/matcher.ts';
import { joinTokens, matchKey } from '../../text/normalise.ts';
import type { ArgumentOutcome } from './index.ts';

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

export function readLanguage(rest: string[], matcher: Matcher): ArgumentOutcome {
  if (rest.length === 0) return { ok: false, intent: 'lang', problem: 'missing_argument' };
  const text = joinTokens(rest);
  const byCode = languageCodes[matchKey(text)];
  if (byCode) return { ok: true, command: { intent: 'lang', language: byCode } };
  const term = matcher.match(text, { kinds: ['term'] }).find((h) => h.item.id in languageTerms);
  if (term) return { ok: true, command: { intent: 'lang', language: languageTerms[term.item.id]! } };
  return { ok: false, intent: 'lang', problem: 'unknown_argument', text, suggestions: [] };
}

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

export function readScript(rest: string[]): ArgumentOutcome {
  if (rest.length === 0) return { ok: false, intent: 'script', problem: 'missing_argument' };
  const text = joinTokens(rest);
  const script = scriptWords[matchKey(text)];
  if (script) return { ok: true, command: { intent: 'script', script } };
  return { ok: false, intent: 'script', problem: 'unknown_argument', text, suggestions: [] };
}

/**
 * SMS text → a typed command, or a failure that says what the reply should offer. Total:
 * it never throws, whatever arrives. A new intent is one entry in keywords.ts plus one
 * argument reader in intents/.
 */
import type { Language } from '../reference/schemas.ts';
import type { Matcher } from '../text/matcher.ts';
import { normaliseText, tokenise } from '../text/normalise.ts';
import { guessLanguage } from '../text/script.ts';
import { looseWylieKey } from '../text/wylie.ts';
import type { Intent, ParseResult } from './commands.ts';
import { readArguments } from './intents/index.ts';
import { keywords } from './keywords.ts';

type Form = 'en' | 'zh' | 'bo' | 'wylie';
const formLanguage: Record<Form, Language> = { en: 'en', zh: 'zh', bo: 'bo', wylie: 'bo' };

interface KeywordPhrase {
  intent: Intent;
  form: Form;
  tokens: string[];
  wholeOnly: boolean;
}

/** Latin tokens compare loosely (case, Wylie's . ' +), others exactly after normalising. */
const tokenKey = (token: string) => (/[a-z]/i.test(token) ? looseWylieKey(token) : token);

const phrases: KeywordPhrase[] = keywords.flatMap((k) => [
  ...(['en', 'zh', 'bo', 'wylie'] as const).flatMap((form) =>
    k[form].map((p) => ({ intent: k.intent, form, tokens: tokenise(p).map(tokenKey), wholeOnly: false })),
  ),
  ...(k.wholeOnly ?? []).map((p) => ({
    intent: k.intent,
    form: (/[a-z]/i.test(p) ? 'en' : 'zh') as Form,
    tokens: tokenise(p).map(tokenKey),
    wholeOnly: true,
  })),
]);

function leadingKeyword(tokens: string[]): KeywordPhrase | undefined {
  const keys = tokens.map(tokenKey);
  let best: KeywordPhrase | undefined;
  for (const p of phrases) {
    if (p.tokens.length === 0 || p.tokens.length > keys.length) continue;
    if (p.wholeOnly && p.tokens.length !== keys.length) continue;
    if (!p.tokens.every((t, i) => t === keys[i])) continue;
    if (!best || p.tokens.length > best.tokens.length) best = p;
  }
  return best;
}

export function parseSms(text: string, matcher: Matcher): ParseResult {
  try {
    const normalised = normaliseText(typeof text === 'string' ? text : '');
    const tokens = tokenise(normalised.text);
    if (tokens.length === 0) return { ok: false, intent: 'unknown', problem: normalised.unsupported ? 'unreadable' : 'empty' };

    const keyword = leadingKeyword(tokens);
    if (!keyword) {
      const guess = guessLanguage(normalised.text, (w) => matcher.isWylieSyllable(w));
      return { ok: false, intent: 'unknown', problem: 'unknown_command', language: guess?.language, wylie: guess?.wylie };
    }
    const language = formLanguage[keyword.form];
    const wylie = keyword.form === 'wylie';
    const outcome = readArguments(keyword.intent, tokens.slice(keyword.tokens.length), matcher);
    return outcome.ok ? { ok: true, command: outcome.command, language, wylie } : { ...outcome, ok: false, language, wylie };
  } catch {
    // A parser bug must cost the farmer a help reply, never silence.
    return { ok: false, intent: 'unknown', problem: 'unreadable' };
  }
}

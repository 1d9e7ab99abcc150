/**
 * SMS text → a typed command, or a failure that says what the reply should offer. Total:
 * it never throws, whatever arrives. What it knows of commands — keywords, argument readers,
 * forms without a keyword — it reads from the registry (commands/index.ts).
 */
import type { Language } from '../reference/schemas.ts';
import { editDistance, syllableDistance } from '../text/edit-distance.ts';
import type { Matcher } from '../text/matcher.ts';
import { normaliseText, tokenise } from '../text/normalise.ts';
import { guessLanguage } from '../text/script.ts';
import { looseWylieKey } from '../text/wylie.ts';
import type { CommandShape, KeywordSuggestion, SmsCommand } from './commands/command.ts';
import { type CommandRegistry, type ParseResult, smsCommands } from './commands/index.ts';

type Form = 'en' | 'zh' | 'bo' | 'wylie';

interface KeywordPhrase {
  command: SmsCommand;
  form: Form;
  /** As written in the command's keywords, for "did you mean". */
  text: string;
  tokens: string[];
  /** The tokens run together: what a message's leading tokens must spell. */
  key: string;
  wholeOnly: boolean;
}

const TIBETAN = /\p{sc=Tibetan}/u;
const LATIN = /[a-z]/i;
const HAN = /\p{sc=Han}/u;

/** Latin tokens compare loosely (case, Wylie's . ' +), others exactly after normalising. */
const tokenKey = (token: string) => (LATIN.test(token) ? looseWylieKey(token) : token);
/** Tokens run together, so that "rogsram", "DELETEME" and "ཐོའགོད" (tsheg left out) still match. */
const runTogether = (tokens: readonly string[]) => tokens.map((t) => tokenKey(t).replace(/-/g, '')).join('');

const phrase = (command: SmsCommand, form: Form, text: string, wholeOnly: boolean): KeywordPhrase => {
  const tokens = tokenise(text);
  return { command, form, text, tokens, key: runTogether(tokens), wholeOnly };
};
const formOfScript = (text: string): Form => (TIBETAN.test(text) ? 'bo' : HAN.test(text) ? 'zh' : 'en');

/** Every keyword of a registry's commands, in registry order (made once per registry). */
const phrasesOf = (() => {
  const made = new WeakMap<CommandRegistry, KeywordPhrase[]>();
  return (registry: CommandRegistry): KeywordPhrase[] => {
    let phrases = made.get(registry);
    if (!phrases) {
      phrases = registry.commands.flatMap((c) => [
        ...(['en', 'zh', 'bo', 'wylie'] as const).flatMap((form) =>
          c.keywords[form].map((p) => phrase(c, form, p, false)),
        ),
        ...(c.keywords.wholeOnly ?? []).map((p) => phrase(c, formOfScript(p), p, true)),
      ]);
      made.set(registry, phrases);
    }
    return phrases;
  };
})();

/**
 * What followed the first `taken` tokens in the normalised text, punctuation and symbols
 * included (tokens are substrings of it, in order): "unsub 🙂" → "🙂", "unsub." → ".".
 */
function textAfter(text: string, tokens: readonly string[], taken: number): string {
  const at = offsetAfter(text, tokens, taken);
  return at < 0 ? '' : text.slice(at).trim();
}

/** Where the first `taken` tokens end in the normalised text; -1 when they cannot be found. */
function offsetAfter(text: string, tokens: readonly string[], taken: number): number {
  let at = 0;
  for (const token of tokens.slice(0, taken)) {
    const found = text.indexOf(token, at);
    if (found < 0) return -1;
    at = found + token.length;
  }
  return at;
}

/**
 * The text after the keyword in the case it was typed: the same normalisation but lower-casing,
 * cut where the keyword ends in the lower-cased text (the two line up unless lower-casing
 * changed a length, as for İ; then the lower-cased text stands in).
 */
function textAfterAsTyped(raw: string, normalised: string, tokens: readonly string[], taken: number): string {
  const at = offsetAfter(normalised, tokens, taken);
  if (at < 0) return '';
  const cased = normaliseText(raw, { keepCase: true }).text;
  return (cased.length === normalised.length ? cased : normalised).slice(at).trim();
}

/** The longest keyword the message starts with, and how many of its tokens it takes. */
function leadingKeyword(
  tokens: readonly string[],
  phrases: readonly KeywordPhrase[],
): { keyword: KeywordPhrase; taken: number } | undefined {
  const keys = tokens.map((t) => tokenKey(t).replace(/-/g, ''));
  let best: { keyword: KeywordPhrase; taken: number } | undefined;
  for (const p of phrases) {
    if (!p.key || (best && best.keyword.key.length >= p.key.length)) continue;
    let spelt = '';
    let taken = 0;
    while (taken < keys.length && spelt.length < p.key.length) spelt += keys[taken++];
    if (spelt !== p.key || (p.wholeOnly && taken !== keys.length)) continue;
    best = { keyword: p, taken };
  }
  return best;
}

/**
 * How far a typo may be from a keyword: Latin by letters (nothing for words of three letters
 * or fewer, which are close to too many others), Han by characters, Tibetan by syllables.
 */
function typoAllowance(p: KeywordPhrase): number {
  if (p.form === 'bo') return p.tokens.length >= 2 ? 0.5 : 0;
  if (p.form === 'zh') return p.key.length >= 2 ? 1 : 0;
  return p.key.length <= 3 ? 0 : p.key.length <= 6 ? 1 : 2;
}

/**
 * The keyword a message probably meant when none matched: "HLEP" → HELP, "注侧 江孜" → 注册,
 * "delete me please" → DELETE ME. Compares the message's first words with each keyword of
 * the same script.
 */
export function suggestKeyword(
  tokens: readonly string[],
  registry: CommandRegistry = smsCommands,
): KeywordSuggestion | undefined {
  const keys = tokens.map(tokenKey);
  let best: { p: KeywordPhrase; distance: number } | undefined;
  for (const p of phrasesOf(registry)) {
    // Whole-only keywords are offered only where the command asks (DELETE ME typed with more
    // after it): suggesting T or END (STOP) for "t 123" would invite an unwanted opt-out.
    if (p.wholeOnly && !p.command.keywords.suggestWholeOnly) continue;
    const allowed = p.wholeOnly ? 0 : typoAllowance(p);
    const head = tokens.slice(0, p.tokens.length);
    if (head.length === 0) continue;
    let distance: number;
    if (p.form === 'bo') {
      if (!head.every((t) => TIBETAN.test(t))) continue;
      distance = syllableDistance(head, p.tokens);
    } else {
      const zh = p.form === 'zh';
      if (!head.every((t) => (zh ? HAN : LATIN).test(t))) continue;
      const typedKeys = keys.slice(0, head.length);
      const typed = [...(zh ? typedKeys.join('') : typedKeys.join(' '))];
      const wanted = [...(zh ? p.key : p.tokens.map(tokenKey).join(' '))];
      if (Math.abs(typed.length - wanted.length) > allowed) continue; // cheap: a long word is no typo of a short one
      distance = editDistance(typed, wanted);
    }
    if (distance > allowed) continue;
    if (!best || distance < best.distance || (distance === best.distance && p.key.length > best.p.key.length))
      best = { p, distance };
  }
  if (!best) return undefined;
  const { p } = best;
  return { intent: p.command.intent, keyword: p.form === 'en' ? p.text.toUpperCase() : p.text };
}

/**
 * The language a new number is registered with: the script its message is written in
 * (guessLanguage: Tibetan over Han over Latin; Latin is Wylie when most words are), and
 * Tibetan in Wylie whenever the keyword itself was typed in Wylie. An English keyword counts
 * as an English word, and so do the codes after LANG and SCRIPT ("LANG BO" is English, though
 * "lang" and "bo" are both Wylie syllables). Nothing for a message without letters ("?",
 * digits, emoji): the caller's default applies.
 */
function languageOf(text: string, matcher: Matcher, keyword?: KeywordPhrase): { language?: Language; wylie?: boolean } {
  if (keyword?.form === 'wylie') return { language: 'bo', wylie: true };
  const codesFollow = keyword?.form === 'en' && keyword.command.keywords.codesFollow === true;
  const english = new Set(keyword?.form === 'en' ? keyword.tokens.map(tokenKey) : []);
  const guess = guessLanguage(text, (w) => !codesFollow && !english.has(tokenKey(w)) && matcher.isWylieSyllable(w));
  return guess ? { language: guess.language, wylie: guess.wylie } : {};
}

/** The first command that reads a message without a keyword as its own (PRICE: 青稞价格). */
function readWithoutKeyword(tokens: readonly string[], matcher: Matcher, registry: CommandRegistry) {
  for (const command of registry.commands) {
    const outcome = command.readWithoutKeyword?.(tokens, matcher);
    if (outcome) return outcome;
  }
  return undefined;
}

/**
 * @example parseSms('注册 江孜', matcher) // { ok: true, command: { intent: 'join', regionId: 'cty_shigatse_gyantse' }, language: 'zh', wylie: false }
 */
export function parseSms(text: string, matcher: Matcher): ParseResult;
/** The same with another registry's commands (tests: a registry with a made-up command). */
export function parseSms<C extends CommandShape>(
  text: string,
  matcher: Matcher,
  registry: CommandRegistry<C>,
): ParseResult<C>;
export function parseSms(
  text: string,
  matcher: Matcher,
  registry: CommandRegistry = smsCommands,
): ParseResult<CommandShape> {
  try {
    const normalised = normaliseText(typeof text === 'string' ? text : '');
    const tokens = tokenise(normalised.text);
    if (tokens.length === 0) {
      return {
        ok: false,
        intent: 'unknown',
        problem: normalised.unsupported ? 'unreadable' : 'empty',
        ...languageOf(normalised.text, matcher),
      };
    }

    const found = leadingKeyword(tokens, phrasesOf(registry));
    if (!found) {
      const unkeyed = readWithoutKeyword(tokens, matcher, registry);
      if (unkeyed) {
        const language = languageOf(normalised.text, matcher);
        return unkeyed.ok
          ? { ok: true, command: unkeyed.command, ...language }
          : { ...unkeyed, ok: false, ...language };
      }
      const suggestion = suggestKeyword(tokens, registry);
      return {
        ok: false,
        intent: 'unknown',
        problem: 'unknown_command',
        ...(suggestion ? { suggestion } : {}),
        ...languageOf(normalised.text, matcher),
      };
    }
    const { keyword, taken } = found;
    const language = languageOf(normalised.text, matcher, keyword);
    // (What follows the keyword beyond its words — an emoji, a symbol, an unreadable character
    // — matters to UNSUB: alone it is STOP, with anything typed after it it is not.)
    const after = `${textAfter(normalised.text, tokens, taken)}${normalised.unsupported ? '\uFFFD' : ''}`;
    const afterAsTyped = `${textAfterAsTyped(typeof text === 'string' ? text : '', normalised.text, tokens, taken)}${normalised.unsupported ? '\uFFFD' : ''}`;
    const outcome = keyword.command.read({ rest: tokens.slice(taken), matcher, after, afterAsTyped });
    return outcome.ok ? { ok: true, command: outcome.command, ...language } : { ...outcome, ok: false, ...language };
  } catch {
    // A parser bug must cost the farmer a help reply, never silence.
    return { ok: false, intent: 'unknown', problem: 'unreadable' };
  }
}

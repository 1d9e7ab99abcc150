/**
 * Translation through i18next: one instance, made when this module loads from the resources
 * every function bundles (JSON imports: no backend, no I/O) and initialised synchronously, so a
 * Lambda can translate from its first line. Each request or SMS gets a translator fixed to its
 * language. Keys are `namespace:dotted.path` (without a namespace: `common`), typed by
 * `LocaleKey` (locales/keys.ts, generated from locales/en by `npm run locales:types`).
 *
 * - `{{name}}` interpolates a parameter; a parameter the caller leaves out is empty.
 * - Plurals: a numeric `count` picks `key_one`/`key_other` by Intl.PluralRules of the language
 *   (English has both; Tibetan and Chinese only `_other`).
 * - Context: a `context` parameter picks `key_<context>` when it exists (`price.row_old`), and
 *   `$t(ns:key)` nests another string, so a use-case passes a flag and the words stay in the
 *   locale files.
 * - A string missing in the language falls back bo → zh → en and is logged once; missing
 *   everywhere, the translator gives `defaultValue`, else the key (`findTranslation`: undefined,
 *   for callers such as the SMS composer that must never send a key).
 *
 * Nothing is escaped here (`escapeValue: false`): pages are rendered by hono/jsx, which escapes
 * every value once, and SMS text must not carry HTML entities (`&amp;` would reach the phone).
 */
import i18next from 'i18next';
import { resources } from '#locales/index.ts';
import type { LocaleKey } from '#locales/keys.ts';
import { type Language, languages } from './reference/schemas.ts';

export type { LocaleKey };
export { type Language, languages };
export const defaultLanguage: Language = 'bo';

export type TranslateParams = Record<string, unknown> & { defaultValue?: string };
/**
 * A translator fixed to one language. A key missing in every language gives `defaultValue`,
 * else the key itself. Keys built at run time (`script.${name}`) are plain strings.
 */
export type Translator = (key: LocaleKey | (string & {}), params?: TranslateParams) => string;

/** Bo asks zh before en: a reader of Tibetan in Tibet reads Chinese more often than English. */
const fallbackLng = { bo: ['zh', 'en'], zh: ['en'], default: ['en'] };

const i18n = i18next.createInstance();
i18n.init({
  resources,
  lng: defaultLanguage,
  fallbackLng,
  ns: Object.keys(resources.en),
  defaultNS: 'common',
  initAsync: false,
  interpolation: { escapeValue: false },
  // An empty string is a string nobody wrote (the locale tests forbid them): look further.
  returnEmptyString: false,
  // A missing key or a key naming a subtree gives undefined, so that we choose what is shown.
  parseMissingKeyHandler: () => undefined as unknown as string,
  returnedObjectHandler: () => undefined,
  missingInterpolationHandler: () => '',
});

/** Distinct (language, key) pairs logged so far; capped, as keys may be built from input. */
const logged = new Set<string>();
const MAX_LOGGED = 200;

function warnOnce(entry: { msg: string; lang: Language; key: string; usedLng?: string }): void {
  const id = `${entry.lang} ${entry.key}`;
  if (logged.has(id) || logged.size >= MAX_LOGGED) return;
  logged.add(id);
  console.warn(JSON.stringify({ level: 'warn', ...entry }));
}

/** How a template becomes text: its `{{name}}`s filled with values, in the language it is in. */
export type Fill = (template: string, values: Readonly<Record<string, unknown>>, lang: Language) => string;

/** i18next's `{{name}}` interpolation (a value is put in as it is: never read for `{{` or `$t(`). */
export const interpolate: Fill = (template, values, lang) =>
  i18n.services.interpolator.interpolate(template, values, lang, {});

/** `$t(sms:price.old)`: another string, composed in. */
const NESTED = /\$t\(([^()]+)\)/gu;
/** Nested strings nest at most this deep (a string nesting itself stops here, not in a stack overflow). */
const MAX_NESTING = 3;

/**
 * The text of `key` in `lang` (or, when it has none, in its fallbacks, logged once), or
 * undefined when no language has it. i18next finds the template (language, fallbacks, plural
 * form, context); nested strings go in as values, so that no value (a name, a sender's text)
 * can nest a string of its own or turn the template's nesting off; then `fill` fills it.
 *
 * @example findTranslation('en', 'collect:upload.fileLine', { file: 'a.csv', encoding: 'utf-8', count: 1 }) // 'a.csv · utf-8 · 1 row'
 */
export function findTranslation(
  lang: Language,
  key: LocaleKey | (string & {}),
  params: Readonly<Record<string, unknown>> = {},
  fill: Fill = interpolate,
  depth = 0,
): string | undefined {
  const { defaultValue: _, ...values } = params;
  const found = i18n.t(key, { ...values, lng: lang, skipInterpolation: true, returnDetails: true });
  if (typeof found.res !== 'string') {
    warnOnce({ msg: 'translation missing', lang, key });
    return undefined;
  }
  const usedLng = found.usedLng as Language;
  if (usedLng !== lang) warnOnce({ msg: 'translation fallback', lang, key, usedLng });
  const withNested: Record<string, unknown> = { ...values };
  let n = 0;
  const template = found.res.replace(NESTED, (_, nested: string) => {
    const name = `__nested${n++}`;
    withNested[name] = depth < MAX_NESTING ? (findTranslation(lang, nested.trim(), params, fill, depth + 1) ?? '') : '';
    return `{{${name}}}`;
  });
  return fill(template, withNested, usedLng);
}

/**
 * Adds a namespace the shared resources leave out (locales/index.ts): called, once, by the
 * module that uses it.
 *
 * @example addNamespace('sms', smsResources)
 */
export function addNamespace(namespace: string, byLanguage: Record<Language, object>): void {
  for (const lang of languages) i18n.addResourceBundle(lang, namespace, byLanguage[lang], true, true);
}

/** @example translatorFor('zh')('web:nav.home') === '首页' */
export function translatorFor(lang: Language): Translator {
  return (key, params = {}) => findTranslation(lang, key, params) ?? params.defaultValue ?? key;
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

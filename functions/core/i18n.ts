/**
 * Translation: every resource is bundled (no I/O); each request or SMS gets a fixed translator
 * for its language. Keys are `namespace:dotted.path`; values interpolate `{{name}}`.
 *
 * rosetta (lookup + `{{}}` interpolation, under 1 KB) rather than i18next: that is all we
 * use, and i18next was 49 KB of the http Lambda's 400 KB budget. Escaping is the renderer's
 * job (hono/jsx escapes); SMS text must not carry HTML entities, so nothing is escaped here.
 */
import rosetta from 'rosetta';
import { resources } from '#locales/index.ts';
import { type Language, languages } from './reference/schemas.ts';

export { type Language, languages };
export const defaultLanguage: Language = 'bo';

const DEFAULT_NAMESPACE = 'common';

export type TranslateParams = Record<string, unknown> & { defaultValue?: string };
/** A translator fixed to one language. A missing key gives `defaultValue`, else the key itself. */
export type Translator = (key: string, params?: TranslateParams) => string;

const store = rosetta<Record<string, unknown>>(resources as unknown as Record<string, Record<string, unknown>>);

/** `web:nav.home` → ['web', 'nav', 'home']; a key without a namespace is in `common`. */
function pathOf(key: string): string[] {
  const colon = key.indexOf(':');
  return colon < 0 ? [DEFAULT_NAMESPACE, ...key.split('.')] : [key.slice(0, colon), ...key.slice(colon + 1).split('.')];
}

/**
 * Adds a namespace the shared resources leave out (locales/index.ts): called, once, by the
 * module that uses it.
 *
 * @example addNamespace('sms', smsResources)
 */
export function addNamespace(namespace: string, byLanguage: Record<Language, object>): void {
  for (const lang of languages) store.set(lang, { [namespace]: byLanguage[lang] });
}

/** @example translatorFor('zh')('web:nav.home') === '首页' */
export function translatorFor(lang: Language): Translator {
  return (key, params = {}) => {
    const text: unknown = store.t(pathOf(key), params, lang);
    return typeof text === 'string' && text !== '' ? text : (params.defaultValue ?? key);
  };
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

/**
 * Translation with i18next. One shared instance holds every resource (bundled, no I/O);
 * each request or SMS gets a fixed translator for its language.
 */
import i18next, { type TFunction } from 'i18next';
import { namespaces, resources } from '#locales/index.ts';
import { languages, type Language } from './reference/schemas.ts';

export { languages, type Language };
export const defaultLanguage: Language = 'bo';

const instance = i18next.createInstance();
void instance.init({
  resources,
  ns: [...namespaces],
  defaultNS: 'common',
  fallbackLng: false,
  supportedLngs: [...languages],
  initAsync: false,
  // Escaping is the renderer's job (hono/jsx escapes); SMS text must not carry HTML entities.
  interpolation: { escapeValue: false },
  returnNull: false,
});

export type Translator = TFunction;

/** @example translatorFor('zh')('web:nav.home') === '首页' */
export function translatorFor(lang: Language): Translator {
  return instance.getFixedT(lang);
}

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (languages as readonly string[]).includes(value);
}

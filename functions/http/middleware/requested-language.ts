import type { Context } from 'hono';
import { type DetectorOptions, detectFromCookie, detectFromHeader, detectFromQuery } from 'hono/language';
import { defaultLanguage, isLanguage, type Language, languages } from '#core/i18n.ts';
import { LANGUAGE_COOKIE } from './language.ts';

/** The same reading as middleware/language.ts, without its fallback. */
const options: DetectorOptions = {
  supportedLanguages: [...languages],
  fallbackLanguage: defaultLanguage,
  order: ['querystring', 'cookie', 'header'],
  lookupQueryString: 'lang',
  lookupCookie: LANGUAGE_COOKIE,
  lookupFromHeaderKey: 'accept-language',
  lookupFromPathIndex: 0,
  caches: false,
  ignoreCase: true,
  cookieOptions: {},
  debug: false,
};

/**
 * The language a request asked for — `?lang`, the lang cookie, or Accept-Language when it
 * names one we speak — or undefined when it named none. Pages and answers fall back to
 * Tibetan; a sign-in code SMS falls back to the staff member's saved language first
 * (core/staff/code-delivery.ts), so it must know whether the request chose.
 */
export function requestedLanguage(c: Context): Language | undefined {
  for (const detect of [detectFromQuery, detectFromCookie, detectFromHeader]) {
    const lang = detect(c, options);
    if (isLanguage(lang)) return lang;
  }
  return undefined;
}

import type { MiddlewareHandler } from 'hono';
import { setCookie } from 'hono/cookie';
import { languageDetector } from 'hono/language';
import { defaultLanguage, isLanguage, languages, translatorFor } from '#core/i18n.ts';
import type { AppEnv } from '../env.ts';

export const LANGUAGE_COOKIE = 'lang';

/**
 * Language from `?lang=`, then the cookie, then Accept-Language, else Tibetan. Unsupported
 * values fall through to the next source, never an error. A valid `?lang=` on a page is
 * remembered in a cookie so the switch works with JavaScript off.
 */
export function language(): MiddlewareHandler<AppEnv> {
  const detect = languageDetector({
    supportedLanguages: [...languages],
    fallbackLanguage: defaultLanguage,
    order: ['querystring', 'cookie', 'header'],
    lookupQueryString: 'lang',
    lookupCookie: LANGUAGE_COOKIE,
    caches: false,
    ignoreCase: true,
  });
  return async (c, next) => {
    await detect(c, async () => {});
    const detected = (c.get as (k: string) => unknown)('language');
    const lang = isLanguage(detected) ? detected : defaultLanguage;
    c.set('language', lang);
    c.set('t', translatorFor(lang));
    const asked = c.req.query('lang')?.toLowerCase();
    if (isLanguage(asked) && !c.req.path.startsWith('/api/')) {
      setCookie(c, LANGUAGE_COOKIE, asked, { path: '/', sameSite: 'Lax', maxAge: 60 * 60 * 24 * 365, httpOnly: true });
    }
    c.header('Content-Language', lang);
    c.header('Vary', 'Accept-Language, Cookie', { append: true });
    await next();
  };
}

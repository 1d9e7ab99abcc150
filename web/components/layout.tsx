import type { Child } from 'hono/jsx';
import { type Language, languages, type Translator } from '#core/i18n.ts';

export interface PageContext {
  lang: Language;
  t: Translator;
  /** Current path, for marking the active navigation item. */
  path: string;
  /** The page's address as requested (encoded path and query, e.g. `/prices/bulletin?market=…`), for the language switch. */
  url?: string;
}

/**
 * This page in language `l`: its path and query with only `lang` replaced (so a bulletin keeps
 * its market and date). URLSearchParams encodes each value; JSX escapes the attribute.
 *
 * @example inLanguage('/prices/bulletin?market=mkt_lhasa_dongga&lang=bo', 'zh') // '/prices/bulletin?market=mkt_lhasa_dongga&lang=zh'
 */
export function inLanguage(url: string, l: Language): string {
  const at = url.indexOf('?');
  const params = new URLSearchParams(at < 0 ? '' : url.slice(at + 1));
  params.set('lang', l);
  return `${at < 0 ? url : url.slice(0, at)}?${params}`;
}

const navItems = [
  ['/', 'web:nav.home'],
  ['/prices', 'market:nav'],
  ['/guide', 'web:knowledge.nav.guide'],
  ['/alerts', 'web:knowledge.nav.alerts'],
  ['/commodities', 'web:nav.commodities'],
  ['/regions', 'web:nav.regions'],
  ['/markets', 'web:nav.markets'],
] as const;

/** Endonyms: each language is offered in its own script, whatever the page language. */
const endonyms: Record<Language, string> = { bo: 'བོད་ཡིག', zh: '中文', en: 'English' };

/**
 * The page shell: language switch (plain links, so it works without JavaScript),
 * navigation, content, footer. No third-party requests; one small stylesheet.
 */
export function Layout(props: {
  ctx: PageContext;
  title: string;
  children: Child;
  /** More of <head>: a page that refreshes itself while it changes (meta refresh), its own small script. */
  head?: Child;
}) {
  const { ctx, title } = props;
  const { t, lang, path } = ctx;
  const here = ctx.url ?? path;
  const appName = t('common:appName');
  const isActive = (href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`));
  return (
    <html lang={lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title === appName ? appName : `${title} · ${appName}`}</title>
        <link rel="stylesheet" href="/static/style.css" />
        <link rel="icon" href="/static/icon.svg" type="image/svg+xml" />
        {languages.map((l) => (
          <link rel="alternate" hreflang={l} href={inLanguage(here, l)} />
        ))}
        {props.head}
      </head>
      <body>
        <a class="skip" href="#main">
          {t('web:skip')}
        </a>
        <header class="top">
          <a class="brand" href="/">
            <span lang="bo">ཞིང་འབྲོག</span> <span class="brand-sub">{lang === 'bo' ? 'Zhingdrok' : appName}</span>
          </a>
          <nav class="langs" aria-label={t('web:language.label')}>
            {languages.map((l) =>
              l === lang ? (
                <strong lang={l} aria-current="true">
                  {endonyms[l]}
                </strong>
              ) : (
                <a href={inLanguage(here, l)} hreflang={l} lang={l} rel="alternate">
                  {endonyms[l]}
                </a>
              ),
            )}
          </nav>
        </header>
        <nav class="main-nav" aria-label={t('web:nav.label')}>
          {navItems.map(([href, key]) => (
            <a href={href} aria-current={isActive(href) ? 'page' : undefined}>
              {t(key)}
            </a>
          ))}
        </nav>
        <main id="main">{props.children}</main>
        <footer class="foot">
          <p>{t('web:footer.review')}</p>
          <p>
            <a href="/api/v1/openapi.json">{t('web:footer.api')}</a> · <a href="/staff">{t('web:footer.staff')}</a>
          </p>
        </footer>
      </body>
    </html>
  );
}

/**
 * Atom 1.0 feeds of the current alerts and the latest bulletins, one per language
 * (`/feeds/alerts.atom?lang=bo|zh|en`, `/feeds/bulletins.atom?lang=`): what a county website,
 * a WeChat bridge or a radio newsroom subscribes to. Each entry is a published item in the
 * feed's language (another language when it has none: bo → zh → en, zh → bo → en, en → zh →
 * bo), its summary the SMS text, its link the public page. Written by hand like the CAP
 * document (core/knowledge/cap.ts): a handful of elements and the same escaper.
 */
import { Hono } from 'hono';
import { isLanguage, type Language, translatorFor } from '#core/i18n.ts';
import { escapeXml } from '#core/knowledge/cap.ts';
import type { PublicItem, VersionText } from '#core/knowledge/item.ts';
import { publicOrigin, serviceOf } from './api/knowledge.ts';
import type { AppDeps, AppEnv } from './env.ts';

export const ATOM_CONTENT_TYPE = 'application/atom+xml';
/** Entries in a feed: readers poll; the newest 50 are plenty for alerts and a season of bulletins. */
export const FEED_ENTRIES = 50;

const fallbacks: Record<Language, Language[]> = {
  bo: ['bo', 'zh', 'en'],
  zh: ['zh', 'bo', 'en'],
  en: ['en', 'zh', 'bo'],
};

/** The version a reader of `lang` gets, and its language. */
export function versionFor(item: PublicItem, lang: Language): { lang: Language; text: VersionText } | undefined {
  for (const l of fallbacks[lang]) {
    const text = item.content.versions[l];
    if (text) return { lang: l, text };
  }
  return undefined;
}

const el = (name: string, text: string, attrs = '') => `<${name}${attrs}>${escapeXml(text)}</${name}>`;
const attr = (text: string) => `"${escapeXml(text)}"`;

/**
 * An Atom feed of published items. Entry ids are tag URIs of the item (stable across its
 * corrections: a reader updates the entry, `updated` being the latest publication).
 */
export function atomFeed(input: {
  origin: string;
  /** The feed's own path with its query (`/feeds/alerts.atom?lang=bo`). */
  self: string;
  /** The public pages' path (`/alerts`, `/bulletins`). */
  pages: string;
  title: string;
  lang: Language;
  items: PublicItem[];
  /** When nothing is published: the feed's `updated`. */
  now: Date;
}): string {
  const host = new URL(input.origin).hostname;
  const entries = input.items.slice(0, FEED_ENTRIES).flatMap((item) => {
    const version = versionFor(item, input.lang);
    if (!version) return [];
    const page = `${input.origin}${input.pages}/${item.id}?lang=${version.lang}`;
    return [
      [
        `<entry xml:lang=${attr(version.lang)}>`,
        el('id', `tag:${host},2026:${item.kind}/${item.id}`),
        el('title', version.text.title),
        el('updated', new Date(item.publishedAt).toISOString()),
        `<link rel="alternate" type="text/html" href=${attr(page)}/>`,
        el('summary', version.text.summary),
        '</entry>',
      ].join(''),
    ];
  });
  const updated = input.items.reduce(
    (latest, item) => (item.publishedAt > latest ? item.publishedAt : latest),
    input.items.length ? '' : input.now.toISOString(),
  );
  const t = translatorFor(input.lang);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang=${attr(input.lang)}>`,
    el('id', `${input.origin}${input.self}`),
    el('title', input.title),
    el('updated', new Date(updated).toISOString()),
    `<link rel="self" type="${ATOM_CONTENT_TYPE}" href=${attr(`${input.origin}${input.self}`)}/>`,
    `<link rel="alternate" type="text/html" href=${attr(`${input.origin}${input.pages}?lang=${input.lang}`)}/>`,
    `<author>${el('name', t('common:appName'))}<uri>${escapeXml(input.origin)}</uri></author>`,
    ...entries,
    '</feed>\n',
  ].join('');
}

export function feedRoutes(deps: AppDeps) {
  const app = new Hono<AppEnv>();
  const feeds = [
    {
      path: '/feeds/alerts.atom',
      pages: '/alerts',
      name: 'web:feeds.alerts',
      // Current alerts (not yet expired), severest first: what a subscriber must see now.
      items: (regionId: string | undefined) =>
        serviceOf(deps.knowledge).alerts({ ...(regionId ? { regionId } : {}), now: deps.now() }),
    },
    {
      path: '/feeds/bulletins.atom',
      pages: '/bulletins',
      name: 'web:feeds.bulletins',
      items: async (regionId: string | undefined) =>
        (await serviceOf(deps.knowledge).bulletins({ ...(regionId ? { regionId } : {}), limit: FEED_ENTRIES })).items,
    },
  ] as const;
  for (const feed of feeds) {
    app.get(feed.path, async (c) => {
      // The feed's language is only ever the query's (a feed URL names one), never a cookie's.
      const asked = c.req.query('lang')?.toLowerCase();
      const lang: Language = isLanguage(asked) ? asked : 'bo';
      const region = c.req.query('region');
      const regionId = region && /^[a-z0-9_]{1,100}$/.test(region) ? region : undefined;
      const t = translatorFor(lang);
      const query = `?lang=${lang}${regionId ? `&region=${regionId}` : ''}`;
      const xml = atomFeed({
        origin: publicOrigin(c, deps.mode),
        self: `${feed.path}${query}`,
        pages: feed.pages,
        title: `${t('common:appName')} · ${t(feed.name)}`,
        lang,
        items: await feed.items(regionId),
        now: deps.now(),
      });
      c.header('Cache-Control', 'public, max-age=60');
      c.header('Content-Language', lang);
      return c.body(xml, 200, { 'Content-Type': `${ATOM_CONTENT_TYPE}; charset=utf-8` });
    });
  }
  return app;
}

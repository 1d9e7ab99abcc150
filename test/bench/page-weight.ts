/**
 * Page weight as a first-time visitor's browser would pay it: each page's HTML and the
 * resources it loads, in bytes on the wire with `Accept-Encoding: gzip` (read with
 * node:http, which, unlike fetch, does not decompress). A response the server did not
 * compress is counted as it came. Every URL the HTML or the CSS refers to must be
 * same-origin: third-party requests are counted.
 */
import { request } from 'node:http';
import { gunzipSync, gzipSync } from 'node:zlib';

export interface Fetched {
  url: string;
  status: number;
  contentType: string;
  encoding: string;
  wireBytes: number;
  body: Buffer;
}

export function getRaw(url: string): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'accept-encoding': 'gzip', accept: 'text/html,*/*' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = String(res.headers['content-encoding'] ?? 'identity');
        const body = encoding === 'gzip' ? gunzipSync(raw) : raw;
        resolve({
          url,
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          encoding,
          wireBytes: raw.length,
          body,
        });
      });
      res.on('error', reject);
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`timeout fetching ${url}`)));
    req.on('error', reject);
    req.end();
  });
}

const attr = (tag: string, name: string) =>
  new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')
    .exec(tag)
    ?.slice(1)
    .find((v) => v !== undefined);

/** Every URL in href/src/action/srcset/poster attributes, plus which of them a browser loads on its own. */
export function htmlReferences(html: string): { all: string[]; loaded: string[] } {
  const all: string[] = [];
  const loaded: string[] = [];
  for (const m of html.matchAll(/<([a-z][a-z0-9-]*)\b[^>]*>/gi)) {
    const tag = m[0];
    const name = (m[1] ?? '').toLowerCase();
    for (const a of ['href', 'src', 'action', 'poster', 'data', 'formaction']) {
      const v = attr(tag, a);
      if (v !== undefined) all.push(v);
    }
    const srcset = attr(tag, 'srcset');
    if (srcset)
      all.push(
        ...srcset
          .split(',')
          .map((s) => s.trim().split(/\s+/)[0] ?? '')
          .filter(Boolean),
      );
    const rel = (attr(tag, 'rel') ?? '').toLowerCase().split(/\s+/);
    const href = attr(tag, 'href');
    const src = attr(tag, 'src');
    if (
      name === 'link' &&
      href &&
      rel.some((r) => ['stylesheet', 'icon', 'preload', 'modulepreload', 'manifest'].includes(r))
    )
      loaded.push(href);
    if (['script', 'img', 'iframe', 'source', 'video', 'audio', 'embed'].includes(name) && src) loaded.push(src);
  }
  for (const m of html.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/gi)) if (m[1]) all.push(m[1]);
  return { all, loaded };
}

/** url(...) and @import in a stylesheet: all of these are loaded when used. */
export function cssReferences(css: string): string[] {
  const refs: string[] = [];
  for (const m of css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/gi)) if (m[1]) refs.push(m[1]);
  for (const m of css.matchAll(/@import\s+["']([^"']+)["']/gi)) if (m[1]) refs.push(m[1]);
  return refs;
}

/** Same origin, or a scheme that causes no request (data:, fragment, mailto:, tel:, sms:). */
export function isSameOriginOrInert(ref: string, pageUrl: string): boolean {
  if (/^(data|mailto|tel|sms|javascript):/i.test(ref) || ref.startsWith('#')) return true;
  return new URL(ref, pageUrl).origin === new URL(pageUrl).origin;
}

export interface PageWeight {
  url: string;
  status: number;
  htmlWire: number;
  htmlEncoding: string;
  htmlGzip9: number;
  htmlRaw: number;
  /** HTML plus every resource it loads (CSS, and what the CSS loads), on the wire. */
  firstVisitWire: number;
  thirdParty: string[];
  resources: string[];
}

/** Weighs pages; resources are fetched once and shared, as a browser cache would within one visit. */
export async function weighPages(baseUrl: string, paths: string[]): Promise<PageWeight[]> {
  const resourceCache = new Map<string, Fetched>();
  const getResource = async (url: string) => {
    let r = resourceCache.get(url);
    if (!r) {
      r = await getRaw(url);
      resourceCache.set(url, r);
    }
    return r;
  };
  const pages: PageWeight[] = [];
  for (const path of paths) {
    const url = new URL(path, baseUrl).href;
    const page = await getRaw(url);
    const html = page.body.toString('utf8');
    const refs = htmlReferences(html);
    const thirdParty = refs.all.filter((r) => !isSameOriginOrInert(r, url)).map((r) => new URL(r, url).href);
    const toLoad = [
      ...new Set(
        refs.loaded
          .filter((r) => isSameOriginOrInert(r, url) && !r.startsWith('data:'))
          .map((r) => new URL(r, url).href),
      ),
    ];
    const seen = new Set<string>();
    let firstVisitWire = page.wireBytes;
    while (toLoad.length) {
      const next = toLoad.shift() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      const res = await getResource(next);
      if (res.status !== 200) throw new Error(`${path} loads ${next}, which answered ${res.status}`);
      firstVisitWire += res.wireBytes;
      if (/text\/css/.test(res.contentType)) {
        for (const ref of cssReferences(res.body.toString('utf8'))) {
          if (!isSameOriginOrInert(ref, next)) thirdParty.push(new URL(ref, next).href);
          else if (!ref.startsWith('data:')) toLoad.push(new URL(ref, next).href);
        }
      }
    }
    pages.push({
      url: path,
      status: page.status,
      htmlWire: page.wireBytes,
      htmlEncoding: page.encoding,
      htmlGzip9: gzipSync(page.body, { level: 9 }).length,
      htmlRaw: page.body.length,
      firstVisitWire,
      thirdParty: [...new Set(thirdParty)],
      resources: [...seen],
    });
  }
  return pages;
}

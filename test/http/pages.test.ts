import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const get = (path: string, headers: Record<string, string> = {}) => stack.app.request(path, { headers });
const lang = (html: string) => /<html lang="([^"]+)"/.exec(html)?.[1];

describe('web pages', () => {
  test('home defaults to Tibetan, with a doctype and Tibetan script', async () => {
    const res = await get('/');
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.equal(lang(html), 'bo');
    assert.match(html, /<h1>[^<]*[\u0F00-\u0FFF]/);
    assert.equal(res.headers.get('content-language'), 'bo');
  });

  test('language: ?lang= beats cookie beats Accept-Language; ?lang= sets the cookie', async () => {
    assert.equal(lang(await (await get('/', { 'Accept-Language': 'en-GB,en;q=0.8' })).text()), 'en');
    assert.equal(lang(await (await get('/', { 'Accept-Language': 'zh-CN', Cookie: 'lang=en' })).text()), 'en');
    const switched = await get('/?lang=zh', { Cookie: 'lang=en' });
    assert.equal(lang(await switched.text()), 'zh');
    assert.match(switched.headers.get('set-cookie') ?? '', /^lang=zh;.*Path=\/.*HttpOnly.*SameSite=Lax/i);
  });

  test('an unsupported ?lang= falls back, never errors', async () => {
    for (const q of ['fr', '', 'bo-XX-<script>', 'ZH']) {
      const res = await get(`/?lang=${encodeURIComponent(q)}`);
      assert.equal(res.status, 200, q);
      assert.equal(lang(await res.text()), q === 'ZH' ? 'zh' : 'bo', q);
    }
    const res = await get('/?lang=fr', { 'Accept-Language': 'zh' });
    assert.equal(lang(await res.text()), 'zh');
    assert.equal(res.headers.get('set-cookie'), null);
  });

  test('language switch links keep the page and work without JavaScript', async () => {
    const html = await (await get('/commodities?lang=en')).text();
    assert.match(html, /<a href="\/commodities\?lang=zh" hreflang="zh"[^>]*>中文<\/a>/);
    assert.match(html, /<a href="\/commodities\?lang=bo" hreflang="bo"[^>]*>བོད་ཡིག<\/a>/);
    assert.doesNotMatch(html, /<script/);
  });

  test('language switch links and hreflang alternates keep the query, replacing only lang, escaped', async () => {
    const html = await (
      await get(
        '/prices/bulletin?market=mkt_lhasa_dongga&LANG=x&lang=en&date=2026-01-01&lang=bo&note=a%20b%22%3E%3Cb%3E&p=%E9%85%A5%E6%B2%B9',
      )
    ).text();
    const keeps = (l: string) =>
      `/prices/bulletin?market=mkt_lhasa_dongga&amp;LANG=x&amp;lang=${l}&amp;date=2026-01-01&amp;note=a+b%22%3E%3Cb%3E&amp;p=%E9%85%A5%E6%B2%B9`;
    assert.ok(html.includes(`<a href="${keeps('zh')}" hreflang="zh"`), html.slice(0, 1500));
    assert.ok(html.includes(`<a href="${keeps('bo')}" hreflang="bo"`));
    for (const l of ['bo', 'zh', 'en'])
      assert.ok(html.includes(`<link rel="alternate" hreflang="${l}" href="${keeps(l)}"/>`), l);
    assert.doesNotMatch(html, /<b>/, 'a query value never becomes markup');
    // A path with characters that need escaping stays one path.
    const odd = await (await get('/markets/a%3Fb%23c?lang=en')).text();
    assert.ok(odd.includes('href="/markets/a%3Fb%23c?lang=zh"'), odd.slice(0, 1500));
  });

  test('commodity list groups items and shows Tibetan with Wylie', async () => {
    const html = await (await get('/commodities?lang=bo')).text();
    assert.match(html, /<span lang="bo" class="primary">ནས<\/span><span class="wylie" lang="bo-Latn"> nas<\/span>/);
    assert.match(html, /青稞/);
    assert.match(html, /འབྲུ་རིགས།/); // the grain group heading
  });

  test('detail pages for a commodity, region and market', async () => {
    const barley = await (await get('/commodities/barley_qingke?lang=zh')).text();
    assert.match(barley, /<title>青稞 · 农牧通<\/title>/);
    assert.match(barley, /裸大麦/);
    assert.match(barley, /nas &#39;bru|nas 'bru/);
    const shigatse = await (await get('/regions/pref_shigatse?lang=en')).text();
    assert.match(shigatse, /href="\/regions\/cty_shigatse_gyantse"/);
    const market = await (await get('/markets/mkt_lhasa_dongga?lang=en')).text();
    assert.match(market, /href="\/regions\/cty_lhasa_doilungdeqen"/);
    const region = await (await get('/regions/cty_lhasa_chengguan?lang=en')).text();
    assert.match(region, /href="\/markets\/mkt_lhasa_barkhor"/);
  });

  test('a region page shows its GB/T 2260 code; a town, which has none, shows no such row', async () => {
    const nyemo = await (await get('/regions/cty_lhasa_nyemo?lang=zh')).text();
    assert.match(nyemo, /<dt>行政区划代码（GB\/T 2260）<\/dt><dd><code>540123<\/code><\/dd>/);
    assert.match(nyemo, /href="\/regions\/pref_lhasa"/);
    const lhasa = await (await get('/regions/pref_lhasa?lang=en')).text();
    assert.match(lhasa, /<code>540100<\/code>/);
    assert.match(lhasa, /href="\/regions\/cty_lhasa_maizhokunggar"/, 'every county is listed under its prefecture');
    const town = await (await get('/regions/town_ngari_shiquanhe?lang=en')).text();
    assert.doesNotMatch(town, /GB\/T 2260/);
  });

  test('unknown pages and unknown ids → translated 404 page', async () => {
    for (const [path, text] of [
      ['/no-such-page?lang=en', 'Page not found'],
      ['/commodities/nope?lang=zh', '找不到页面'],
      ['/regions/nope', 'ཤོག་ངོས་མ་རྙེད།'],
      ['/markets/%3Cscript%3E?lang=en', 'Page not found'],
    ] as const) {
      const res = await get(path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
      assert.ok((await res.text()).includes(text), path);
    }
  });

  test('pages send security headers and no third-party URL', async () => {
    const res = await get('/markets?lang=en');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    const html = await res.text();
    const urls = [...html.matchAll(/(?:href|src)="([^"]+)"/g)].map((m) => m[1]!);
    assert.ok(urls.length > 10);
    assert.deepEqual(
      urls.filter((u) => /^(https?:)?\/\//.test(u)),
      [],
    );
  });
});

/**
 * The public pages in a real headless Chromium against the real local server: language
 * default, switch and memory (with JavaScript off), reference pages, the 404 page, no
 * third-party requests, the print stylesheet, and a screenshot artifact.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, test } from 'vitest';
import { startTestServer, type TestServer } from '#test/support/server.ts';
import { describeBrowser, launchChromium } from './support.ts';

const TIBETAN = /[\u0F00-\u0FFF]/;
const resultsDir = new URL('../../test-results/', import.meta.url);

describeBrowser('web pages in Chromium', (executablePath) => {
  let server: TestServer;
  let browser: Browser;
  let origin: string;
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    // Independent: start both at once.
    [server, browser] = await Promise.all([startTestServer(), launchChromium(executablePath)]);
    origin = new URL(server.url).origin;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(async () => {
    // Each test gets fresh contexts (own cookies); close them and their pages.
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  /**
   * A page in a fresh context. Chromium always sends Accept-Language (en-US unless a locale is
   * set) and re-adds it below request interception, and the server honours it; to see what a
   * visitor with no stated preference gets, the header is sent empty unless the test sets a
   * locale or the header itself.
   */
  async function open(options: BrowserContextOptions = {}): Promise<Page> {
    const noPreference = !options.locale && !options.extraHTTPHeaders;
    const context = await browser.newContext({
      baseURL: server.url,
      ...(noPreference ? { extraHTTPHeaders: { 'Accept-Language': '' } } : {}),
      ...options,
    });
    contexts.push(context);
    return context.newPage();
  }

  const htmlLang = (page: Page) => page.locator('html').getAttribute('lang');
  const text = (page: Page, selector: string) => page.locator(selector).innerText();
  /** The computed `display` of the first element matching a CSS selector. */
  const display = (page: Page, selector: string) =>
    page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).display`);

  test('home page is Tibetan by default, in standards mode', async () => {
    const page = await open();
    const res = await page.goto('/');
    assert.equal(res?.status(), 200);
    assert.equal(await htmlLang(page), 'bo');
    assert.equal(await page.evaluate('document.compatMode'), 'CSS1Compat', 'the page must start with a doctype');
    const h1 = await text(page, 'h1');
    assert.match(h1, TIBETAN, `h1 should be in Tibetan script, got ${JSON.stringify(h1)}`);
    assert.ok(await page.locator('h1').isVisible());
    // The current language is marked, the others are links.
    assert.equal(await text(page, '.langs [aria-current="true"]'), 'བོད་ཡིག');
    assert.equal(await page.locator('.langs a').count(), 2);
  });

  test('language switch works with JavaScript off and is remembered', async () => {
    const page = await open({ javaScriptEnabled: false });
    await page.goto('/');
    assert.equal(await htmlLang(page), 'bo');

    await page.locator('.langs').getByRole('link', { name: '中文' }).click();
    await page.waitForURL((u) => u.searchParams.get('lang') === 'zh');
    assert.equal(await htmlLang(page), 'zh');
    assert.match(await text(page, 'nav.main-nav'), /首页/);
    assert.equal(await text(page, '.langs [aria-current="true"]'), '中文');

    const cookies = await page.context().cookies(server.url);
    const lang = cookies.find((c) => c.name === 'lang');
    assert.equal(lang?.value, 'zh', 'the choice is kept in a cookie');
    assert.equal(lang?.sameSite, 'Lax');
    assert.equal(lang?.path, '/');

    // A page without ?lang keeps the remembered language.
    await page.goto('/commodities');
    assert.equal(new URL(page.url()).search, '');
    assert.equal(await htmlLang(page), 'zh');
    assert.match(await text(page, 'h1'), /农产品/);

    await page.locator('.langs').getByRole('link', { name: 'English' }).click();
    await page.waitForURL((u) => u.searchParams.get('lang') === 'en');
    assert.equal(new URL(page.url()).pathname, '/commodities', 'the switch stays on the same page');
    assert.equal(await htmlLang(page), 'en');
    assert.match(await text(page, 'nav.main-nav'), /Home/);

    await page.goto('/regions');
    assert.equal(await htmlLang(page), 'en');
  });

  test('Accept-Language chooses the language when nothing else does', async () => {
    const zh = await open({ locale: 'zh-CN' });
    await zh.goto('/');
    assert.equal(await htmlLang(zh), 'zh');
    assert.match(await text(zh, 'nav.main-nav'), /首页/);

    const en = await open({ extraHTTPHeaders: { 'Accept-Language': 'en-GB,en;q=0.8' } });
    await en.goto('/');
    assert.equal(await htmlLang(en), 'en');

    // An unsupported language, or any language, falls back to Tibetan.
    for (const header of ['fr-FR,fr;q=0.9', '*']) {
      const other = await open({ extraHTTPHeaders: { 'Accept-Language': header } });
      await other.goto('/');
      assert.equal(await htmlLang(other), 'bo', `Accept-Language: ${header}`);
    }
  });

  test('commodities are listed by group in every script and link to their details', async () => {
    const page = await open();
    await page.goto('/commodities?lang=zh');
    assert.equal(await htmlLang(page), 'zh');
    assert.ok((await page.locator('main h2').count()) >= 2, 'commodities are grouped under headings');
    const barley = page.locator('main a[href="/commodities/barley_qingke"]');
    const barleyText = await barley.innerText();
    assert.match(barleyText, /青稞/);
    assert.match(barleyText, /ནས/);
    // Barley sits in the section headed by its group (grain: 粮油).
    assert.equal(await barley.locator('xpath=ancestor::section[1]/h2').innerText(), '粮油');

    await page.goto('/commodities?lang=bo');
    const boBarley = page.locator('main a[href="/commodities/barley_qingke"]');
    assert.equal(await boBarley.locator('.primary').innerText(), 'ནས');
    assert.equal((await boBarley.locator('.wylie').first().innerText()).trim(), 'nas');

    await boBarley.click();
    await page.waitForURL('**/commodities/barley_qingke');
    assert.match(await text(page, 'h1'), /ནས/);
    const aliases = await text(page, '.aliases');
    for (const alias of ['ནས་འབྲུ', "nas 'bru", '裸大麦', '青稞麦', 'hulless barley', 'naked barley']) {
      assert.ok(aliases.includes(alias), `alias ${alias} missing from ${JSON.stringify(aliases)}`);
    }
  });

  test('regions show prefectures with their counties', async () => {
    const page = await open();
    await page.goto('/regions?lang=en');
    const topLevel = page.locator('xpath=//main/ul[contains(@class,"tree")]/li/a[@href="/regions/pref_shigatse"]');
    assert.equal(await topLevel.count(), 1, 'Shigatse is a top-level entry of the tree');
    assert.match(await topLevel.innerText(), /Shigatse/);
    const gyantse = page.locator(
      'xpath=//li[a[@href="/regions/pref_shigatse"]]/ul[contains(@class,"tree")]/li/a[@href="/regions/cty_shigatse_gyantse"]',
    );
    assert.equal(await gyantse.count(), 1, 'Gyantse is listed directly under Shigatse');
    assert.match(await gyantse.innerText(), /Gyantse/);
    assert.equal(await page.locator('a[href="/regions/cty_shigatse_gyantse"]').count(), 1, 'and nowhere else');

    await gyantse.click();
    await page.waitForURL('**/regions/cty_shigatse_gyantse');
    assert.equal(
      await page.locator('main a[href="/regions/pref_shigatse"]').count(),
      1,
      'the county links back to its prefecture',
    );
  });

  test('a market links to its region', async () => {
    const page = await open();
    const res = await page.goto('/markets/mkt_lhasa_dongga?lang=zh');
    assert.equal(res?.status(), 200);
    assert.match(await text(page, 'h1'), /东嘎/);
    const region = page.locator('main a[href^="/regions/"]');
    assert.equal(await region.count(), 1);
    assert.equal(await region.getAttribute('href'), '/regions/cty_lhasa_doilungdeqen');

    await region.click();
    await page.waitForURL('**/regions/cty_lhasa_doilungdeqen');
    assert.equal(await htmlLang(page), 'zh');
    assert.equal(
      await page.locator('main a[href="/markets/mkt_lhasa_dongga"]').count(),
      1,
      'the region lists the market',
    );
  });

  test('an unknown page is a translated 404 in the current language', async () => {
    const page = await open();
    const en = await page.goto('/no-such-page?lang=en');
    assert.equal(en?.status(), 404);
    assert.equal(await htmlLang(page), 'en');
    assert.equal(await text(page, 'h1'), 'Page not found');
    assert.match(await page.title(), /Page not found/);

    // The remembered language (cookie from ?lang=) applies without a query.
    await page.goto('/?lang=zh');
    const zh = await page.goto('/no-such-page');
    assert.equal(zh?.status(), 404);
    assert.equal(await htmlLang(page), 'zh');
    assert.equal(await text(page, 'h1'), '找不到页面');

    const fresh = await open();
    const bo = await fresh.goto('/no-such-page');
    assert.equal(bo?.status(), 404);
    assert.equal(await htmlLang(fresh), 'bo');
    assert.match(await text(fresh, 'h1'), TIBETAN);
    // A detail page for an unknown id is a 404 too, not an error page.
    const missing = await fresh.goto('/commodities/no_such_commodity');
    assert.equal(missing?.status(), 404);
  });

  test('no request leaves the origin, and every resource loads', async () => {
    const page = await open();
    const requested: string[] = [];
    const failed: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('requestfailed', (r) => failed.push(`${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.url()} ${r.status()}`);
    });
    for (const path of [
      '/',
      '/?lang=zh',
      '/commodities',
      '/commodities/barley_qingke',
      '/regions',
      '/regions/pref_shigatse',
      '/markets',
      '/markets/mkt_lhasa_dongga',
      '/?lang=en',
    ]) {
      const res = await page.goto(path, { waitUntil: 'networkidle' });
      assert.equal(res?.status(), 200, path);
    }
    assert.ok(
      requested.some((u) => u === `${origin}/static/style.css`),
      'the stylesheet was requested (the recorder works)',
    );
    const foreign = requested.filter((u) => !u.startsWith(`${origin}/`));
    assert.deepEqual(foreign, [], 'requests to other origins');
    assert.deepEqual(failed, [], 'failed requests');
  });

  test('the print stylesheet hides the language switch and navigation', async () => {
    const page = await open();
    await page.goto('/commodities');
    // On screen they show (so the print check below can fail).
    assert.notEqual(await display(page, '.langs'), 'none');
    assert.notEqual(await display(page, 'nav.main-nav'), 'none');

    await page.emulateMedia({ media: 'print' });
    assert.equal(await display(page, '.langs'), 'none');
    assert.equal(await display(page, 'nav.main-nav'), 'none');
    assert.equal(await page.locator('.langs').isVisible(), false);
    assert.equal(await page.locator('nav.main-nav').isVisible(), false);
    // The content itself still prints.
    assert.notEqual(await display(page, 'main'), 'none');
    assert.ok(await page.locator('main a[href="/commodities/barley_qingke"]').isVisible());

    await page.emulateMedia({ media: 'screen' });
    assert.notEqual(await display(page, '.langs'), 'none');
  });

  test('screenshot of the Tibetan home page (artifact)', async () => {
    const page = await open({ viewport: { width: 800, height: 900 } });
    await page.goto('/', { waitUntil: 'networkidle' });
    assert.equal(await htmlLang(page), 'bo');
    await page.evaluate('document.fonts.ready.then(() => true)');
    await mkdir(resultsDir, { recursive: true });
    const file = new URL('home-bo.png', resultsDir);
    await page.screenshot({ path: file.pathname, fullPage: true });
    const png = await readFile(file);
    assert.ok(png.length > 1000, `screenshot is ${png.length} bytes`);
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
  });
});

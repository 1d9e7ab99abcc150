/**
 * The broadcast staff pages in a real headless Chromium: with JavaScript off, the history, the
 * form, its preview (made by pressing Preview) and a broadcast's page fit a 360 px phone in bo,
 * zh and en; with JavaScript on, the segment counter updates as one types.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { beforeAll, test } from 'vitest';
import type { Language } from '#core/i18n.ts';
import { freshNumber, texts } from '#test/support/dev-sms.ts';
import { signIn } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

const OPERATOR = '+8613900000951';

/** Sideways scrolling, as phone-fit.test.ts measures it. */
const scrolls = (page: Page) =>
  page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth') as Promise<boolean>;

const locales: Record<Language, string> = { bo: 'bo', zh: 'zh-CN', en: 'en-GB' };

describeBrowser('broadcast pages in Chromium', (executablePath) => {
  const session = browserSession(executablePath, 'en-GB');
  let cookie = { name: '', value: '' };
  let id = '';

  beforeAll(async () => {
    const stack = session.server.stack;
    for (let i = 0; i < 2; i++) await texts(stack, freshNumber('136'), 'JOIN Gyantse');
    await stack.deps.staff.create({
      phone: OPERATOR,
      grants: [{ role: 'operator', regions: ['*'] }],
      invitedBy: '+8613800000000',
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    });
    const pair = (await signIn(stack, OPERATOR)).cookie;
    const at = pair.indexOf('=');
    cookie = { name: pair.slice(0, at), value: pair.slice(at + 1) };
    const made = await stack.deps.broadcasts.create(
      {
        actor: { phone: OPERATOR, grants: [{ role: 'operator', regions: ['*'] }], configAdmin: false },
        requestId: 'browser-test',
      },
      {
        audience: { regions: ['pref_shigatse'], topics: [], languages: [] },
        texts: {
          bo: 'སང་ཉིན་ཁ་བ་འབབ། ནས་ལ་སྲུང་སྐྱོབ་བྱེད་རོགས།',
          zh: '明天有霜冻，请保护青稞。Nagqu、Shigatse、Lhasa 三地均受影响，详情请咨询县农牧局。',
          en: 'Frost tomorrow in Shigatse, Lhasa and Nagqu: cover the barley and bring the young yaks in before dark.',
        },
      },
      'browser-test',
    );
    id = made.id;
  });

  for (const lang of ['bo', 'zh', 'en'] as Language[]) {
    test(`the broadcast pages fit 360 px in ${lang} with JavaScript off, the preview included`, async () => {
      const page = await session.open(locales[lang]);
      await page.setViewportSize({ width: 360, height: 640 });
      await page.context().addCookies([{ ...cookie, url: session.server.url }]);
      for (const path of [
        '/staff',
        '/staff/broadcasts',
        '/staff/broadcasts/new',
        `/staff/broadcasts/${id}`,
        `/staff/broadcasts/${id}/edit`,
      ]) {
        const res = await page.goto(`${path}?lang=${lang}`);
        assert.equal(res?.status(), 200, path);
        assert.equal(await scrolls(page), false, `${path} [${lang}] scrolls sideways`);
      }
      // The preview, as a person makes it: open a prefecture, tick it, write, press Preview.
      await page.goto(`/staff/broadcasts/new?lang=${lang}`);
      await page.locator('details.region-group summary').first().click();
      await page.locator('input[name="regions"]').first().check();
      await page.fill('#text_zh', '明天有霜冻，请保护青稞。\n第二行。');
      await page.fill('#text_en', 'Frost tomorrow. A long word: pneumonoultramicroscopicsilicovolcanoconiosis.');
      await page.locator('button[formaction="/staff/broadcasts/preview"]').click();
      await page.waitForSelector('.broadcast-preview');
      assert.ok((await page.locator('pre.sms-render').count()) >= 1);
      assert.equal(await scrolls(page), false, `the preview [${lang}] scrolls sideways`);
    });
  }

  test('with JavaScript on, the segment counter counts as one types', async () => {
    // session.open gives JavaScript-less pages: this one context of its browser has it on.
    const browser = (await session.open()).context().browser();
    assert.ok(browser);
    const context = await browser.newContext({ baseURL: session.server.url, javaScriptEnabled: true });
    try {
      await context.addCookies([{ ...cookie, url: session.server.url }]);
      const live = await context.newPage();
      await live.goto('/staff/broadcasts/new?lang=en');
      const counter = live.locator('#text_en-count');
      assert.equal((await counter.innerText()).trim(), '');
      await live.fill('#text_en', 'Frost tomorrow.');
      assert.match(await counter.innerText(), /About 1 segments/);
      await live.fill('#text_en', 'x'.repeat(400));
      assert.match(await counter.innerText(), /About 3 segments .*GSM-7/);
      await live.fill('#text_en', '霜'.repeat(100));
      assert.match(await counter.innerText(), /UCS-2/);
    } finally {
      await context.close();
    }
  });
});

/**
 * The exchange's public pages in a real headless Chromium with JavaScript off: /market and an
 * offer page fit a 360 px phone in bo, zh and en, the side tabs and the filter form work, and
 * no phone number is on either page.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { beforeAll, test } from 'vitest';
import type { Language } from '#core/i18n.ts';
import { priceStaff } from '#test/support/prices.ts';
import { postJson, signIn } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

const SELLER = '+8613900000771';
const BUYER = '+8613900000772';
const OPERATOR = '+8613900000773';
const NEWBIE = '+8613900000774';

/** Sideways scrolling, as phone-fit.test.ts measures it. */
const scrolls = (page: Page) =>
  page.evaluate('document.documentElement.scrollWidth > document.documentElement.clientWidth') as Promise<boolean>;

describeBrowser('the exchange in Chromium', (executablePath) => {
  const session = browserSession(executablePath, 'en-GB');
  let code = '';
  let cookie = { name: '', value: '' };

  beforeAll(async () => {
    const stack = session.server.stack;
    const { api } = await priceStaff(stack);
    for (const phone of [SELLER, BUYER]) assert.equal((await api('/vouches', postJson({ phone }))).status, 201);
    // A second admin with a web session, for the staff pages (the first signed in through the API).
    const invited = await api('/staff', postJson({ phone: OPERATOR, grants: [{ role: 'admin', regions: ['*'] }] }));
    assert.equal(invited.status, 201);
    const pair = (await signIn(stack, OPERATOR)).cookie;
    const at = pair.indexOf('=');
    cookie = { name: pair.slice(0, at), value: pair.slice(at + 1) };
    const exchange = stack.deps.exchange;
    const sold = await exchange.post(
      { phone: SELLER, messageId: 'test:browser-1', homeRegionId: 'cty_shigatse_gyantse' },
      {
        side: 'sell',
        commodityId: 'barley_qingke',
        quantity: 500,
        unitId: 'jin',
        priceFen: 450,
        grade: 'first grade, dry, upper valley fields',
        regionId: 'cty_shigatse_gyantse',
      },
      'sell barley 500 jin 4.5',
    );
    code = String(sold.lines.map((l) => l.params?.code).find(Boolean));
    assert.match(code, /^L\d{4,6}$/);
    await exchange.post(
      { phone: BUYER, messageId: 'test:browser-2', homeRegionId: 'cty_lhasa_chengguan' },
      {
        side: 'buy',
        commodityId: 'yak_live',
        quantity: 5,
        unitId: 'head',
        priceFen: null,
        regionId: 'cty_lhasa_chengguan',
      },
      'buy yak 5 head',
    );
    // One waiting for a moderator, so the queue has a row to fit (a number nobody vouched for).
    await exchange.post(
      { phone: NEWBIE, messageId: 'test:browser-3', homeRegionId: 'cty_shigatse_gyantse' },
      {
        side: 'sell',
        commodityId: 'butter',
        quantity: 20,
        unitId: 'jin',
        priceFen: 3550,
        regionId: 'cty_shigatse_gyantse',
      },
      'sell butter 20 jin 35.5, a long message as farmers sometimes write them, with the place and the grade',
    );
  });

  for (const lang of ['bo', 'zh', 'en'] as Language[]) {
    test(`/market and an offer page fit 360 px in ${lang}, with no phone number`, async () => {
      const page = await session.open(lang === 'zh' ? 'zh-CN' : lang === 'bo' ? 'bo' : 'en-GB');
      await page.setViewportSize({ width: 360, height: 640 });
      for (const path of [
        '/market',
        '/market?side=buy',
        `/market?commodity=barley_qingke&region=pref_shigatse`,
        `/market/${code}`,
      ]) {
        const res = await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res?.status(), 200, path);
        assert.equal(await scrolls(page), false, `${path} [${lang}] scrolls sideways`);
        const html = await page.content();
        for (const phone of [SELLER, BUYER]) assert.ok(!html.includes(phone.slice(3)), `${path} shows a number`);
      }
      // The offer page says how to write by SMS.
      assert.match(await page.locator('main').innerText(), new RegExp(`MSG ${code}`));
    });
  }

  for (const lang of ['bo', 'zh', 'en'] as Language[]) {
    test(`the exchange's staff pages fit 360 px in ${lang}`, async () => {
      const page = await session.open(lang === 'zh' ? 'zh-CN' : lang === 'bo' ? 'bo' : 'en-GB');
      await page.setViewportSize({ width: 360, height: 640 });
      await page.context().addCookies([{ ...cookie, url: session.server.url }]);
      for (const path of [
        '/staff',
        '/staff/market/moderation',
        '/staff/market/post',
        '/staff/market/vouches',
        '/staff/market/blocks',
        '/staff/market/words',
        '/staff/market/sheet',
        '/staff/market/sheet?region=pref_shigatse',
      ]) {
        const res = await page.goto(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
        assert.equal(res?.status(), 200, path);
        assert.equal(await scrolls(page), false, `${path} [${lang}] scrolls sideways`);
        if (path === '/staff/market/moderation') assert.equal(await page.locator('.moderation-item').count(), 1);
      }
    });
  }

  test('with JavaScript off, the side tabs and the filter form take you to the offers', async () => {
    const page = await session.open();
    await page.goto('/market?lang=en');
    assert.match(await page.locator('ul.offers').innerText(), new RegExp(code));
    await page.getByRole('link', { name: 'Wanted' }).click();
    assert.match(page.url(), /side=buy/);
    assert.doesNotMatch(await page.locator('main').innerText(), new RegExp(code));
    await page.getByRole('link', { name: 'For sale' }).click();
    await page.selectOption('#commodity', 'barley_qingke');
    await page.getByRole('button', { name: 'Show' }).click();
    assert.match(page.url(), /commodity=barley_qingke/);
    await page.getByRole('link', { name: code }).click();
    assert.match(page.url(), new RegExp(`/market/${code}`));
    assert.match(await page.locator('h1').innerText(), new RegExp(code));
  });
});

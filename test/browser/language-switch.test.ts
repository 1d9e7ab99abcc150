/**
 * The language switch in a real headless Chromium with JavaScript off: on the bulletin and the
 * price sheet it keeps the page's market (and the rest of its query), so the page stays the
 * same page in another language instead of falling back to its picker.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { beforeAll, test } from 'vitest';
import { addDays } from '#core/dates.ts';
import { day, priceStaff } from '#test/support/prices.ts';
import { postJson } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

describeBrowser('language switch keeps the query (Chromium, JavaScript off)', (executablePath) => {
  const session = browserSession(executablePath, 'en-GB');
  let d = '';

  beforeAll(async () => {
    const stack = session.server.stack;
    const { api } = await priceStaff(stack);
    d = day(stack, -1);
    for (const [commodity, date, price] of [
      ['barley_qingke', addDays(d, -7), '4.40'],
      ['barley_qingke', d, '4.50'],
      ['wheat', d, '2.70'],
    ] as const) {
      const res = await api('/prices', postJson({ commodity, market: 'mkt_lhasa_dongga', date, price, unit: 'jin' }));
      assert.equal(res.status, 201, await res.text());
    }
  });

  /** Clicks the switch link to `label` and waits for the page in that language. */
  async function switchTo(page: Page, label: string, lang: string) {
    await page.locator('nav.langs a', { hasText: label }).click();
    await page.waitForURL((u) => u.searchParams.get('lang') === lang);
    assert.equal(await page.locator('html').getAttribute('lang'), lang);
    return new URL(page.url());
  }

  test('the bulletin stays on its market, date and comparison in every language', async () => {
    const page = await session.open();
    await page.goto(`/prices/bulletin?market=mkt_lhasa_dongga&date=${d}&compare=previous&lang=en`);
    assert.match(await page.locator('main h2').innerText(), /Dongga/);
    for (const [label, lang, name] of [
      ['中文', 'zh', /东嘎/],
      ['བོད་ཡིག', 'bo', /གདོང་དཀར/],
      ['English', 'en', /Dongga/],
    ] as const) {
      const url = await switchTo(page, label, lang);
      assert.deepEqual(
        [url.pathname, url.searchParams.get('market'), url.searchParams.get('date'), url.searchParams.get('compare')],
        ['/prices/bulletin', 'mkt_lhasa_dongga', d, 'previous'],
      );
      assert.equal(url.searchParams.getAll('lang').length, 1, 'lang replaced, not added');
      assert.match(await page.locator('main h2').innerText(), name, lang);
      assert.equal(await page.locator('table.bulletin tbody tr').count(), 2, lang);
    }
  });

  test('the price sheet stays on its market', async () => {
    const page = await session.open();
    await page.goto('/prices/sheet?market=mkt_lhasa_dongga');
    assert.equal(await page.locator('.sheet tbody tr').count(), 2);
    for (const [label, lang] of [
      ['བོད་ཡིག', 'bo'],
      ['中文', 'zh'],
    ] as const) {
      const url = await switchTo(page, label, lang);
      assert.equal(url.searchParams.get('market'), 'mkt_lhasa_dongga');
      assert.equal(await page.locator('.sheet tbody tr').count(), 2, lang);
    }
  });
});

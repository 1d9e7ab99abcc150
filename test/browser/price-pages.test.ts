/**
 * The public price pages in a real headless Chromium (JavaScript off) against the real local
 * server: the SVG trend chart is drawn and named, the bulletin form and table work, and the
 * price sheet prints without navigation.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { beforeAll, test } from 'vitest';
import { addDays } from '#core/dates.ts';
import { day, priceStaff } from '#test/support/prices.ts';
import { postJson } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

describeBrowser('price pages in Chromium', (executablePath) => {
  const session = browserSession(executablePath, 'en-GB');
  let d = '';

  beforeAll(async () => {
    const stack = session.server.stack;
    const { api } = await priceStaff(stack);
    d = day(stack, -1);
    const put = async (commodity: string, market: string, date: string, price: string) => {
      const res = await api('/prices', postJson({ commodity, market, date, price, unit: 'jin' }));
      assert.equal(res.status, 201, await res.text());
    };
    for (const [offset, price] of [
      [-200, '3.80'],
      [-90, '4.10'],
      [-7, '4.40'],
      [0, '4.50'],
    ] as const)
      await put('barley_qingke', 'mkt_lhasa_dongga', addDays(d, offset), price);
    await put('barley_qingke', 'mkt_lhasa_barkhor', addDays(d, -30), '4.70');
    await put('wheat', 'mkt_lhasa_dongga', addDays(d, -7), '3.00');
    await put('wheat', 'mkt_lhasa_dongga', d, '2.70');
  });

  const display = (page: Page, selector: string) =>
    page.evaluate(`getComputedStyle(document.querySelector(${JSON.stringify(selector)})).display`);

  test('the commodity page draws a named SVG chart, one line per market', async () => {
    const page = await session.open();
    const res = await page.goto('/prices/barley_qingke');
    assert.equal(res?.status(), 200);
    const chart = page.getByRole('img', { name: /Price over 12 months/ });
    assert.ok(await chart.isVisible());
    const box = await chart.boundingBox();
    assert.ok(box && box.width > 300 && box.height > 100, `chart box ${JSON.stringify(box)}`);
    assert.equal(await page.locator('svg polyline').count(), 2);
    // The Dongga line has its four prices and is drawn in a colour, not the default black fill.
    const points = (
      await page
        .locator('svg g.s1 polyline, svg g.s0 polyline')
        .evaluateAll((ls) => ls.map((l) => l.getAttribute('points')!.split(' ').length))
    ).sort();
    assert.deepEqual(points, [1, 4]);
    assert.equal(await page.evaluate(`getComputedStyle(document.querySelector('svg polyline')).fill`), 'none');
    assert.match(await page.locator('table.prices').innerText(), /▲ \+2\.27%/);
  });

  test('the bulletin: heading, counts, table; the form switches to the same period last year without JavaScript', async () => {
    const page = await session.open();
    await page.goto('/prices/bulletin?market=mkt_lhasa_dongga');
    assert.match(await page.locator('main h2').innerText(), new RegExp(`Dongga.*${d}`));
    assert.equal(await page.locator('.counts').innerText(), '1 down, 1 up, 0 flat');
    assert.equal(await page.locator('table.bulletin tbody tr').count(), 2);
    assert.match(await page.locator('table.bulletin tbody tr').nth(1).innerText(), /2\.70.*3\.00.*▼ -10\.00%/s);
    // The date list offers the market's recent dates.
    assert.deepEqual(await page.locator('select[name=date] option').allInnerTexts(), [
      d,
      addDays(d, -7),
      addDays(d, -90),
      addDays(d, -200),
    ]);

    await page.selectOption('select[name=compare]', 'year');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((u) => u.searchParams.get('compare') === 'year');
    assert.equal(await page.locator('.counts').innerText(), '0 down, 0 up, 0 flat');
    assert.match(await page.locator('table.bulletin thead').innerText(), /A year ago/);
  });

  test('the price sheet prints big, dated, and without navigation or forms', async () => {
    const page = await session.open();
    await page.goto('/prices/sheet?market=mkt_lhasa_dongga');
    assert.match(await page.locator('.as-of').innerText(), new RegExp(d));
    // On screen the navigation shows (so the print check below can fail).
    assert.notEqual(await display(page, '.main-nav'), 'none');
    const screenSize = parseFloat(
      String(await page.evaluate(`getComputedStyle(document.querySelector('.sheet table')).fontSize`)),
    );
    await page.emulateMedia({ media: 'print' });
    for (const hidden of ['.main-nav', '.langs', '.foot', '.skip'])
      assert.equal(await display(page, hidden), 'none', hidden);
    assert.ok(await page.locator('.sheet table').isVisible());
    const printSize = parseFloat(
      String(await page.evaluate(`getComputedStyle(document.querySelector('.sheet table')).fontSize`)),
    );
    assert.ok(printSize >= 20 && screenSize >= 20, `big type: screen ${screenSize}px, print ${printSize}px`);
    assert.equal(await page.locator('.sheet tbody tr').count(), 2);
    const pdf = await page.pdf({ format: 'A4' });
    assert.ok(pdf.length > 1000);
  });
});

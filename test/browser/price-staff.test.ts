/**
 * The price pages in a real headless Chromium with JavaScript off: a collector signs in and
 * enters a price, a reviewer approves it from the queue, then a CSV is uploaded, previewed
 * row by row and confirmed. Forms, redirects, a native file input and cookies only.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { test } from 'vitest';
import { shanghaiDay } from '#core/dates.ts';
import { latestCode } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

const resultsDir = new URL('../../test-results/', import.meta.url);

describeBrowser('price entry, review and upload in Chromium, JavaScript off', (executablePath) => {
  const browser = browserSession(executablePath, 'en-GB');
  const stack = () => browser.server.stack;
  const day = (days: number) => shanghaiDay(new Date(stack().deps.now().getTime() + days * 86_400_000));

  async function landOn(page: Page, ok: (u: URL) => boolean) {
    try {
      await page.waitForURL(ok, { timeout: 15_000 });
    } catch (err) {
      throw new Error(
        `ended on ${page.url()}: ${(
          await page
            .locator('main')
            .innerText()
            .catch(() => '?')
        ).slice(0, 300)}`,
        { cause: err },
      );
    }
  }

  /** A staff member with one role, signed in through the pages in a fresh context. */
  async function staffPage(phone: string, role: 'collector' | 'reviewer') {
    if (!(await stack().deps.staff.get(phone))) {
      await stack().deps.staff.create({
        phone,
        grants: [{ role, regions: ['pref_lhasa'] }],
        invitedBy: '+8613800000000',
        createdAt: 'x',
        updatedAt: 'x',
        version: 1,
      });
    }
    const page = await browser.open();
    await page.goto('/sign-in');
    await page.locator('#phone').fill(phone);
    await page.locator('form[action="/sign-in/code"] button[type="submit"]').click();
    await landOn(page, (u) => u.searchParams.get('step') === 'code');
    await page.locator('#code').fill((await latestCode(stack(), phone))!);
    await page.locator('form[action="/sign-in"] button[type="submit"]').click();
    await landOn(page, (u) => u.pathname === '/staff');
    return page;
  }

  test('a collector enters a price; a reviewer approves it; it is public', async () => {
    const collector = await staffPage('+8613900000651', 'collector');
    await collector.locator('a[href="/staff/prices/new"]').click();
    await landOn(collector, (u) => u.pathname === '/staff/prices/new');
    assert.equal(await collector.locator('#date').inputValue(), day(0), 'today (Asia/Shanghai) by default');
    await collector.locator('#commodity').selectOption('barley_qingke');
    await collector.locator('#market').selectOption('mkt_lhasa_barkhor');
    await collector.locator('#date').fill(day(-1));
    await collector.locator('#price').fill('4.5');
    await collector.locator('#unit').selectOption('jin');
    await collector.locator('#kind').selectOption('wholesale');
    await collector.locator('form[action="/staff/prices/new"] button[type="submit"]').click();
    await landOn(collector, (u) => u.searchParams.has('saved'));
    assert.match(await collector.locator('[role="status"]').innerText(), /It waits for a reviewer/);

    const reviewer = await staffPage('+8613900000652', 'reviewer');
    await reviewer.locator('a[href="/staff/prices/review"]').click();
    await landOn(reviewer, (u) => u.pathname === '/staff/prices/review');
    const row = reviewer.locator('table.review-queue tbody tr', { hasText: '4.50' });
    assert.match(await row.innerText(), /\+86 139\*\*\*\*0651/);
    assert.match(await row.innerText(), /Wholesale/);
    await mkdir(resultsDir, { recursive: true });
    await reviewer.screenshot({ path: new URL('price-review.png', resultsDir).pathname, fullPage: true });
    await row.locator('form[action="/staff/prices/review/approve"] button').click();
    await landOn(reviewer, (u) => u.searchParams.get('done') === 'approved');
    assert.match(await reviewer.locator('[role="status"]').innerText(), /Approved/);
    assert.equal(await reviewer.locator('table.review-queue tbody tr', { hasText: '4.50' }).count(), 0);

    const res = await fetch(`${browser.server.url}/api/v1/prices/latest?commodity=barley_qingke`);
    const latest = (await res.json()) as { items: Array<{ marketId: string; price: string; kind: string }> };
    assert.deepEqual(
      latest.items.map((i) => [i.marketId, i.price, i.kind]),
      [['mkt_lhasa_barkhor', '4.50', 'wholesale']],
    );
  });

  test('a CSV upload shows every row’s verdict, then Confirm saves it', async () => {
    const collector = await staffPage('+8613900000653', 'collector');
    await collector.goto('/staff/prices/upload');
    const csv = [
      '品名,市场,日期,价格,单位',
      `小麦,东嘎批发市场,${day(-1)},3.10,斤`,
      `土豆,八廓街,${day(-1)},2.20,斤`,
    ].join('\n');
    await collector
      .locator('#file')
      .setInputFiles({ name: 'bureau.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await collector.locator('form[action="/staff/prices/upload/preview"] button[type="submit"]').click();
    await landOn(collector, (u) => u.pathname === '/staff/prices/upload/preview');
    assert.equal(await collector.locator('h1').innerText(), 'Check before saving');
    assert.equal(await collector.locator('table.import-preview tbody tr.verdict-new').count(), 2);
    assert.match(
      await collector.locator('table.import-preview').innerText(),
      /wheat[\s\S]*3\.10[\s\S]*potato[\s\S]*2\.20/,
    );
    await collector.screenshot({ path: new URL('price-upload-preview.png', resultsDir).pathname, fullPage: true });
    await collector.locator('form[action="/staff/prices/upload/confirm"] button').click();
    await landOn(collector, (u) => u.searchParams.get('done') === '1');
    assert.equal(await collector.locator('h1').innerText(), 'Prices saved');
    assert.match(await collector.locator('[role="status"]').innerText(), /New: 2/);
    const wheat = await stack().deps.prices.getSubmission({
      commodityId: 'wheat',
      marketId: 'mkt_lhasa_dongga',
      date: day(-1),
      unit: 'jin',
    });
    assert.deepEqual([wheat?.status, wheat?.priceFen], ['pending', 310]);
  });
});

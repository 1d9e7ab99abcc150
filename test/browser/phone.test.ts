/**
 * The phone simulator (/dev/phone) in headless Chromium with JavaScript disabled: a plain
 * form post (Origin check and CSRF token), POST-redirect-GET, and the reply shown with its
 * encoding and segment count.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { test } from 'vitest';
import { browserSession, describeBrowser } from './support.ts';

describeBrowser('phone simulator in Chromium, JavaScript off', (executablePath) => {
  const session = browserSession(executablePath, 'en-US');
  const open = (locale?: string) => session.open(locale);

  async function send(page: Page, number: string, text: string) {
    await page.getByLabel(/Phone number|手机号/).fill(number);
    await page.getByLabel(/Message|短信内容/).fill(text);
    // The page is already at /dev/phone?number=…, so waiting for that URL would not wait:
    // wait for the form's POST and the GET it redirects to, then for the new page to load.
    const isPhone = (method: string) => (r: { url(): string; request(): { method(): string } }) =>
      r.request().method() === method && new URL(r.url()).pathname === '/dev/phone';
    const posted = page.waitForResponse(isPhone('POST'));
    const shown = page.waitForResponse(isPhone('GET'));
    await page.getByRole('button', { name: /Send|发送/ }).click();
    await posted;
    await shown;
    await page.waitForLoadState('load');
  }

  test('type HELP, submit, see the reply with its encoding and segment count', async () => {
    const page = await open();
    const res = await page.goto('/dev/phone?number=%2B8613900009001');
    assert.equal(res?.status(), 200);
    assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    assert.equal(await page.locator('script').count(), 0, 'nothing to run: the page is a plain form');

    await send(page, '+8613900009001', 'HELP');
    const thread = page.locator('ol.thread > li');
    assert.equal(await thread.count(), 2, 'what was typed, and the reply');
    const reply = page.locator('ol.thread > li.sms:not(.mine)').first();
    assert.match(await reply.locator('.sms-text').innerText(), /^\[Zhingdrok\] Text: PRICE <product>, JOIN <county>/);
    assert.match(await reply.locator('small').innerText(), /GSM-7 · 1 SMS · sent/);
    assert.equal(await page.locator('ol.thread > li.mine .sms-text').innerText(), 'HELP');
    // The reply is the one the contracts report too.
    const listed = (await (await fetch(`${session.server.url}/dev/outbox?to=%2B8613900009001`)).json()) as unknown[];
    assert.equal(listed.length, 1);
  });

  test('a Tibetan message gets a Tibetan reply, UCS-2, newest first', async () => {
    const page = await open('zh-CN');
    await page.goto('/dev/phone?number=%2B8613900009002');
    await send(page, '+8613900009002', 'རོགས་རམ');
    await send(page, '+8613900009002', 'ཐོ་འགོད རྒྱལ་རྩེ');
    const newest = page.locator('ol.thread > li.sms:not(.mine)').first();
    assert.match(await newest.locator('.sms-text').innerText(), /རྒྱལ་རྩེ/);
    assert.match(await newest.locator('small').innerText(), /UCS-2 · 1 条 · sent/);
    assert.equal(await page.locator('ol.thread > li').count(), 4);
  });

  test('a number that is no phone number is shown as an error, and nothing is sent', async () => {
    const page = await open();
    await page.goto('/dev/phone');
    await send(page, '12345', 'HELP');
    assert.match(await page.locator('[role="alert"]').innerText(), /Invalid phone number: 12345/);
    assert.equal(await page.locator('ol.thread > li').count(), 0);
  });
});

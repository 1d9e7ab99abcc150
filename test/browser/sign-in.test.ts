/**
 * Staff sign-in in a real headless Chromium with JavaScript off: phone → SMS code (read from
 * the outbox, as the phone would show it) → staff page → invite → sign out. Forms, redirects
 * and cookies only; nothing here may depend on script.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { test } from 'vitest';
import { ADMIN, latestCode } from '#test/support/staff.ts';
import { browserSession, describeBrowser } from './support.ts';

const resultsDir = new URL('../../test-results/', import.meta.url);

describeBrowser('staff sign-in in Chromium, JavaScript off', (executablePath) => {
  const browser = browserSession(executablePath, 'en-GB');
  const open = (locale?: string) => browser.open(locale);

  /** Waits for the redirect after a form post; on a wrong turn, says where the browser ended up. */
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

  async function signIn(page: Page, phone: string) {
    await page.goto('/sign-in');
    await page.locator('#phone').fill(phone);
    await page.locator('form[action="/sign-in/code"] button[type="submit"]').click();
    await landOn(page, (u) => u.pathname === '/sign-in' && u.searchParams.get('step') === 'code');
    const code = await latestCode(browser.server.stack, phone);
    assert.match(code ?? '', /^\d{6}$/, 'an SMS with the code reached the phone');
    await page.locator('#code').fill(code!);
    await page.locator('form[action="/sign-in"] button[type="submit"]').click();
    await landOn(page, (u) => u.pathname === '/staff');
  }

  test('sign in, invite a collector, sign out — all without JavaScript', async () => {
    const page = await open();
    await signIn(page, ADMIN);
    assert.equal(await page.locator('h1').innerText(), 'Staff');
    assert.match(await page.locator('.whoami').innerText(), /\+8613800000000/);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'session');
    assert.ok(session?.httpOnly, 'the session cookie is HttpOnly');
    assert.equal(session?.sameSite, 'Lax');

    await page.locator('#invite-phone').fill('139 0000 0601');
    await page.locator('#invite-role').selectOption('collector');
    await page.locator('#invite-regions').selectOption(['pref_lhasa', 'cty_shigatse_gyantse']);
    await page.locator('form[action="/staff/grants"] button[type="submit"]').click();
    await landOn(page, (u) => u.searchParams.get('done') === 'done.invited');
    assert.match(await page.locator('[role="status"]').innerText(), /Invited/);
    assert.match(await page.locator('table.members').innerText(), /\+8613900000601/);
    assert.deepEqual((await browser.server.stack.deps.staff.get('+8613900000601'))?.grants, [
      { role: 'collector', regions: ['cty_shigatse_gyantse', 'pref_lhasa'] },
    ]);

    await page.locator('.whoami button[type="submit"]').click();
    await landOn(page, (u) => u.pathname === '/sign-in');
    assert.match(await page.locator('[role="status"]').innerText(), /signed out/);
    await page.goto('/staff');
    assert.equal(new URL(page.url()).pathname, '/sign-in', 'signed out for real');
  });

  test('a wrong code shows the translated error on the code step (Tibetan), with a screenshot', async () => {
    const phone = '+8613900000602';
    await browser.server.stack.deps.staff.create({
      phone,
      grants: [{ role: 'expert', regions: ['pref_lhasa'] }],
      invitedBy: ADMIN,
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    });
    const page = await open('bo');
    await page.goto('/sign-in?lang=bo');
    await page.locator('#phone').fill(phone);
    await page.locator('form[action="/sign-in/code"] button[type="submit"]').click();
    await landOn(page, (u) => u.searchParams.get('step') === 'code');
    const code = (await latestCode(browser.server.stack, phone))!;
    await page.locator('#code').fill(code === '123456' ? '654321' : '123456');
    await page.locator('form[action="/sign-in"] button[type="submit"]').click();
    await landOn(page, (u) => u.searchParams.get('error') === 'code_invalid');
    const alert = await page.locator('[role="alert"]').innerText();
    assert.match(alert, /[\u0F00-\u0FFF]/);
    assert.match(alert, /4/);
    await mkdir(resultsDir, { recursive: true });
    await page.screenshot({ path: new URL('sign-in-bo.png', resultsDir).pathname, fullPage: true });
  });
});

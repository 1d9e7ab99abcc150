/**
 * A village LAN over plain HTTP, in a real headless Chromium with JavaScript off: the server is
 * opened as http://village.test:<port> (mapped to 127.0.0.1 by Chromium's resolver, so the page
 * is not a "potentially trustworthy" origin and the browser sends no Sec-Fetch-Site), the way a
 * browser on another machine opens http://192.168.x.y:3000. Sign-in and a staff form must work;
 * a form posted from another site (evil.test) must still be refused.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { afterAll, afterEach, beforeAll, test } from 'vitest';
import { startTestServer, type TestServer } from '#test/support/server.ts';
import { ADMIN, latestCode } from '#test/support/staff.ts';
import { describeBrowser, launchChromium } from './support.ts';

describeBrowser('forms on a LAN over plain HTTP (Chromium, JavaScript off)', (executablePath) => {
  let server: TestServer;
  let browser: Browser;
  let attacker: Server;
  let village = '';
  let evil = '';
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startTestServer({ devTools: false }),
      launchChromium(executablePath, ['--host-resolver-rules=MAP village.test 127.0.0.1, MAP evil.test 127.0.0.1']),
    ]);
    village = `http://village.test:${new URL(server.url).port}`;
    // Another site on the same network: pages whose forms post to the village server.
    attacker = createServer((req, res) => {
      const noReferrer = req.url?.includes('no-referrer');
      res
        .writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
        .end(
          `<!DOCTYPE html><html><head>${noReferrer ? '<meta name="referrer" content="no-referrer">' : ''}</head><body>` +
            `<form method="post" action="${village}/staff/grants">` +
            '<input type="hidden" name="_csrf" value="forged"><input type="hidden" name="phone" value="+8613900000701">' +
            '<input type="hidden" name="role" value="admin"><input type="hidden" name="regions" value="*">' +
            '<button type="submit">win a prize</button></form></body></html>',
        );
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    evil = `http://evil.test:${(attacker.address() as { port: number }).port}`;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await new Promise<void>((resolve) => attacker?.close(() => resolve()));
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((c) => c.close()));
  });

  async function open(): Promise<Page> {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' });
    contexts.push(context);
    return context.newPage();
  }

  /** The headers Chromium really sent with each form POST (as the network saw them). */
  function postsOf(page: Page) {
    const posts: Array<{ url: string; headers: Record<string, string> }> = [];
    const pending: Promise<void>[] = [];
    page.on('request', (req: Request) => {
      if (req.method() === 'POST')
        pending.push(req.allHeaders().then((headers) => void posts.push({ url: req.url(), headers })));
    });
    return async () => (await Promise.all(pending), posts);
  }

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

  async function signIn(page: Page, phone = ADMIN) {
    await page.goto(`${village}/sign-in`);
    await page.locator('#phone').fill(phone);
    await page.locator('form[action="/sign-in/code"] button[type="submit"]').click();
    await landOn(page, (u) => u.pathname === '/sign-in' && u.searchParams.get('step') === 'code');
    const code = await latestCode(server.stack, phone);
    assert.match(code ?? '', /^\d{6}$/);
    await page.locator('#code').fill(code!);
    await page.locator('form[action="/sign-in"] button[type="submit"]').click();
    await landOn(page, (u) => u.pathname === '/staff');
  }

  test('sign-in and a staff form work from http://village.test (the real Origin, no Sec-Fetch-Site)', async () => {
    const page = await open();
    const posts = postsOf(page);
    await signIn(page);
    await page.locator('#invite-phone').fill('139 0000 0702');
    await page.locator('#invite-role').selectOption('collector');
    await page.locator('#invite-regions').selectOption(['pref_lhasa']);
    await page.locator('form[action="/staff/grants"] button[type="submit"]').click();
    await landOn(page, (u) => u.searchParams.get('done') === 'done.invited');
    assert.deepEqual((await server.stack.deps.staff.get('+8613900000702'))?.grants, [
      { role: 'collector', regions: ['pref_lhasa'] },
    ]);

    const sent = await posts();
    assert.deepEqual(
      sent.map((p) => new URL(p.url).pathname),
      ['/sign-in/code', '/sign-in', '/staff/grants'],
    );
    for (const { url, headers } of sent) {
      assert.equal(headers.origin, village, `${url}: Chromium sends the page's own origin`);
      assert.equal(headers['sec-fetch-site'], undefined, `${url}: no Sec-Fetch-Site to a plain-HTTP LAN address`);
    }
  });

  test('a form posted from another site is refused, with its own Origin or with Origin: null', async () => {
    // Another admin (one code a minute per phone): the victim, signed in on the village server.
    const victim = '+8613900000703';
    await server.stack.deps.staff.create({
      phone: victim,
      grants: [{ role: 'admin', regions: ['*'] }],
      invitedBy: ADMIN,
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    });
    const page = await open();
    await signIn(page, victim);
    for (const path of ['/', '/no-referrer']) {
      const posts = postsOf(page);
      await page.goto(`${evil}${path}`);
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.url() === `${village}/staff/grants`),
        page.locator('button[type="submit"]').click(),
      ]);
      assert.equal(answer.status(), 403, path);
      assert.equal(await page.locator('h1').innerText(), 'Form expired', path);
      const [sent] = await posts();
      assert.equal(sent?.headers.origin, path === '/' ? evil : 'null', path);
    }
    assert.equal(await server.stack.deps.staff.get('+8613900000701'), undefined, 'nobody was made admin');
  });
});

/**
 * CSRF on a village LAN over plain HTTP (http://192.168.1.20:3000), where browsers send no
 * Sec-Fetch-Site: what our own pages' forms send is accepted, what another site can make a
 * browser send is refused, and the form token is required either way. (The browser itself is
 * in test/browser/lan.test.ts.)
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, CookieJar, csrfOf, form, from, latestCode, type Send } from '#test/support/staff.ts';

const lan = 'http://192.168.1.20:3000';

describe('forms on a plain-HTTP LAN address (security)', () => {
  let stack: TestStack;
  let send: Send;
  let jar: CookieJar;
  let token = '';
  beforeAll(async () => {
    stack = await startTestStack();
    send = from(stack, '192.168.1.31');
    jar = new CookieJar();
    const html = await (await jar.send(send, '/sign-in')).text();
    await jar.send(send, '/sign-in/code', form({ _csrf: csrfOf(html), phone: ADMIN }));
    await jar.send(send, '/sign-in', form({ _csrf: csrfOf(html), code: (await latestCode(stack, ADMIN))! }));
    assert.ok(jar.cookies.get('session'));
    token = csrfOf(await (await jar.send(send, '/staff')).text());
  });
  afterAll(() => stack.close());

  let n = 0;
  /** An invite posted to the LAN address with exactly these headers (and the session cookie); whether it was carried out. */
  async function invite(headers: Record<string, string>, csrf = token) {
    const phone = `+86139000008${String(++n).padStart(2, '0')}`;
    const res = await send(`${lan}/staff/grants`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: jar.header(), ...headers },
      body: new URLSearchParams({ _csrf: csrf, phone, role: 'collector', regions: 'pref_lhasa' }).toString(),
    });
    const done = (await stack.deps.staff.get(phone)) !== undefined;
    assert.equal(res.status, done ? 303 : 403, JSON.stringify(headers));
    return done;
  }

  test('pages send Referrer-Policy: same-origin, so a browser names our origin on our own forms and nothing to other sites', async () => {
    const res = await send(`${lan}/sign-in`);
    assert.equal(res.headers.get('referrer-policy'), 'same-origin');
  });

  test("our own page's form: the real Origin, or (a browser that sends none) our Referer — accepted with the token", async () => {
    assert.equal(await invite({ Origin: lan }), true, 'what Chromium sends under same-origin');
    assert.equal(await invite({ Referer: `${lan}/staff` }), true, 'no Origin at all: the Referer names us');
    assert.equal(await invite({ Origin: 'null', Referer: `${lan}/staff?lang=zh` }), true);
  });

  test('what another site can make a browser send is refused, even with a valid token', async () => {
    assert.equal(await invite({ Origin: 'http://evil.example' }), false);
    assert.equal(
      await invite({ Origin: 'null' }),
      false,
      'a no-referrer page or a sandboxed frame: Origin null, no Referer',
    );
    assert.equal(await invite({}), false, 'neither Origin nor Referer');
    assert.equal(await invite({ Referer: 'http://evil.example/' }), false);
    assert.equal(
      await invite({ Origin: 'http://evil.example', Referer: `${lan}/staff` }),
      false,
      'a wrong Origin is not overruled by the Referer',
    );
    assert.equal(
      await invite({ Origin: 'null', Referer: `${lan}/staff`, 'Sec-Fetch-Site': 'cross-site' }),
      false,
      'nor a cross-site Sec-Fetch-Site',
    );
    assert.equal(await invite({ Referer: 'not a url' }), false);
  });

  test('the form token is still required when the origin is ours', async () => {
    assert.equal(await invite({ Origin: lan }, ''), false);
    assert.equal(await invite({ Referer: `${lan}/staff` }, 'forged'), false);
  });
});

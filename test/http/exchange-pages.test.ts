/** The exchange's pages: addresses, sign-in, CSRF; and what the public and staff see. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, CookieJar, csrfOf, form, from } from '#test/support/staff.ts';

let stack: TestStack;
let admin: Awaited<ReturnType<typeof staffBrowser>>;
beforeAll(async () => {
  stack = await startTestStack();
  admin = await staffBrowser(stack, ADMIN);
});
afterAll(() => stack.close());

const staffPages = [
  '/staff/market/moderation',
  '/staff/market/vouches',
  '/staff/market/blocks',
  '/staff/market/words',
  '/staff/market/post',
  '/staff/market/sheet',
];
const staffForms = [
  '/staff/market/moderation/approve',
  '/staff/market/moderation/reject',
  '/staff/market/moderation/hide',
  '/staff/market/vouches',
  '/staff/market/vouches/remove',
  '/staff/market/blocks',
  '/staff/market/blocks/remove',
  '/staff/market/words',
  '/staff/market/post',
];

describe('exchange pages: addresses, sign-in and CSRF', () => {
  test('an offer address that is no code is a 404 page; a code typed another way goes to its one address, language kept', async () => {
    const send = from(stack);
    for (const path of ['/market/abc', '/market/L12', '/market/L1234567']) {
      const res = await send(`${path}?lang=en`);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    }
    for (const typed of ['l4821', '4821']) {
      const res = await send(`/market/${typed}?lang=zh`);
      assert.equal(res.status, 301, typed);
      assert.equal(res.headers.get('location'), '/market/L4821?lang=zh');
    }
  });

  test('not signed in: every staff page sends you to sign in and back, every form to sign in', async () => {
    const send = from(stack);
    for (const path of staffPages) {
      const res = await send(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get('location'), `/sign-in?next=${path}`, path);
    }
    const jar = new CookieJar();
    const token = csrfOf(await (await jar.send(send, '/sign-in')).text());
    for (const path of staffForms) {
      const res = await jar.send(send, path, form({ _csrf: token, code: 'L4821', phone: '+8613900000601' }));
      assert.equal(res.status, 303, path);
      assert.match(res.headers.get('location')!, /^\/sign-in/, path);
    }
  });

  test('signed in, a form without its CSRF token (or with another one) is refused with a 403 page', async () => {
    for (const path of staffForms) {
      const none = await admin.raw(path, form({ code: 'L4821', phone: '+8613900000601', reason: 'x' }));
      assert.equal(none.status, 403, path);
      assert.match(await none.text(), /<html/);
      const forged = await admin.raw(path, form({ _csrf: 'forged', code: 'L4821', phone: '+8613900000601' }));
      assert.equal(forged.status, 403, path);
    }
  });

  test('the home page links to the exchange, in every language', async () => {
    for (const lang of ['bo', 'zh', 'en']) {
      const html = await (await from(stack)(`/?lang=${lang}`)).text();
      assert.match(html, /href="\/market"/, lang);
      assert.match(html, /href="\/market\?side=buy"/, lang);
    }
  });
});

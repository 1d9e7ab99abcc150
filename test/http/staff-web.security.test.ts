import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { recentAudit } from '#core/staff/audit.ts';
import { createApp } from '#http/app.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import {
  ADMIN,
  CookieJar,
  csrfOf,
  form,
  from,
  latestCode,
  nextHour,
  type Send,
  smsCount,
} from '#test/support/staff.ts';

let stack: TestStack;
let send: Send;
beforeAll(async () => {
  stack = await startTestStack();
  send = from(stack, '198.51.100.95');
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

async function signedIn(phone: string) {
  const jar = new CookieJar();
  const html = await (await jar.send(send, '/sign-in')).text();
  await jar.send(send, '/sign-in/code', form({ _csrf: csrfOf(html), phone }));
  await jar.send(send, '/sign-in', form({ _csrf: csrfOf(html), code: (await latestCode(stack, phone))! }));
  assert.ok(jar.cookies.get('session'));
  return jar;
}

describe('staff pages (security)', () => {
  test('a form without its CSRF token is refused with a page saying why, and does nothing', async () => {
    const jar = new CookieJar();
    await jar.send(send, '/sign-in');
    const before = await smsCount(stack, ADMIN);
    const res = await jar.send(send, '/sign-in/code?lang=en', form({ phone: ADMIN }));
    assert.equal(res.status, 403);
    assert.match(res.headers.get('content-type')!, /text\/html/);
    assert.match(await res.text(), /Form expired/);
    assert.equal(await smsCount(stack, ADMIN), before);
  });

  test("another browser's token, or a token from before sign-in, does not fit", async () => {
    const theirs = new CookieJar();
    const theirToken = csrfOf(await (await theirs.send(send, '/sign-in')).text());
    const mine = new CookieJar();
    await mine.send(send, '/sign-in');
    assert.equal((await mine.send(send, '/sign-in/code', form({ _csrf: theirToken, phone: ADMIN }))).status, 403);

    const jar = new CookieJar();
    const anonymous = csrfOf(await (await jar.send(send, '/sign-in')).text());
    await jar.send(send, '/sign-in/code', form({ _csrf: anonymous, phone: ADMIN }));
    await jar.send(send, '/sign-in', form({ _csrf: anonymous, code: (await latestCode(stack, ADMIN))! }));
    assert.ok(jar.cookies.get('session'));
    assert.equal(
      (await jar.send(send, '/sign-out', form({ _csrf: anonymous }))).status,
      403,
      'tokens are bound to the session',
    );
  });

  test('a form posted from another site is refused even with a valid token (Origin check)', async () => {
    const jar = await signedIn(ADMIN);
    const token = csrfOf(await (await jar.send(send, '/staff')).text());
    const res = await jar.send(send, '/staff/grants', {
      ...form({ _csrf: token, phone: '+8613900000501', role: 'admin', regions: '*' }),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
    });
    assert.equal(res.status, 403);
    assert.equal(await stack.deps.staff.get('+8613900000501'), undefined);
  });

  test('after sign-in only local paths are followed (no open redirect)', async () => {
    const jar = new CookieJar();
    const html = await (await jar.send(send, '/sign-in?next=//evil.example/x')).text();
    // The forms carry no foreign address (the language links repeat the page's own query, which is harmless: it leads back here).
    const forms = [...html.matchAll(/<form\b[\s\S]*?<\/form>/g)].map((m) => m[0]).join('');
    assert.ok(forms.length > 0);
    assert.doesNotMatch(forms, /evil/);
    await jar.send(send, '/sign-in/code', form({ _csrf: csrfOf(html), phone: ADMIN, next: 'https://evil.example' }));
    const done = await jar.send(
      send,
      '/sign-in',
      form({ _csrf: csrfOf(html), code: (await latestCode(stack, ADMIN))!, next: '/\\evil.example' }),
    );
    assert.equal(done.headers.get('location'), '/staff');
  });

  test('an admin of one prefecture using the form outside it is refused, told so, and logged', async () => {
    await stack.deps.staff.create({
      phone: '+8613900000502',
      grants: [{ role: 'admin', regions: ['pref_lhasa'] }],
      invitedBy: ADMIN,
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    });
    const jar = await signedIn('+8613900000502');
    const html = await (await jar.send(send, '/staff?lang=en')).text();
    assert.doesNotMatch(html, /<option value="\*">/, 'no "all regions" choice for a regional admin');
    assert.doesNotMatch(html, /value="pref_shigatse"/, 'only their own regions are offered');
    const res = await jar.send(
      send,
      '/staff/grants',
      form({ _csrf: csrfOf(html), phone: '+8613900000503', role: 'collector', regions: 'pref_shigatse' }),
    );
    assert.equal(res.headers.get('location'), '/staff?error=forbidden');
    assert.match(
      await (await jar.send(send, '/staff?error=forbidden&lang=en')).text(),
      /Your role or regions do not allow this\./,
    );
    const denied = (await recentAudit(stack.deps.audit, stack.deps.now(), 50)).find(
      (e) => e.action === 'access.denied' && e.actor === '+8613900000502',
    );
    assert.deepEqual(denied?.regions, ['pref_shigatse']);
  });

  test('signed-out visitors are sent to sign in; pages with tokens are never cached publicly', async () => {
    const jar = new CookieJar();
    const page = await jar.send(send, '/sign-in');
    assert.equal(page.headers.get('cache-control'), 'no-store');
    const res = await jar.send(send, '/staff/remove', form({ _csrf: csrfOf(await page.text()), phone: ADMIN }));
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/sign-in?next=/staff');
  });

  test('in production forms are checked against the public host CloudFront forwards', async () => {
    const app = createApp({ ...stack.deps, mode: 'aws', originSecret: 'o'.repeat(40), log: () => {} });
    const aws: Send = async (path, init) =>
      app.request(
        path,
        { ...init, headers: { ...Object.fromEntries(new Headers(init?.headers)), 'X-Origin-Verify': 'o'.repeat(40) } },
        { requestContext: { http: { sourceIp: '198.51.100.96' } } },
      );
    const jar = new CookieJar();
    const host = { 'X-Forwarded-Host': 'zhingdrok.example' };
    const html = await (await jar.send(aws, '/sign-in', { headers: host })).text();
    assert.ok(jar.cookies.get('__Host-csrf'), 'the CSRF nonce cookie is __Host- in production');
    const post = (origin: string) =>
      jar.send(aws, '/sign-in/code', {
        ...form({ _csrf: csrfOf(html), phone: '+8613900000599' }),
        headers: { ...host, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    assert.equal((await post('https://evil.example')).status, 403);
    assert.equal((await post('https://zhingdrok.example')).status, 303);
  });
});

/**
 * Staff pages and sign-in are `Cache-Control: no-store` (a shared village computer keeps no
 * copy of a member's page), whatever the answer: page, redirect, refusal or error.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { globalAdmin } from '#core/staff/roles.ts';
import { texts } from '#test/support/dev-sms.ts';
import { staffBrowser } from '#test/support/price-web.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, CookieJar, from } from '#test/support/staff.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

/** Every page route (GET, outside the API and /dev) on a staff or sign-in path. */
const staffPages = () => [
  ...new Set(
    stack.app.routes.filter((r) => r.method === 'GET' && /^\/(staff|sign-in)(\/|$)/.test(r.path)).map((r) => r.path),
  ),
];

describe('staff pages are no-store', () => {
  test('every staff page and the sign-in page, signed in as an admin', async () => {
    const admin = await staffBrowser(stack, ADMIN);
    const pages = staffPages();
    for (const path of ['/staff', '/sign-in', '/staff/prices/new', '/staff/prices/review', '/staff/prices/upload'])
      assert.ok(pages.includes(path), path);
    // A page of one thing (a broadcast) is asked for with a real one.
    const draft = await stack.deps.broadcasts.create(
      { actor: { phone: ADMIN, grants: [globalAdmin], configAdmin: true } },
      { audience: { regions: ['pref_lhasa'], topics: [], languages: [] }, texts: { en: 'Frost tonight.' } },
    );
    // …and a knowledge item and a farmer's question for theirs.
    const acting = { actor: { phone: ADMIN, grants: [globalAdmin], configAdmin: true } };
    const item = await stack.deps.knowledge!.create(acting, 'bulletin', {
      regions: ['pref_lhasa'],
      fields: { kind: 'bulletin', date: '2026-12-01' },
      versions: { en: { title: 'Frost', body: 'Frost tonight.', summary: 'Frost tonight.' } },
    });
    await texts(stack, '+8613712341201', 'JOIN Lhasa');
    await texts(stack, '+8613712341201', 'ASK my yak is coughing');
    const code = (await stack.deps.questions!.queue(acting, { limit: 1 })).items[0]!.code;
    const fill = (p: string) =>
      p.startsWith('/staff/knowledge/')
        ? p.replace(':id', item.id)
        : p.startsWith('/staff/questions/')
          ? p.replace(':code', code)
          : p.startsWith('/staff/voice/clips/')
            ? p.replace(':lang', 'bo').replace(':id', 'say.welcome')
            : p.replace(':id', draft.id);
    for (const path of pages.map(fill)) {
      assert.ok(!path.includes(':'), `${path}: a parameter this test does not fill`);
      const res = await admin.get(path);
      assert.ok(res.status === 200 || res.status === 303, `${path}: ${res.status}`);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
    }
    // The sign-in form's own steps, and a form answer (a redirect), too.
    assert.equal((await admin.get('/sign-in?step=code')).headers.get('cache-control'), 'no-store');
    const page = await (await admin.get('/staff')).text();
    const out = await admin.post('/sign-out', page, {});
    assert.equal(out.status, 303);
    assert.equal(out.headers.get('cache-control'), 'no-store');
  });

  test('signed out (redirects to sign-in), refused (403) and the sign-in page itself', async () => {
    const jar = new CookieJar();
    const send = from(stack);
    for (const path of [...staffPages(), '/sign-in?lang=zh']) {
      const res = await jar.send(send, path);
      assert.equal(res.headers.get('cache-control'), 'no-store', path);
    }
    const collector = await staffBrowser(stack, '+8613900000771', [{ role: 'collector', regions: ['pref_lhasa'] }]);
    const refused = await collector.get('/staff/prices/review');
    assert.equal(refused.status, 403);
    assert.equal(refused.headers.get('cache-control'), 'no-store');
  });

  test('public pages keep their own caching', async () => {
    const res = await from(stack)('/commodities');
    assert.equal(res.headers.get('cache-control'), 'private, no-cache');
  });
});

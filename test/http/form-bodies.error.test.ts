/**
 * A malformed form body — no boundary, the wrong boundary, a truncated part, garbage — is a 400
 * on every form route and on the CSV import API, signed in or not: a translated page for forms,
 * a translated problem for the API, and at most a warn line in the log (no stack trace).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { staffBrowser } from '#test/support/price-web.ts';
import { priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, CookieJar, from, nextHour } from '#test/support/staff.ts';

let stack: TestStack;
let admin: Awaited<ReturnType<typeof staffBrowser>>;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  token = (await priceStaff(stack)).admin;
  nextHour(stack); // a second code for the same phone, past its resend cooldown
  admin = await staffBrowser(stack, ADMIN);
});
afterAll(() => stack.close());

const garbage = Uint8Array.from({ length: 600 }, (_, i) => (i * 7919 + 13) % 256);
const malformed: Array<[name: string, type: string, body: string | Uint8Array]> = [
  ['no boundary', 'multipart/form-data', '_csrf=x&phone=1'],
  [
    'another boundary',
    'multipart/form-data; boundary=zzz',
    '--other\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nx\r\n--other--\r\n',
  ],
  [
    'a truncated part',
    'multipart/form-data; boundary=zzz',
    '--zzz\r\nContent-Disposition: form-data; name="file"; filename="p.csv"\r\nContent-Type: text/csv\r\n\r\ncommodity,market\r\n青稞,',
  ],
  ['garbage', 'multipart/form-data; boundary=zzz', garbage],
];
const post = (type: string, body: string | Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': type, ...headers },
  body,
});

/**
 * Every route that reads a form: the POST routes outside the JSON API (and /dev/sms, a JSON tool;
 * /dev/jobs reads no body; the voice webhook answers a provider in TwiML: its own test below;
 * the Alibaba Cloud SMS pushes are the provider's JSON: test/integration/aliyun-push.test.ts).
 */
const formRoutes = () => [
  ...new Set(
    stack.app.routes
      .filter((r) => r.method === 'POST' && !/^\/(api\/|dev\/sms|dev\/jobs|voice\/|sms\/aliyun\/)/.test(r.path))
      .map((r) => r.path),
  ),
];
const errorsLogged = () => stack.logs.filter((e) => e.level === 'error');

describe('malformed form bodies', () => {
  test('every form route answers 400 with a translated page, signed in or not', async () => {
    const routes = formRoutes();
    for (const path of [
      '/sign-in',
      '/sign-in/code',
      '/sign-out',
      '/staff/grants',
      '/staff/remove',
      '/staff/prices/new',
      '/staff/prices/review/approve',
      '/staff/prices/upload/preview',
      '/staff/prices/upload/confirm',
      '/dev/phone',
    ]) {
      assert.ok(routes.includes(path), `${path} is a form route`);
    }
    const anonymous = new CookieJar();
    const send = from(stack);
    for (const path of routes) {
      for (const [name, type, body] of malformed) {
        for (const [who, res] of [
          ['signed in', await admin.raw(`${path}?lang=zh`, post(type, body))],
          ['anonymous', await anonymous.send(send, `${path}?lang=en`, post(type, body))],
        ] as const) {
          const html = await res.text();
          assert.equal(res.status, 400, `${who} ${path}, ${name}: ${html.slice(0, 200)}`);
          assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
          assert.match(html, who === 'signed in' ? /表单无法读取/ : /Unreadable form/, `${who} ${path}, ${name}`);
        }
      }
    }
    assert.deepEqual(errorsLogged(), []);
    assert.ok(stack.logs.some((e) => e.level === 'warn' && e.msg === 'unreadable form body'));
  });

  test('the voice webhook answers a malformed body with a 400 in TwiML, never a 500', async () => {
    const webhooks = stack.app.routes
      .filter((r) => r.method === 'POST' && r.path.startsWith('/voice/'))
      .map((r) => r.path);
    assert.deepEqual([...new Set(webhooks)].sort(), ['/voice/twiml', '/voice/twiml/status']);
    for (const path of new Set(webhooks))
      for (const [name, type, body] of malformed) {
        const res = await from(stack)(path, post(type, body));
        const xml = await res.text();
        assert.equal(res.status, 400, `${path}, ${name}: ${xml.slice(0, 200)}`);
        assert.match(res.headers.get('content-type') ?? '', /^text\/xml/);
        assert.match(xml, /<Response>/);
      }
    assert.deepEqual(errorsLogged(), []);
  });

  test('the CSV import API answers a translated 400 problem; without sign-in, 401; never a 500', async () => {
    for (const [name, type, body] of malformed) {
      const res = await from(stack)(
        '/api/v1/prices/import?lang=zh',
        post(type, body, { Authorization: `Bearer ${token}` }),
      );
      assert.equal(res.status, 400, name);
      assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
      const problem = (await res.json()) as { code: string; title: string };
      assert.equal(problem.code, 'invalid_form', name);
      assert.equal(problem.title, '表单无法读取');
      const anonymous = await from(stack)('/api/v1/prices/import', post(type, body));
      assert.equal(anonymous.status, 401, name);
    }
    assert.deepEqual(errorsLogged(), []);
  });

  test('a well-formed multipart form still works (the CSRF token is read from it)', async () => {
    const page = await (await admin.get('/staff')).text();
    const body = new FormData();
    body.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page)![1]!);
    const res = await admin.raw('/sign-out', { method: 'POST', body });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get('location'), '/sign-in?done=signIn.signedOut');
  });
});

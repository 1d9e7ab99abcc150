import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import {
  ADMIN,
  advanceClock,
  bearer,
  deliveries,
  from,
  latestCode,
  nextHour,
  postJson,
  signIn,
} from '#test/support/staff.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

describe('staff sign-in (happy path)', () => {
  test('code by SMS → token and session cookie → /me, as the contract says', async () => {
    const send = from(stack, '198.51.100.10');
    const asked = await send('/api/v1/auth/code', postJson({ phone: ADMIN }));
    assert.equal(asked.status, 202);
    assert.deepEqual(await jsonOf(asked), { expiresInSeconds: 600, resendAfterSeconds: 60 });

    await deliveries(stack);
    const [sms] = await stack.deps.outbound.listTo(ADMIN, 1);
    assert.equal(sms!.key, 'auth.code');
    assert.equal(sms!.essential, true);
    const code = await latestCode(stack, ADMIN);
    assert.match(code!, /^\d{6}$/);
    assert.match(sms!.text, /10/, 'the SMS says how long the code lasts');

    const res = await send('/api/v1/auth/token', postJson({ phone: ADMIN, code }));
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    assert.deepEqual(Object.keys(body), ['token']);
    assert.match(body.token, /^[A-Za-z0-9_-]{43}$/);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('session='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    assert.match(cookie, /Path=\//);
    assert.doesNotMatch(cookie, /Secure/, 'plain http locally');
    assert.match(
      res.headers.get('device-token') ?? '',
      /^[\w-]{22}\.[0-9a-z]+\.[\w-]{32}$/,
      'a device token for API clients',
    );
    const device = res.headers.getSetCookie().find((c) => c.startsWith('device='))!;
    for (const flag of [/HttpOnly/, /SameSite=Strict/, /Path=\//, /Max-Age=15552000/]) assert.match(device, flag);

    const me = await send('/api/v1/me', bearer(body.token));
    assert.equal(me.status, 200);
    assert.deepEqual(await jsonOf(me), { phone: ADMIN, roles: ['admin'], grants: [{ role: 'admin', regions: ['*'] }] });
    const byCookie = await send('/api/v1/me', { headers: { Cookie: cookie.split(';')[0]! } });
    assert.equal((await jsonOf(byCookie)).phone, ADMIN);
  });

  test('a phone written the local way, and a code typed in Tibetan digits, both work', async () => {
    const send = from(stack, '198.51.100.11');
    assert.equal((await send('/api/v1/auth/code', postJson({ phone: '138 0000 0000' }))).status, 202);
    const code = (await latestCode(stack, ADMIN))!;
    const tibetan = [...code].map((d) => String.fromCharCode(0x0f20 + Number(d))).join('');
    const res = await send('/api/v1/auth/token', postJson({ phone: '13800000000', code: tibetan }));
    assert.equal(res.status, 200);
  });

  test('each sign-in rotates the session: the old cookie stops working, the new one works', async () => {
    const first = await signIn(stack, ADMIN);
    const send = from(stack, '198.51.100.12');
    advanceClock(stack, 61); // past the resend cooldown
    {
      assert.equal((await send('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202);
      const code = await latestCode(stack, ADMIN);
      const res = await send('/api/v1/auth/token', postJson({ phone: ADMIN, code }, { Cookie: first.cookie }));
      assert.equal(res.status, 200);
      const fresh = res.headers
        .getSetCookie()
        .find((c) => c.startsWith('session='))!
        .split(';')[0]!;
      assert.notEqual(fresh, first.cookie);
      assert.equal((await send('/api/v1/me', { headers: { Cookie: first.cookie } })).status, 401);
      assert.equal((await send('/api/v1/me', { headers: { Cookie: fresh } })).status, 200);
      assert.equal(
        (await send('/api/v1/me', bearer(first.token))).status,
        200,
        'API tokens are not cookies: they live on',
      );
    }
  });

  test('sign-out ends the presented token; sign-in and sign-out are in the audit log', async () => {
    const { token } = await signIn(stack, ADMIN);
    const send = from(stack);
    assert.equal((await send('/api/v1/auth/sign-out', bearer(token, { method: 'POST' }))).status, 204);
    assert.equal((await send('/api/v1/me', bearer(token))).status, 401);
    advanceClock(stack, 61);
    const { token: admin } = await signIn(stack, ADMIN);
    const audit = await jsonOf(await send('/api/v1/audit', bearer(admin)));
    const actions = audit.items.map((e: { action: string }) => e.action);
    assert.ok(actions.includes('auth.sign_in'));
    assert.ok(actions.includes('auth.sign_out'));
  });

  test('the OpenAPI document describes the sign-in routes and both security schemes', async () => {
    const doc = await jsonOf(await stack.app.request('/api/v1/openapi.json'));
    for (const path of ['/auth/code', '/auth/token', '/auth/sign-out', '/me', '/staff', '/staff/{phone}', '/audit'])
      assert.ok(doc.paths[path], path);
    assert.deepEqual(Object.keys(doc.components.securitySchemes).sort(), ['bearerToken', 'sessionCookie']);
    assert.equal(doc.components.securitySchemes.bearerToken.scheme, 'bearer');
    assert.deepEqual(doc.paths['/me'].get.security, [{ bearerToken: [] }, { sessionCookie: [] }]);
  });
});

import assert from 'node:assert/strict';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { sessionKey, signInCodeKey } from '#adapters/dynamodb/keys.ts';
import { unsealCode } from '#core/staff/codes.ts';
import { tokenHash } from '#core/staff/sessions.ts';
import { createApp } from '#http/app.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import {
  ADMIN,
  advanceClock,
  bearer,
  from,
  latestCode,
  nextHour,
  postJson,
  signIn,
  smsCount,
} from '#test/support/staff.ts';

let stack: TestStack;
const ORIGIN_SECRET = 'origin-secret-origin-secret-origin-secret';
let raw: (key: { pk: string; sk: string }) => Promise<Record<string, unknown> | undefined>;
beforeAll(async () => {
  stack = await startTestStack();
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  raw = async (Key) => (await db.send(new GetCommand({ TableName: stack.tableName, Key }))).Item;
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

describe('staff sign-in (security)', () => {
  test('an unknown phone gets the same answers as staff, and no SMS (no account enumeration)', async () => {
    const stranger = '+8613900000777';
    const send = from(stack, '198.51.100.60');
    const staff = await send('/api/v1/auth/code', postJson({ phone: ADMIN }));
    const other = await send('/api/v1/auth/code', postJson({ phone: stranger }));
    assert.equal(other.status, staff.status);
    assert.deepEqual(await jsonOf(other), await jsonOf(staff));
    assert.equal(await smsCount(stack, stranger), 0);
    advanceClock(stack, 5);
    const again = [
      await send('/api/v1/auth/code', postJson({ phone: ADMIN })),
      await send('/api/v1/auth/code', postJson({ phone: stranger })),
    ];
    assert.deepEqual(
      again.map((r) => r.status),
      [429, 429],
      'the resend cooldown applies alike',
    );
    const tries = [
      await send('/api/v1/auth/token', postJson({ phone: ADMIN, code: '000000' })),
      await send('/api/v1/auth/token', postJson({ phone: stranger, code: '000000' })),
    ];
    const [a, b] = await Promise.all(tries.map(jsonOf));
    assert.deepEqual(
      [a.status, a.code, a.detail],
      [b.status, b.code, b.detail],
      'a wrong code reads the same for both',
    );
  });

  test('codes are stored only as an HMAC and never logged', async () => {
    await from(stack, '198.51.100.61')('/api/v1/auth/code', postJson({ phone: ADMIN }));
    const code = (await latestCode(stack, ADMIN))!;
    const item = (await raw(signInCodeKey(ADMIN)))!;
    const [stored] = item.codes as Array<{ hash: string; sealed: string }>;
    assert.match(stored!.hash, /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(item).includes(code));
    assert.equal(
      unsealCode(stack.deps.authSecret, ADMIN, stored!.sealed),
      code,
      'sealed for re-sending, with AUTH_SECRET',
    );
    assert.equal(unsealCode('another-secret-another-secret-xx', ADMIN, stored!.sealed), undefined);
    assert.equal(typeof item.expiresAt, 'number', 'the item carries a TTL');
    assert.ok(!JSON.stringify(stack.logs).includes(code));
  });

  test('sessions and tokens are stored by SHA-256 only, with a TTL', async () => {
    const { token, cookie } = await signIn(stack, ADMIN);
    for (const secret of [token, cookie.split('=')[1]!]) {
      const item = (await raw(sessionKey(tokenHash(secret))))!;
      assert.ok(item, 'found by hash');
      assert.ok(!JSON.stringify(item).includes(secret));
      assert.ok(Number(item.expiresAt) > Date.now() / 1000);
    }
  });

  test('a removed staff member is signed out at once, token and cookie alike', async () => {
    const member = '+8613900000701';
    const { token: admin } = await signIn(stack, ADMIN);
    const send = from(stack);
    assert.equal(
      (
        await send(
          '/api/v1/staff',
          bearer(admin, postJson({ phone: member, grants: [{ role: 'collector', regions: ['pref_lhasa'] }] })),
        )
      ).status,
      201,
    );
    const them = await signIn(stack, member);
    assert.equal((await send('/api/v1/me', bearer(them.token))).status, 200);
    assert.equal(
      (await send(`/api/v1/staff/${encodeURIComponent(member)}`, bearer(admin, { method: 'DELETE' }))).status,
      204,
    );
    assert.equal((await send('/api/v1/me', bearer(them.token))).status, 401);
    assert.equal((await send('/api/v1/me', { headers: { Cookie: them.cookie } })).status, 401);
  });

  test('a cross-site request riding on the session cookie is refused (403 csrf_failed); bearer calls are not affected', async () => {
    const { token, cookie } = await signIn(stack, ADMIN);
    const send = from(stack);
    const forged = await send('/api/v1/auth/sign-out', {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'https://evil.example', 'Content-Type': 'text/plain' },
      body: '{}',
    });
    assert.equal(forged.status, 403);
    assert.equal((await jsonOf(forged)).code, 'csrf_failed');
    assert.equal((await send('/api/v1/me', { headers: { Cookie: cookie } })).status, 200, 'still signed in');
    const sameSite = await send('http://localhost/api/v1/auth/sign-out', {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'http://localhost' },
    });
    assert.equal(sameSite.status, 204);
    assert.equal(
      (
        await send(
          '/api/v1/auth/sign-out',
          bearer(token, { method: 'POST', headers: { Origin: 'https://evil.example' } }),
        )
      ).status,
      204,
    );
  });

  test('in production the session cookie is __Host-, Secure, HttpOnly, SameSite=Lax; the bare name is ignored', async () => {
    const app = createApp({ ...stack.deps, mode: 'aws', originSecret: ORIGIN_SECRET, log: () => {} });
    const env = { requestContext: { http: { sourceIp: '198.51.100.70' } } };
    const via = (init: RequestInit = {}) => ({
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        'X-Origin-Verify': ORIGIN_SECRET,
        'CloudFront-Viewer-Address': '198.51.100.70:50000',
      },
    });
    await app.request('/api/v1/auth/code', via(postJson({ phone: ADMIN })), env);
    const res = await app.request(
      '/api/v1/auth/token',
      via(postJson({ phone: ADMIN, code: (await latestCode(stack, ADMIN))! })),
      env,
    );
    assert.equal(res.status, 200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-session='))!;
    for (const flag of [/; Path=\//, /; HttpOnly/, /; Secure/, /; SameSite=Lax/]) assert.match(cookie, flag);
    assert.doesNotMatch(cookie, /Domain=/);
    const device = res.headers.getSetCookie().find((c) => c.startsWith('__Host-device='))!;
    for (const flag of [/; Path=\//, /; HttpOnly/, /; Secure/, /; SameSite=Strict/]) assert.match(device, flag);
    const value = cookie.split(';')[0]!.split('=')[1]!;
    assert.equal(
      (await app.request('/api/v1/me', via({ headers: { Cookie: `__Host-session=${value}` } }), env)).status,
      200,
    );
    assert.equal((await app.request('/api/v1/me', via({ headers: { Cookie: `session=${value}` } }), env)).status, 401);
  });

  test('behind CloudFront the viewer address CloudFront vouches for is what is limited; X-Forwarded-For is not believed', async () => {
    const app = createApp({ ...stack.deps, mode: 'aws', originSecret: ORIGIN_SECRET, log: () => {} });
    const ask = (n: number, viewer: string, forged: string) =>
      app.request(
        '/api/v1/auth/code',
        postJson(
          { phone: `+86139000008${String(n).padStart(2, '0')}` },
          {
            'X-Origin-Verify': ORIGIN_SECRET,
            'CloudFront-Viewer-Address': `${viewer}:443`,
            'X-Forwarded-For': `${forged}, ${viewer}, 130.176.0.${n + 1}`,
          },
        ),
        { requestContext: { http: { sourceIp: `130.176.0.${n + 1}` } } },
      );
    // Twenty phones from one viewer, each time with a different forged X-Forwarded-For and edge.
    for (let i = 0; i < 20; i++) assert.equal((await ask(i, '203.0.113.9', `192.0.2.${i}`)).status, 202);
    assert.equal((await ask(20, '203.0.113.9', '192.0.2.99')).status, 429, 'the same viewer, whatever it forges');
    assert.equal(
      (await ask(21, '203.0.113.10', '203.0.113.9')).status,
      202,
      'another viewer is not held back, even naming the first',
    );
  });
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { sessionKey, signInCodeKey } from '#adapters/dynamodb/keys.ts';
import { tokenHash } from '#core/staff/sessions.ts';
import { createApp } from '#http/app.ts';
import { jsonOf } from '#test/support/json.ts';
import { ADMIN, advanceClock, bearer, from, latestCode, nextHour, postJson, signIn, smsCount } from '#test/support/staff.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let raw: (key: { pk: string; sk: string }) => Promise<Record<string, unknown> | undefined>;
before(async () => {
  stack = await startTestStack();
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  raw = async (Key) => (await db.send(new GetCommand({ TableName: stack.tableName, Key }))).Item;
});
beforeEach(() => nextHour(stack));
after(() => stack.close());

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
    const again = [await send('/api/v1/auth/code', postJson({ phone: ADMIN })), await send('/api/v1/auth/code', postJson({ phone: stranger }))];
    assert.deepEqual(again.map((r) => r.status), [429, 429], 'the resend cooldown applies alike');
    const tries = [await send('/api/v1/auth/token', postJson({ phone: ADMIN, code: '000000' })), await send('/api/v1/auth/token', postJson({ phone: stranger, code: '000000' }))];
    const [a, b] = await Promise.all(tries.map(jsonOf));
    assert.deepEqual([a.status, a.code, a.detail], [b.status, b.code, b.detail], 'a wrong code reads the same for both');
  });

  test('codes are stored only as an HMAC and never logged', async () => {
    await from(stack, '198.51.100.61')('/api/v1/auth/code', postJson({ phone: ADMIN }));
    const code = (await latestCode(stack, ADMIN))!;
    const item = (await raw(signInCodeKey(ADMIN)))!;
    assert.match(String(item.codeHash), /^[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(item).includes(code));
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
    assert.equal((await send('/api/v1/staff', bearer(admin, postJson({ phone: member, grants: [{ role: 'collector', regions: ['pref_lhasa'] }] })))).status, 201);
    const them = await signIn(stack, member);
    assert.equal((await send('/api/v1/me', bearer(them.token))).status, 200);
    assert.equal((await send(`/api/v1/staff/${encodeURIComponent(member)}`, bearer(admin, { method: 'DELETE' }))).status, 204);
    assert.equal((await send('/api/v1/me', bearer(them.token))).status, 401);
    assert.equal((await send('/api/v1/me', { headers: { Cookie: them.cookie } })).status, 401);
  });

  test('a cross-site request riding on the session cookie is refused (403 csrf_failed); bearer calls are not affected', async () => {
    const { token, cookie } = await signIn(stack, ADMIN);
    const send = from(stack);
    const forged = await send('/api/v1/auth/sign-out', { method: 'POST', headers: { Cookie: cookie, Origin: 'https://evil.example', 'Content-Type': 'text/plain' }, body: '{}' });
    assert.equal(forged.status, 403);
    assert.equal((await jsonOf(forged)).code, 'csrf_failed');
    assert.equal((await send('/api/v1/me', { headers: { Cookie: cookie } })).status, 200, 'still signed in');
    const sameSite = await send('http://localhost/api/v1/auth/sign-out', { method: 'POST', headers: { Cookie: cookie, Origin: 'http://localhost' } });
    assert.equal(sameSite.status, 204);
    assert.equal((await send('/api/v1/auth/sign-out', bearer(token, { method: 'POST', headers: { Origin: 'https://evil.example' } }))).status, 204);
  });

  test('in production the session cookie is __Host-, Secure, HttpOnly, SameSite=Lax; the bare name is ignored', async () => {
    const app = createApp({ ...stack.deps, mode: 'aws', log: () => {} });
    const env = { requestContext: { http: { sourceIp: '198.51.100.70' } } };
    await app.request('/api/v1/auth/code', postJson({ phone: ADMIN }), env);
    const res = await app.request('/api/v1/auth/token', postJson({ phone: ADMIN, code: (await latestCode(stack, ADMIN))! }), env);
    assert.equal(res.status, 200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-session='))!;
    for (const flag of [/; Path=\//, /; HttpOnly/, /; Secure/, /; SameSite=Lax/]) assert.match(cookie, flag);
    assert.doesNotMatch(cookie, /Domain=/);
    const value = cookie.split(';')[0]!.split('=')[1]!;
    assert.equal((await app.request('/api/v1/me', { headers: { Cookie: `__Host-session=${value}` } }, env)).status, 200);
    assert.equal((await app.request('/api/v1/me', { headers: { Cookie: `session=${value}` } }, env)).status, 401);
  });

  test('behind CloudFront the viewer address is what is limited, whichever edge relays it', async () => {
    const app = createApp({ ...stack.deps, mode: 'aws', log: () => {} });
    const via = (edge: string, viewer: string) => ({ requestContext: { http: { sourceIp: edge } }, viewer });
    const ask = (n: number, edge: string, viewer = '203.0.113.9') =>
      app.request('/api/v1/auth/code', postJson({ phone: `+86139000008${n}0` }, { 'X-Forwarded-For': `${viewer}, ${edge}` }), via(edge, viewer));
    for (let i = 0; i < 5; i++) assert.equal((await ask(i, `130.176.0.${i + 1}`)).status, 202);
    assert.equal((await ask(5, '130.176.0.99')).status, 429);
    assert.equal((await ask(6, '130.176.0.99', '203.0.113.10')).status, 202, 'another viewer is not held back');
  });
});

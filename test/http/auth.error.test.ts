import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { jsonOf } from '#test/support/json.ts';
import { ADMIN, advanceClock, bearer, from, latestCode, nextHour, postJson, signIn, smsCount } from '#test/support/staff.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
beforeEach(() => nextHour(stack));
after(() => stack.close());

const problem = async (res: Response, status: number, code: string) => {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
  const body = await jsonOf(res);
  assert.equal(body.code, code);
  return body;
};

describe('staff sign-in (errors)', () => {
  test('an invalid phone is a 400 invalid_phone problem, translated', async () => {
    const send = from(stack);
    const body = await problem(await send('/api/v1/auth/code?lang=zh', postJson({ phone: '12345' })), 400, 'invalid_phone');
    assert.match(body.title, /手机号/);
    await problem(await send('/api/v1/auth/code', postJson({ phone: '+86 138 0000 0000 1111 2222 3333 4444' })), 400, 'validation_failed');
    await problem(await send('/api/v1/auth/code', postJson({})), 400, 'validation_failed');
    await problem(await send('/api/v1/auth/token', postJson({ phone: 'abc', code: '123456' })), 400, 'invalid_phone');
  });

  test('wrong code → code_invalid with tries left; the fifth locks, even against the right code', async () => {
    const send = from(stack, '198.51.100.20');
    await send('/api/v1/auth/code', postJson({ phone: ADMIN }));
    const code = (await latestCode(stack, ADMIN))!;
    const wrong = code === '000000' ? '000001' : '000000';
    for (const left of [4, 3, 2, 1]) {
      const body = await problem(await send('/api/v1/auth/token?lang=en', postJson({ phone: ADMIN, code: wrong })), 401, 'code_invalid');
      assert.match(body.detail, new RegExp(`${left} tries left`));
    }
    const locked = await problem(await send('/api/v1/auth/token?lang=en', postJson({ phone: ADMIN, code: wrong })), 401, 'locked');
    assert.match(locked.detail, /15 minutes/);
    await problem(await send('/api/v1/auth/token', postJson({ phone: ADMIN, code })), 401, 'locked');
    await problem(await send('/api/v1/auth/code', postJson({ phone: ADMIN })), 401, 'locked');

    advanceClock(stack, 15 * 60);
    await problem(await send('/api/v1/auth/token', postJson({ phone: ADMIN, code })), 401, 'code_invalid');
    assert.equal((await send('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202, 'after 15 minutes a new code can be had');
    assert.equal((await send('/api/v1/auth/token', postJson({ phone: ADMIN, code: (await latestCode(stack, ADMIN))! }))).status, 200);
  });

  test('an expired code → code_expired; a used one → code_used', async () => {
    const send = from(stack, '198.51.100.21');
    await send('/api/v1/auth/code', postJson({ phone: ADMIN }));
    const code = (await latestCode(stack, ADMIN))!;
    advanceClock(stack, 10 * 60 + 1);
    await problem(await send('/api/v1/auth/token', postJson({ phone: ADMIN, code })), 401, 'code_expired');

    await send('/api/v1/auth/code', postJson({ phone: ADMIN }));
    const fresh = (await latestCode(stack, ADMIN))!;
    assert.equal((await send('/api/v1/auth/token', postJson({ phone: ADMIN, code: fresh }))).status, 200);
    const body = await problem(await send('/api/v1/auth/token?lang=bo', postJson({ phone: ADMIN, code: fresh })), 401, 'code_used');
    assert.match(body.title, /[\u0F00-\u0FFF]/, 'Tibetan by request');
  });

  test('a second code within 60 s is a 429 naming the wait, and sends nothing', async () => {
    const send = from(stack, '198.51.100.22');
    assert.equal((await send('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202);
    const before = await smsCount(stack, ADMIN);
    advanceClock(stack, 20);
    const body = await problem(await send('/api/v1/auth/code?lang=en', postJson({ phone: ADMIN })), 429, 'rate_limited');
    assert.match(body.detail, /4\d seconds/);
    assert.equal(await smsCount(stack, ADMIN), before);
  });

  test('at most 5 codes an hour per phone (real counters)', async () => {
    for (let i = 0; i < 5; i++) {
      assert.equal((await from(stack, `198.51.100.${30 + i}`)('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202, `code ${i + 1}`);
      advanceClock(stack, 61);
    }
    await problem(await from(stack, '198.51.100.39')('/api/v1/auth/code', postJson({ phone: ADMIN })), 429, 'rate_limited');
  });

  test('at most 5 codes an hour per address, whatever the phones', async () => {
    const send = from(stack, '198.51.100.40');
    for (let i = 0; i < 5; i++) assert.equal((await send('/api/v1/auth/code', postJson({ phone: `+861390000050${i}` }))).status, 202);
    await problem(await send('/api/v1/auth/code', postJson({ phone: '+8613900000509' })), 429, 'rate_limited');
    assert.equal((await from(stack, '198.51.100.41')('/api/v1/auth/code', postJson({ phone: '+8613900000509' }))).status, 202, 'another address is not held back');
  });

  test('/me without, or with a bad, token → 401 unauthorized', async () => {
    const send = from(stack);
    await problem(await send('/api/v1/me'), 401, 'unauthorized');
    await problem(await send('/api/v1/me', bearer('x'.repeat(43))), 401, 'unauthorized');
    await problem(await send('/api/v1/me', { headers: { Authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' } }), 401, 'unauthorized');
    await problem(await send('/api/v1/auth/sign-out', { method: 'POST' }), 401, 'unauthorized');
  });

  test('a web session cookie is not a bearer token, nor a token a cookie', async () => {
    const { token, cookie } = await signIn(stack, ADMIN);
    const send = from(stack);
    await problem(await send('/api/v1/me', bearer(cookie.split('=')[1]!)), 401, 'unauthorized');
    await problem(await send('/api/v1/me', { headers: { Cookie: `session=${token}` } }), 401, 'unauthorized');
  });
});

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
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
beforeAll(async () => {
  stack = await startTestStack();
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

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
    const body = await problem(
      await send('/api/v1/auth/code?lang=zh', postJson({ phone: '12345' })),
      400,
      'invalid_phone',
    );
    assert.match(body.title, /手机号/);
    await problem(
      await send('/api/v1/auth/code', postJson({ phone: '+86 138 0000 0000 1111 2222 3333 4444' })),
      400,
      'validation_failed',
    );
    await problem(await send('/api/v1/auth/code', postJson({})), 400, 'validation_failed');
    await problem(await send('/api/v1/auth/token', postJson({ phone: 'abc', code: '123456' })), 400, 'invalid_phone');
  });

  test('wrong code → code_invalid with tries left; the fifth locks this client for 5 minutes, even against the right code', async () => {
    const send = from(stack, '198.51.100.20');
    await send('/api/v1/auth/code', postJson({ phone: ADMIN }));
    const code = (await latestCode(stack, ADMIN))!;
    const wrong = code === '000000' ? '000001' : '000000';
    for (const left of [4, 3, 2, 1]) {
      const body = await problem(
        await send('/api/v1/auth/token?lang=en', postJson({ phone: ADMIN, code: wrong })),
        401,
        'code_invalid',
      );
      assert.match(body.detail, new RegExp(`${left} tries left`));
    }
    const locked = await problem(
      await send('/api/v1/auth/token?lang=en', postJson({ phone: ADMIN, code: wrong })),
      401,
      'locked',
    );
    assert.match(locked.detail, /5 minutes/);
    await problem(await send('/api/v1/auth/token', postJson({ phone: ADMIN, code })), 401, 'locked');
    await problem(await send('/api/v1/auth/code', postJson({ phone: ADMIN })), 401, 'locked');

    advanceClock(stack, 5 * 60);
    // The code itself was never this client's to lose: it still signs in while it lasts (10 minutes).
    assert.equal((await send('/api/v1/auth/token', postJson({ phone: ADMIN, code }))).status, 200);
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
    const body = await problem(
      await send('/api/v1/auth/token?lang=bo', postJson({ phone: ADMIN, code: fresh })),
      401,
      'code_used',
    );
    assert.match(body.title, /[\u0F00-\u0FFF]/, 'Tibetan by request');
  });

  test('a second code within 60 s is a 429 naming the wait, and sends nothing', async () => {
    const send = from(stack, '198.51.100.22');
    assert.equal((await send('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202);
    const before = await smsCount(stack, ADMIN);
    advanceClock(stack, 20);
    const body = await problem(
      await send('/api/v1/auth/code?lang=en', postJson({ phone: ADMIN })),
      429,
      'rate_limited',
    );
    assert.match(body.detail, /4\d seconds/);
    assert.equal(await smsCount(stack, ADMIN), before);
  });

  test('at most 5 codes an hour per client (this phone from this address), with Retry-After; another address is not held back', async () => {
    const send = from(stack, '198.51.100.30');
    for (let i = 0; i < 5; i++) {
      assert.equal((await send('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202, `code ${i + 1}`);
      advanceClock(stack, 61);
    }
    const res = await send('/api/v1/auth/code', postJson({ phone: ADMIN }));
    await problem(res, 429, 'rate_limited');
    const wait = Number(res.headers.get('retry-after'));
    assert.ok(wait > 60 && wait <= 3600, `Retry-After ${wait}: until the hour's window ends`);
    assert.equal((await from(stack, '198.51.100.39')('/api/v1/auth/code', postJson({ phone: ADMIN }))).status, 202);
  });

  test('at most 20 codes an hour per address, whatever the phones', async () => {
    const send = from(stack, '198.51.100.40');
    for (let i = 0; i < 20; i++)
      assert.equal(
        (await send('/api/v1/auth/code', postJson({ phone: `+86139000005${String(i).padStart(2, '0')}` }))).status,
        202,
      );
    await problem(await send('/api/v1/auth/code', postJson({ phone: '+8613900000599' })), 429, 'rate_limited');
    assert.equal(
      (await from(stack, '198.51.100.41')('/api/v1/auth/code', postJson({ phone: '+8613900000599' }))).status,
      202,
      'another address is not held back',
    );
  });

  test('/me without, or with a bad, token → 401 unauthorized', async () => {
    const send = from(stack);
    await problem(await send('/api/v1/me'), 401, 'unauthorized');
    await problem(await send('/api/v1/me', bearer('x'.repeat(43))), 401, 'unauthorized');
    await problem(
      await send('/api/v1/me', { headers: { Authorization: 'Basic YWxhZGRpbjpvcGVuc2VzYW1l' } }),
      401,
      'unauthorized',
    );
    await problem(await send('/api/v1/auth/sign-out', { method: 'POST' }), 401, 'unauthorized');
  });

  test('a web session cookie is not a bearer token, nor a token a cookie', async () => {
    const { token, cookie } = await signIn(stack, ADMIN);
    const send = from(stack);
    await problem(await send('/api/v1/me', bearer(cookie.split('=')[1]!)), 401, 'unauthorized');
    await problem(await send('/api/v1/me', { headers: { Cookie: `session=${token}` } }), 401, 'unauthorized');
  });
});

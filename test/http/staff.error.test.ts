import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, bearer, from, nextHour, postJson, signIn } from '#test/support/staff.ts';

let stack: TestStack;
let admin: string;
beforeAll(async () => {
  stack = await startTestStack();
  admin = (await signIn(stack, ADMIN)).token;
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const api = (path: string, init: RequestInit = {}) => from(stack)(`/api/v1${path}`, bearer(admin, init));
const codeOf = async (res: Response) => [res.status, (await jsonOf(res)).code];
const grants = [{ role: 'collector', regions: ['pref_lhasa'] }];

describe('staff administration (errors)', () => {
  test('bad phone, unknown role, unknown region → 400 naming the field', async () => {
    assert.deepEqual(await codeOf(await api('/staff', postJson({ phone: '12', grants }))), [400, 'invalid_phone']);
    assert.deepEqual(
      await codeOf(
        await api('/staff', postJson({ phone: '+8613900000201', grants: [{ role: 'king', regions: ['pref_lhasa'] }] })),
      ),
      [400, 'validation_failed'],
    );
    const res = await api(
      '/staff',
      postJson({ phone: '+8613900000201', grants: [{ role: 'collector', regions: ['pref_atlantis'] }] }),
    );
    const body = await jsonOf(res);
    assert.equal(res.status, 400);
    assert.deepEqual(body.errors, [{ path: 'grants.0.regions.0', message: 'unknown region “pref_atlantis”' }]);
    assert.deepEqual(
      await codeOf(
        await api('/staff', postJson({ phone: '+8613900000201', grants: [{ role: 'collector', regions: [] }] })),
      ),
      [400, 'validation_failed'],
    );
  });

  test('inviting twice → 409; a stale version → 409; an unknown member → 404', async () => {
    const phone = '+8613900000202';
    assert.equal((await api('/staff', postJson({ phone, grants }))).status, 201);
    assert.deepEqual(await codeOf(await api('/staff', postJson({ phone, grants }))), [409, 'conflict']);
    const put = (version: number) =>
      api(`/staff/${encodeURIComponent(phone)}`, { ...postJson({ version, grants: [] }), method: 'PUT' });
    assert.equal((await put(1)).status, 200);
    assert.deepEqual(await codeOf(await put(1)), [409, 'conflict']);
    assert.deepEqual(await codeOf(await api(`/staff/${encodeURIComponent(phone)}?version=1`, { method: 'DELETE' })), [
      409,
      'conflict',
    ]);
    assert.deepEqual(await codeOf(await api('/staff/%2B8613900000299', { method: 'DELETE' })), [404, 'not_found']);
  });

  test('without a token every staff route is 401', async () => {
    for (const [path, method] of [
      ['/staff', 'GET'],
      ['/staff', 'POST'],
      ['/staff/%2B8613900000202', 'PUT'],
      ['/audit', 'GET'],
    ] as const) {
      const res = await from(stack)(
        `/api/v1${path}`,
        method === 'GET' ? {} : { ...postJson({ phone: 'x', grants }), method },
      );
      assert.deepEqual(await codeOf(res), [401, 'unauthorized'], `${method} ${path}`);
    }
  });

  test('a malformed audit day or cursor → 400', async () => {
    assert.deepEqual(await codeOf(await api('/audit?day=yesterday')), [400, 'validation_failed']);
    assert.deepEqual(await codeOf(await api('/audit?cursor=bm9wZQ')), [400, 'invalid_cursor']);
  });
});

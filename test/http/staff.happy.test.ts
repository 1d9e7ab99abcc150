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

const api = (path: string, init: RequestInit = {}, token = admin) => from(stack)(`/api/v1${path}`, bearer(token, init));
const put = (body: unknown) => ({ ...postJson(body), method: 'PUT' });
const enc = encodeURIComponent;

describe('staff administration (happy path)', () => {
  test('an admin invites by phone with a role in a prefecture; the member signs in and sees it', async () => {
    const res = await api(
      '/staff',
      postJson({ phone: '139 0000 0101', grants: [{ role: 'collector', regions: ['pref_lhasa'] }] }),
    );
    assert.equal(res.status, 201);
    const member = await jsonOf(res);
    assert.equal(member.phone, '+8613900000101', 'stored in E.164');
    assert.equal(member.invitedBy, ADMIN);
    assert.equal(member.version, 1);

    const { token } = await signIn(stack, '+8613900000101');
    assert.deepEqual(await jsonOf(await api('/me', {}, token)), {
      phone: '+8613900000101',
      roles: ['collector'],
      grants: [{ role: 'collector', regions: ['pref_lhasa'] }],
    });
  });

  test('roles are changed with the version read, listed, and removed; each step is audit-logged', async () => {
    const phone = '+8613900000102';
    await api('/staff', postJson({ phone, grants: [{ role: 'reviewer', regions: ['cty_lhasa_lhunzhub'] }] }));
    const got = await jsonOf(await api(`/staff/${enc(phone)}`));
    const changed = await api(
      `/staff/${enc(phone)}`,
      put({
        version: got.version,
        grants: [
          { role: 'reviewer', regions: ['pref_lhasa'] },
          { role: 'expert', regions: ['pref_shigatse'] },
        ],
      }),
    );
    assert.equal(changed.status, 200);
    assert.deepEqual((await jsonOf(changed)).grants, [
      { role: 'reviewer', regions: ['pref_lhasa'] },
      { role: 'expert', regions: ['pref_shigatse'] },
    ]);
    const list = await jsonOf(await api('/staff?limit=200'));
    assert.ok(list.items.some((m: { phone: string }) => m.phone === phone));
    assert.equal((await api(`/staff/${enc(phone)}`, { method: 'DELETE' })).status, 204);
    assert.equal((await api(`/staff/${enc(phone)}`)).status, 404);

    const audit = await jsonOf(await api('/audit?limit=50'));
    const mine = audit.items
      .filter((e: { target?: string }) => e.target === phone)
      .map((e: { action: string; actor: string; outcome: string }) => [e.action, e.actor, e.outcome]);
    assert.deepEqual(mine, [
      ['staff.remove', ADMIN, 'ok'],
      ['staff.update', ADMIN, 'ok'],
      ['staff.invite', ADMIN, 'ok'],
    ]);
  });

  test('an admin of a prefecture manages staff in its counties, and sees only them', async () => {
    const regional = '+8613900000103';
    await api('/staff', postJson({ phone: regional, grants: [{ role: 'admin', regions: ['pref_lhasa'] }] }));
    await api(
      '/staff',
      postJson({ phone: '+8613900000104', grants: [{ role: 'collector', regions: ['pref_shigatse'] }] }),
    );
    const { token } = await signIn(stack, regional);
    const res = await api(
      '/staff',
      postJson({ phone: '+8613900000105', grants: [{ role: 'collector', regions: ['cty_lhasa_lhunzhub'] }] }),
      token,
    );
    assert.equal(res.status, 201);
    const phones = (await jsonOf(await api('/staff?limit=200', {}, token))).items.map(
      (m: { phone: string }) => m.phone,
    );
    assert.ok(phones.includes('+8613900000105'));
    assert.ok(!phones.includes('+8613900000104'), 'staff in another prefecture stay out of sight');
  });
});

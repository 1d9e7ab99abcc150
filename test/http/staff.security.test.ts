import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { recentAudit } from '#core/staff/audit.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, bearer, from, nextHour, postJson, signIn } from '#test/support/staff.ts';

let stack: TestStack;
const tokens: Record<string, string> = {};
const COLLECTOR = '+8613900000301';
const LHASA_ADMIN = '+8613900000302';

beforeAll(async () => {
  stack = await startTestStack();
  tokens.admin = (await signIn(stack, ADMIN)).token;
  const send = from(stack);
  await send(
    '/api/v1/staff',
    bearer(tokens.admin, postJson({ phone: COLLECTOR, grants: [{ role: 'collector', regions: ['pref_lhasa'] }] })),
  );
  await send(
    '/api/v1/staff',
    bearer(tokens.admin, postJson({ phone: LHASA_ADMIN, grants: [{ role: 'admin', regions: ['pref_lhasa'] }] })),
  );
  tokens.collector = (await signIn(stack, COLLECTOR)).token;
  tokens.lhasa = (await signIn(stack, LHASA_ADMIN)).token;
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const api = (who: string, path: string, init: RequestInit = {}) =>
  from(stack)(`/api/v1${path}`, bearer(tokens[who]!, init));
const denials = async () =>
  (await recentAudit(stack.deps.audit, stack.deps.now(), 200, 30)).filter((e) => e.action === 'access.denied');

describe('staff administration (security)', () => {
  test('a collector reaching for staff management → 403 problem, and the attempt is logged', async () => {
    const before = (await denials()).length;
    const res = await api('collector', '/staff');
    assert.equal(res.status, 403);
    assert.equal((await jsonOf(res)).code, 'forbidden');
    const logged = await denials();
    assert.equal(logged.length, before + 1);
    assert.equal(logged[0]!.actor, COLLECTOR);
    assert.equal(logged[0]!.target, 'GET /api/v1/staff');
    assert.deepEqual(logged[0]!.detail, { permission: 'staff.manage' });
  });

  test('an admin of Lhasa cannot give roles in Shigatse, nor in every region; both refusals are logged', async () => {
    const before = (await denials()).length;
    const shigatse = await api(
      'lhasa',
      '/staff',
      postJson({ phone: '+8613900000303', grants: [{ role: 'collector', regions: ['pref_shigatse'] }] }),
    );
    assert.equal(shigatse.status, 403);
    const everywhere = await api(
      'lhasa',
      '/staff',
      postJson({ phone: '+8613900000303', grants: [{ role: 'admin', regions: ['*'] }] }),
    );
    assert.equal(everywhere.status, 403);
    const logged = await denials();
    assert.equal(logged.length, before + 2);
    assert.deepEqual(logged[1]!.regions, ['pref_shigatse']);
    assert.equal((await api('admin', '/staff/%2B8613900000303')).status, 404, 'nothing was created');
  });

  test('an admin of Lhasa cannot touch a member who also works elsewhere, nor read the audit log', async () => {
    await api(
      'admin',
      '/staff',
      postJson({ phone: '+8613900000304', grants: [{ role: 'expert', regions: ['pref_lhasa', 'pref_shigatse'] }] }),
    );
    assert.equal((await api('lhasa', '/staff/%2B8613900000304', { method: 'DELETE' })).status, 403);
    assert.equal(
      (await api('lhasa', '/staff/%2B8613900000304', { ...postJson({ grants: [] }), method: 'PUT' })).status,
      403,
    );
    assert.equal((await api('lhasa', '/audit')).status, 403);
    assert.equal((await api('admin', '/staff/%2B8613900000304')).status, 200, 'still there');
  });

  test('a member may not raise their own grants', async () => {
    const res = await api('collector', `/staff/${encodeURIComponent(COLLECTOR)}`, {
      ...postJson({ grants: [{ role: 'admin', regions: ['*'] }] }),
      method: 'PUT',
    });
    assert.equal(res.status, 403);
    assert.deepEqual((await jsonOf(await api('collector', '/me'))).roles, ['collector']);
  });
});

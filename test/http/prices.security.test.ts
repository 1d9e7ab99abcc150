import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { nextHour, postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let admin: string;
let lhasaCollector: string;
let shigatseCollector: string;
let shigatseReviewer: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  admin = staff.admin;
  lhasaCollector = await staff.member('+8613900000421', 'collector', ['pref_lhasa']);
  shigatseCollector = await staff.member('+8613900000422', 'collector', ['pref_shigatse']);
  shigatseReviewer = await staff.member('+8613900000423', 'reviewer', ['pref_shigatse']);
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const enc = encodeURIComponent;
const entry = (over: Record<string, unknown> = {}) => ({
  commodity: 'barley_qingke',
  market: 'mkt_lhasa_barkhor',
  date: day(stack, -1),
  price: '4.50',
  unit: 'jin',
  ...over,
});

async function forbidden(res: Response) {
  assert.equal(res.status, 403);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  assert.equal((await jsonOf(res)).code, 'forbidden');
}

describe('prices (security)', () => {
  test('submitting needs a signed-in staff member', async () => {
    const res = await stack.app.request('/api/v1/prices', postJson(entry()));
    assert.equal(res.status, 401);
  });

  test('a collector outside the market’s region gets a 403 problem, and it is audit-logged', async () => {
    await forbidden(await api('/prices', postJson(entry()), shigatseCollector));
    const audit = await jsonOf(await api('/audit?limit=50', {}, admin));
    assert.ok(
      audit.items.some(
        (e: { actor: string; action: string; outcome: string; target?: string }) =>
          e.actor === '+8613900000422' &&
          e.action === 'access.denied' &&
          e.outcome === 'denied' &&
          e.target === 'POST /api/v1/prices',
      ),
    );
  });

  test('a reviewer outside the region can neither approve nor list the queue; a collector cannot approve', async () => {
    const stored = await jsonOf(await api('/prices', postJson(entry({ commodity: 'wheat' })), lhasaCollector));
    assert.equal(stored.status, 'pending');
    // Outside the reviewer's regions: answered as if it did not exist (see the next test).
    assert.equal((await api(`/prices/${enc(stored.identity)}/approve`, postJson({}), shigatseReviewer)).status, 404);
    assert.equal(
      (await api(`/prices/${enc(stored.identity)}/reject`, postJson({ reason: 'no' }), shigatseReviewer)).status,
      404,
    );
    await forbidden(await api(`/prices/${enc(stored.identity)}/approve`, postJson({}), lhasaCollector));
    await forbidden(await api('/prices/pending?region=pref_lhasa', {}, shigatseReviewer));
    // still pending and still not public
    assert.deepEqual((await jsonOf(await api('/prices/latest?commodity=wheat'))).items, []);
  });

  test('approving or rejecting an entry in another region answers exactly as one that does not exist; the attempt is logged', async () => {
    const stored = await jsonOf(await api('/prices', postJson(entry({ commodity: 'potato' })), lhasaCollector));
    const missing = enc(stored.identity.replace('potato', 'radish'));
    const shape = async (res: Response) => {
      const body = await jsonOf(res);
      return {
        status: res.status,
        type: res.headers.get('content-type'),
        keys: Object.keys(body).sort(),
        code: body.code,
        title: body.title,
        detail: body.detail.replace(/“[^”]*”/u, '“…”'),
      };
    };
    for (const [action, body] of [
      ['approve', { version: stored.version }],
      ['reject', { reason: 'no', version: stored.version }],
    ] as const) {
      const foreign = await shape(
        await api(`/prices/${enc(stored.identity)}/${action}?lang=en`, postJson(body), shigatseReviewer),
      );
      const absent = await shape(await api(`/prices/${missing}/${action}?lang=en`, postJson(body), shigatseReviewer));
      assert.deepEqual(foreign, absent, action);
      assert.equal(foreign.status, 404);
      assert.equal(foreign.code, 'not_found');
    }
    const audit = await jsonOf(await api('/audit?limit=100', {}, admin));
    const refused = audit.items.filter(
      (e: { actor: string; action: string; target?: string }) =>
        e.actor === '+8613900000423' &&
        e.action === 'access.denied' &&
        /^POST \/api\/v1\/prices\/potato.*\/(approve|reject)$/.test(e.target ?? ''),
    );
    assert.equal(refused.length, 2, 'both foreign attempts are in the audit log');
    assert.equal(
      (await jsonOf(await api('/prices/pending?region=pref_lhasa', {}, admin))).items.find(
        (p: { identity: string }) => p.identity === stored.identity,
      )?.status,
      'pending',
    );
  });

  test('a collector cannot approve their own entry by submitting it again', async () => {
    const first = await jsonOf(await api('/prices', postJson(entry({ commodity: 'peas' })), lhasaCollector));
    const again = await jsonOf(
      await api('/prices', postJson(entry({ commodity: 'peas', price: '4.60' })), lhasaCollector),
    );
    assert.equal(first.status, 'pending');
    assert.equal(again.status, 'pending');
  });
});

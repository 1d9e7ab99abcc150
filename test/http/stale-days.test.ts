/** Per-commodity stale days: an admin sets them; the API, and SMS PRICE, mark old prices by them. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { freshNumber, replyTo, smsText } from '#test/support/dev-sms.ts';
import { jsonOf } from '#test/support/json.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let reviewer: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  reviewer = await staff.member('+8613900000481', 'reviewer', ['pref_lhasa']);
  // A price ten days old: current under the default 14 days.
  const res = await api(
    '/prices',
    postJson({
      commodity: 'barley_qingke',
      market: 'mkt_lhasa_barkhor',
      date: day(stack, -10),
      price: '4.50',
      unit: 'jin',
    }),
    reviewer,
  );
  assert.equal(res.status, 201);
});
afterAll(() => stack.close());

const put = (body: unknown): RequestInit => ({ ...postJson(body), method: 'PUT' });
const latestStale = async () => (await jsonOf(await api('/prices/latest?commodity=barley_qingke'))).items[0].stale;

describe('stale days per commodity', () => {
  test('an admin sets 7 days: a 10-day-old price is old in the API and in the SMS reply; null restores 14', async () => {
    assert.equal(await latestStale(), false);
    const res = await api('/commodities/barley_qingke/stale-days', put({ staleDays: 7 }));
    assert.equal(res.status, 200);
    assert.equal((await jsonOf(res)).staleDays, 7);
    assert.equal((await jsonOf(await api('/commodities/barley_qingke'))).staleDays, 7);
    assert.equal(await latestStale(), true);

    const reply = await replyTo(stack, freshNumber(), 'PRICE 青稞');
    assert.ok(reply.text.includes(smsText('zh', 'price.old')), reply.text);

    assert.equal((await api('/commodities/barley_qingke/stale-days', put({ staleDays: null }))).status, 200);
    assert.equal((await jsonOf(await api('/commodities/barley_qingke'))).staleDays, undefined);
    assert.equal(await latestStale(), false);
  });

  test('a later seed keeps the edit', async () => {
    assert.equal((await api('/commodities/barley_qingke/stale-days', put({ staleDays: 30 }))).status, 200);
    const { referenceSeed } = await import('#core/reference/seed.ts');
    await stack.deps.reference.seed(referenceSeed());
    assert.equal((await jsonOf(await api('/commodities/barley_qingke'))).staleDays, 30);
  });

  test('bad input and other roles change nothing: 400, 404, 401, 403 (logged)', async () => {
    for (const staleDays of [0, 400, 2.5, 'seven']) {
      assert.equal(
        (await api('/commodities/barley_qingke/stale-days', put({ staleDays }))).status,
        400,
        String(staleDays),
      );
    }
    assert.equal((await api('/commodities/no_such_thing/stale-days', put({ staleDays: 5 }))).status, 404);
    assert.equal(
      (await stack.app.request('/api/v1/commodities/barley_qingke/stale-days', put({ staleDays: 5 }))).status,
      401,
    );
    const denied = await api('/commodities/barley_qingke/stale-days', put({ staleDays: 5 }), reviewer);
    assert.equal(denied.status, 403);
    assert.equal((await jsonOf(await api('/commodities/barley_qingke'))).staleDays, 30);
    const audit = await jsonOf(await api('/audit'));
    assert.ok(
      audit.items.some(
        (e: { action: string; detail?: { permission?: string } }) =>
          e.action === 'access.denied' && e.detail?.permission === 'reference.edit',
      ),
    );
  });
});

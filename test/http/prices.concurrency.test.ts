/**
 * Twenty simultaneous reviewer corrections of one approved price through the real app on
 * dynalite: every 201 is a value that is kept — the approved value or a
 * revision — and every other answer is a translated 409; the latest price and the history end
 * on the final value; sending the approved value again writes no revision and no version.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
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
  reviewer = await staff.member('+8613900000431', 'reviewer', ['pref_lhasa']);
});
afterAll(() => stack.close());

describe('simultaneous corrections (API)', () => {
  test('20 corrections at once: each 201 is kept as the value or a revision, the rest are 409 problems', async () => {
    const item = {
      commodity: '青稞',
      market: 'mkt_lhasa_dongga',
      date: day(stack, -2),
      unit: 'jin',
      kind: 'wholesale',
    };
    const first = await api('/prices', postJson({ ...item, price: '4.00' }), reviewer);
    assert.equal(first.status, 201);
    const { identity } = await jsonOf(first);
    const prices = Array.from({ length: 20 }, (_, i) => (4.01 + i / 100).toFixed(2));
    const answers = await Promise.all(
      prices.map((price) => api('/prices?lang=en', postJson({ ...item, price }), reviewer)),
    );
    const acknowledged: string[] = [];
    for (const res of answers) {
      const body = await jsonOf(res);
      if (res.status === 201) {
        assert.equal(body.status, 'approved');
        acknowledged.push(body.price);
      } else {
        assert.equal(res.status, 409, JSON.stringify(body));
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(body.code, 'conflict');
        assert.equal(body.title, 'Conflict', 'in the language asked for');
      }
    }
    assert.ok(acknowledged.length >= 1);

    const [commodityId, marketId, date, kind, , unit] = identity.split('|').map(decodeURIComponent);
    const revisions = await stack.deps.prices.revisions({ commodityId, marketId, date, kind, unit });
    const history = await jsonOf(
      await api(
        `/prices?commodity=barley_qingke&market=mkt_lhasa_dongga&kind=wholesale&unit=jin&from=${item.date}&to=${item.date}`,
      ),
    );
    assert.equal(history.items.length, 1);
    const final = history.items[0].price as string;
    const kept = [...revisions.map((r) => (r.priceFen / 100).toFixed(2)), final];
    for (const price of acknowledged)
      assert.ok(kept.includes(price), `acknowledged ${price} is kept (kept: ${kept.join(', ')})`);
    assert.deepEqual([...kept].sort(), ['4.00', ...acknowledged].sort(), 'exactly the acknowledged values, each once');
    const latest = await jsonOf(await api('/prices/latest?commodity=barley_qingke'));
    const row = latest.items.find(
      (i: { marketId: string; kind: string }) => i.marketId === 'mkt_lhasa_dongga' && i.kind === 'wholesale',
    );
    assert.equal(row.price, final, 'the latest price is the final value');
  });

  test('the approved value sent again: 201 with the same version, no revision', async () => {
    const item = { commodity: 'wheat', market: 'mkt_lhasa_dongga', date: day(stack, -3), unit: 'kg', price: '3.20' };
    const first = await jsonOf(await api('/prices', postJson(item), reviewer));
    const again = await api('/prices', postJson({ ...item, price: '3.2' }), reviewer);
    assert.equal(again.status, 201);
    const body = await jsonOf(again);
    assert.equal(body.version, first.version);
    assert.equal(body.status, 'approved');
    const [commodityId, marketId, date, kind, , unit] = first.identity.split('|').map(decodeURIComponent);
    assert.deepEqual(await stack.deps.prices.revisions({ commodityId, marketId, date, kind, unit }), []);
    const history = await jsonOf(
      await api(`/prices?commodity=wheat&market=mkt_lhasa_dongga&unit=kg&from=${item.date}`),
    );
    assert.deepEqual(
      history.items.map((i: { price: string }) => i.price),
      ['3.20'],
    );
    // (The public rows carry no version: the stored value's own stayed 1.)
    const stored = await stack.deps.prices.history(
      commodityId!,
      marketId!,
      { kind: kind as 'retail', unit: unit! },
      { limit: 10, from: item.date },
    );
    assert.deepEqual(
      stored.items.map((i) => [i.priceFen, i.version]),
      [[320, 1]],
    );
  });
});

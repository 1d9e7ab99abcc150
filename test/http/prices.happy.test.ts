import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { advanceClock, nextHour, postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let collector: string;
let reviewer: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  collector = await staff.member('+8613900000401', 'collector', ['pref_lhasa']);
  reviewer = await staff.member('+8613900000402', 'reviewer', ['pref_lhasa']);
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const enc = encodeURIComponent;
const entry = (over: Record<string, unknown> = {}) => ({
  commodity: '青稞',
  market: 'mkt_lhasa_barkhor',
  date: day(stack, -1),
  price: '4.5',
  unit: 'jin',
  ...over,
});

describe('prices (happy path)', () => {
  test('a collector submits in their region: pending, not public; a reviewer approves: it is the latest price', async () => {
    const res = await api('/prices', postJson(entry()), collector);
    assert.equal(res.status, 201);
    const stored = await jsonOf(res);
    assert.equal(stored.status, 'pending');
    assert.equal(stored.commodityId, 'barley_qingke');
    assert.equal(stored.price, '4.50');
    assert.equal(stored.priceFen, 450);
    assert.equal(stored.kind, 'retail');

    const before = await jsonOf(await api('/prices/latest?commodity=barley_qingke'));
    assert.deepEqual(before.items, []);
    const pending = await jsonOf(await api('/prices/pending?region=pref_lhasa', {}, reviewer));
    assert.ok(pending.items.some((p: { identity: string }) => p.identity === stored.identity));

    const approved = await api(`/prices/${enc(stored.identity)}/approve`, postJson({}), reviewer);
    assert.equal(approved.status, 200);
    assert.equal((await jsonOf(approved)).status, 'approved');

    const latest = await jsonOf(await api(`/prices/latest?commodity=${enc('青稞')}&region=pref_lhasa`));
    assert.equal(latest.commodityId, 'barley_qingke');
    assert.deepEqual(
      latest.items.map((i: Record<string, unknown>) => [i.marketId, i.price, i.priceFen, i.unit, i.date, i.stale]),
      [['mkt_lhasa_barkhor', '4.50', 450, 'jin', day(stack, -1), false]],
    );
    const elsewhere = await jsonOf(await api('/prices/latest?commodity=barley_qingke&region=pref_shigatse'));
    assert.deepEqual(elsewhere.items, []);

    const history = await jsonOf(
      await api(`/prices?commodity=barley_qingke&market=mkt_lhasa_barkhor&from=${day(stack, -30)}`),
    );
    assert.deepEqual(
      history.items.map((i: { price: string }) => i.price),
      ['4.50'],
    );
  });

  test('a reviewer entry is approved at once; an old one is marked stale', async () => {
    const res = await api(
      '/prices',
      postJson(entry({ commodity: 'wheat', date: day(stack, -20), price: '3.20' })),
      reviewer,
    );
    assert.equal(res.status, 201);
    assert.equal((await jsonOf(res)).status, 'approved');
    const latest = await jsonOf(await api('/prices/latest?commodity=wheat'));
    assert.deepEqual(
      latest.items.map((i: { price: string; stale: boolean }) => [i.price, i.stale]),
      [['3.20', true]],
    );
  });

  test('resubmitting the same identity replaces the pending value', async () => {
    const first = await jsonOf(await api('/prices', postJson(entry({ commodity: 'peas', price: '6' })), collector));
    const second = await jsonOf(await api('/prices', postJson(entry({ commodity: 'peas', price: '6.40' })), collector));
    assert.equal(second.identity, first.identity);
    assert.equal(second.version, first.version + 1);
    const pending = await jsonOf(await api('/prices/pending?region=pref_lhasa', {}, reviewer));
    const mine = pending.items.filter((p: { identity: string }) => p.identity === first.identity);
    assert.deepEqual(
      mine.map((p: { price: string; status: string }) => [p.price, p.status]),
      [['6.40', 'pending']],
    );
  });

  test('a price over 10× the recent median is held for review with the reason, even from a reviewer', async () => {
    for (const [d, price] of [
      [-5, '5.00'],
      [-4, '5.20'],
      [-3, '4.80'],
    ] as const) {
      assert.equal(
        (
          await api(
            '/prices',
            postJson(entry({ commodity: 'barley_qingke', market: 'mkt_lhasa_dongga', date: day(stack, d), price })),
            reviewer,
          )
        ).status,
        201,
      );
    }
    const res = await api(
      '/prices',
      postJson(entry({ commodity: 'barley_qingke', market: 'mkt_lhasa_dongga', date: day(stack, -2), price: '500' })),
      reviewer,
    );
    assert.equal(res.status, 201);
    const held = await jsonOf(res);
    assert.equal(held.status, 'pending');
    assert.match(held.holdReason, /10× the recent median 5\.00/);
    assert.match(
      held.holdNote,
      /^ཞིབ་བཤེར་སྒུག་བཞིན་པ། .*5\.00/u,
      'the hold reason in the request language (bo by default)',
    );
    const pending = await jsonOf(await api('/prices/pending?region=cty_lhasa_doilungdeqen', {}, reviewer));
    assert.ok(
      pending.items.some(
        (p: { identity: string; holdReason?: string }) => p.identity === held.identity && p.holdReason,
      ),
    );

    const rejected = await api(`/prices/${enc(held.identity)}/reject`, postJson({ reason: 'typing slip' }), reviewer);
    assert.equal(rejected.status, 200);
    assert.equal((await jsonOf(rejected)).rejectReason, 'typing slip');
  });

  test("a reviewer's correction of an approved price that looks absurd waits for review; the approved value stays public until then", async () => {
    const item = { commodity: 'butter', market: 'mkt_lhasa_dongga', date: day(stack, -3), unit: 'kg' };
    assert.equal((await api('/prices', postJson(entry({ ...item, price: '45.00' })), reviewer)).status, 201);
    const res = await api('/prices', postJson(entry({ ...item, price: '4500' })), reviewer);
    assert.equal(res.status, 201);
    const held = await jsonOf(res);
    assert.equal(held.status, 'pending');
    assert.ok(held.holdReason);
    const latest = async () =>
      (await jsonOf(await api('/prices/latest?commodity=butter'))).items.find(
        (i: { marketId: string }) => i.marketId === 'mkt_lhasa_dongga',
      ).price;
    assert.equal(await latest(), '45.00', 'still the approved value');

    assert.equal(
      (await api(`/prices/${enc(held.identity)}/approve`, postJson({ version: held.version }), reviewer)).status,
      200,
    );
    assert.equal(await latest(), '4500.00', 'the correction, once approved');
    const [commodityId, marketId, date, kind, , unit] = held.identity.split('|').map(decodeURIComponent);
    const revisions = await stack.deps.prices.revisions({ commodityId, marketId, date, kind, unit });
    assert.deepEqual(
      revisions.map((r) => r.priceFen),
      [4500],
      'the replaced value is kept',
    );
  });

  test('a collector still cannot change an approved price (409)', async () => {
    // Not butter: the test above left an approved butter price of 4500.00, which makes 45.00 elsewhere look absurd.
    const item = { commodity: 'mutton', market: 'mkt_lhasa_barkhor', date: day(stack, -3), unit: 'kg' };
    assert.equal((await api('/prices', postJson(entry({ ...item, price: '45.00' })), reviewer)).status, 201);
    assert.equal((await api('/prices', postJson(entry({ ...item, price: '46.00' })), collector)).status, 409);
  });

  test('the queue of a prefecture pages across its counties, oldest first, each entry once', async () => {
    const markets = ['mkt_lhasa_barkhor', 'mkt_lhasa_dongga'];
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) {
      advanceClock(stack, 60);
      const res = await api(
        '/prices',
        postJson(entry({ commodity: 'potato', market: markets[i % 2], date: day(stack, -1 - i), price: '2.00' })),
        collector,
      );
      mine.push((await jsonOf(res)).identity);
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await jsonOf(
        await api(
          `/prices/pending?region=pref_lhasa&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
          {},
          reviewer,
        ),
      );
      assert.ok(page.items.length <= 3);
      seen.push(...page.items.map((p: { identity: string }) => p.identity));
      cursor = page.cursor;
      pages += 1;
    } while (cursor && pages < 20);
    const potatoes = seen.filter((id) => mine.includes(id));
    assert.deepEqual(potatoes, mine, 'every entry once, in the order submitted');
    assert.equal(new Set(seen).size, seen.length, 'no entry on two pages');
    assert.equal(
      (await api('/prices/pending?region=pref_lhasa&cursor=bm90LW91cnM', {}, reviewer)).status,
      400,
      'a cursor not ours',
    );
  });
});

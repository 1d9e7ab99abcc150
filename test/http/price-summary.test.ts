/**
 * GET /api/v1/prices/summary on the real app and dynalite, with prices entered through the
 * real POST /prices (an admin's entries are approved at once).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { addDays, oneYearBefore } from '#core/dates.ts';
import { jsonOf } from '#test/support/json.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
/** The bulletin date (yesterday on the stack's clock) and the previous week. */
let d: string;
let week: string;

beforeAll(async () => {
  stack = await startTestStack();
  ({ api } = await priceStaff(stack));
  d = day(stack, -1);
  week = addDays(d, -7);
  const put = async (commodity: string, date: string, price: string, unit = 'jin') => {
    const res = await api('/prices', postJson({ commodity, market: 'mkt_lhasa_dongga', date, price, unit }));
    assert.equal(res.status, 201, await res.clone().text());
    assert.equal((await jsonOf(res)).status, 'approved');
  };
  await put('barley_qingke', addDays(oneYearBefore(d), 3), '4.00'); // a year ago, 3 days off
  await put('barley_qingke', addDays(oneYearBefore(d), 12), '3.00'); // outside ±7 days: never "a year ago"
  await put('barley_qingke', week, '4.40');
  await put('barley_qingke', d, '4.50'); // +2.27% on the week, +12.50% on the year
  await put('wheat', week, '3.00');
  await put('wheat', d, '2.70'); // −10.00%
  await put('butter', week, '1000.00');
  await put('butter', d, '1000.04'); // +0.004% rounds to 0.00%: flat
  await put('potato', d, '1.20'); // nothing to compare with
  await put('barley_qingke', d, '9.99', 'kg'); // another item of the same commodity (other unit)
  await api(
    '/prices',
    postJson({ commodity: 'wheat', market: 'mkt_lhasa_barkhor', date: d, price: '5.00', unit: 'jin' }),
  ); // another market
});
afterAll(() => stack.close());

const summary = (query: string, headers: Record<string, string> = {}) => api(`/prices/summary?${query}`, { headers });
type Item = { commodity: string; price: string; compared: string | null; changePct: number | null; unit: string };

describe('GET /api/v1/prices/summary', () => {
  test('compare=previous: exact shape, counts, and each item against its previous period', async () => {
    const res = await summary(`market=mkt_lhasa_dongga&date=${d}`);
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    assert.deepEqual(Object.keys(body), ['up', 'down', 'flat', 'items', 'market', 'date', 'compare']);
    assert.deepEqual([body.up, body.down, body.flat], [1, 1, 1]);
    assert.equal(body.date, d);
    assert.equal(body.compare, 'previous');
    assert.equal(body.market.id, 'mkt_lhasa_dongga');
    for (const item of body.items)
      assert.deepEqual(Object.keys(item).slice(0, 4), ['commodity', 'price', 'compared', 'changePct']);
    // Grain first, then vegetables, then livestock products (the bureaus' order).
    assert.deepEqual(
      body.items.map((i: Item) => [i.commodity, i.unit, i.price, i.compared, i.changePct]),
      [
        ['barley_qingke', 'jin', '4.50', '4.40', 2.27],
        ['barley_qingke', 'kg', '9.99', null, null],
        ['wheat', 'jin', '2.70', '3.00', -10],
        ['potato', 'jin', '1.20', null, null],
        ['butter', 'jin', '1000.04', '1000.00', 0],
      ],
    );
    assert.equal(body.items[0].comparedDate, week);
    assert.equal(body.items[0].kind, 'retail');
    assert.equal(body.items[0].names.zh, '青稞');
  });

  test('compare=year: the value nearest to a year before, within ±7 days', async () => {
    const body = await jsonOf(await summary(`market=mkt_lhasa_dongga&date=${d}&compare=year`));
    assert.equal(body.compare, 'year');
    assert.deepEqual([body.up, body.down, body.flat], [1, 0, 0]);
    const barley = body.items.find((i: Item) => i.commodity === 'barley_qingke' && i.unit === 'jin');
    assert.deepEqual(
      [barley.compared, barley.changePct, barley.comparedDate],
      ['4.00', 12.5, addDays(oneYearBefore(d), 3)],
    );
    assert.ok(
      body.items.filter((i: Item) => i !== barley).every((i: Item) => i.compared === null && i.changePct === null),
    );
  });

  test("without a date: the market's latest date; the market by any of its names", async () => {
    const body = await jsonOf(await summary(`market=${encodeURIComponent('东嘎批发市场')}`));
    assert.equal(body.market.id, 'mkt_lhasa_dongga');
    assert.equal(body.date, d);
    assert.equal(body.items.length, 5);
    const earlier = await jsonOf(await summary(`market=mkt_lhasa_dongga&date=${week}`));
    assert.deepEqual(
      earlier.items.map((i: Item) => [i.commodity, i.price, i.compared]),
      [
        ['barley_qingke', '4.40', '3.00'],
        ['wheat', '3.00', null],
        ['butter', '1000.00', null],
      ],
      'the previous period is the latest earlier value, however old',
    );
    assert.deepEqual([earlier.up, earlier.down, earlier.flat], [1, 0, 0]);
  });

  test('a market with no prices: empty counts and a null date', async () => {
    const body = await jsonOf(await summary('market=mkt_sichuan_kangding'));
    assert.deepEqual(body, {
      up: 0,
      down: 0,
      flat: 0,
      items: [],
      market: body.market,
      date: null,
      compare: 'previous',
    });
  });

  test('unknown market: 400 with the closest names, in Chinese and Tibetan', async () => {
    const zh = await summary('market=Dongaa', { 'Accept-Language': 'zh' });
    assert.equal(zh.status, 400);
    assert.match(zh.headers.get('content-type') ?? '', /problem\+json/);
    const zhBody = await jsonOf(zh);
    assert.equal(zhBody.code, 'validation_failed');
    assert.match(zhBody.errors[0].message, /^未知市场“Dongaa”。您是否要找：.*mkt_lhasa_dongga/u);
    const bo = await jsonOf(await summary('market=Nowhere%20Bazaar&lang=bo'));
    assert.match(bo.errors[0].message, /^ཚོང་ར “Nowhere Bazaar” ངོས་མ་ཟིན།/u);
  });

  test('a future date, a date before 2000, or no calendar date: 400, translated', async () => {
    const future = await summary(`market=mkt_lhasa_dongga&date=${day(stack, 2)}`, { 'Accept-Language': 'zh' });
    assert.equal(future.status, 400);
    assert.match((await jsonOf(future)).errors[0].message, /^日期 \d{4}-\d{2}-\d{2} 在未来/u);
    const early = await summary('market=mkt_lhasa_dongga&date=1999-12-31&lang=bo');
    assert.equal(early.status, 400);
    assert.match((await jsonOf(early)).errors[0].message, /^ཟླ་ཚེས 1999-12-31 སྔ་དྲགས་འདུག/u);
    for (const bad of ['2025-02-29', '2025-1-1', 'today']) {
      assert.equal((await summary(`market=mkt_lhasa_dongga&date=${bad}`)).status, 400, bad);
    }
    assert.equal((await summary('market=mkt_lhasa_dongga&compare=month')).status, 400);
    assert.equal((await summary('')).status, 400, 'market is required');
  });

  test('described in the OpenAPI document', async () => {
    const doc = await jsonOf(await api('/openapi.json'));
    const op = doc.paths['/prices/summary'].get;
    assert.deepEqual(op.parameters.map((p: { name: string }) => p.name).slice(0, 4), [
      'market',
      'region',
      'date',
      'compare',
    ]);
    assert.deepEqual(doc.components.schemas.PriceSummary.required.slice(0, 4), ['up', 'down', 'flat', 'items']);
  });
});

import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { nextHour, postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let collector: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  collector = await staff.member('+8613900000411', 'collector', ['pref_lhasa']);
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const entry = (over: Record<string, unknown> = {}) => ({
  commodity: 'barley_qingke',
  market: 'mkt_lhasa_barkhor',
  date: day(stack, -1),
  price: '4.50',
  unit: 'jin',
  ...over,
});

async function problemOf(res: Response, status: number) {
  assert.equal(res.status, status);
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  return jsonOf(res);
}

describe('prices (bad input)', () => {
  test('an unknown commodity is a 400 naming the closest names', async () => {
    const body = await problemOf(await api('/prices', postJson(entry({ commodity: '青棵' })), collector), 400);
    assert.equal(body.code, 'validation_failed');
    const err = body.errors.find((e: { path: string }) => e.path === 'commodity');
    assert.match(err.message, /青稞/);
    assert.match(err.message, /ཡིན་ནམ།$/, 'shown in the default language, Tibetan');
    const en = await problemOf(await api('/prices?lang=en', postJson(entry({ commodity: '青棵' })), collector), 400);
    assert.match(en.errors[0].message, /Did you mean: .*青稞/);
    assert.equal(en.errors[0].key, undefined, 'the message key is not sent');
  });

  test('an unknown market is a 400 too, and latest prices of an unknown commodity as well', async () => {
    const body = await problemOf(
      await api('/prices', postJson(entry({ market: 'Barkhor markit street' })), collector),
      400,
    );
    assert.ok(body.errors.some((e: { path: string }) => e.path === 'market'));
    await problemOf(await api('/prices/latest?commodity=nothing_like_it'), 400);
  });

  for (const [label, over, path] of [
    ['zero', { price: '0' }, 'price'],
    ['negative', { price: '-4.50' }, 'price'],
    ['not a number', { price: 'cheap' }, 'price'],
    ['future date', { date: '2999-01-01' }, 'date'],
    ['date before 2000', { date: '1999-12-31' }, 'date'],
    ['impossible date', { date: '2025-02-29' }, 'date'],
    ['unknown unit', { unit: 'bushel' }, 'unit'],
  ] as const) {
    test(`${label} → 400 on ${path}`, async () => {
      const body = await problemOf(await api('/prices', postJson(entry(over)), collector), 400);
      assert.equal(body.code, 'validation_failed');
      assert.ok(
        body.errors.some((e: { path: string }) => e.path === path),
        JSON.stringify(body.errors),
      );
      assert.ok(body.title);
    });
  }

  test('the future-date message says which dates are allowed; the title is translated', async () => {
    const body = await problemOf(
      await api('/prices?lang=zh', postJson(entry({ date: day(stack, 2) })), collector),
      400,
    );
    assert.match(body.errors[0].message, /在未来（允许 2000-01-01 … \d{4}-\d{2}-\d{2}）/);
    const en = await problemOf(await api('/prices?lang=en', postJson(entry({ date: day(stack, 2) })), collector), 400);
    assert.match(en.errors[0].message, /future .*2000-01-01/);
    const zh = await problemOf(await api('/prices/latest?commodity=nothing_like_it&lang=zh'), 400);
    assert.notEqual(zh.title, 'Invalid input');
  });

  test('a reject needs a reason; an unknown identity is 404', async () => {
    await problemOf(await api('/prices/x%7Cy/reject', postJson({ reason: '' })), 400);
    await problemOf(
      await api(
        `/prices/${encodeURIComponent('barley_qingke|mkt_lhasa_barkhor|2020-01-01|retail||jin')}/approve`,
        postJson({}),
      ),
      404,
    );
  });
});

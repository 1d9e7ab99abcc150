import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { shanghaiDay } from '#core/dates.ts';
import { jsonOf } from '#test/support/json.ts';
import { csvText, postCsv } from '#test/support/price-import.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { from, nextHour, ORIGIN, signIn } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let admin: string;
let collector: string;
let reviewer: string;
let editor: string;
const COLLECTOR = '+8613900000701';
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  ({ api, admin } = staff);
  collector = await staff.member(COLLECTOR, 'collector', ['pref_lhasa']);
  reviewer = await staff.member('+8613900000702', 'reviewer', ['pref_lhasa']);
  editor = await staff.member('+8613900000703', 'editor', ['*']);
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const header = '品名,市场,日期,本期价格,单位';
const lhasaAndShigatse = () =>
  csvText(header, `青稞,八廓街,${day(stack, -1)},4.50,斤`, `青稞,吉隆口岸,${day(stack, -1)},4.80,斤`);
const written = async () => {
  const read = async (market: string) =>
    (await jsonOf(await api(`/prices?commodity=barley_qingke&market=${market}&from=2000-01-01`))).items.length;
  const pending = (await jsonOf(await api('/prices/pending?region=*', {}, admin))).items.length;
  return (await read('mkt_lhasa_barkhor')) + (await read('mkt_shigatse_gyirong_port')) + pending;
};

describe('POST /api/v1/prices/import (security)', () => {
  test('without a session: 401, nothing written', async () => {
    const res = await stack.app.request('/api/v1/prices/import', {
      method: 'POST',
      headers: { 'Content-Type': 'text/csv' },
      body: lhasaAndShigatse(),
    });
    assert.equal(res.status, 401);
    assert.equal((await jsonOf(res)).code, 'unauthorized');
    assert.equal(await written(), 0);
  });

  test('a collector with one row outside their region: 403 for the whole file, logged, nothing written (a dry run too)', async () => {
    for (const query of [{}, { dryRun: 'true' }] as Record<string, string>[]) {
      const res = await postCsv(api, lhasaAndShigatse(), collector, query);
      assert.equal(res.status, 403);
      assert.equal((await jsonOf(res)).code, 'forbidden');
    }
    assert.equal(await written(), 0);
    const audit = await jsonOf(await api(`/audit?day=${shanghaiDay(stack.deps.now())}`, {}, admin));
    const denied = audit.items.filter(
      (e: { action: string; actor: string }) => e.action === 'access.denied' && e.actor === COLLECTOR,
    );
    assert.equal(denied.length, 2);
    assert.equal(denied[0].target, 'POST /api/v1/prices/import');
    assert.deepEqual(denied[0].regions, ['cty_shigatse_gyirong']);
    assert.equal(denied[0].detail.permission, 'price.submit');
  });

  test('a reviewer outside their region, or staff without a price role: 403, nothing written', async () => {
    assert.equal((await postCsv(api, lhasaAndShigatse(), reviewer)).status, 403);
    assert.equal((await postCsv(api, csvText(header, `青稞,八廓街,${day(stack, -1)},4.50,斤`), editor)).status, 403);
    assert.equal(await written(), 0);
    // Inside the region the same reviewer may.
    assert.equal((await postCsv(api, csvText(header, `青稞,八廓街,${day(stack, -1)},4.50,斤`), reviewer)).status, 201);
  });

  test('with a browser session cookie, a cross-site form upload is refused (CSRF); the same upload from our origin works', async () => {
    const { cookie } = await signIn(stack, '+8613900000702');
    const send = from(stack);
    const upload = (origin: string, type: 'multipart' | 'text/plain') => {
      const body = csvText(header, `小麦,八廓街,${day(stack, -1)},3.00,斤`);
      const init: RequestInit =
        type === 'multipart'
          ? {
              method: 'POST',
              body: (() => {
                const f = new FormData();
                f.append('file', new Blob([body]), 'p.csv');
                return f;
              })(),
            }
          : { method: 'POST', body, headers: { 'Content-Type': 'text/plain' } };
      const headers = new Headers(init.headers);
      headers.set('Cookie', cookie);
      headers.set('Origin', origin);
      return send(`${ORIGIN}/api/v1/prices/import`, { ...init, headers });
    };
    for (const type of ['multipart', 'text/plain'] as const) {
      const forged = await upload('https://evil.example', type);
      assert.equal(forged.status, 403, type);
      assert.equal((await jsonOf(forged)).code, 'csrf_failed');
    }
    const history = async () =>
      (await jsonOf(await api(`/prices?commodity=wheat&market=mkt_lhasa_barkhor&from=2000-01-01`))).items.length;
    assert.equal(await history(), 0);
    assert.equal((await upload(ORIGIN, 'multipart')).status, 201);
    assert.equal(await history(), 1);
  });
});

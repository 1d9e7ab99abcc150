/**
 * Impossible calendar dates: 2026-13-01 and 2026-02-30 are a translated 400
 * wherever a date is taken — POST /prices, the history and CSV export bounds, the bulletin's
 * date (API and page), the entry form — by the one calendar check.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { fieldError, staffBrowser } from '#test/support/price-web.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let collector: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  collector = await staff.member('+8613900000461', 'collector', ['pref_lhasa']);
});
afterAll(() => stack.close());

const IMPOSSIBLE = ['2026-13-01', '2026-02-30', '2025-00-10', '2025-04-31'];

/** A 400 problem whose errors name `path`, in Chinese (?lang=zh). */
async function refusedOn(res: Response, path: string) {
  const body = await jsonOf(res);
  assert.equal(res.status, 400, JSON.stringify(body));
  assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
  const err = body.errors.find((e: { path: string }) => e.path === path);
  assert.ok(err, JSON.stringify(body.errors));
  assert.match(err.message, /不是日期（YYYY-MM-DD）/u, 'translated');
}

describe('impossible calendar dates', () => {
  for (const date of IMPOSSIBLE) {
    test(`${date}: 400 on every API that takes a date`, async () => {
      const item = 'commodity=barley_qingke&market=mkt_lhasa_dongga';
      await refusedOn(await api(`/prices?${item}&from=${date}&lang=zh`), 'from');
      await refusedOn(await api(`/prices?${item}&to=${date}&lang=zh`), 'to');
      await refusedOn(await api(`/prices.csv?${item}&from=${date}&lang=zh`), 'from');
      await refusedOn(await api(`/prices.csv?${item}&to=${date}&lang=zh`), 'to');
      await refusedOn(await api(`/prices/summary?market=mkt_lhasa_dongga&date=${date}&lang=zh`), 'date');
      await refusedOn(
        await api(
          '/prices?lang=zh',
          postJson({ commodity: 'barley_qingke', market: 'mkt_lhasa_dongga', date, price: '4.50', unit: 'jin' }),
          collector,
        ),
        'date',
      );
      const page = await stack.app.request(`/prices/bulletin?market=mkt_lhasa_dongga&date=${date}&lang=zh`);
      assert.equal(page.status, 400);
      assert.match(await page.text(), /不是日期/u);
    });
  }

  test('a real date still works, and both bounds are checked at once', async () => {
    assert.equal(
      (await api(`/prices?commodity=barley_qingke&market=mkt_lhasa_dongga&from=2024-02-29&to=${day(stack)}`)).status,
      200,
    );
    const both = await jsonOf(
      await api('/prices?commodity=barley_qingke&market=mkt_lhasa_dongga&from=2026-13-01&to=2026-02-30&lang=en'),
    );
    assert.deepEqual(
      both.errors.map((e: { path: string; message: string }) => [e.path, e.message]),
      [
        ['from', '“2026-13-01” is not a date (YYYY-MM-DD).'],
        ['to', '“2026-02-30” is not a date (YYYY-MM-DD).'],
      ],
    );
  });

  test('the entry form: the date comes back with the error beside it, nothing stored', async () => {
    const browser = await staffBrowser(stack, '+8613900000462', [{ role: 'collector', regions: ['pref_lhasa'] }]);
    const page = await (await browser.get('/staff/prices/new?lang=en')).text();
    const res = await browser.post('/staff/prices/new?lang=en', page, {
      commodity: 'wheat',
      commodityText: '',
      market: 'mkt_lhasa_barkhor',
      date: '2026-02-30',
      price: '3.00',
      unit: 'jin',
      grade: '',
      kind: 'retail',
    });
    assert.equal(res.status, 400);
    assert.equal(fieldError(await res.text(), 'date'), '“2026-02-30” is not a date (YYYY-MM-DD).');
    assert.equal(
      await stack.deps.prices.getSubmission({
        commodityId: 'wheat',
        marketId: 'mkt_lhasa_barkhor',
        date: '2026-02-30',
        unit: 'jin',
      }),
      undefined,
    );
  });
});

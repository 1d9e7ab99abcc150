/**
 * Open data: GET /api/v1/prices and /prices.csv without a market (every market's approved
 * prices of a commodity), without a commodity too (everything, paged / streamed), each row with
 * market, kind, grade and unit and no phone number; and the region bulletin
 * GET /prices/summary?region=.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { csvText, postCsv } from '#test/support/price-import.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { from, postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let admin: string;
let collector: string;
const HEADER = 'commodity,market,date,price,unit,grade,kind,source';
type Row = {
  commodityId: string;
  marketId: string;
  date: string;
  price: string;
  unit: string;
  grade?: string;
  kind: string;
};
const line = (r: Row) => [r.commodityId, r.marketId, r.date, r.price, r.unit, r.grade ?? '', r.kind].join(' ');

beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  ({ api, admin } = staff);
  collector = await staff.member('+8613900000601', 'collector', ['pref_lhasa']);
  const d = (n: number) => day(stack, -n);
  const imported = await postCsv(
    api,
    csvText(
      HEADER,
      `butter,mkt_lhasa_barkhor,${d(3)},30.00,jin,一级,retail,bureau`,
      `butter,mkt_lhasa_barkhor,${d(2)},31.00,jin,一级,retail,bureau`,
      `butter,mkt_lhasa_dongga,${d(2)},28.00,kg,,wholesale,bureau`,
      `butter,mkt_shigatse_gyirong_port,${d(2)},33.00,jin,,retail,bureau`,
      `butter,mkt_lhasa_dongga,${d(40)},25.00,kg,,wholesale,bureau`,
      `barley_qingke,mkt_lhasa_barkhor,${d(3)},4.00,jin,,retail,bureau`,
      `barley_qingke,mkt_lhasa_barkhor,${d(2)},4.50,jin,,retail,bureau`,
      `barley_qingke,mkt_lhasa_dongga,${d(3)},5.00,jin,,retail,bureau`,
      `barley_qingke,mkt_lhasa_dongga,${d(2)},4.00,jin,,retail,bureau`,
    ),
    admin,
  );
  assert.equal(imported.status, 201, await imported.clone().text());
  // A collector's entry waits for review: never open data.
  assert.equal(
    (
      await api(
        '/prices',
        postJson({ commodity: 'butter', market: 'mkt_lhasa_tromsikhang', date: d(2), price: '29.00', unit: 'jin' }),
        collector,
      )
    ).status,
    201,
  );
});
afterAll(() => stack.close());

const get = (path: string) => from(stack)(`/api/v1${path}`);
/** Every page of GET /prices, following the cursor. */
async function everyPage(query: string, limit = 2) {
  const items: Row[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const res = await get(`/prices?${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, await res.clone().text());
    const body = await jsonOf(res);
    items.push(...body.items);
    cursor = body.cursor;
    pages += 1;
  } while (cursor && pages < 100);
  return { items, pages };
}

describe('GET /api/v1/prices without a market', () => {
  test('a commodity at every market, in a date range: each row with market, kind, grade and unit, and no phone', async () => {
    const res = await get(`/prices?commodity=${encodeURIComponent('酥油')}&from=${day(stack, -10)}`);
    assert.equal(res.status, 200);
    const body = await jsonOf(res);
    assert.deepEqual(body.items.map(line), [
      `butter mkt_lhasa_barkhor ${day(stack, -3)} 30.00 jin 一级 retail`,
      `butter mkt_lhasa_barkhor ${day(stack, -2)} 31.00 jin 一级 retail`,
      `butter mkt_lhasa_dongga ${day(stack, -2)} 28.00 kg  wholesale`,
      `butter mkt_shigatse_gyirong_port ${day(stack, -2)} 33.00 jin  retail`,
    ]);
    assert.doesNotMatch(JSON.stringify(body), /\+86|collector|reviewedBy/, 'no phone numbers in open data');
    assert.equal(body.cursor, undefined);
    const wholesale = await jsonOf(await get('/prices?commodity=butter&kind=wholesale'));
    assert.deepEqual(
      wholesale.items.map((r: Row) => r.date),
      [day(stack, -40), day(stack, -2)],
    );
  });

  test('a market with every commodity; everything, paged with the cursor to the last row', async () => {
    const market = await jsonOf(await get(`/prices?market=mkt_lhasa_dongga&from=${day(stack, -10)}`));
    assert.deepEqual(
      market.items.map((r: Row) => `${r.date} ${r.commodityId}`),
      [`${day(stack, -3)} barley_qingke`, `${day(stack, -2)} barley_qingke`, `${day(stack, -2)} butter`],
    );

    const { items, pages } = await everyPage('lang=en');
    assert.equal(items.length, 9, 'every approved price, none twice');
    assert.equal(new Set(items.map(line)).size, 9);
    assert.ok(pages >= 5);
    assert.deepEqual(
      [...new Set(items.map((r) => r.commodityId))],
      ['barley_qingke', 'butter'],
      'commodity by commodity',
    );
    const narrowed = await everyPage(`unit=kg&from=${day(stack, -10)}`, 1);
    assert.deepEqual(narrowed.items.map(line), [`butter mkt_lhasa_dongga ${day(stack, -2)} 28.00 kg  wholesale`]);
  });

  test("a cursor that is not this list's is a translated 400", async () => {
    const first = await jsonOf(await get('/prices?limit=1'));
    const other = await get(`/prices?commodity=butter&limit=1&cursor=${encodeURIComponent(first.cursor)}&lang=zh`);
    assert.equal(other.status, 400);
    assert.equal((await jsonOf(other)).code, 'invalid_cursor');
    const forged = await get(
      `/prices?limit=1&cursor=${Buffer.from(JSON.stringify(['nope', null])).toString('base64url')}`,
    );
    assert.equal((await jsonOf(forged)).code, 'invalid_cursor');
  });

  test('with both commodity and market, one item as before (the usual unit, retail)', async () => {
    const body = await jsonOf(await get('/prices?commodity=butter&market=mkt_lhasa_dongga'));
    assert.deepEqual(body.items, [], 'butter is priced per jin retail by default; Dongga has only wholesale kg');
    const kg = await jsonOf(await get('/prices?commodity=butter&market=mkt_lhasa_dongga&unit=kg&kind=wholesale'));
    assert.equal(kg.items.length, 2);
  });
});

describe('GET /api/v1/prices.csv without a market', () => {
  test('a commodity at every market, and everything, streamed in the template columns', async () => {
    const res = await get(`/prices.csv?commodity=butter&from=${day(stack, -10)}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition') ?? '', /filename="prices-butter-/);
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .split('\r\n')
      .filter(Boolean);
    assert.deepEqual(lines, [
      HEADER,
      `butter,mkt_lhasa_barkhor,${day(stack, -3)},30.00,jin,一级,retail,bureau`,
      `butter,mkt_lhasa_barkhor,${day(stack, -2)},31.00,jin,一级,retail,bureau`,
      `butter,mkt_lhasa_dongga,${day(stack, -2)},28.00,kg,,wholesale,bureau`,
      `butter,mkt_shigatse_gyirong_port,${day(stack, -2)},33.00,jin,,retail,bureau`,
    ]);
    const all = await get('/prices.csv');
    assert.match(all.headers.get('content-disposition') ?? '', /filename="prices-all\.csv"/);
    assert.equal((await all.text()).split('\r\n').filter(Boolean).length, 1 + 9);
  });

  test('everything streams page after page (more rows than a page)', async () => {
    const dates = Array.from({ length: 520 }, (_, i) => day(stack, -100 - i));
    assert.equal(
      (
        await postCsv(
          api,
          csvText(HEADER, ...dates.map((d) => `milk,mkt_lhasa_tromsikhang,${d},6.00,jin,,retail,bureau`)),
          admin,
        )
      ).status,
      201,
    );
    const lines = (await (await get('/prices.csv')).text()).split('\r\n').filter(Boolean);
    assert.equal(lines.length, 1 + 9 + 520);
    assert.equal(new Set(lines).size, lines.length, 'no row twice');
  });
});

describe('GET /api/v1/prices/summary?region=', () => {
  test("a region's markets and those under it, added up, with each market's counts and every item's market", async () => {
    const body = await jsonOf(await get('/prices/summary?region=pref_lhasa'));
    assert.equal(body.region.id, 'pref_lhasa');
    assert.equal(body.date, null);
    assert.deepEqual(
      body.markets.map((m: { id: string; date: string | null; up: number; down: number; flat: number }) => [
        m.id,
        m.date,
        m.up,
        m.down,
        m.flat,
      ]),
      [
        ['mkt_lhasa_barkhor', day(stack, -2), 2, 0, 0],
        ['mkt_lhasa_dongga', day(stack, -2), 1, 1, 0],
        ['mkt_lhasa_nyangre', null, 0, 0, 0],
        ['mkt_lhasa_tromsikhang', day(stack, -100), 0, 0, 1],
      ],
    );
    assert.deepEqual([body.up, body.down, body.flat], [3, 1, 1]);
    assert.deepEqual(
      body.items.map(
        (i: {
          market: string;
          date: string;
          commodity: string;
          price: string;
          compared: string | null;
          changePct: number | null;
          unit: string;
          kind: string;
        }) => [i.market, i.date, i.commodity, i.price, i.compared, i.changePct, i.unit, i.kind].join(' '),
      ),
      [
        `mkt_lhasa_barkhor ${day(stack, -2)} barley_qingke 4.50 4.00 12.5 jin retail`,
        `mkt_lhasa_barkhor ${day(stack, -2)} butter 31.00 30.00 3.33 jin retail`,
        `mkt_lhasa_dongga ${day(stack, -2)} barley_qingke 4.00 5.00 -20 jin retail`,
        `mkt_lhasa_dongga ${day(stack, -2)} butter 28.00 25.00 12 kg wholesale`,
        `mkt_lhasa_tromsikhang ${day(stack, -100)} milk 6.00 6.00 0 jin retail`,
      ],
    );
  });

  test('a region by name, on a date; a county has only its own markets', async () => {
    const byName = await jsonOf(
      await get(`/prices/summary?region=${encodeURIComponent('日喀则')}&date=${day(stack, -2)}`),
    );
    assert.equal(byName.region.id, 'pref_shigatse');
    assert.equal(byName.date, day(stack, -2));
    assert.deepEqual(
      byName.items.map((i: { market: string; commodity: string }) => `${i.market} ${i.commodity}`),
      ['mkt_shigatse_gyirong_port butter'],
    );
    const county = await jsonOf(await get('/prices/summary?region=cty_lhasa_doilungdeqen'));
    assert.deepEqual(
      county.markets.map((m: { id: string }) => m.id),
      ['mkt_lhasa_dongga'],
    );
  });

  test('neither or both of market and region, or an unknown region: a translated 400', async () => {
    for (const query of ['', 'market=mkt_lhasa_dongga&region=pref_lhasa']) {
      const res = await get(`/prices/summary?${query}&lang=zh`);
      assert.equal(res.status, 400, query);
      assert.deepEqual(
        (await jsonOf(res)).errors.map((e: { message: string }) => e.message),
        ['请提供市场或地区（二选一）。'],
      );
    }
    const unknown = await jsonOf(await get('/prices/summary?region=nowhere&lang=en'));
    assert.deepEqual(
      unknown.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`),
      ['region: Unknown region “nowhere”.'],
    );
    const market = await jsonOf(await get('/prices/summary?market=mkt_lhasa_dongga'));
    assert.deepEqual([market.market.id, market.down], ['mkt_lhasa_dongga', 1], 'a market bulletin as before');
  });
});

/**
 * Every name of a unit is taken everywhere a price comes in: POST
 * /api/v1/prices, the entry form and the CSV import read 斤, 公斤, རྒྱ་མ, rgya ma, catty… as
 * the CSV and SMS readers do, and store the unit id; an unknown unit is a translated 400 that
 * lists the accepted ones.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { parseIdentity } from '#core/prices/observation.ts';
import { jsonOf } from '#test/support/json.ts';
import { csvText, postCsv } from '#test/support/price-import.ts';
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
  collector = await staff.member('+8613900000441', 'collector', ['pref_lhasa']);
});
afterAll(() => stack.close());

/** Written as, stored as: Chinese, Tibetan, Wylie and English names and the ids. */
const names: Array<[string, string]> = [
  ['斤', 'jin'],
  ['市斤', 'jin'],
  ['元/斤', 'jin'],
  ['རྒྱ་མ', 'jin'],
  ['rgya ma', 'jin'],
  ['catty', 'jin'],
  ['jin', 'jin'],
  ['公斤', 'kg'],
  ['千克', 'kg'],
  ['སྤྱི་རྒྱ', 'kg'],
  ['ཀི་ལོ', 'kg'],
  ['kilo', 'kg'],
  ['ＫＧ', 'kg'],
  ['两', 'liang'],
  ['སྲང', 'liang'],
  ['tael', 'liang'],
  ['头', 'head'],
  ['只', 'head'],
  ['head', 'head'],
  ['个', 'piece'],
  ['piece', 'piece'],
];

describe('every name of a unit', () => {
  test('POST /prices stores the unit id whatever name was sent', async () => {
    for (const [i, [written, id]] of names.entries()) {
      const res = await api(
        '/prices',
        postJson({
          commodity: 'peas',
          market: 'mkt_lhasa_barkhor',
          date: day(stack, -1 - i),
          price: '4.50',
          unit: written,
        }),
        collector,
      );
      const body = await jsonOf(res);
      assert.equal(res.status, 201, `${written}: ${JSON.stringify(body)}`);
      assert.equal(body.unit, id, written);
      assert.ok(body.identity.endsWith(`|${id}`), 'the identity carries the id');
    }
  });

  test('an unknown unit: a translated 400 listing the accepted ones', async () => {
    const zh = await api(
      '/prices?lang=zh',
      postJson({ commodity: 'peas', market: 'mkt_lhasa_barkhor', date: day(stack, -1), price: '4.50', unit: '蒲式耳' }),
      collector,
    );
    assert.equal(zh.status, 400);
    const body = await jsonOf(zh);
    const err = body.errors.find((e: { path: string }) => e.path === 'unit');
    assert.match(
      err.message,
      /^未知单位“蒲式耳”，可用：jin \(斤 \/ རྒྱ་མ\), kg \(公斤 \/ སྤྱི་རྒྱ\), liang \(两 \/ སྲང\), head \(头\), piece \(个 \/ རྡོག\)。$/u,
    );
    const bo = await jsonOf(
      await api(
        '/prices',
        postJson({
          commodity: 'peas',
          market: 'mkt_lhasa_barkhor',
          date: day(stack, -1),
          price: '4.50',
          unit: 'bushel',
        }),
        collector,
      ),
    );
    assert.match(bo.errors[0].message, /^ཚད་གཞི “bushel” ངོས་མ་ཟིན། \(jin .*piece.*\)$/u);
  });

  test('the entry form takes a unit by name and stores the id', async () => {
    const browser = await staffBrowser(stack, '+8613900000442', [{ role: 'collector', regions: ['pref_lhasa'] }]);
    const page = await (await browser.get('/staff/prices/new?lang=en')).text();
    const fields = {
      commodity: 'wheat',
      commodityText: '',
      market: 'mkt_lhasa_barkhor',
      date: day(stack, -2),
      price: '3.10',
      grade: '',
      kind: 'retail',
    };
    const res = await browser.post('/staff/prices/new', page, { ...fields, unit: '公斤' });
    assert.equal(res.status, 303, await res.clone().text());
    const identity = parseIdentity(new URL(res.headers.get('location')!, 'http://x').searchParams.get('saved')!)!;
    assert.equal(identity.unit, 'kg');
    assert.equal((await stack.deps.prices.getSubmission(identity))?.unit, 'kg');
    const refused = await browser.post('/staff/prices/new?lang=en', page, { ...fields, unit: 'bushel' });
    assert.equal(refused.status, 400);
    assert.match(fieldError(await refused.text(), 'unit') ?? '', /Unknown unit “bushel”; one of jin \(斤/);
  });

  test('the CSV import reads the Tibetan and Wylie names too; an unknown unit lists the accepted ones', async () => {
    const csv = csvText(
      'commodity,market,date,price,unit',
      `butter,mkt_lhasa_barkhor,${day(stack, -1)},45.00,སྤྱི་རྒྱ`,
      `butter,mkt_lhasa_barkhor,${day(stack, -2)},22.50,rgya ma`,
      `butter,mkt_lhasa_barkhor,${day(stack, -3)},2.25,两`,
    );
    const res = await postCsv(api, csv, collector, { dryRun: 'true' });
    const body = await jsonOf(res);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(
      body.rows.map((r: { unit: string }) => r.unit),
      ['kg', 'jin', 'liang'],
    );
    const bad = await jsonOf(
      await postCsv(
        api,
        csvText('commodity,market,date,price,unit', `butter,mkt_lhasa_barkhor,${day(stack, -1)},45.00,bushel`),
        collector,
        { dryRun: 'true', lang: 'en' },
      ),
    );
    const err = bad.errors.find((e: { column: string }) => e.column === 'unit');
    assert.match(err.message, /^Unknown unit “bushel”; one of jin \(斤 \/ རྒྱ་མ\), kg/u);
  });
});

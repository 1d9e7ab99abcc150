/**
 * The absurd-price guard when an item has no history of its own: it falls
 * back to the commodity's latest prices at other markets and of other kinds, per kg or per
 * head, the same way for POST /prices, the entry form, SMS P and the CSV import, and says why in
 * the reader's language.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { parseIdentity } from '#core/prices/observation.ts';
import { replyTo, smsText } from '#test/support/dev-sms.ts';
import { jsonOf } from '#test/support/json.ts';
import { csvText, postCsv } from '#test/support/price-import.ts';
import { staffBrowser } from '#test/support/price-web.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let reviewer: string;
const REVIEWER = '+8613900000451';
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  reviewer = await staff.member(REVIEWER, 'reviewer', ['pref_lhasa']);
});
afterAll(() => stack.close());

/** An approved retail price of `commodity` at Dongga (the only history the commodity has). */
async function retailAtDongga(commodity: string, price: string, unit: string) {
  const res = await api(
    '/prices',
    postJson({ commodity, market: 'mkt_lhasa_dongga', date: day(stack, -3), price, unit }),
    reviewer,
  );
  assert.equal(res.status, 201);
  assert.equal((await jsonOf(res)).status, 'approved');
}

describe('absurd prices of an item without history', () => {
  test('POST /prices: a first wholesale price 10× the retail one elsewhere is held, per kg; a plausible one is approved', async () => {
    await retailAtDongga('tsampa', '4.00', 'jin'); // 8.00 a kg
    const wholesale = { commodity: 'tsampa', market: 'mkt_lhasa_barkhor', date: day(stack, -1), kind: 'wholesale' };
    // 85.00 a kg is over 10× 8.00 a kg, though written per kg and the retail price per jin.
    const held = await api('/prices?lang=en', postJson({ ...wholesale, price: '85.00', unit: 'kg' }), reviewer);
    assert.equal(held.status, 201);
    const body = await jsonOf(held);
    assert.equal(body.status, 'pending', 'held for review even from a reviewer');
    assert.equal(
      body.holdReason,
      "Over 10× the median 8.00 per kg of this commodity's latest prices elsewhere (prices compared: 1)",
    );
    assert.equal(
      body.holdNote,
      'Held for review: no recent prices of its own, and over 10× the median 8.00 yuan per kg of this commodity’s latest prices at other markets and kinds (prices compared: 1).',
    );
    const latest = await jsonOf(await api('/prices/latest?commodity=tsampa'));
    assert.deepEqual(
      latest.items.map((i: { marketId: string }) => i.marketId),
      ['mkt_lhasa_dongga'],
      'not published',
    );
    // A tenth the other way is held too; a wholesale price below retail but within 10× is not.
    assert.match(
      (
        await jsonOf(
          await api('/prices', postJson({ ...wholesale, date: day(stack, -2), price: '0.30', unit: 'jin' }), reviewer),
        )
      ).holdReason,
      /^Under 1\/10 the median 8\.00 per kg/,
    );
    const fine = await jsonOf(
      await api(
        '/prices',
        postJson({ ...wholesale, market: 'mkt_lhasa_nyangre', price: '3.50', unit: 'jin' }),
        reviewer,
      ),
    );
    assert.equal(fine.status, 'approved');
    assert.equal(fine.holdReason, undefined);
  });

  test('count units compare per head; the reason reads in Chinese and Tibetan', async () => {
    await retailAtDongga('sheep_live', '800', 'head');
    const zh = await jsonOf(
      await api(
        '/prices?lang=zh',
        postJson({
          commodity: 'sheep_live',
          market: 'mkt_lhasa_barkhor',
          date: day(stack, -1),
          price: '9000',
          unit: '只',
          kind: 'wholesale',
        }),
        reviewer,
      ),
    );
    assert.equal(zh.status, 'pending');
    assert.equal(
      zh.holdNote,
      '待审核：本品没有自己的近期价格，高于该品种其他市场和类型最新价格中位数（每头/每个 800.00 元）的 10 倍（比较了 1 个价格）。',
    );
    const bo = await jsonOf(
      await api(
        '/prices',
        postJson({
          commodity: 'sheep_live',
          market: 'mkt_lhasa_tromsikhang',
          date: day(stack, -1),
          price: '9000',
          unit: 'head',
        }),
        reviewer,
      ),
    );
    assert.match(bo.holdNote, /^ཞིབ་བཤེར་སྒུག་བཞིན་པ། .*800\.00 རེ/u);
  });

  test('the entry form holds it the same way and says why', async () => {
    await retailAtDongga('potato', '1.50', 'jin');
    const browser = await staffBrowser(stack, '+8613900000452', [{ role: 'reviewer', regions: ['pref_lhasa'] }]);
    const page = await (await browser.get('/staff/prices/new?lang=en')).text();
    const res = await browser.post('/staff/prices/new', page, {
      commodity: 'potato',
      commodityText: '',
      market: 'mkt_lhasa_barkhor',
      date: day(stack, -1),
      price: '20',
      unit: 'jin',
      grade: '',
      kind: 'wholesale',
    });
    assert.equal(res.status, 303);
    const identity = parseIdentity(new URL(res.headers.get('location')!, 'http://x').searchParams.get('saved')!)!;
    const stored = await stack.deps.prices.getSubmission(identity);
    assert.equal(stored?.status, 'pending');
    assert.match(stored?.holdReason ?? '', /^Over 10× the median 3\.00 per kg/);
    const saved = await (await browser.get(`${res.headers.get('location')}&lang=en`)).text();
    assert.match(saved, /no recent prices of its own, and over 10× the median 3\.00 yuan per kg/);
  });

  test('SMS P from a reviewer: held, the reply says so', async () => {
    await retailAtDongga('peas', '5.00', 'jin');
    const reply = await replyTo(stack, REVIEWER, 'P 豌豆 八廓街 80 斤 批发');
    assert.ok(
      reply.text.includes(
        smsText('zh', 'collect.held', {
          commodity: '豌豆',
          market: '八廓街',
          price: '80.00',
          unit: '斤',
          date: day(stack).slice(5),
        }),
      ),
      reply.text,
    );
    const stored = await stack.deps.prices.getSubmission({
      commodityId: 'peas',
      marketId: 'mkt_lhasa_barkhor',
      date: day(stack),
      kind: 'wholesale',
      unit: 'jin',
    });
    assert.equal(stored?.status, 'pending');
    assert.match(stored?.holdReason ?? '', /per kg of this commodity's latest prices elsewhere/);
  });

  test('CSV import: a first row of an item 10× the commodity elsewhere is held with the reason', async () => {
    await retailAtDongga('radish', '2.00', 'jin');
    const csv = csvText(
      'commodity,market,date,price,unit,kind',
      `radish,mkt_lhasa_barkhor,${day(stack, -1)},50.00,kg,wholesale`,
      `radish,mkt_lhasa_nyangre,${day(stack, -1)},3.00,kg,wholesale`,
    );
    const res = await postCsv(api, csv, reviewer, { dryRun: 'true', lang: 'en' });
    const body = await jsonOf(res);
    assert.equal(res.status, 200, JSON.stringify(body));
    assert.deepEqual(
      body.rows.map((r: { verdict: string; status: string }) => [r.verdict, r.status]),
      [
        ['held', 'pending'],
        ['new', 'approved'],
      ],
    );
    assert.match(
      body.rows[0].holdReason,
      /^Held for review: no recent prices of its own, and over 10× the median 4\.00 yuan per kg/,
    );
  });
});

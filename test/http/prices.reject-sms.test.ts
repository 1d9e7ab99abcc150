/**
 * A collector is told by SMS when a reviewer rejects their price: through the
 * messenger, in the collector's saved language, naming item, market, date, price and reason,
 * within 2 SMS in Tibetan and 1 in Chinese or English (a long reason is cut), once per decision.
 * Read back through GET /dev/outbox.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { freshNumber, outbox, replyTo, smsText, TIBETAN } from '#test/support/dev-sms.ts';
import { jsonOf } from '#test/support/json.ts';
import { formsTo, staffBrowser } from '#test/support/price-web.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
let reviewer: string;
let member: (phone: string, role: string, regions: string[]) => Promise<string>;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  member = staff.member;
  reviewer = await staff.member('+8613900000471', 'reviewer', ['pref_lhasa']);
});
afterAll(() => stack.close());

const enc = encodeURIComponent;
const HAN = /\p{Script=Han}/u;

/** A collector who reports by SMS (so their language is saved), and the pending entry's identity. */
async function reportBySms(text: string, commodityId: string) {
  const phone = freshNumber('135');
  await member(phone, 'collector', ['pref_lhasa']);
  await replyTo(stack, phone, text);
  const pending = await jsonOf(await api('/prices/pending?region=pref_lhasa&limit=200', {}, reviewer));
  const entry = pending.items.find(
    (p: { collector: string; commodityId: string }) => p.collector === phone && p.commodityId === commodityId,
  );
  assert.ok(entry, `pending entry of ${phone}`);
  return { phone, identity: entry.identity as string, version: entry.version as number };
}

describe('the collector hears of a rejection', () => {
  test('in Chinese, one SMS: item, market, date, price and reason; a retried rejection sends nothing more', async () => {
    const { phone, identity, version } = await reportBySms('P 青稞 东嘎 4.50', 'barley_qingke');
    const before = (await outbox(stack, phone)).length;
    const res = await api(
      `/prices/${enc(identity)}/reject`,
      postJson({ reason: '市场不对，请重报', version }),
      reviewer,
    );
    assert.equal(res.status, 200);
    const sent = await outbox(stack, phone);
    assert.equal(sent.length, before + 1);
    const sms = sent[0]!;
    assert.equal(sms.segments, 1);
    assert.ok(
      sms.text.endsWith(
        smsText('zh', 'collect.rejected', {
          commodity: '青稞',
          market: '拉萨市东嘎批发市场',
          price: '4.50',
          unit: '斤',
          date: day(stack).slice(5),
          reason: '市场不对，请重报',
        }),
      ),
      sms.text,
    );

    const again = await api(
      `/prices/${enc(identity)}/reject`,
      postJson({ reason: '市场不对，请重报', version }),
      reviewer,
    );
    assert.equal(again.status, 200, 'the same decision again answers as the first did');
    assert.equal((await jsonOf(again)).version, version + 1);
    assert.equal((await outbox(stack, phone)).length, before + 1, 'and sends no second SMS');
    // Another reason, or a stale version, is a different decision on a decided entry: 409, no SMS.
    assert.equal(
      (await api(`/prices/${enc(identity)}/reject`, postJson({ reason: '别的理由', version }), reviewer)).status,
      409,
    );
    assert.equal((await outbox(stack, phone)).length, before + 1);
  });

  test('a long reason is cut to fit one SMS (Chinese) or two (Tibetan)', async () => {
    const long =
      '这个价格和上周的价格相差太大，而且市场名称写错了，请核对以后在今天下午五点以前重新上报，谢谢配合。'.repeat(3);
    const zh = await reportBySms('P 小麦 东嘎 3.20', 'wheat');
    await api(`/prices/${enc(zh.identity)}/reject`, postJson({ reason: long }), reviewer);
    const [zhSms] = await outbox(stack, zh.phone);
    assert.equal(zhSms!.segments, 1);
    assert.match(zhSms!.text, /价格被退回：小麦 拉萨市东嘎批发市场 3\.20元\/斤 \d\d-\d\d。原因：这个价格.*…$/u);

    const bo = await reportBySms('P ནས་ གདོང་དཀར་ 4.60', 'barley_qingke');
    await api(`/prices/${enc(bo.identity)}/reject`, postJson({ reason: 'ཚོང་ར་ནོར་འདུག '.repeat(30) }), reviewer);
    const [boSms] = await outbox(stack, bo.phone);
    assert.ok(boSms!.segments <= 2, `${boSms!.segments} segments`);
    assert.match(boSms!.text, /ཕྱིར་སློག་ཟིན། ནས། .*རྒྱ་མ་རེར་སྒོར་4\.60 \d\d-\d\d། རྒྱུ་མཚན། ཚོང་ར་ནོར་འདུག.*…$/u);
    assert.ok(TIBETAN.test(boSms!.text));
    assert.ok(!HAN.test(boSms!.text.replace(/^【[^】]*】/u, '')), 'no Chinese in the Tibetan SMS beyond the signature');
  });

  test('in English from the review page; a collector who never texted gets it in Tibetan', async () => {
    const en = await reportBySms('P barley Dongga 4.70', 'barley_qingke');
    const browser = await staffBrowser(stack, '+8613900000472', [{ role: 'reviewer', regions: ['pref_lhasa'] }]);
    const queue = await (await browser.get('/staff/prices/review?region=pref_lhasa')).text();
    const row = formsTo(queue, '/staff/prices/review/reject').find((f) => f.identity === en.identity)!;
    const res = await browser.post('/staff/prices/review/reject', queue, { ...row, reason: 'Wrong date' });
    assert.equal(res.status, 303);
    const [enSms] = await outbox(stack, en.phone);
    assert.equal(enSms!.segments, 1);
    assert.equal(enSms!.encoding, 'GSM-7');
    assert.match(
      enSms!.text,
      /Price rejected: highland barley at Dongga wholesale market 4\.70 yuan\/jin \d\d-\d\d\. Reason: Wrong date$/,
    );

    const webCollector = '+8613900000473';
    const token = await member(webCollector, 'collector', ['pref_lhasa']);
    const stored = await jsonOf(
      await api(
        '/prices',
        postJson({
          commodity: 'peas',
          market: 'mkt_lhasa_barkhor',
          date: `${Number(day(stack).slice(0, 4)) - 1}-06-01`,
          price: '6.00',
          unit: 'jin',
        }),
        token,
      ),
    );
    await api(`/prices/${enc(stored.identity)}/reject`, postJson({ reason: 'ཚོང་ར་ནོར་འདུག' }), reviewer);
    const [boSms] = await outbox(stack, webCollector);
    assert.match(
      boSms!.text,
      /ཕྱིར་སློག་ཟིན། .* རྒྱ་མ་རེར་སྒོར་6\.00 \d{4}-06-01། རྒྱུ་མཚན། ཚོང་ར་ནོར་འདུག$/u,
      'a date of another year is written in full',
    );
  });

  test('a reviewer rejecting their own held entry gets no SMS', async () => {
    const before = (await outbox(stack, '+8613900000471')).length;
    const held = await jsonOf(
      await api(
        '/prices',
        postJson({ commodity: 'butter', market: 'mkt_lhasa_dongga', date: day(stack, -1), price: '40.00', unit: 'kg' }),
        reviewer,
      ),
    );
    const absurd = await jsonOf(
      await api(
        '/prices',
        postJson({ commodity: 'butter', market: 'mkt_lhasa_dongga', date: day(stack), price: '4000.00', unit: 'kg' }),
        reviewer,
      ),
    );
    assert.equal(held.status, 'approved');
    assert.equal(absurd.status, 'pending');
    assert.equal(
      (await api(`/prices/${enc(absurd.identity)}/reject`, postJson({ reason: 'typing slip' }), reviewer)).status,
      200,
    );
    assert.equal((await outbox(stack, '+8613900000471')).length, before);
  });
});

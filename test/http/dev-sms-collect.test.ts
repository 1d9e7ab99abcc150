/**
 * P (staff price reports) through POST /dev/sms and GET /dev/outbox: a collector's report
 * waits for review, a reviewer's is published, an absurd one is held; a phone that is not
 * staff, or staff outside the market's region, is refused with nothing stored and the
 * attempt audit-logged; a resubmission replaces the pending value and a redelivery changes
 * nothing; errors answer in the sender's language within one SMS (Chinese, English).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ObservationIdentityFields } from '#core/prices/observation.ts';
import { priceUnitIds } from '#core/prices/vocabulary.ts';
import { checkTibetan, describeFindings, errorsOf } from '#core/text/tibetan-orthography.ts';
import { freshNumber, outbox, replyTo, smsText, texts } from '#test/support/dev-sms.ts';
import { day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let staff: Awaited<ReturnType<typeof priceStaff>>;
let collector: string;
let reviewer: string;
let tibetanCollector: string;
let today: string;

const BARLEY = 'barley_qingke';
const DONGGA = 'mkt_lhasa_dongga';
const GYIRONG = 'mkt_shigatse_gyirong_port';
const barleyAt = (marketId: string, fields: Partial<ObservationIdentityFields> = {}): ObservationIdentityFields => ({
  commodityId: BARLEY,
  marketId,
  date: today,
  unit: 'jin',
  kind: 'retail',
  ...fields,
});
const mmdd = () => today.slice(5);

async function deniedFor(phone: string) {
  const entries = await stack.deps.audit.listDay(today, { limit: 200 });
  return entries.items.filter((e) => e.actor === phone && e.action === 'access.denied');
}

beforeAll(async () => {
  stack = await startTestStack();
  today = day(stack);
  staff = await priceStaff(stack);
  collector = freshNumber('137');
  reviewer = freshNumber('136');
  await staff.member(collector, 'collector', ['pref_lhasa']);
  await staff.member(reviewer, 'reviewer', ['pref_lhasa']);
  tibetanCollector = freshNumber('134');
  await staff.member(tibetanCollector, 'collector', ['pref_lhasa']);
});
afterAll(() => stack.close());

describe('P from a collector', () => {
  test('waits for review: the reply says so, the submission is pending with source sms and the collector', async () => {
    const reply = await replyTo(stack, collector, 'P 青稞 东嘎 4.50', 'collect-1');
    assert.equal(reply.segments, 1);
    assert.ok(
      reply.text.endsWith(
        smsText('zh', 'collect.pending', {
          commodity: '青稞',
          market: '拉萨市东嘎批发市场',
          price: '4.50',
          unit: '斤',
          date: mmdd(),
        }),
      ),
      reply.text,
    );
    const stored = await stack.deps.prices.getSubmission(barleyAt(DONGGA));
    assert.equal(stored?.status, 'pending');
    assert.equal(stored?.priceFen, 450);
    assert.equal(stored?.source, 'sms');
    assert.equal(stored?.collector, collector);
    const sent = await outbox(stack, collector);
    assert.equal(sent[0]?.text, reply.text, '/dev/outbox lists the reply, newest first');
  });

  test('a resubmission replaces the pending value; a redelivery of a message changes nothing', async () => {
    await replyTo(stack, collector, 'P 青稞 东嘎 4.60 斤', 'collect-2');
    const replaced = await stack.deps.prices.getSubmission(barleyAt(DONGGA));
    assert.equal(replaced?.priceFen, 460);
    assert.equal(replaced?.status, 'pending');
    const redelivered = await texts(stack, collector, 'P 青稞 东嘎 4.70', 'collect-2');
    assert.deepEqual(redelivered, []);
    const after = await stack.deps.prices.getSubmission(barleyAt(DONGGA));
    assert.equal(after?.priceFen, 460);
    assert.equal(after?.version, replaced?.version);
    const pending = await stack.deps.prices.pendingInRegion('cty_lhasa_doilungdeqen', { limit: 50 });
    assert.equal(
      pending.items.filter((p) => p.commodityId === BARLEY && p.marketId === DONGGA && p.date === today).length,
      1,
      'one submission, not two',
    );
  });

  test('kind, unit and a past date as written: 批发, 公斤, MM-DD', async () => {
    const yesterday = day(stack, -1);
    await replyTo(stack, collector, `P 青稞 东嘎 9 公斤 批发 ${yesterday.slice(5)}`);
    const stored = await stack.deps.prices.getSubmission(
      barleyAt(DONGGA, { date: yesterday, kind: 'wholesale', unit: 'kg' }),
    );
    assert.equal(stored?.priceFen, 900);
  });
});

describe('P from a reviewer', () => {
  test('is published at once: the reply says so and the latest price shows it', async () => {
    const yesterday = day(stack, -1);
    const reply = await replyTo(stack, reviewer, `P barley Dongga 3.80 wholesale ${yesterday}`);
    assert.equal(reply.encoding, 'GSM-7');
    assert.equal(reply.segments, 1);
    assert.ok(
      reply.text.endsWith(
        smsText('en', 'collect.approved', {
          commodity: 'highland barley',
          market: 'Dongga wholesale market',
          price: '3.80',
          unit: 'jin',
          date: yesterday.slice(5),
        }),
      ),
      reply.text,
    );
    const latest = await stack.deps.prices.latestForCommodity(BARLEY, 50);
    assert.ok(
      latest.some(
        (r) => r.marketId === DONGGA && r.kind === 'wholesale' && r.priceFen === 380 && r.status === 'approved',
      ),
    );
  });

  test('a collector cannot replace a published price: the reply says a reviewer corrects it', async () => {
    const yesterday = day(stack, -1);
    const reply = await replyTo(stack, collector, `P 青稞 东嘎 3.90 批发 ${yesterday}`);
    assert.ok(reply.text.endsWith(smsText('zh', 'collect.alreadyApproved')), reply.text);
    const kept = await stack.deps.prices.getSubmission(barleyAt(DONGGA, { date: yesterday, kind: 'wholesale' }));
    assert.equal(kept?.priceFen, 380);
  });

  test('an absurd price is held for review, and the reply says so', async () => {
    const reply = await replyTo(stack, reviewer, 'P barley Dongga 99 wholesale');
    assert.ok(
      reply.text.endsWith(
        smsText('en', 'collect.held', {
          commodity: 'highland barley',
          market: 'Dongga wholesale market',
          price: '99.00',
          unit: 'jin',
          date: mmdd(),
        }),
      ),
      reply.text,
    );
    const held = await stack.deps.prices.getSubmission(barleyAt(DONGGA, { kind: 'wholesale' }));
    assert.equal(held?.status, 'pending');
    assert.ok(held?.holdReason);
    const latest = await stack.deps.prices.latestForCommodity(BARLEY, 50);
    assert.ok(!latest.some((r) => r.priceFen === 9900), 'not published');
  });
});

describe('P answered in every script, for every unit', () => {
  // A reviewer per script, each at a market and on a day of their own (so each report is a new price).
  const scripts = [
    { name: 'Tibetan script', first: 'རོགས་རམ', market: 'Barkhor' },
    { name: 'Tibetan in Wylie', first: 'rogs ram', market: 'Nyangrain' },
    { name: 'Chinese', first: '帮助', market: 'Tromsikhang' },
    { name: 'English', first: 'HELP', market: 'Dongga' },
  ];
  const reports: Record<string, string> = {
    jin: 'barley 4.50 jin',
    kg: 'butter 52 kg',
    liang: 'barley 0.45 liang',
    head: 'yak 5000 head',
    piece: 'cordyceps 45 piece',
  };

  test('the unit in its Tibetan form (per animal for livestock) or English, never Chinese in Tibetan; Wylie stays GSM-7', async () => {
    assert.deepEqual(Object.keys(reports).sort(), [...priceUnitIds].sort(), 'every unit a price may be quoted in');
    for (const [i, script] of scripts.entries()) {
      const date = day(stack, -5 - i).slice(5);
      const phone = freshNumber('131');
      await staff.member(phone, 'reviewer', ['pref_lhasa']);
      await replyTo(stack, phone, script.first);
      for (const [unit, words] of Object.entries(reports)) {
        const [commodity, price, unitWord] = words.split(' ');
        const reply = await replyTo(stack, phone, `P ${commodity} ${script.market} ${price} ${unitWord} ${date}`);
        const what = `${script.name}, ${unit}: ${reply.text}`;
        assert.match(reply.text, /\d+\.\d\d/u, what);
        assert.ok(reply.text.includes(date), `the date: ${what}`);
        if (script.name === 'Chinese' || script.name === 'English') {
          assert.ok(reply.segments === 1, what);
          continue;
        }
        const body = reply.text.replace(/^【农牧通】|^\[Zhingdrok\] /u, '');
        assert.doesNotMatch(body, /\p{Script=Han}/u, `Chinese in a Tibetan reply: ${what}`);
        assert.ok(reply.segments <= 2, what);
        if (script.name === 'Tibetan in Wylie') {
          assert.equal(reply.encoding, 'GSM-7', what);
          assert.doesNotMatch(reply.text, /[a-z']\d/iu, `a word run into a number: ${what}`);
        } else {
          const findings = errorsOf(checkTibetan(body, { message: true }));
          assert.deepEqual(findings, [], `${what}\n${describeFindings(findings)}`);
          if (unit === 'head') assert.ok(body.includes('གཡག་རེར་སྒོར་5000.00'), `per yak: ${what}`);
          if (unit === 'piece') assert.ok(body.includes('རྡོག་རེར་སྒོར་45.00'), `per piece: ${what}`);
        }
      }
    }
  });
});

describe('P refused', () => {
  test('a phone that is not staff: "not allowed", nothing stored, the attempt audit-logged', async () => {
    const farmer = freshNumber('135');
    const reply = await replyTo(stack, farmer, 'P 青稞 东嘎 4.5 地头');
    assert.ok(reply.text.endsWith(smsText('zh', 'collect.notAllowed')), reply.text);
    assert.equal(await stack.deps.prices.getSubmission(barleyAt(DONGGA, { kind: 'farm_gate' })), undefined);
    const denied = await deniedFor(farmer);
    assert.equal(denied.length, 1);
    assert.equal(denied[0]!.target, 'SMS P');
  });

  test('a collector outside the market’s region: refused, nothing stored, audit-logged with the region', async () => {
    const reply = await replyTo(stack, collector, 'P 青稞 吉隆 4.5');
    assert.ok(reply.text.endsWith(smsText('zh', 'collect.notAllowed')), reply.text);
    assert.equal(await stack.deps.prices.getSubmission(barleyAt(GYIRONG)), undefined);
    const denied = await deniedFor(collector);
    assert.ok(
      denied.some((e) => e.regions?.includes('cty_shigatse_gyirong')),
      JSON.stringify(denied),
    );
  });
});

describe('P errors, in the sender’s language, one SMS in Chinese and English', () => {
  const cases: Array<[string, string, string, (lang: 'zh' | 'en') => string]> = [
    [
      'unknown commodity',
      'P 青颗 东嘎 4.5',
      'P barly dongga 4.5',
      (l) =>
        smsText(l, 'collect.commodity.unknown', {
          text: l === 'zh' ? '青颗' : 'barly',
          suggestions: l === 'zh' ? '青稞' : 'highland barley',
        }),
    ],
    [
      'unknown market',
      'P 青稞 东嘎嘎 4.5',
      'P barley donggaa 4.5',
      (l) =>
        smsText(l, 'collect.market.unknown', {
          text: l === 'zh' ? '东嘎嘎' : 'donggaa',
          suggestions: l === 'zh' ? '拉萨市东嘎批发市场' : 'Dongga wholesale market or Gonggar County',
        }),
    ],
    [
      'bad price',
      'P 青稞 东嘎 4.567',
      'P barley dongga 4.567',
      (l) => smsText(l, 'collect.price.bad', { text: '4.567' }),
    ],
    [
      'future date',
      'P 青稞 东嘎 4.5 2099-01-01',
      'P barley dongga 4.5 2099-01-01',
      (l) => smsText(l, 'collect.date.future', { text: '2099-01-01' }),
    ],
    ['no price', 'P 青稞 东嘎', 'P barley dongga', (l) => smsText(l, 'collect.usage')],
  ];
  for (const [what, zh, en, expected] of cases) {
    test(what, async () => {
      // The collector registered in Chinese, the reviewer in English (their first SMS).
      for (const [phone, lang, text] of [
        [collector, 'zh', zh],
        [reviewer, 'en', en],
      ] as const) {
        const reply = await replyTo(stack, phone, text);
        assert.ok(reply.text.endsWith(expected(lang)), `${text}: ${reply.text}`);
        assert.equal(reply.segments, 1, reply.text);
      }
    });
  }

  test('a region with several markets: which one (nothing stored)', async () => {
    const reply = await replyTo(stack, collector, 'P 青稞 拉萨 4.5');
    assert.match(reply.text, /拉萨市有多个市场：/u);
    assert.equal(reply.segments, 1);
  });

  test('Tibetan: a report and its answer within two SMS', async () => {
    const reply = await replyTo(stack, tibetanCollector, 'P ནས་ གདོང་དཀར་ ༤.༥');
    assert.ok(reply.segments <= 2, reply.text);
    assert.match(reply.text, /4\.50/);
    assert.ok(reply.text.includes('ཞིབ་བཤེར་སྒུག་བཞིན་པ'), reply.text);
  });
});

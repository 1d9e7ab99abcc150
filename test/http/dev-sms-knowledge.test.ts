/**
 * TIP, ASK and ALERTS through the local contract (POST /dev/sms), in English, Chinese, Tibetan
 * script and Wylie, against the real stores: the reply's segments, no Chinese in a Tibetan or
 * Wylie reply, TIP n, a product without guides naming those with some.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { freshNumber, replyTo, smsText } from '#test/support/dev-sms.ts';
import { acting, alertInput, guideInput, publish } from '#test/support/knowledge.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const HAN = /\p{sc=Han}/u;
/** A reply's text without the registered signature (which is Chinese by rule). */
const body = (text: string) => text.replace(/^【[^】]*】|^\[[^\]]*\]/u, '');

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
  const k = stack.deps.knowledge;
  // Two barley guides: one for Gyantse county, one for everywhere; yak has one too.
  await publish(
    k,
    'guide',
    guideInput({
      regions: ['cty_shigatse_gyantse'],
      summary: { bo: 'རྒྱལ་རྩེར་ནས་ལ་ཆུ་འདྲེན།', zh: '江孜青稞现在浇水。', en: 'Gyantse: water the barley now.' },
    }),
  );
  await publish(k, 'guide', guideInput());
  await publish(
    k,
    'guide',
    guideInput({
      fields: {
        kind: 'guide',
        commodityId: 'yak_live',
        stage: 'during',
        topic: 'pests_disease',
        months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
      },
    }),
  );
  await publish(k, 'alert', alertInput(new Date()));
}, 120_000);

afterAll(() => stack?.close());

describe('TIP', () => {
  test('English: the county guide first, one segment, TIP BARLEY 2 the everywhere one', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, 'JOIN Gyantse');
    const first = await replyTo(stack, phone, 'TIP BARLEY');
    assert.match(first.text, /Gyantse: water the barley now\./u);
    assert.equal(first.segments, 1);
    const second = await replyTo(stack, phone, 'tip barley 2');
    assert.match(second.text, /Water barley after it comes up\./u);
    assert.equal(second.segments, 1);
    const third = await replyTo(stack, phone, 'TIP BARLEY 3');
    assert.match(third.text, /Only 2 tips/u);
  });

  test('Chinese: one segment, in Chinese', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, '注册 江孜');
    const reply = await replyTo(stack, phone, '建议 青稞');
    assert.match(reply.text, /江孜青稞现在浇水/u);
    assert.equal(reply.segments, 1);
  });

  test('Tibetan script: at most two segments, no Chinese', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, 'ཐོ་འགོད རྒྱལ་རྩེ');
    const reply = await replyTo(stack, phone, 'སློབ་སྟོན ནས');
    assert.match(reply.text, /རྒྱལ་རྩེར་ནས་ལ་ཆུ་འདྲེན/u);
    assert.ok(reply.segments <= 2, `${reply.segments} segments`);
    assert.ok(!HAN.test(body(reply.text)), reply.text);
  });

  test('Wylie: at most two segments, transliterated, no Chinese', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, "tho 'god rgyal rtse");
    const reply = await replyTo(stack, phone, 'slob ston nas');
    assert.ok(!/[\u0F00-\u0FFF]/u.test(reply.text), reply.text);
    assert.ok(!HAN.test(body(reply.text)), reply.text);
    assert.match(reply.text, /rgyal rtse/u);
    assert.ok(reply.segments <= 2);
  });

  test('no home region: the everywhere guide, with the JOIN hint where it fits', async () => {
    const phone = freshNumber();
    const reply = await replyTo(stack, phone, 'TIP BARLEY');
    assert.match(reply.text, /Water barley after it comes up\./u);
    assert.doesNotMatch(reply.text, /Gyantse/u);
  });

  test('a product without guides says so and names those that have some', async () => {
    const phone = freshNumber();
    const reply = await replyTo(stack, phone, 'TIP WHEAT');
    assert.match(reply.text, /No tips for wheat/u);
    assert.match(reply.text, /barley/iu);
    assert.match(reply.text, /yak/iu);
    const zh = await replyTo(stack, freshNumber(), '建议 小麦');
    assert.match(zh.text, /暂无小麦建议/u);
    assert.match(zh.text, /青稞/u);
  });

  test('TIP alone: the usage', async () => {
    const reply = await replyTo(stack, freshNumber(), 'TIP');
    assert.ok(reply.text.includes(smsText('en', 'tip.usage')), reply.text);
  });
});

describe('ALERTS', () => {
  test('home region in the alert area: the alert, severest first; Tibetan without Chinese', async () => {
    const en = freshNumber();
    await replyTo(stack, en, 'JOIN Gyantse');
    assert.match((await replyTo(stack, en, 'ALERTS')).text, /Hail tomorrow/u);
    const bo = freshNumber();
    await replyTo(stack, bo, 'ཐོ་འགོད རྒྱལ་རྩེ');
    const reply = await replyTo(stack, bo, 'ཉེན་བརྡ');
    assert.match(reply.text, /སེར་བ་འབབ/u);
    assert.ok(!HAN.test(body(reply.text)), reply.text);
    const zh = freshNumber();
    await replyTo(stack, zh, '注册 江孜');
    assert.match((await replyTo(stack, zh, '预警')).text, /冰雹/u);
  });

  test('outside the area: none; no home region: JOIN first', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, 'JOIN Lhunzhub');
    assert.ok((await replyTo(stack, phone, 'ALERTS')).text.includes(smsText('en', 'alerts.none')));
    const stranger = freshNumber();
    assert.ok((await replyTo(stack, stranger, 'ALERTS')).text.includes(smsText('en', 'alerts.noHome')));
  });
});

describe('ASK', () => {
  test('a question gets a code and the answer time; a follow-up joins the thread; another number is refused', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, 'JOIN Gyantse');
    const ack = await replyTo(stack, phone, 'ASK my yak is coughing and will not eat');
    const code = /Q\d{4,6}/u.exec(ack.text)?.[0];
    assert.ok(code, ack.text);
    assert.match(ack.text, /72 hours/u);
    const question = await stack.deps.questions.get(
      { actor: { phone: '+8613800000000', grants: [{ role: 'admin', regions: ['*'] }], configAdmin: false } },
      code,
    );
    assert.equal(question.question.messages[0]?.text, 'my yak is coughing and will not eat');
    assert.equal(question.question.commodityId, 'yak_live');
    assert.deepEqual(question.question.regionPath, ['cty_shigatse_gyantse', 'pref_shigatse']);
    const follow = await replyTo(stack, phone, `ASK ${code.toLowerCase()} Still coughing today`);
    assert.match(follow.text, new RegExp(`Added to ${code}`, 'u'));
    const other = await replyTo(stack, freshNumber(), `ASK ${code} hello`);
    assert.ok(other.text.includes(smsText('en', 'ask.notYours', { code })), other.text);
  });

  test('Chinese and Tibetan forms; the text kept as typed; no text → usage', async () => {
    const zh = freshNumber();
    const ack = await replyTo(stack, zh, '问 牦牛咳嗽不吃草');
    assert.match(ack.text, /问题Q\d+已收到/u);
    const bo = freshNumber();
    const boAck = await replyTo(stack, bo, 'འདྲི གཡག་ན།');
    assert.match(boAck.text, /Q\d+/u);
    assert.ok(!HAN.test(body(boAck.text)), boAck.text);
    const wylie = await replyTo(stack, freshNumber(), "'dri g.yag na");
    assert.match(wylie.text, /Q\d+/u);
    assert.ok(!HAN.test(body(wylie.text)), wylie.text);
    const usage = await replyTo(stack, freshNumber(), 'ASK');
    assert.ok(usage.text.includes(smsText('en', 'ask.usage')), usage.text);
  });

  test('more than five a day from one number: refused, naming the limit', async () => {
    const phone = freshNumber();
    for (let i = 1; i <= 5; i++) assert.match((await replyTo(stack, phone, `ASK question ${i}`)).text, /Q\d+/u);
    const sixth = await replyTo(stack, phone, 'ASK question 6');
    assert.ok(sixth.text.includes(smsText('en', 'ask.limit', { limit: 5 })), sixth.text);
  });

  test('a question of 1,200 characters (a joined multi-part SMS) is kept whole; past 1,600 refused', async () => {
    const phone = freshNumber();
    const words = `${'my yak is coughing and will not eat, '.repeat(32)}what should I do?`;
    assert.ok(words.length > 1_200);
    const ok = await replyTo(stack, phone, `ASK ${words}`);
    const code = /Q\d+/u.exec(ok.text)?.[0];
    assert.ok(code, ok.text);
    const admin = acting('+8613800000000', { role: 'admin', regions: ['*'] });
    const stored = await stack.deps.questions!.get(admin, code);
    assert.equal(stored.question.messages[0]?.text, words);
    const long = await replyTo(stack, phone, `ASK ${'a'.repeat(1_700)}`);
    assert.ok(long.text.includes(smsText('en', 'ask.tooLong', { max: 1600 })), long.text);
  });
});

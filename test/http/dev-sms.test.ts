/**
 * The local SMS contracts (DESIGN.md): POST /dev/sms runs the whole inbound pipeline and
 * answers with the SMS it caused; GET /dev/outbox lists what a number was sent, newest first.
 * Through them: language guessing for new numbers, every command's effect on the stored
 * subscriber, the STOP rules, DELETE ME, deduplication on the message id, unknown counties,
 * the segment figures per language, and Wylie replies. Real app, real dynalite.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Language } from '#core/i18n.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { freshNumber, outbox, replyTo, smsRequest, smsText, TIBETAN, texts } from '#test/support/dev-sms.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const subscriber = (phone: string) => stack.deps.subscribers.get(phone);
const GYANTSE = 'cty_shigatse_gyantse';

describe('POST /dev/sms and GET /dev/outbox: the contracts', () => {
  test('POST /dev/sms {from, text, id?} → 200 {replies: [{to, text, encoding, segments}]}', async () => {
    const from = freshNumber();
    const res = await stack.app.request('/dev/sms', smsRequest({ from, text: 'HELP', id: 'contract-1' }));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const body = await jsonOf(res);
    assert.deepEqual(Object.keys(body), ['replies']);
    assert.equal(body.replies.length, 1);
    const [reply] = body.replies;
    assert.deepEqual(Object.keys(reply).sort(), ['encoding', 'segments', 'text', 'to']);
    assert.equal(reply.to, from);
    assert.equal(reply.encoding, 'GSM-7');
    assert.equal(reply.segments, 1);
    assert.equal(reply.text, `[Zhingdrok] ${smsText('en', 'help.commands')}`);
  });

  test('id is optional, and a number may be written the local way', async () => {
    const reply = await replyTo(stack, '139 0000 1234', 'HELP');
    assert.equal(reply.to, '+8613900001234');
  });

  test('GET /dev/outbox?to= lists what the number was sent, newest first, with the same fields', async () => {
    const from = freshNumber();
    const sent = [
      await replyTo(stack, from, 'HELP'),
      await replyTo(stack, from, 'JOIN Gyantse'),
      await replyTo(stack, from, 'LANG ZH'),
    ];
    const listed = await outbox(stack, from);
    assert.deepEqual(listed, sent.reverse());
    for (const m of listed) assert.deepEqual(Object.keys(m).sort(), ['encoding', 'segments', 'text', 'to']);
    assert.deepEqual(await outbox(stack, freshNumber()), [], 'a number never written to has an empty outbox');
  });
});

describe('a new number is registered on its first message, in the language of its script', () => {
  const cases: Array<[string, string, Language, 'tibetan' | 'wylie', 'GSM-7' | 'UCS-2']> = [
    ['Tibetan script', 'རོགས་རམ', 'bo', 'tibetan', 'UCS-2'],
    ['Chinese', '帮助', 'zh', 'tibetan', 'UCS-2'],
    ['Wylie', 'rogs ram', 'bo', 'wylie', 'GSM-7'],
    ['English', 'HELP', 'en', 'tibetan', 'GSM-7'],
  ];
  for (const [name, text, language, script, encoding] of cases) {
    test(`${name}: ${text}`, async () => {
      const from = freshNumber();
      assert.equal(await subscriber(from), undefined);
      const reply = await replyTo(stack, from, text);
      const sub = await subscriber(from);
      assert.ok(sub, 'registered');
      assert.deepEqual(
        [sub.language, sub.script, sub.optedOut, sub.topics, sub.homeRegionId],
        [language, script, false, [], undefined],
      );
      assert.equal(reply.encoding, encoding);
      if (script === 'wylie') {
        assert.doesNotMatch(reply.text, TIBETAN);
        assert.match(reply.text, /tho 'god/, 'the Tibetan help, in Wylie');
      } else if (language === 'bo') assert.match(reply.text, TIBETAN);
      else if (language === 'zh') assert.ok(reply.text.includes(smsText('zh', 'help.commands')));
      else assert.ok(reply.text.endsWith(smsText('en', 'help.commands')));
    });
  }

  test('a message with no script ("?") gets the default, Tibetan', async () => {
    const from = freshNumber();
    const reply = await replyTo(stack, from, '?');
    assert.equal((await subscriber(from))?.language, 'bo');
    assert.match(reply.text, TIBETAN);
  });
});

describe('every command and its effect on the stored subscriber', () => {
  test('HELP changes nothing', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'JOIN Gyantse');
    const before = await subscriber(from);
    const reply = await replyTo(stack, from, 'HELP');
    assert.ok(reply.text.endsWith(smsText('en', 'help.commands')));
    assert.deepEqual(await subscriber(from), before);
  });

  test('JOIN <county> in four scripts sets the home county', async () => {
    for (const text of ['JOIN Gyantse', '注册 江孜', '注册江孜', 'ཐོ་འགོད རྒྱལ་རྩེ', "tho 'god rgyal rtse"]) {
      const from = freshNumber();
      const reply = await replyTo(stack, from, text);
      assert.equal((await subscriber(from))?.homeRegionId, GYANTSE, text);
      assert.ok(/Gyantse|江孜|རྒྱལ་རྩེ|rgyal rtse/.test(reply.text), `${text}: ${reply.text}`);
    }
  });

  test('LANG sets the language, and the answer is in the new one', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'HELP');
    const zh = await replyTo(stack, from, 'LANG ZH');
    assert.equal((await subscriber(from))?.language, 'zh');
    assert.ok(zh.text.endsWith(smsText('zh', 'lang.ok')));
    const bo = await replyTo(stack, from, '语言 藏语');
    assert.equal((await subscriber(from))?.language, 'bo');
    assert.ok(bo.text.endsWith(smsText('bo', 'lang.ok')));
    await replyTo(stack, from, 'སྐད་ཡིག དབྱིན་སྐད');
    assert.equal((await subscriber(from))?.language, 'en');
  });

  test('SCRIPT WYLIE and SCRIPT TIBETAN set the script', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'རོགས་རམ');
    const wylie = await replyTo(stack, from, 'SCRIPT WYLIE');
    assert.equal((await subscriber(from))?.script, 'wylie');
    assert.doesNotMatch(wylie.text, TIBETAN, 'already answered in Wylie');
    const tibetan = await replyTo(stack, from, 'SCRIPT TIBETAN');
    assert.equal((await subscriber(from))?.script, 'tibetan');
    assert.match(tibetan.text, TIBETAN);
  });

  test("SUB and UNSUB add and remove topics: weather, pest, a product's prices", async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'SUB PRICE BARLEY');
    await replyTo(stack, from, '订阅 天气');
    await replyTo(stack, from, 'SUB PEST');
    await replyTo(stack, from, 'SUB PEST');
    assert.deepEqual((await subscriber(from))?.topics, ['price:barley_qingke', 'weather', 'pest'], 'each topic once');
    const reply = await replyTo(stack, from, 'UNSUB PEST');
    assert.match(reply.text, /Unsubscribed: pests/);
    assert.deepEqual((await subscriber(from))?.topics, ['price:barley_qingke', 'weather']);
  });

  test('SUB DISEASE and SUB MARKET (in every language) follow livestock disease and market news', async () => {
    const from = freshNumber();
    const disease = await replyTo(stack, from, 'SUB DISEASE');
    assert.match(disease.text, /Subscribed: livestock disease/);
    await replyTo(stack, from, 'SUB MARKET');
    await replyTo(stack, from, '订阅 疫病');
    assert.deepEqual((await subscriber(from))?.topics, ['disease', 'market'], 'each topic once, whatever the language');
    const unsub = await replyTo(stack, from, 'UNSUB MARKET');
    assert.match(unsub.text, /Unsubscribed: market news/);
    const tibetan = freshNumber();
    await replyTo(stack, tibetan, 'མངགས་ཉོ་རིམས་ནད');
    await replyTo(stack, tibetan, 'མངགས་ཉོ་ཁྲོམ');
    assert.deepEqual((await subscriber(tibetan))?.topics, ['disease', 'market']);
    assert.deepEqual((await subscriber(from))?.topics, ['disease']);
  });

  test('STOP (and 退订, TD, T, མཚམས་འཇོག) opts out; START opts back in', async () => {
    for (const stop of ['STOP', '退订', 'TD', 'T', 'མཚམས་འཇོག']) {
      const from = freshNumber();
      await replyTo(stack, from, 'JOIN Gyantse');
      const confirmation = await replyTo(stack, from, stop);
      assert.equal((await subscriber(from))?.optedOut, true, stop);
      assert.ok(confirmation.text.endsWith(smsText('en', 'stop.ok')), `${stop}: answered in the subscriber's language`);
      await replyTo(stack, from, 'START');
      assert.equal((await subscriber(from))?.optedOut, false, stop);
    }
  });

  test('DELETE ME erases the subscriber and the SMS sent to them before', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'JOIN Gyantse');
    await replyTo(stack, from, 'SUB WEATHER');
    assert.equal((await outbox(stack, from)).length, 2);
    const reply = await replyTo(stack, from, 'DELETE ME');
    assert.ok(reply.text.endsWith(smsText('en', 'delete.ok')));
    assert.equal(await subscriber(from), undefined);
    assert.deepEqual(await outbox(stack, from), [reply], 'only the confirmation is left');
    assert.deepEqual(
      (await stack.deps.outbound.listTo(from, 10)).map((m) => m.key),
      ['delete.ok'],
    );
  });

  test('DELETE ME as the first message registers nobody', async () => {
    const from = freshNumber();
    const reply = await replyTo(stack, from, '删除我');
    assert.ok(reply.text.endsWith(smsText('zh', 'delete.ok')), 'answered in the language it was written in');
    assert.equal(await subscriber(from), undefined);
  });
});

describe('STOP rules: a stopped number gets the confirmation, START and HELP, nothing else', () => {
  test('STOP then JOIN → no reply and no change', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'STOP');
    const before = await subscriber(from);
    for (const text of ['JOIN Gyantse', 'LANG ZH', 'SCRIPT WYLIE', 'SUB WEATHER', 'UNSUB PEST', 'HLEP', '', '😀']) {
      assert.deepEqual(await texts(stack, from, text), [], text);
    }
    assert.deepEqual(await subscriber(from), before);
    assert.equal((await outbox(stack, from)).length, 1, 'the STOP confirmation only');
  });

  test('STOP then HELP → the help; STOP again → the confirmation again; START → back', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'STOP');
    assert.ok((await replyTo(stack, from, 'HELP')).text.endsWith(smsText('en', 'help.commands')));
    assert.ok((await replyTo(stack, from, 'STOP')).text.endsWith(smsText('en', 'stop.ok')));
    assert.ok((await replyTo(stack, from, 'START')).text.endsWith(smsText('en', 'start.ok')));
    assert.equal((await subscriber(from))?.optedOut, false);
    assert.equal((await texts(stack, from, 'JOIN Gyantse')).length, 1, 'answered again');
  });

  test('STOP then DELETE ME → erased (it only takes away), without an SMS', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'STOP');
    assert.deepEqual(await texts(stack, from, 'DELETE ME'), []);
    assert.equal(await subscriber(from), undefined);
  });

  test('alerts and other non-essential SMS never reach a stopped number', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'SUB WEATHER');
    await replyTo(stack, from, 'STOP');
    const alert = await stack.deps.messenger.send({
      to: from,
      key: 'topic.weather',
      essential: false,
      idempotencyKey: `alert:${from}`,
    });
    assert.equal((await stack.deps.outbound.get(alert.id))?.status, 'blocked');
    assert.equal((await outbox(stack, from)).length, 2, 'the SUB and STOP replies only');
  });
});

describe('deduplication on the gateway message id', () => {
  test('the same id twice: the second has no replies and no effect, even with other text', async () => {
    const from = freshNumber();
    const first = await texts(stack, from, 'JOIN Gyantse', 'dup-1');
    assert.equal(first.length, 1);
    const before = await subscriber(from);
    assert.deepEqual(await texts(stack, from, 'JOIN Gyantse', 'dup-1'), []);
    assert.deepEqual(await texts(stack, from, 'JOIN Lhasa', 'dup-1'), []);
    assert.deepEqual(await subscriber(from), before);
    assert.equal((await outbox(stack, from)).length, 1);
  });

  test('the same id five times at once: one effect, one reply', async () => {
    const from = freshNumber();
    // (Those that arrive while the first is at work answer 503 "retry later": dev-sms-guards.test.ts.)
    const all = await Promise.all(
      Array.from({ length: 5 }, () =>
        texts(stack, from, 'SUB WEATHER', 'dup-concurrent').catch((e: Error) =>
          /answered 503/.test(e.message) ? [] : Promise.reject(e),
        ),
      ),
    );
    assert.equal(all.flat().length, 1);
    assert.deepEqual((await subscriber(from))?.topics, ['weather']);
    assert.equal((await outbox(stack, from)).length, 1);
  });

  test('different ids from one number at once all take effect (no lost update)', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'HELP');
    const topics = ['weather', 'pest', 'barley', 'butter', 'yak'];
    const all = await Promise.all(topics.map((t) => texts(stack, from, `SUB ${t}`)));
    assert.equal(all.flat().length, 5);
    assert.deepEqual(
      new Set((await subscriber(from))?.topics),
      new Set(['weather', 'pest', 'price:barley_qingke', 'price:butter', 'price:yak_live']),
    );
  });

  test('the same id from another gateway is another message', async () => {
    const from = freshNumber();
    const base = { messageId: 'same-id', from, text: 'HELP', receivedAt: new Date().toISOString() };
    assert.equal((await stack.deps.handleInbound({ ...base, gateway: 'dev' })).replies.length, 1);
    assert.equal((await stack.deps.handleInbound({ ...base, gateway: 'eum' })).replies.length, 1);
    assert.equal((await stack.deps.handleInbound({ ...base, gateway: 'eum' })).duplicate, true);
  });
});

describe('JOIN with an unknown county', () => {
  test("suggestions in the reply, in the sender's language; nothing saved", async () => {
    const cases: Array<[string, RegExp]> = [
      ['JOIN Gyantze', /Did you mean Gyantse County\?/],
      // 江达县 and 隆子县 are as close to 江子 as 江孜县 is: all three are offered.
      ['注册 江子', /您是指(\S+、)*江孜县(、\S+)*吗/],
      ['ཐོ་འགོད རྒྱལ་རྩ', /རྒྱལ་རྩེ་.*ཡིན་ནམ།/u],
    ];
    for (const [text, suggestion] of cases) {
      const from = freshNumber();
      const reply = await replyTo(stack, from, text);
      assert.match(reply.text, suggestion, reply.text);
      assert.equal((await subscriber(from))?.homeRegionId, undefined, text);
    }
  });

  test('an existing subscriber keeps their county', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'JOIN Gyantse');
    const before = await subscriber(from);
    const reply = await replyTo(stack, from, 'JOIN Xyzzyq');
    assert.ok(reply.text.endsWith(smsText('en', 'join.notFound', { text: 'xyzzyq' })));
    assert.deepEqual(await subscriber(from), before);
  });

  test('a misspelt keyword gets "did you mean"', async () => {
    const from = freshNumber();
    const reply = await replyTo(stack, from, 'JION Gyantse');
    assert.ok(reply.text.endsWith(smsText('en', 'help.didYouMean', { keyword: 'JOIN' })), reply.text);
    assert.equal((await subscriber(from))?.homeRegionId, undefined);
  });
});

describe('segments: HELP, JOIN, LANG and STOP replies are 1 SMS in zh and en, at most 2 in bo', () => {
  const ways: Record<
    Language,
    { start: string; help: string; join: (name: string) => string; lang: string; stop: string; signature: string }
  > = {
    en: {
      start: 'HELP',
      help: 'HELP',
      join: (n) => `JOIN ${n}`,
      lang: 'LANG EN',
      stop: 'STOP',
      signature: '[Zhingdrok] ',
    },
    zh: {
      start: '帮助',
      help: '帮助',
      join: (n) => `注册 ${n}`,
      lang: '语言 中文',
      stop: '退订',
      signature: '【农牧通】',
    },
    bo: {
      start: 'རོགས་རམ',
      help: 'རོགས་རམ',
      join: (n) => `ཐོ་འགོད ${n}`,
      lang: 'སྐད་ཡིག བོད་སྐད',
      stop: 'མཚམས་འཇོག',
      signature: '【农牧通】',
    },
  };
  const limit: Record<Language, number> = { en: 1, zh: 1, bo: 2 };
  const { regions } = referenceSeed();

  for (const lang of ['en', 'zh', 'bo'] as const) {
    test(`${lang}: signature included, every county`, async () => {
      const way = ways[lang];
      let from = freshNumber();
      const check = (what: string, reply: { text: string; segments: number }) => {
        assert.ok(reply.text.startsWith(way.signature), `${what}: signed (${reply.text})`);
        assert.ok(reply.segments <= limit[lang], `${what} takes ${reply.segments} segments: ${reply.text}`);
      };
      const startNumber = async () => {
        from = freshNumber();
        check('HELP', await replyTo(stack, from, way.help));
        assert.equal((await subscriber(from))?.language, lang);
      };
      await startNumber();
      for (const [i, region] of regions.entries()) {
        // A number may send 30 SMS an hour (SMS_INBOUND_PER_HOUR): the 82 regions take several.
        if (i > 0 && i % 25 === 0) await startNumber();
        const name = lang === 'en' ? region.names.en : lang === 'zh' ? region.names.zh : region.names.bo;
        const reply = await replyTo(stack, from, way.join(name));
        assert.equal((await subscriber(from))?.homeRegionId, region.id, `${way.join(name)} → ${reply.text}`);
        check(`JOIN ${region.id}`, reply);
      }
      check('LANG', await replyTo(stack, from, way.lang));
      check('STOP', await replyTo(stack, from, way.stop));
    });
  }

  test('bo in Wylie: the same replies, GSM-7, no Tibetan character, at most 2', async () => {
    const from = freshNumber();
    for (const text of ['rogs ram', "tho 'god rgyal rtse", 'skad yig bod skad', "mtshams 'jog"]) {
      const reply = await replyTo(stack, from, text);
      assert.equal((await subscriber(from))?.script, 'wylie');
      assert.doesNotMatch(reply.text, TIBETAN, reply.text);
      assert.equal(reply.encoding, 'GSM-7', reply.text);
      assert.ok(reply.segments <= 2);
    }
  });
});

describe('a subscriber who chose SCRIPT WYLIE gets no Tibetan character', () => {
  test('in any reply: commands, failures, echoes of Tibetan text', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'རོགས་རམ');
    await replyTo(stack, from, 'SCRIPT WYLIE');
    const messages = [
      'HELP',
      'ཐོ་འགོད རྒྱལ་རྩེ',
      'ཐོ་འགོད རྒྱལ་རྩ',
      'JOIN Xyzzyq',
      'SUB WEATHER',
      'མངགས་ཉོ ནས',
      'UNSUB PEST',
      'LANG BO',
      'HLEP',
      'རོགས་རན',
      '',
      '\uf300',
      'JOIN',
      'STOP',
      'START',
    ];
    for (const text of messages) {
      const reply = await replyTo(stack, from, text);
      assert.doesNotMatch(reply.text, TIBETAN, `${JSON.stringify(text)} → ${reply.text}`);
      assert.equal(reply.encoding, 'GSM-7', `${JSON.stringify(text)} → ${reply.text}`);
    }
    assert.deepEqual([(await subscriber(from))?.language, (await subscriber(from))?.script], ['bo', 'wylie']);
  });
});

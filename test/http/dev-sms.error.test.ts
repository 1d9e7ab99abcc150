/**
 * Bad input on the local SMS contracts: every class of bad SMS text gets one short help reply
 * in the right language and changes nothing (a new number is still registered — "registered
 * on its first message" — with nothing else set); a bad request body is a 400 problem.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Language } from '#core/i18n.ts';
import { freshNumber, outbox, replyTo, smsRequest, smsText } from '#test/support/dev-sms.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const subscriber = (phone: string) => stack.deps.subscribers.get(phone);

/** Each class of bad input, and the language a new number writing it is registered in. */
const badInputs: Array<[string, string, Language]> = [
  ['empty', '', 'bo'],
  ['whitespace only', ' \t\n\u3000 ', 'bo'],
  ['1,000 characters', 'x'.repeat(1000), 'en'],
  ['1,000 Tibetan characters', 'ཀ་'.repeat(500), 'bo'],
  ['1,000 Chinese characters', '青'.repeat(1000), 'zh'],
  ['control characters', '\u0000\u0001\u0007\u001b\u007f', 'bo'],
  ['private-use "precomposed Tibetan"', '\uf300\uf4a1\uf8ff', 'bo'],
  ['mixed scripts', 'QQQ ནས 青稞 yak', 'bo'],
  ['Chinese and Latin', 'hello 你好', 'zh'],
  ['emoji', '😀🐄🌾👍🏽', 'bo'],
  ['a lone surrogate', '\ud800abc', 'en'],
  ['zero-width characters', '\u200b\u200d\ufeff', 'bo'],
];

describe('bad SMS text: one short help reply in the right language, no crash, no state change', () => {
  for (const [name, text, language] of badInputs) {
    test(`${name}, from a new number: registered, nothing else`, async () => {
      const from = freshNumber();
      const reply = await replyTo(stack, from, text);
      assert.equal(reply.segments, 1, `short: ${reply.text}`);
      assert.ok(reply.text.endsWith(smsText(language, 'help.unknown')), `in ${language}: ${reply.text}`);
      const sub = await subscriber(from);
      assert.ok(sub);
      assert.deepEqual(
        [sub.language, sub.homeRegionId, sub.topics, sub.optedOut, sub.version],
        [language, undefined, [], false, 1],
      );
    });
  }

  test('from an existing subscriber: answered in their language, the subscriber unchanged', async () => {
    const from = freshNumber();
    await replyTo(stack, from, '注册 江孜');
    await replyTo(stack, from, '订阅 天气');
    const before = await subscriber(from);
    for (const [name, text] of badInputs) {
      const reply = await replyTo(stack, from, text);
      assert.ok(reply.text.endsWith(smsText('zh', 'help.unknown')), `${name}: ${reply.text}`);
      assert.equal(reply.segments, 1, name);
    }
    assert.deepEqual(await subscriber(from), before);
  });

  test('a keyword without its argument, or with one we do not know, changes nothing', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'JOIN Gyantse');
    const before = await subscriber(from);
    for (const [text, key] of [
      ['JOIN', 'join.missing'],
      ['LANG FR', 'lang.help'],
      ['SCRIPT', 'script.help'],
      ['SUB', 'sub.missing'],
    ] as const) {
      const reply = await replyTo(stack, from, text);
      assert.ok(reply.text.endsWith(smsText('en', key)), `${text}: ${reply.text}`);
    }
    assert.deepEqual(await subscriber(from), before);
  });
});

describe('bad requests to /dev/sms and /dev/outbox', () => {
  const problem = async (res: Response, code: string) => {
    assert.equal(res.status, 400);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const body = await jsonOf(res);
    assert.equal(body.code, code);
    assert.equal(body.status, 400);
    assert.ok(body.requestId);
    return body;
  };

  test('an invalid from → 400 validation_failed naming json.from; nothing registered or sent', async () => {
    for (const from of ['abc', '+86123', '', '+999999999999999999', '12']) {
      const body = await problem(
        await stack.app.request('/dev/sms', smsRequest({ from, text: 'HELP' })),
        'validation_failed',
      );
      assert.ok(
        body.errors.some((e: { path: string }) => e.path === 'json.from'),
        JSON.stringify(body),
      );
    }
  });

  test('missing or mistyped fields → 400 validation_failed', async () => {
    const from = freshNumber();
    for (const body of [
      { from },
      { text: 'HELP' },
      { from, text: 5 },
      { from, text: 'HELP', id: '' },
      { from, text: 'x'.repeat(2001) },
      [],
      'null',
    ]) {
      await problem(await stack.app.request('/dev/sms', smsRequest(body)), 'validation_failed');
    }
    assert.equal(await subscriber(from), undefined);
  });

  test('malformed JSON → 400 invalid_json; an empty body too', async () => {
    await problem(
      await stack.app.request('/dev/sms', smsRequest('{"from": "+8613900000000", "text": ')),
      'invalid_json',
    );
    await problem(await stack.app.request('/dev/sms', smsRequest('')), 'invalid_json');
  });

  test('GET /dev/outbox without a valid number → 400', async () => {
    await problem(await stack.app.request('/dev/outbox'), 'validation_failed');
    await problem(await stack.app.request('/dev/outbox?to=nobody'), 'validation_failed');
  });

  test('nothing was sent to a number that only sent bad requests', async () => {
    assert.deepEqual(await outbox(stack, '+8613900000000'), []);
    assert.equal(await subscriber('+8613900000000'), undefined);
  });
});

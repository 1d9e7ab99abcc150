/**
 * A deployment whose provider takes no Tibetan script (the registry's `tibetanScript`): Tibetan
 * readers are written to in Wylie (`wylie`) or in Chinese (`chinese`) — the messenger composes
 * for them so, and the gateway sends the registered Wylie or Chinese template — instead of their
 * SMS being refused. Through POST /dev/sms, with the gateway set to the Alibaba stand-in.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { TibetanScript } from '#core/sms/templates.ts';
import { registries } from '#templates/index.ts';
import { type AliyunStandIn, standInEnv, startAliyunStandIn } from '#test/support/aliyun-stand-in.ts';
import { freshNumber, TIBETAN, texts } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const HAN = /[\u3400-\u9FFF]/;

let aliyun: AliyunStandIn;
beforeAll(async () => {
  aliyun = await startAliyunStandIn();
});
afterAll(async () => {
  await aliyun?.close();
});

/** A stack sending through a copy of the default registry with `tibetanScript` set. */
function deployment(script: TibetanScript) {
  const name = `test-${script}`;
  const state: { stack?: TestStack } = {};
  beforeAll(async () => {
    // The registries are a bundled map (templates/index.ts): a deployment of this choice is one more entry.
    registries[name] = { ...registries.default!, deployment: name, tibetanScript: script };
    state.stack = await startTestStack(standInEnv(aliyun, { SMS_TEMPLATES: name }));
  });
  afterAll(async () => {
    await state.stack?.close();
    delete registries[name];
  });
  /** Texts `text` from a fresh number: the SMS the stand-in took for it, and the stored statuses. */
  return async (text: string) => {
    const stack = state.stack!;
    const from = freshNumber('137');
    const before = aliyun.sent.length;
    const replies = await texts(stack, from, text);
    const sent = aliyun.sent.slice(before).filter((s) => s.phoneNumbers === from.slice(3));
    const statuses = await Promise.all(sent.map(async (s) => (await stack.deps.outbound.get(s.outId!))?.status));
    return { replies, sent, statuses, subscriber: await stack.deps.subscribers.get(from) };
  };
}

const bars = [
  ['HELP', 'རོགས་རམ'],
  ['JOIN', 'ཐོ་འགོད རྒྱལ་རྩེ'],
  ['PRICE', 'ནས་རིན་གོང'],
] as const;

describe('tibetanScript wylie: Tibetan readers get the Wylie templates', () => {
  const textOf = deployment('wylie');
  for (const [name, text] of bars) {
    test(`${name} in Tibetan script: answered in Wylie, through a Wylie template`, async () => {
      const { replies, sent, statuses, subscriber } = await textOf(text);
      assert.equal(subscriber?.language, 'bo', 'still a Tibetan reader');
      assert.ok(replies.length >= 1);
      assert.equal(sent.length, replies.length, 'every reply went, none refused');
      assert.deepEqual(new Set(statuses), new Set(['sent']));
      for (const sms of sent) {
        assert.match(sms.templateCode, /^SMS_WY_/);
        const values = Object.values(sms.templateParam).join(' ');
        assert.doesNotMatch(values, TIBETAN, 'no Tibetan script in the parameters');
        assert.doesNotMatch(values, HAN, 'no Chinese in a Wylie reply');
      }
      for (const reply of replies) assert.doesNotMatch(reply.text, TIBETAN);
    });
  }
});

describe('tibetanScript chinese: Tibetan readers get the Chinese templates', () => {
  const textOf = deployment('chinese');
  for (const [name, text] of bars) {
    test(`${name} in Tibetan script: answered in Chinese, through a Chinese template`, async () => {
      const { replies, sent, statuses, subscriber } = await textOf(text);
      assert.equal(subscriber?.language, 'bo', 'their language stays Tibetan (a later deployment may write it)');
      assert.ok(replies.length >= 1);
      assert.equal(sent.length, replies.length, 'every reply went, none refused');
      assert.deepEqual(new Set(statuses), new Set(['sent']));
      for (const sms of sent) {
        assert.match(sms.templateCode, /^SMS_ZH_/);
        assert.doesNotMatch(Object.values(sms.templateParam).join(' '), TIBETAN);
      }
      for (const reply of replies) assert.match(reply.text, HAN);
    });
  }

  test('JOIN names the county in Chinese', async () => {
    const { sent } = await textOf('ཐོ་འགོད རྒྱལ་རྩེ');
    assert.equal(sent[0]?.templateParam.region, '江孜县');
  });
});

/**
 * Guards of the inbound pipeline through POST /dev/sms (issue 8): UNSUB with a topic we cannot
 * read is not a STOP; STOP hidden behind invisible format characters is still STOP.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { freshNumber, outbox, replyTo, smsText } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(() => stack.close());

const subscriber = (phone: string) => stack.deps.subscribers.get(phone);

describe('UNSUB <junk> is not a STOP', () => {
  test('UNSUB 🙂 from a follower: "not found", the topics they follow offered, nothing changed', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'SUB WEATHER');
    await replyTo(stack, from, 'SUB PRICE BARLEY');
    const before = await subscriber(from);
    const reply = await replyTo(stack, from, 'UNSUB 🙂');
    assert.ok(reply.text.endsWith(smsText('en', 'topic.unknown', { text: '🙂', suggestions: ['weather', 'highland barley'].join(smsText('en', 'list.separator')) })), reply.text);
    assert.deepEqual(await subscriber(from), before, 'not opted out, topics kept');
  });

  test('UNSUB with an unknown word, from a number that follows nothing: like SUB\'s unknown topic', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'HELP');
    const reply = await replyTo(stack, from, 'UNSUB xyzzy');
    assert.ok(reply.text.endsWith(smsText('en', 'topic.notFound', { text: 'xyzzy' })), reply.text);
    assert.equal((await subscriber(from))?.optedOut, false);
  });

  test('UNSUB alone (or with a full stop) is still STOP', async () => {
    for (const text of ['UNSUB', 'UNSUB.', '取消订阅！']) {
      const from = freshNumber();
      await replyTo(stack, from, 'HELP');
      await replyTo(stack, from, text);
      assert.equal((await subscriber(from))?.optedOut, true, text);
    }
  });
});

describe('STOP behind invisible characters', () => {
  const cases: Array<[string, string]> = [
    ['a right-to-left mark', '\u200FSTOP'],
    ['zero-width spaces', '\u200B\u200BSTOP'],
    ['a BOM and a word joiner', '\uFEFF\u2060退订'],
    ['an RTL embedding', '\u202Bམཚམས་འཇོག\u202C'],
    ['a soft hyphen inside', 'ST\u00ADOP'],
  ];
  for (const [name, text] of cases) {
    test(`${name}: opted out, and the STOP confirmation sent`, async () => {
      const from = freshNumber();
      await replyTo(stack, from, 'HELP');
      const reply = await replyTo(stack, from, text);
      assert.equal((await subscriber(from))?.optedOut, true);
      assert.ok(reply.text.endsWith(smsText('en', 'stop.ok')), reply.text);
      assert.equal((await outbox(stack, from))[0]?.text, reply.text);
    });
  }
});

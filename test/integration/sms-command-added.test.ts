/**
 * A command added as one module and one registry line (test/support/extra-sms-command.ts)
 * goes through the whole inbound pipeline on the local stack — parse, registration of a new
 * number, handler, reply, composition, STOP rules — with no change to the pipeline, the
 * replies or the composer.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { inboundSmsParts } from '#adapters/inbound-wiring.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import { withTopics } from '#test/support/extra-sms-command.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let pipeline: ReturnType<ReturnType<typeof inboundSmsParts>>;
beforeAll(async () => {
  stack = await startTestStack();
  // The inbound wiring every function uses, given the registry with the added command.
  pipeline = inboundSmsParts({ commands: withTopics })({ base: stack.deps }, () => stack.deps);
});
afterAll(() => stack.close());

let id = 0;
const send = (from: string, text: string) => {
  const msg: InboundSms = {
    gateway: 'test',
    messageId: `added-${++id}`,
    from,
    text,
    receivedAt: new Date().toISOString(),
  };
  return pipeline.handleInbound(msg);
};

test('a new number is registered by the added command and answered in the language it wrote', async () => {
  const phone = '+8613800000101';
  const { replies } = await send(phone, '我的订阅');
  assert.equal(replies.length, 1);
  assert.equal(replies[0]!.key, 'sub.missing');
  assert.match(replies[0]!.text, /^【农牧通】/u);
  assert.equal((await stack.deps.subscribers.get(phone))?.language, 'zh');
});

test('the added command answers from what other commands changed, and its refusal is its own', async () => {
  const phone = '+8613800000102';
  await send(phone, 'JOIN Gyantse');
  await send(phone, 'SUB WEATHER');
  const listed = await send(phone, 'TOPICS');
  assert.deepEqual(
    listed.replies.map((r) => r.key),
    ['sub.ok'],
  );
  assert.match(listed.replies[0]!.text, /weather/iu);
  const refused = await send(phone, 'TOPICS everything');
  assert.equal(refused.replies[0]!.key, 'topic.notFound');
  assert.match(refused.replies[0]!.text, /everything/u);
  const typo = await send(phone, 'TOPCS');
  assert.equal(typo.replies[0]!.key, 'help.didYouMean');
  assert.match(typo.replies[0]!.text, /TOPICS/u);
});

test('its flags are obeyed: not answered after STOP, while STOP and START still are', async () => {
  const phone = '+8613800000103';
  await send(phone, 'STOP');
  assert.deepEqual((await send(phone, 'TOPICS')).replies, []);
  assert.equal((await send(phone, 'START')).replies[0]!.key, 'start.ok');
  assert.equal((await send(phone, 'TOPICS')).replies[0]!.key, 'sub.missing');
});

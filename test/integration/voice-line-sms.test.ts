/**
 * The voice line's SMS are written in the language of the call: Messenger.send's `language`
 * beats the subscriber's, reaches a number that never subscribed, and survives the trip as a
 * message job (the way a function that composes no SMS hands it to the sender).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { messageJob, messageJobOf, messageRequest } from '#core/sms/message-jobs.ts';
import { newSubscriber } from '#core/subscribers/subscriber.ts';
import { freshNumber, outbox, smsText } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(() => stack?.close());

const TIBETAN = /[\u0F00-\u0FFF]/u;
const HAN = /\p{Script=Han}/u;
const unsigned = (text: string) => text.replace(/【[^】]*】/gu, '');

describe('Messenger.send language', () => {
  test("a subscriber who reads Chinese gets the call's Tibetan when asked; without it, their own", async () => {
    const phone = freshNumber();
    await stack.deps.subscribers.createIfAbsent(newSubscriber(phone, 'zh', stack.deps.now()));
    const request = { to: phone, key: 'voice.help', params: { phone: '+868916300000' }, essential: true };
    await stack.deps.messenger.send({ ...request, idempotencyKey: `t:${phone}:1`, language: 'bo' });
    await stack.deps.messenger.send({ ...request, idempotencyKey: `t:${phone}:2` });
    const sent = await outbox(stack, phone);
    expect(sent).toHaveLength(2);
    const bo = sent.find((m) => TIBETAN.test(m.text));
    const zh = sent.find((m) => !TIBETAN.test(m.text));
    expect(bo?.text).toContain(smsText('bo', 'voice.help', { phone: '+868916300000' }));
    expect(unsigned(bo!.text)).not.toMatch(HAN);
    expect(zh?.text).toContain(smsText('zh', 'voice.help', { phone: '+868916300000' }));
  });

  test('a number that never subscribed gets Chinese when the call was in Chinese (not the Tibetan default)', async () => {
    const phone = freshNumber();
    await stack.deps.messenger.send({
      to: phone,
      key: 'voice.help',
      params: { phone: '+868916300000' },
      essential: false,
      idempotencyKey: `t:${phone}`,
      language: 'zh',
    });
    const [sms] = await outbox(stack, phone);
    expect(sms!.text).toContain('拨打');
    expect(sms!.text).not.toMatch(TIBETAN);
    expect(await stack.deps.subscribers.get(phone)).toBeUndefined();
  });

  test('the language and the short forms of lines travel in a message job and are honoured where it is composed', async () => {
    const phone = freshNumber();
    const job = messageJob({
      to: phone,
      key: 'price.head',
      params: { commodity: 'ནས' },
      more: () => [
        {
          key: 'price.row',
          shortKey: 'price.rowShort',
          params: { market: 'བར་སྐོར', price: '4.50', unit: 'རྒྱ་མ', date: '05-12' },
        },
      ],
      essential: true,
      idempotencyKey: `t:${phone}`,
      language: 'bo',
    });
    const read = messageJobOf({ body: JSON.stringify(job) });
    expect(read?.language).toBe('bo');
    expect(read?.more?.bo[0]?.shortKey).toBe('price.rowShort');
    expect(messageJobOf({ body: JSON.stringify({ ...job, language: 'fr' }) })).toBeUndefined();
    await stack.deps.messenger.send(messageRequest(read!));
    const [sms] = await outbox(stack, phone);
    expect(sms!.text).toContain('བར་སྐོར');
    expect(sms!.text).toMatch(TIBETAN);
  });
});

/**
 * The exchange by SMS through POST /dev/sms and GET /dev/outbox, as a phone would use it: SELL
 * answers with the offer's code; FIND from another number finds it; MSG relays without a phone
 * number and the owner answers the same way; SHARE from both sides gives each the other's
 * number; SOLD by a stranger gets "no such offer of yours"; REPORT is received; a redelivered
 * SELL is one offer. Replies are in the sender's language and within one SMS (zh, en).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { globalAdmin } from '#core/staff/roles.ts';
import { freshNumber, outbox, replyTo, smsText, texts } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN } from '#test/support/staff.ts';

let stack: TestStack;
const admin = { actor: { phone: ADMIN, grants: [globalAdmin], configAdmin: true } };

const CODE = /\bL\d{4,6}\b/u;
const codeIn = (text: string) => CODE.exec(text)?.[0];
const PHONE = /\+?86\s?1\d{10}|\b1[3-9]\d{9}\b/u;

/** A number registered in a county (JOIN), in the language its JOIN was written in. */
async function joined(join: string) {
  const phone = freshNumber('135');
  await replyTo(stack, phone, join);
  return phone;
}

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack?.close());

describe('SELL, FIND, MSG, SHARE by SMS', () => {
  let seller: string;
  let buyer: string;
  let code: string;

  beforeAll(async () => {
    seller = await joined('JOIN Gyantse');
    buyer = await joined('注册 江孜');
    // An operator vouched for the seller: the offer is public at once.
    await stack.deps.exchange.vouch(admin, seller);
  });

  test('SELL answers with the code, the summary and how to end it, in one English SMS', async () => {
    const reply = await replyTo(stack, seller, 'SELL BARLEY 300 JIN 4.40', 'ex-sell-1');
    code = codeIn(reply.text)!;
    expect(code, reply.text).toBeDefined();
    expect(reply.segments).toBe(1);
    expect(reply.text).toContain('300 jin');
    expect(reply.text).toContain('4.40');
    expect(reply.text).toContain(`SOLD ${code}`);
    expect(await stack.deps.exchange.publicGet(code)).toMatchObject({ code, status: 'open', price: '4.40' });
  });

  test('the same message redelivered is the same offer, not a second', async () => {
    // (the pipeline claims each message id once: the redelivery changes nothing and is not answered again)
    expect(await texts(stack, seller, 'SELL BARLEY 300 JIN 4.40', 'ex-sell-1')).toEqual([]);
    const list = await replyTo(stack, seller, 'LIST');
    expect(list.text.match(new RegExp(CODE.source, 'gu'))?.filter((c) => c !== code)).toEqual([]);
    expect(list.text).toContain(code);
  });

  test('FIND from another number finds it, in Chinese, with no phone number', async () => {
    const reply = await replyTo(stack, buyer, '找 青稞');
    expect(reply.text).toContain(code);
    expect(reply.text).toContain('4.40');
    expect(reply.text).not.toMatch(PHONE);
    expect(reply.segments).toBe(1);
  });

  test('MSG relays the text from the service, signed without a number; the owner answers the same way', async () => {
    const sent = await replyTo(stack, buyer, `留言 ${code} 还有货吗？4.3元可以吗`);
    expect(sent.text).toContain(smsText('zh', 'exchange.relayed', { to: code }));
    const [relayed] = await outbox(stack, seller);
    expect(relayed?.text).toContain('4.3');
    expect(relayed?.text).not.toMatch(PHONE);
    const from = /\b[AL]\d{4,6}\b/u.exec(relayed!.text.replace(code, ''))?.[0];
    expect(from, relayed?.text).toBeDefined();

    const answer = await replyTo(stack, seller, `MSG ${from} yes, come on Monday`);
    expect(answer.text).toMatch(/sent/i);
    const [back] = await outbox(stack, buyer);
    expect(back?.text).toContain('come on monday');
    expect(back?.text).not.toMatch(PHONE);
  });

  test('SHARE from both sides gives each the other number, and not before', async () => {
    const first = await replyTo(stack, buyer, `交换号码 ${code}`);
    expect(first.text).not.toContain(seller.slice(3));
    const [asked] = await outbox(stack, seller);
    expect(asked?.text).not.toContain(buyer.slice(3));
    const from = /\b[AL]\d{4,6}\b/u.exec(asked!.text)?.[0];
    expect(from, asked?.text).toBeDefined();

    const second = await replyTo(stack, seller, `SHARE ${from}`);
    expect(second.text).toContain(buyer.slice(3));
    const [told] = await outbox(stack, buyer);
    expect(told?.text).toContain(seller.slice(3));
  });

  test('SOLD of the offer by a stranger: no such offer of yours, and it stays open', async () => {
    const stranger = await joined('JOIN Gyantse');
    const reply = await replyTo(stack, stranger, `SOLD ${code}`);
    expect(reply.text).toContain(smsText('en', 'exchange.notYours', { code }));
    expect(await stack.deps.exchange.publicGet(code)).toMatchObject({ status: 'open' });
    // Unknown codes get the very same reply: nothing about other people's offers leaks.
    const unknown = await replyTo(stack, stranger, 'SOLD L999999');
    expect(unknown.text).toContain(smsText('en', 'exchange.notYours', { code: 'L999999' }));
  });

  test('REPORT is received', async () => {
    const reply = await replyTo(stack, buyer, `举报 ${code} 要求先付款`);
    expect(reply.text).toContain(smsText('zh', 'exchange.report.done', { code }));
    const item = await stack.deps.exchange.moderationItem(admin, code);
    expect(item.reports.map((r) => r.text)).toContain('要求先付款');
  });

  test('SOLD by the owner ends it', async () => {
    const reply = await replyTo(stack, seller, `SOLD ${code}`);
    expect(reply.text).toContain(smsText('en', 'exchange.sold', { code }));
    expect(await stack.deps.exchange.publicGet(code)).toMatchObject({ status: 'sold' });
  });
});

describe('refusals by SMS', () => {
  test('SELL without a quantity, with an unknown unit, an unreadable price, an unknown product: a short reply, nothing stored', async () => {
    const phone = await joined('JOIN Gyantse');
    const cases: Array<[string, string, Record<string, string>]> = [
      ['SELL BUTTER', 'exchange.badQuantity', {}],
      ['SELL BUTTER 20 BAGS 35', 'exchange.unknownUnit', { text: 'bags' }],
      ['SELL BUTTER 20 JIN 3.555', 'exchange.badPrice', { text: '3.555' }],
    ];
    for (const [text, key, params] of cases) {
      const reply = await replyTo(stack, phone, text);
      expect(reply.text).toContain(smsText('en', key, params));
      expect(reply.segments).toBe(1);
    }
    const unknown = await replyTo(stack, phone, 'SELL BUTTR 20 JIN 35');
    expect(unknown.text).toMatch(/Did you mean Butter/i);
    const list = await replyTo(stack, phone, 'LIST');
    expect(list.text).toContain(smsText('en', 'exchange.list.none'));
  });

  test('a first offer from a number nobody vouched for waits for a check', async () => {
    const phone = await joined('注册 江孜');
    const reply = await replyTo(stack, phone, '卖 酥油 20斤 35元');
    const code = codeIn(reply.text)!;
    expect(reply.text).toContain(smsText('zh', 'exchange.held', { code }));
    expect(reply.segments).toBe(1);
    expect(await stack.deps.exchange.publicGet(code)).toBeUndefined();
  });

  test('YES with nothing waiting: a clear reply; a bare "ok" stays unknown', async () => {
    const phone = await joined('JOIN Gyantse');
    expect((await replyTo(stack, phone, 'YES')).text).toContain(smsText('en', 'exchange.confirm.none'));
    expect((await replyTo(stack, phone, 'ok')).text).toContain(smsText('en', 'help.unknown'));
  });

  test('Tibetan: SELL a yak by the head, counted without a unit word', async () => {
    const phone = await joined('ཐོ་འགོད རྒྱལ་རྩེ');
    await stack.deps.exchange.vouch(admin, phone);
    const replies = await texts(stack, phone, 'འཚོང གཡག ༥ ༨༠༠༠');
    expect(replies).toHaveLength(1);
    const code = codeIn(replies[0]!.text)!;
    expect(await stack.deps.exchange.publicGet(code)).toMatchObject({
      commodityId: 'yak_live',
      quantity: 5,
      unit: 'head',
      price: '8000.00',
    });
    expect(replies[0]!.segments).toBeLessThanOrEqual(2);
  });
});

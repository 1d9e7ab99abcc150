/**
 * Abuse and cost guards of the SMS channel, through POST /dev/sms on the real stack: the
 * per-number inbound rate limit, the outbound country allow-list, and the daily segment
 * budget that stops non-essential sending and raises an alarm.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { freshNumber, outbox, replyTo, smsText, texts } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

describe('inbound rate limit (SMS_INBOUND_PER_HOUR=3)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ SMS_INBOUND_PER_HOUR: '3' });
  });
  afterAll(() => stack.close());

  test('past the limit: one notice, then silence, and nothing acted on', async () => {
    const from = freshNumber();
    for (let i = 0; i < 3; i++)
      assert.equal((await texts(stack, from, 'HELP')).length, 1, `message ${i + 1} is answered`);
    const before = await stack.deps.subscribers.get(from);
    const notice = await texts(stack, from, 'JOIN Gyantse');
    assert.equal(notice.length, 1);
    assert.ok(notice[0]!.text.endsWith(smsText('en', 'rate.limited')), notice[0]!.text);
    for (const text of ['JOIN Gyantse', 'HELP', 'SUB WEATHER', ''])
      assert.deepEqual(await texts(stack, from, text), [], text);
    assert.deepEqual(await stack.deps.subscribers.get(from), before, 'JOIN and SUB past the limit changed nothing');
    assert.equal((await outbox(stack, from)).length, 4);
    assert.ok(stack.logs.some((l) => l.msg === 'inbound SMS over the hourly limit'));
  });

  test('the limit is per number', async () => {
    const a = freshNumber();
    const b = freshNumber();
    for (let i = 0; i < 5; i++) await texts(stack, a, 'HELP');
    assert.equal((await texts(stack, b, 'HELP')).length, 1);
  });

  test('STOP and DELETE ME past the limit are still carried out, unanswered', async () => {
    const from = freshNumber();
    for (let i = 0; i < 4; i++) await texts(stack, from, 'HELP');
    assert.deepEqual(await texts(stack, from, 'STOP'), []);
    assert.equal((await stack.deps.subscribers.get(from))?.optedOut, true, 'opted out');
    assert.deepEqual(await texts(stack, from, 'DELETE ME'), []);
    assert.equal(await stack.deps.subscribers.get(from), undefined, 'erased');
  });

  test('a stopped number that floods gets no notice either', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'STOP');
    for (let i = 0; i < 6; i++) {
      const replies = await texts(stack, from, 'JOIN Gyantse');
      assert.deepEqual(replies, [], `message ${i + 2}`);
    }
    assert.equal((await outbox(stack, from)).length, 1, 'the STOP confirmation only');
  });
});

describe('outbound country allow-list (default +86 only)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  test('a +1 number gets no SMS: its reply is recorded as blocked, and an alarm is logged', async () => {
    const from = '+14155552671';
    assert.deepEqual(await texts(stack, from, 'HELP'), [], 'no SMS caused');
    const stored = await stack.deps.outbound.listTo(from, 10);
    assert.equal(stored.length, 1);
    assert.equal(stored[0]!.status, 'blocked');
    assert.deepEqual(await outbox(stack, from), []);
    assert.ok(
      stack.logs.some((l) => l.msg === 'sms alarm' && l.kind === 'sms_country_blocked' && l.detail === '+1'),
      JSON.stringify(stack.logs),
    );
  });

  test('a +86 number is sent to', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'HELP');
    assert.equal((await stack.deps.outbound.listTo(from, 1))[0]?.status, 'sent');
  });
});

describe('outbound country allow-list widened (SMS_ALLOWED_COUNTRIES=86,1)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ SMS_ALLOWED_COUNTRIES: '86,1' });
  });
  afterAll(() => stack.close());

  test('a +1 number is sent to; a +44 one is not', async () => {
    assert.equal((await texts(stack, '+14155552671', 'HELP')).length, 1);
    assert.deepEqual(await texts(stack, '+447400123456', 'HELP'), []);
    assert.equal((await stack.deps.outbound.listTo('+447400123456', 1))[0]?.status, 'blocked');
  });
});

describe('daily segment budget (SMS_DAILY_SEGMENT_LIMIT=3)', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ SMS_DAILY_SEGMENT_LIMIT: '3' });
  });
  afterAll(() => stack.close());

  test('non-essential SMS stop at the limit with an alarm; replies (essential) are still sent', async () => {
    const to = freshNumber();
    await replyTo(stack, to, 'SUB WEATHER'); // 1 segment, essential
    const alert = (n: number) =>
      stack.deps.messenger.send({ to, key: 'topic.weather', essential: false, idempotencyKey: `budget-alert-${n}` });
    const statuses = [];
    for (let n = 0; n < 4; n++) statuses.push((await stack.deps.outbound.get((await alert(n)).id))?.status);
    assert.deepEqual(statuses, ['sent', 'sent', 'blocked', 'blocked'], '1 + 2 segments fit in 3');
    const alarms = stack.logs.filter((l) => l.msg === 'sms alarm' && l.kind === 'sms_budget_exhausted');
    assert.equal(alarms.length, 2, 'one alarm per message stopped');
    assert.equal(alarms[0]!.level, 'warn');

    const reply = await replyTo(stack, to, 'HELP');
    assert.ok(reply.text.endsWith(smsText('en', 'help.commands')), 'the reply still goes');
    assert.equal((await stack.deps.outbound.listTo(to, 1))[0]?.status, 'sent');
    assert.equal((await replyTo(stack, freshNumber(), 'STOP')).segments, 1, 'a STOP confirmation still goes');
  });
});

describe('the phone simulator form is guarded like every form', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
  });
  afterAll(() => stack.close());

  const form = (fields: Record<string, string>, headers: Record<string, string> = {}): RequestInit => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'http://localhost', ...headers },
    body: new URLSearchParams(fields).toString(),
  });

  test('without the CSRF token, or from another origin → 403, nothing sent', async () => {
    const number = freshNumber();
    const noToken = await stack.app.request('http://localhost/dev/phone', form({ number, text: 'HELP' }));
    assert.equal(noToken.status, 403);
    const page = await stack.app.request('http://localhost/dev/phone');
    const cookie = page.headers
      .getSetCookie()
      .find((c) => c.startsWith('csrf='))!
      .split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    const crossSite = await stack.app.request(
      'http://localhost/dev/phone',
      form({ number, text: 'HELP', _csrf: token }, { Cookie: cookie, Origin: 'https://evil.example' }),
    );
    assert.equal(crossSite.status, 403);
    assert.equal(await stack.deps.subscribers.get(number), undefined);

    const ok = await stack.app.request(
      'http://localhost/dev/phone',
      form({ number, text: 'HELP', _csrf: token }, { Cookie: cookie }),
    );
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get('location'), `/dev/phone?number=${encodeURIComponent(number)}`);
    assert.equal((await outbox(stack, number)).length, 1);
  });
});

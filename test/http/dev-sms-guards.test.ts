/**
 * Guards of the inbound pipeline through POST /dev/sms: the same id while a run
 * still holds its claim answers 503 with Retry-After, not `{"replies": []}`; UNSUB with a
 * topic we cannot read is not a STOP; STOP hidden behind invisible format characters is
 * still STOP.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { INBOUND_CLAIM_STALE_MS } from '#core/sms/inbound-timing.ts';
import { freshNumber, outbox, replyTo, smsRequest, smsText, texts } from '#test/support/dev-sms.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const subscriber = (phone: string) => stack.deps.subscribers.get(phone);

describe('the same id while it is still being handled', () => {
  const post = (body: unknown, headers: Record<string, string> = {}) => {
    const init = smsRequest(body);
    return stack.app.request('/dev/sms', {
      ...init,
      headers: { ...(init.headers as Record<string, string>), ...headers },
    });
  };

  test('a claim left processing (a crash moments ago): 503 problem with Retry-After, translated; nothing done', async () => {
    const from = freshNumber();
    const id = `in-progress-${from}`;
    // What a run that crashed right after claiming leaves behind, written through the adapter.
    const claimed = await stack.deps.claims.claim(
      { gateway: 'dev', messageId: id, from, text: 'SUB WEATHER', receivedAt: new Date().toISOString() },
      INBOUND_CLAIM_STALE_MS,
    );
    assert.deepEqual(claimed, { claimed: true });

    const res = await post({ from, text: 'SUB WEATHER', id }, { 'Accept-Language': 'zh' });
    assert.equal(res.status, 503);
    assert.match(res.headers.get('content-type') ?? '', /^application\/problem\+json/);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= INBOUND_CLAIM_STALE_MS / 1000,
      `Retry-After: ${res.headers.get('retry-after')}`,
    );
    const problem = await jsonOf(res);
    assert.equal(problem.code, 'sms_in_progress');
    assert.equal(problem.detail, `该短信仍在处理中，请 ${retryAfter} 秒后重新发送。`);
    assert.equal(await subscriber(from), undefined, 'nothing done');
    assert.deepEqual(await outbox(stack, from), []);

    // The local stack finishes it at start (here: what startLocalStack runs) — then the same
    // id again is a handled message: 200 {"replies": []}, as the contract says.
    assert.deepEqual(await stack.deps.finishUnfinishedInbound(), { finished: 1, failed: 0 });
    assert.equal((await outbox(stack, from)).length, 1, 'finished with exactly one reply');
    assert.deepEqual((await subscriber(from))?.topics, ['weather']);
    const again = await post({ from, text: 'SUB WEATHER', id });
    assert.equal(again.status, 200);
    assert.deepEqual(await jsonOf(again), { replies: [] });
    assert.equal((await outbox(stack, from)).length, 1);
  });

  test('the same id five times at once: one effect, one reply; the others handled already (200, no replies) or told to retry (503)', async () => {
    const from = freshNumber();
    const all = await Promise.all(
      Array.from({ length: 5 }, () => post({ from, text: 'SUB WEATHER', id: `dup-${from}` })),
    );
    const bodies = await Promise.all(all.map((r) => jsonOf(r)));
    const ok = all.flatMap((r, i) => (r.status === 200 ? [bodies[i] as { replies: unknown[] }] : []));
    assert.equal(ok.flatMap((b) => b.replies).length, 1, 'one reply among the answers');
    for (const r of all.filter((x) => x.status !== 200)) {
      assert.equal(r.status, 503);
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
    }
    assert.deepEqual(await texts(stack, from, 'SUB WEATHER', `dup-${from}`), [], 'after it was handled: no replies');
    assert.deepEqual((await subscriber(from))?.topics, ['weather']);
    assert.equal((await outbox(stack, from)).length, 1);
  });
});

describe('UNSUB <junk> is not a STOP', () => {
  test('UNSUB 🙂 from a follower: "not found", the topics they follow offered, nothing changed', async () => {
    const from = freshNumber();
    await replyTo(stack, from, 'SUB WEATHER');
    await replyTo(stack, from, 'SUB PRICE BARLEY');
    const before = await subscriber(from);
    const reply = await replyTo(stack, from, 'UNSUB 🙂');
    assert.ok(
      reply.text.endsWith(
        smsText('en', 'topic.unknown', {
          text: '🙂',
          suggestions: ['weather', 'highland barley'].join(smsText('en', 'list.separator')),
        }),
      ),
      reply.text,
    );
    assert.deepEqual(await subscriber(from), before, 'not opted out, topics kept');
  });

  test("UNSUB with an unknown word, from a number that follows nothing: like SUB's unknown topic", async () => {
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

describe('the absolute daily cap (SMS_DAILY_SEGMENT_LIMIT=2, SMS_DAILY_HARD_LIMIT=4)', () => {
  let capped: TestStack;
  beforeAll(async () => {
    capped = await startTestStack({ SMS_DAILY_SEGMENT_LIMIT: '2', SMS_DAILY_HARD_LIMIT: '4' });
  });
  afterAll(() => capped.close());

  const alarms = (kind: string) => capped.logs.filter((l) => l.msg === 'sms alarm' && l.kind === kind);
  const statusOf = async (id: string) => (await capped.deps.outbound.get(id))?.status;
  // One segment each: the English name of a topic.
  const essential = (to: string, n: number) =>
    capped.deps.messenger.send({ to, key: 'topic.weather', essential: true, idempotencyKey: `cap-essential-${n}` });
  const alert = (to: string, n: number) =>
    capped.deps.messenger.send({ to, key: 'topic.weather', essential: false, idempotencyKey: `cap-alert-${n}` });

  test('past it nothing goes — replies, sign-in codes, alerts — but STOP confirmations; each blocked SMS is recorded and alarms', async () => {
    const to = freshNumber();
    await replyTo(capped, to, 'HELP'); // 1 segment: the day's total is 1
    assert.equal((await alert(to, 1)).segments, 1);
    assert.equal(await statusOf((await alert(to, 2)).id), 'blocked', 'the soft limit (2) stops alerts first');
    assert.equal(alarms('sms_budget_exhausted').length, 1);
    for (const n of [1, 2])
      assert.equal(await statusOf((await essential(to, n)).id), 'sent', 'replies still go up to the cap');

    // The day's total is 4: the cap.
    const blockedReply = await essential(to, 3);
    assert.equal((blockedReply as { status?: string }).status, 'blocked', 'the messenger knows at once');
    assert.equal(await statusOf(blockedReply.id), 'blocked');
    assert.deepEqual(await texts(capped, to, 'HELP'), [], 'a reply past the cap is not sent (and not listed)');

    const admin = '+8613800000000';
    const code = await capped.app.request('/api/v1/auth/code', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ phone: admin }),
    });
    assert.equal(code.status, 202);
    await capped.deps.signInCodeQueue.settled?.(); // the code is delivered off the request path
    const [codeSms] = await capped.deps.outbound.listTo(admin, 1);
    assert.equal(codeSms?.status, 'blocked', 'a sign-in code past the cap is blocked too');
    assert.equal(alarms('sms_hard_limit_reached').length, 3, 'one alarm per reply or code stopped');
    assert.equal(alarms('sms_hard_limit_reached')[0]!.level, 'warn');

    const stop = await replyTo(capped, to, 'STOP');
    assert.ok(stop.text.endsWith(smsText('en', 'stop.ok')), 'the STOP confirmation still goes');
    assert.equal((await capped.deps.outbound.listTo(to, 1))[0]?.status, 'sent');
    assert.equal(alarms('sms_hard_limit_reached').length, 3);
  });
});

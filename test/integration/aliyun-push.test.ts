/**
 * Alibaba Cloud SMS pushes through the real app (POST /sms/aliyun/<token>/report and /up) and
 * the SMS bars with the gateway set to the stand-in: a valid push is recorded; a forged one (a
 * wrong token) is a 404 that changes nothing; a malformed one a 400 that changes nothing; a
 * replayed or reordered one changes nothing twice. PRICE, JOIN and HELP in the four scripts go
 * out through templates, and GET /dev/outbox still lists them.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, test } from 'vitest';
import {
  type AliyunStandIn,
  STAND_IN_PUSH_TOKEN,
  standInEnv,
  startAliyunStandIn,
} from '#test/support/aliyun-stand-in.ts';
import { freshNumber, outbox, texts } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const TOKEN = STAND_IN_PUSH_TOKEN;
let stack: TestStack;
let aliyun: AliyunStandIn;
let base: string;
let stop: () => Promise<void>;
beforeAll(async () => {
  aliyun = await startAliyunStandIn();
  stack = await startTestStack(standInEnv(aliyun));
  // A real listener: the stand-in pushes over HTTP, as the provider does.
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: stack.app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  stop = () => new Promise<void>((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await stop?.();
  await stack?.close();
  await aliyun?.close();
});

const reportUrl = (token = TOKEN) => `${base}/sms/aliyun/${token}/report`;
const upUrl = (token = TOKEN) => `${base}/sms/aliyun/${token}/up`;

/** A reply sent through the stand-in: HELP from a fresh number. */
async function sentReply() {
  const from = freshNumber();
  const before = aliyun.sent.length;
  const [reply] = await texts(stack, from, 'HELP');
  assert.ok(reply);
  const sms = aliyun.sent.slice(before).at(-1)!;
  const id = sms.outId!;
  return { from, sms, id };
}

describe('SmsReport pushes', () => {
  test('a valid report records the delivery; a replay changes nothing and is answered code 0', async () => {
    const { sms, id } = await sentReply();
    const res = await aliyun.push(reportUrl(), [aliyun.reportOf(sms, true)]);
    assert.deepEqual(res, { status: 200, body: { code: 0, msg: '成功' } });
    assert.equal((await stack.deps.outbound.get(id))?.status, 'delivered');
    const again = await aliyun.push(reportUrl(), [aliyun.reportOf(sms, true)]);
    assert.equal(again.status, 200);
    assert.equal((await stack.deps.outbound.get(id))?.status, 'delivered');
  });

  test('reordered: a failure after the delivery does not undo it; a delivery after a failure does', async () => {
    const first = await sentReply();
    await aliyun.push(reportUrl(), [aliyun.reportOf(first.sms, true), aliyun.reportOf(first.sms, false)]);
    assert.equal((await stack.deps.outbound.get(first.id))?.status, 'delivered');
    const second = await sentReply();
    await aliyun.push(reportUrl(), [aliyun.reportOf(second.sms, false, 'MK:0001')]);
    assert.equal((await stack.deps.outbound.get(second.id))?.status, 'failed');
    await aliyun.push(reportUrl(), [aliyun.reportOf(second.sms, true)]);
    assert.equal((await stack.deps.outbound.get(second.id))?.status, 'delivered');
  });

  test('found by biz_id alone when out_id is missing', async () => {
    const { sms, id } = await sentReply();
    await aliyun.push(reportUrl(), [{ ...aliyun.reportOf(sms, true), out_id: '' }]);
    assert.equal((await stack.deps.outbound.get(id))?.status, 'delivered');
  });

  test('forged (a wrong token): 404 and nothing changed', async () => {
    const { sms, id } = await sentReply();
    for (const token of ['push-token-0123456789abcdeX', 'x', TOKEN.slice(0, -1)]) {
      const res = await aliyun.push(reportUrl(token), [aliyun.reportOf(sms, false)]);
      assert.equal(res.status, 404);
    }
    assert.equal((await stack.deps.outbound.get(id))?.status, 'sent');
  });

  test('malformed: 400 {code: 1}, nothing changed, even for the valid records in the batch', async () => {
    const { sms, id } = await sentReply();
    const bodies: unknown[] = [{}, [], [{ biz_id: sms.bizId }], [aliyun.reportOf(sms, true), { nonsense: 1 }], 'x'];
    for (const body of bodies) {
      const res = await fetch(reportUrl(), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? '{not json' : JSON.stringify(body),
      });
      assert.equal(res.status, 400);
      assert.equal(((await res.json()) as { code: number }).code, 1);
    }
    assert.equal((await stack.deps.outbound.get(id))?.status, 'sent');
  });
});

describe('SmsUp pushes', () => {
  test('a reply from a phone runs the inbound pipeline once; a replay answers code 0 and sends nothing', async () => {
    const phone = freshNumber('138');
    const up = {
      phone_number: phone.slice(3),
      content: 'HELP',
      send_time: '2026-05-20 18:00:05',
      sign_name: '农牧通',
      dest_code: '1234',
      sequence_id: 7_000_000 + Math.floor(Math.random() * 1e6),
    };
    const before = aliyun.sent.length;
    const res = await aliyun.push(upUrl(), [up]);
    assert.deepEqual(res, { status: 200, body: { code: 0, msg: '成功' } });
    const sent = aliyun.sent.slice(before);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.phoneNumbers, phone.slice(3));
    assert.ok((await stack.deps.subscribers.get(phone)) !== undefined);

    const replay = await aliyun.push(upUrl(), [up]);
    assert.equal(replay.status, 200);
    assert.equal(aliyun.sent.length, before + 1, 'the replay sent nothing');
  });

  test('forged: 404 and no subscriber made; malformed: 400', async () => {
    const phone = freshNumber('137');
    const up = { phone_number: phone.slice(3), content: 'JOIN Gyantse', sequence_id: 123 };
    assert.equal((await aliyun.push(upUrl('wrong-token-0123456789'), [up])).status, 404);
    assert.equal(await stack.deps.subscribers.get(phone), undefined);
    assert.equal((await aliyun.push(upUrl(), [{ ...up, sequence_id: 'abc' }])).status, 400);
    assert.equal(await stack.deps.subscribers.get(phone), undefined);
  });
});

describe('the SMS bars through templates (POST /dev/sms, gateway = the stand-in)', () => {
  const bars: Array<[string, string]> = [
    ['HELP, English', 'HELP'],
    ['HELP, Chinese', '帮助'],
    ['HELP, Tibetan', 'རོགས་རམ'],
    ['HELP, Wylie', 'rogs ram'],
    ['JOIN, English', 'JOIN Gyantse'],
    ['JOIN, Chinese', '注册 江孜'],
    ['JOIN, Tibetan', 'ཐོ་འགོད རྒྱལ་རྩེ'],
    ['JOIN, Wylie', "tho 'god rgyal rtse"],
    ['PRICE, English', 'PRICE BARLEY'],
    ['PRICE, Chinese', '青稞价格'],
    ['PRICE, Tibetan', 'ནས་རིན་གོང'],
    ['PRICE, Wylie', 'rin gong nas'],
  ];
  for (const [name, text] of bars) {
    test(`${name}: ${text}`, async () => {
      const from = freshNumber('136');
      const before = aliyun.sent.length;
      const replies = await texts(stack, from, text);
      assert.ok(replies.length >= 1, 'answered');
      const sent = aliyun.sent.slice(before);
      assert.equal(sent.length, replies.length, 'every reply went through the gateway');
      for (const sms of sent) {
        assert.equal(sms.phoneNumbers, from.slice(3));
        assert.match(sms.templateCode, /^[A-Z0-9_]+$/);
        assert.equal(typeof sms.templateParam, 'object');
        const stored = await stack.deps.outbound.get(sms.outId!);
        assert.equal(stored?.status, 'sent');
      }
      // The local outbox still lists what was sent.
      const listed = await outbox(stack, from);
      assert.equal(listed.length, replies.length);
    });
  }
});

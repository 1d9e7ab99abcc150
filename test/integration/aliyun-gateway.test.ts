/**
 * The Alibaba Cloud SMS gateway through its hand-written client, against the loopback stand-in
 * (which checks every request's signature): the request on the wire, which errors are retried
 * (only those refused before sending), what the sender records for each, and the sms-reconcile
 * job over the awaiting-receipt index. Real table (dynalite), real sender.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { awaitingReceiptPartition, outboundKey } from '#adapters/dynamodb/keys.ts';
import { hourOf } from '#adapters/dynamodb/outbound-store.ts';
import { AliyunSmsClient } from '#adapters/sms/aliyun-client.ts';
import { ALIYUN_GATEWAY, AliyunSmsGateway } from '#adapters/sms/aliyun-sms.ts';
import { runJob } from '#core/alerts/jobs.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { GatewayError } from '#core/sms/ports.ts';
import { recordDeliveryReceipt } from '#core/sms/receipts.ts';
import { type SenderDeps, sendQueuedSms } from '#core/sms/sender.ts';
import { chooseTemplate } from '#core/sms/templates.ts';
import { toWylie } from '#core/text/wylie.ts';
import { registries } from '#templates/index.ts';
import { type AliyunStandIn, STAND_IN_KEY, standInEnv, startAliyunStandIn } from '#test/support/aliyun-stand-in.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let aliyun: AliyunStandIn;
let db: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  aliyun = await startAliyunStandIn();
  stack = await startTestStack(standInEnv(aliyun));
  db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
});
afterAll(async () => {
  await stack?.close();
  await aliyun?.close();
});

let n = 0;
async function queued(over: Partial<OutboundSms> = {}): Promise<OutboundSms> {
  const msg: OutboundSms = {
    id: `ali-${randomUUID().slice(0, 8)}`,
    to: `+86139223400${String(++n).padStart(2, '0')}`,
    text: '【农牧通】已登记：江孜。发送“帮助”查看指令。',
    encoding: 'UCS-2',
    segments: 1,
    key: 'join.ok',
    params: { region: '江孜' },
    essential: true,
    createdAt: new Date().toISOString(),
    ...over,
  };
  assert.equal(await stack.deps.outbound.record(msg), true);
  return msg;
}

const sender = (over: Partial<SenderDeps> = {}): SenderDeps => ({ ...stack.deps.sender, ...over });
const stored = (id: string) => stack.deps.outbound.get(id);

describe('SendSms on the wire', () => {
  test('one signed request: the number without +86, sign name, template, params as JSON, our id as OutId', async () => {
    const msg = await queued();
    const before = aliyun.sent.length;
    assert.equal(await sendQueuedSms(sender(), msg.id), 'sent');
    const [sms, ...more] = aliyun.sent.slice(before);
    assert.equal(more.length, 0);
    assert.equal(sms!.phoneNumbers, msg.to.slice(3));
    assert.equal(sms!.signName, '农牧通');
    // The registry's Chinese template of join.ok (templates/default.json).
    assert.equal(sms!.templateCode, 'SMS_ZH_006');
    assert.equal(sms!.templateParam.region, '江孜');
    assert.equal(sms!.outId, msg.id);
    const call = aliyun.calls.at(-1)!;
    assert.equal(call.params.Version, '2017-05-25');
    assert.equal(call.params.Format, 'JSON');
    assert.equal(call.params.RegionId, 'cn-hangzhou');
    assert.match(call.params.Timestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const item = await stored(msg.id);
    assert.equal(item?.status, 'sent');
    assert.equal(await stack.deps.outbound.findByGatewayId('aliyun', sms!.bizId), msg.id);
    // A second delivery of the queue job sends nothing.
    assert.equal(await sendQueuedSms(sender(), msg.id), 'skipped');
    assert.equal(aliyun.sent.length, before + 1);
  });

  test('a wrong key pair is refused by the stand-in: failed, not retried', async () => {
    const client = new AliyunSmsClient({
      endpoint: aliyun.url,
      region: 'cn-hangzhou',
      credentials: async () => ({ accessKeyId: STAND_IN_KEY.accessKeyId, accessKeySecret: 'not-the-secret' }),
    });
    const gateway = new AliyunSmsGateway(client, (m) => chooseTemplate(registries.default!, m, toWylie), {
      signName: '农牧通',
    });
    const msg = await queued();
    const refusedBefore = aliyun.refused.length;
    assert.equal(await sendQueuedSms(sender({ gateway }), msg.id), 'failed');
    assert.equal(aliyun.refused.length, refusedBefore + 1);
    assert.equal((await stack.deps.outbound.listTo(msg.to, 1))[0]?.status, 'failed');
  });

  test('a template refusal never reaches the provider, recorded with its reason', async () => {
    const client = new AliyunSmsClient({
      endpoint: aliyun.url,
      region: 'cn-hangzhou',
      credentials: async () => STAND_IN_KEY,
    });
    const gateway = new AliyunSmsGateway(client, (m) => ({ refused: 'free_text', key: m.key }), { signName: '农牧通' });
    const msg = await queued({ key: 'broadcast.free' });
    const before = aliyun.calls.length;
    assert.equal(await sendQueuedSms(sender({ gateway }), msg.id), 'failed');
    assert.equal(aliyun.calls.length, before);
  });
});

describe('retries: only what the provider refused before sending', () => {
  for (const code of ['Throttling.User', 'Throttling.Api', 'InvalidTimeStamp.Expired']) {
    test(`${code}: retryable, the message stays queued, and the retry sends it once`, async () => {
      const msg = await queued();
      aliyun.failNext(code);
      await assert.rejects(sendQueuedSms(sender(), msg.id), (err) => err instanceof GatewayError && err.retryable);
      assert.equal((await stored(msg.id))?.status, 'queued');
      const before = aliyun.sent.length;
      assert.equal(await sendQueuedSms(sender(), msg.id), 'sent');
      assert.equal(aliyun.sent.length, before + 1);
    });
  }

  for (const code of [
    'isv.BUSINESS_LIMIT_CONTROL',
    'isv.MOBILE_NUMBER_ILLEGAL',
    'isv.SMS_TEMPLATE_ILLEGAL',
    'isv.SMS_SIGNATURE_ILLEGAL',
    'isv.AMOUNT_NOT_ENOUGH',
  ]) {
    test(`${code}: final, recorded failed with the provider's code, not sent again`, async () => {
      const msg = await queued();
      aliyun.failNext(code);
      const before = aliyun.calls.length;
      assert.equal(await sendQueuedSms(sender(), msg.id), 'failed');
      assert.equal(await sendQueuedSms(sender(), msg.id), 'skipped');
      assert.equal(aliyun.calls.length, before + 1);
      const [listed] = await stack.deps.outbound.listTo(msg.to, 1);
      assert.equal(listed?.status, 'failed');
    });
  }

  test("isp.SYSTEM_ERROR: the provider's failure may come after the SMS was made: unknown, not sent again", async () => {
    const msg = await queued();
    aliyun.failNext('isp.SYSTEM_ERROR');
    const before = aliyun.calls.length;
    assert.equal(await sendQueuedSms(sender(), msg.id), 'unknown');
    assert.equal(await sendQueuedSms(sender(), msg.id), 'skipped');
    assert.equal(aliyun.calls.length, before + 1);
    const { Item } = await db.send(new GetCommand({ TableName: stack.tableName, Key: outboundKey(msg.id) }));
    assert.equal(Item?.status, 'unknown');
    assert.match(String(Item?.lastError), /isp\.SYSTEM_ERROR/);
  });

  test('a timeout may have sent it: recorded unknown, not retried, and a later report settles it', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const client = new AliyunSmsClient({
        endpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
        region: 'cn-hangzhou',
        credentials: async () => STAND_IN_KEY,
        timeoutMs: 50,
      });
      const gateway = new AliyunSmsGateway(client, (m) => chooseTemplate(registries.default!, m, toWylie), {
        signName: 'x',
      });
      const msg = await queued();
      await assert.rejects(
        gateway.send(msg),
        (err) => err instanceof GatewayError && !err.retryable && err.mayHaveSent,
      );
      // Through the sender: unknown (not failed), and a redelivery of the job sends nothing.
      assert.equal(await sendQueuedSms(sender({ gateway }), msg.id, true), 'unknown');
      assert.equal((await stored(msg.id))?.status, 'unknown');
      assert.equal(await sendQueuedSms(sender(), msg.id), 'skipped');
      // The provider had made it after all: its delivery report (by OutId) settles the message.
      await recordDeliveryReceipt(stack.deps, {
        gateway: ALIYUN_GATEWAY,
        gatewayMessageId: 'late-biz-id',
        messageId: msg.id,
        status: 'delivered',
      });
      assert.equal((await stored(msg.id))?.status, 'delivered');
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  test('a connection never made sent nothing: retryable', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const client = new AliyunSmsClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'cn-hangzhou',
      credentials: async () => STAND_IN_KEY,
    });
    const gateway = new AliyunSmsGateway(client, (m) => chooseTemplate(registries.default!, m, toWylie), {
      signName: 'x',
    });
    await assert.rejects(
      gateway.send(await queued()),
      (err) => err instanceof GatewayError && err.retryable && !err.mayHaveSent,
    );
  });
});

describe('sms-reconcile: statuses pulled for messages without a final receipt', () => {
  const awaitingIds = async (sentAt: string) => {
    const { Items } = await db.send(
      new QueryCommand({
        TableName: stack.tableName,
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': awaitingReceiptPartition('aliyun', hourOf(sentAt)) },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map((i) => i.id as string);
  };

  test('delivered (3), failed (2) with ErrCode, still waiting (1); younger than 10 minutes left alone', async () => {
    const [a, b, c] = [await queued(), await queued(), await queued()];
    for (const m of [a, b, c]) assert.equal(await sendQueuedSms(sender(), m.id), 'sent');
    const bizOf = (id: string) => aliyun.sent.find((s) => s.outId === id)!.bizId;
    aliyun.setStatus(bizOf(a.id), 3);
    aliyun.setStatus(bizOf(b.id), 2, 'MOBILE_NOT_ON_SERVICE');
    const sentAt = new Date().toISOString();
    assert.ok((await awaitingIds(sentAt)).includes(a.id));

    // Too young: nothing asked.
    const now = await runJob(stack.deps, 'sms-reconcile');
    assert.equal(now.job === 'sms-reconcile' && now.report.checked, 0);

    const later = new Date(Date.now() + 11 * 60_000);
    const deps = { ...stack.deps, now: () => later };
    const result = await runJob(deps, 'sms-reconcile');
    assert.equal(result.job, 'sms-reconcile');
    if (result.job !== 'sms-reconcile') return;
    assert.ok(result.report.delivered >= 1 && result.report.failed >= 1 && result.report.waiting >= 1);
    assert.equal((await stored(a.id))?.status, 'delivered');
    assert.equal((await stored(b.id))?.status, 'failed');
    assert.equal((await stored(c.id))?.status, 'sent');
    // The final ones left the index; the waiting one is asked again next time.
    const left = await awaitingIds(sentAt);
    assert.ok(!left.includes(a.id) && !left.includes(b.id) && left.includes(c.id));

    // Run again: nothing changes twice.
    const again = await runJob(deps, 'sms-reconcile');
    assert.equal(again.job === 'sms-reconcile' && again.report.delivered, 0);
    assert.equal((await stored(a.id))?.status, 'delivered');
  });

  test('unknown (the provider failed after making it): found by OutId and settled; one it never made stays unknown', async () => {
    const [made, never] = [await queued(), await queued()];
    aliyun.failNextAfterSending('isp.SYSTEM_ERROR');
    assert.equal(await sendQueuedSms(sender(), made.id), 'unknown');
    aliyun.failNext('isp.SYSTEM_ERROR');
    assert.equal(await sendQueuedSms(sender(), never.id), 'unknown');
    const sentAt = new Date().toISOString();
    const awaiting = await awaitingIds(sentAt);
    assert.ok(awaiting.includes(made.id) && awaiting.includes(never.id), 'both await a status');
    aliyun.setStatus(aliyun.sent.find((s) => s.outId === made.id)!.bizId, 3);

    const later = new Date(Date.now() + 11 * 60_000);
    const result = await runJob({ ...stack.deps, now: () => later }, 'sms-reconcile');
    assert.equal(result.job, 'sms-reconcile');
    // Asked by phone and day, without a BizId: the provider's record carries our OutId.
    const queries = aliyun.calls.filter((c) => c.params.Action === 'QuerySendDetails');
    assert.ok(queries.some((q) => q.params.PhoneNumber === made.to.slice(3) && !q.params.BizId));
    assert.equal((await stored(made.id))?.status, 'delivered');
    assert.equal((await stored(never.id))?.status, 'unknown', 'nothing found: still unknown, never resent');
    const left = await awaitingIds(sentAt);
    assert.ok(!left.includes(made.id) && left.includes(never.id));
    assert.equal(aliyun.sent.filter((s) => s.outId === made.id).length, 1, 'sent once');
  });
});

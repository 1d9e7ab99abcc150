/**
 * The sms-send Lambda reading the broadcasts' bulk queue: SQS events of the real shape (from
 * the bulk queue's ARN, `{"id","bulk":true}` bodies as SqsOutboundQueue writes them there),
 * AWS-mode deps whose gateway is a loopback End User Messaging, the pacer over the table's
 * one-second windows (dynalite). Bulk records go at the send rate; replies in the same batch
 * do not wait for them; a record whose turn would come after the invocation's end goes back.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoQuotaCounter } from '#adapters/dynamodb/quota-counters.ts';
import { DynamoSendRate } from '#adapters/dynamodb/send-rate.ts';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { inboundSmsParts } from '#adapters/inbound-wiring.ts';
import { queuedSmsOf } from '#adapters/queue/sqs-event.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import type { OutboundSms } from '#core/sms/messages.ts';
import { Pacer, sleep } from '#core/sms/pacing.ts';
import { lambdaCapabilities } from '#handlers/capabilities.ts';
import { createSmsSendHandler } from '#handlers/sms-send.ts';
import { bulkQueueArn, bulkSmsBody, queuedSmsBody, sqsEvent } from '#test/fixtures/sqs-event.ts';
import { accept, type EumStandIn, startEumStandIn } from '#test/support/eum-stand-in.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let eum: EumStandIn;
let aws: Deps;
let quota: DynamoQuotaCounter;
/** When the stand-in received each message (by our id). */
const received = new Map<string, number>();

beforeAll(async () => {
  stack = await startTestStack();
  eum = await startEumStandIn((req, k) => {
    received.set(req.body.Context.zhingdrokId, performance.now());
    return accept(req, k);
  });
  const settings = storageSettingsFrom(
    loadConfig(
      {
        APP_MODE: 'aws',
        AWS_REGION: 'ap-east-1',
        TABLE_NAME: stack.tableName,
        DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
        AUTH_SECRET: 'lambda-test-secret-'.padEnd(40, 'x'),
        EUM_ORIGINATION_IDENTITY: 'pool-0123456789abcdef0123456789abcdef',
        EUM_CONFIGURATION_SET: 'zhingdrok-receipts',
        SMS_SEND_RATE: '5',
      },
      lambdaCapabilities['sms-send'],
    ),
  );
  assert.equal(settings.broadcastRuntime?.sendRate, 5, 'SMS_SEND_RATE reaches the runtime settings');
  aws = createDeps({ ...settings, sms: { ...settings.sms, eumEndpoint: eum.url } }, composeHere, inboundSmsParts());
  aws.log = () => {};
  quota = new DynamoQuotaCounter(
    createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint }),
    stack.tableName,
  );
});
afterAll(async () => {
  await eum?.close();
  await stack?.close();
});

/** A pacer of its own rate windows per test, so tests do not share seconds. */
const pacer = (rate: number) =>
  new Pacer({ rate, sendRate: new DynamoSendRate(quota, rate, randomUUID()), now: () => new Date(), sleep });

let n = 0;
async function queued(): Promise<OutboundSms> {
  const msg: OutboundSms = {
    id: `bulk-${randomUUID().slice(0, 8)}`,
    to: `+8613712${String(++n).padStart(6, '0')}`,
    text: '[Zhingdrok] Vaccination for yaks at the township clinic on Friday.',
    encoding: 'GSM-7',
    segments: 1,
    key: 'broadcast.text',
    params: {},
    essential: true,
    createdAt: new Date().toISOString(),
  };
  assert.equal(await aws.outbound.record(msg), true);
  return msg;
}

describe('sms-send: bulk records', () => {
  test('the body says bulk; a reply body does not', () => {
    assert.deepEqual(queuedSmsOf({ body: bulkSmsBody('m-1') }), { id: 'm-1', bulk: true });
    assert.deepEqual(queuedSmsOf({ body: queuedSmsBody('m-1') }), { id: 'm-1', bulk: false });
  });

  test('a batch of 10 from the bulk queue at 5/s: all sent, in order, spaced at the rate', async () => {
    const batch = await Promise.all(Array.from({ length: 10 }, queued));
    const event = sqsEvent(...batch.map((m) => ({ body: bulkSmsBody(m.id), eventSourceARN: bulkQueueArn })));
    const res = await createSmsSendHandler({ ...aws, bulkPacer: pacer(5) })(event, {
      getRemainingTimeInMillis: () => 30_000,
    });
    assert.deepEqual(res, { batchItemFailures: [] });
    for (const m of batch) assert.equal((await aws.outbound.get(m.id))?.status, 'sent', m.id);
    const times = batch.map((m) => received.get(m.id)!);
    for (let i = 1; i < times.length; i++) assert.ok(times[i]! > times[i - 1]!, 'in the order of the batch');
    const measured = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000);
    assert.ok(Math.abs(measured - 5) <= 0.5, `measured ${measured.toFixed(2)}/s at 5/s`);
  });

  test('a slow gateway (300 ms a send): a few sends in flight, so the pace still holds at 10/s', async () => {
    const batch = await Promise.all(Array.from({ length: 10 }, queued));
    const starts: number[] = [];
    const gateway = aws.sender.gateway;
    const slow = {
      ...aws,
      sender: {
        ...aws.sender,
        gateway: {
          name: gateway.name,
          send: async (msg: OutboundSms) => {
            starts.push(performance.now());
            await sleep(300);
            return gateway.send(msg);
          },
        },
      },
      bulkPacer: pacer(10),
    };
    const res = await createSmsSendHandler(slow)(
      sqsEvent(...batch.map((m) => ({ body: bulkSmsBody(m.id), eventSourceARN: bulkQueueArn }))),
      { getRemainingTimeInMillis: () => 30_000 },
    );
    assert.deepEqual(res, { batchItemFailures: [] });
    for (const m of batch) assert.equal((await aws.outbound.get(m.id))?.status, 'sent', m.id);
    const measured = (starts.length - 1) / ((starts.at(-1)! - starts[0]!) / 1000);
    assert.ok(Math.abs(measured - 10) <= 1, `measured ${measured.toFixed(2)}/s at 10/s with 300 ms sends`);
  });

  test('replies in the same batch are not held back by the pace', async () => {
    const [a, reply1, reply2, b] = await Promise.all([queued(), queued(), queued(), queued()]);
    const event = sqsEvent(
      { body: bulkSmsBody(a!.id), eventSourceARN: bulkQueueArn },
      { body: queuedSmsBody(reply1!.id) },
      { body: queuedSmsBody(reply2!.id) },
      { body: bulkSmsBody(b!.id), eventSourceARN: bulkQueueArn },
    );
    const res = await createSmsSendHandler({ ...aws, bulkPacer: pacer(1) })(event);
    assert.deepEqual(res, { batchItemFailures: [] });
    const at = (m: OutboundSms) => received.get(m.id)!;
    assert.ok(at(reply2!) - at(a!) < 500, `the replies went at once (${(at(reply2!) - at(a!)).toFixed(0)} ms)`);
    assert.ok(at(b!) - at(a!) >= 900, `the second bulk SMS waited its turn (${(at(b!) - at(a!)).toFixed(0)} ms)`);
  });

  test("a record whose turn comes after the invocation's end goes back to the queue, untried and still queued", async () => {
    const [first, second] = await Promise.all([queued(), queued()]);
    const event = sqsEvent(
      { body: bulkSmsBody(first!.id), eventSourceARN: bulkQueueArn },
      { body: bulkSmsBody(second!.id), eventSourceARN: bulkQueueArn },
    );
    const started = Date.now();
    // 8.5 s left, 8 s kept in reserve: room for the first turn, not for one a second later.
    const res = await createSmsSendHandler({ ...aws, bulkPacer: pacer(1) })(event, {
      getRemainingTimeInMillis: () => 8_500 - (Date.now() - started),
    });
    assert.deepEqual(res, { batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });
    assert.equal((await aws.outbound.get(first!.id))?.status, 'sent');
    assert.equal((await aws.outbound.get(second!.id))?.status, 'queued');
    assert.equal(received.has(second!.id), false);
  });

  test('without a pacer (a function not wired for broadcasts) bulk records are sent as any other', async () => {
    const m = await queued();
    const res = await createSmsSendHandler(aws)(sqsEvent({ body: bulkSmsBody(m.id), eventSourceARN: bulkQueueArn }));
    assert.deepEqual(res, { batchItemFailures: [] });
    assert.equal((await aws.outbound.get(m.id))?.status, 'sent');
  });
});

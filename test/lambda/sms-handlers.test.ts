/**
 * The SMS Lambdas driven by SNS and SQS events of the real shape, on the real local stack:
 * sms-inbound with the local deps (replies go through the local queue and outbox), and
 * sms-send / sms-status with AWS-mode deps whose gateway is a loopback End User Messaging.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { inboundClaimKey } from '#adapters/dynamodb/keys.ts';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { inboundSmsParts } from '#adapters/inbound-wiring.ts';
import { SMS_SEND_MAX_RECEIVES } from '#adapters/queue/sqs-event.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { INBOUND_CLAIM_STALE_MS, LAMBDA_FIRST_RETRY_MS } from '#core/sms/inbound-timing.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { createSmsInboundHandler } from '#handlers/sms-inbound.ts';
import { createSmsSendHandler } from '#handlers/sms-send.ts';
import { createSmsStatusHandler } from '#handlers/sms-status.ts';
import { smsEventRecord, twoWaySms } from '#test/fixtures/eum-events.ts';
import { snsEvent } from '#test/fixtures/sns-event.ts';
import { queuedSmsBody, sqsEvent } from '#test/fixtures/sqs-event.ts';
import { accept, type EumStandIn, serviceError, startEumStandIn } from '#test/support/eum-stand-in.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const identity = 'arn:aws:sms-voice:ap-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef';

let stack: TestStack;
let eum: EumStandIn;
/** What the sender and status Lambdas build in AWS: End User Messaging, the same table. */
let aws: Deps;
const awsLogs: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  eum = await startEumStandIn();
  const settings = storageSettingsFrom(
    loadConfig({
      APP_MODE: 'aws',
      AWS_REGION: 'ap-east-1',
      TABLE_NAME: stack.tableName,
      BUCKET_NAME: 'zhingdrok-test',
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
      AUTH_SECRET: 'lambda-test-secret-'.padEnd(40, 'x'),
      EUM_ORIGINATION_IDENTITY: identity,
      EUM_CONFIGURATION_SET: 'zhingdrok-receipts',
    }),
  );
  aws = createDeps(
    { ...settings, s3Endpoint: stack.s3Endpoint, sms: { ...settings.sms, eumEndpoint: eum.url } },
    composeHere,
    inboundSmsParts(),
  );
  aws.log = (entry) => awsLogs.push(entry);
});
afterAll(async () => {
  await eum?.close();
  await stack?.close();
});

const phone = (n: number) => `+8613712345${String(n).padStart(3, '0')}`;

async function queued(to: string): Promise<OutboundSms> {
  const msg: OutboundSms = {
    id: `lam-${randomUUID().slice(0, 8)}`,
    to,
    text: '[Zhingdrok] Your code is 482913',
    encoding: 'GSM-7',
    segments: 1,
    key: 'auth.code',
    params: { code: '482913' },
    essential: true,
    createdAt: new Date().toISOString(),
  };
  await aws.outbound.record(msg);
  return msg;
}

describe('sms-inbound (SNS from two-way SMS)', () => {
  test('HELP produces one reply, recorded in the outbound store and sent', async () => {
    const from = phone(1);
    await createSmsInboundHandler(stack.deps)(snsEvent({ message: twoWaySms({ from, body: 'HELP' }) }));
    const sent = await stack.deps.outbound.listTo(from, 10);
    assert.equal(sent.length, 1);
    assert.equal(sent[0]!.key, 'help.commands');
    assert.equal(sent[0]!.status, 'sent');
  });

  test('the same message delivered twice (SNS redelivery) causes one reply', async () => {
    const from = phone(2);
    const message = twoWaySms({ from, body: 'help', inboundMessageId: randomUUID() });
    const invoke = createSmsInboundHandler(stack.deps);
    await invoke(snsEvent({ message, messageId: 'sns-1' }));
    await invoke(snsEvent({ message, messageId: 'sns-1' }));
    await invoke(snsEvent({ message, messageId: 'sns-2' }));
    assert.equal((await stack.deps.outbound.listTo(from, 10)).length, 1);
    assert.ok(
      stack.logs.some((e) => e.msg === 'inbound SMS was a redelivery' && e.messageId === message.inboundMessageId),
    );
  });

  test('malformed records are logged and skipped; the good record in the same event is handled', async () => {
    const from = phone(3);
    const before = stack.logs.length;
    await createSmsInboundHandler(stack.deps)(
      snsEvent(
        { message: 'not json at all', messageId: 'bad-1' },
        { message: { originationNumber: from, messageBody: 'HELP' }, messageId: 'bad-2' },
        { message: twoWaySms({ from, body: 'HELP' }) },
      ),
    );
    const errors = stack.logs.slice(before).filter((e) => e.level === 'error');
    assert.deepEqual(
      errors.map((e) => e.snsMessageId),
      ['bad-1', 'bad-2'],
    );
    assert.match(String(errors[1]!.reason), /inboundMessageId/);
    assert.doesNotMatch(JSON.stringify(errors), new RegExp(from.slice(1)), 'the phone number stays out of the log');
    assert.equal((await stack.deps.outbound.listTo(from, 10)).length, 1);
  });

  test('a record whose claim another run still holds fails the invocation (Lambda retries it); the rest of the event is handled', async () => {
    const busy = twoWaySms({ from: phone(5), body: 'SUB WEATHER', inboundMessageId: randomUUID() });
    const other = twoWaySms({ from: phone(6), body: 'HELP' });
    // What a run that crashed right after claiming leaves (the claim's key: gateway eum, the inbound message id).
    await stack.deps.claims.claim(
      {
        gateway: 'eum',
        messageId: busy.inboundMessageId,
        from: busy.originationNumber,
        text: busy.messageBody,
        receivedAt: new Date().toISOString(),
      },
      INBOUND_CLAIM_STALE_MS,
    );
    const invoke = createSmsInboundHandler(stack.deps);
    const event = snsEvent({ message: busy, messageId: 'sns-busy' }, { message: other, messageId: 'sns-other' });
    await assert.rejects(invoke(event), new RegExp(busy.inboundMessageId));
    assert.ok(
      stack.logs.some(
        (e) => e.level === 'warn' && e.messageId === busy.inboundMessageId && /retry later/.test(String(e.msg)),
      ),
    );
    assert.deepEqual(
      await stack.deps.outbound.listTo(busy.originationNumber, 10),
      [],
      'the busy message: nothing done',
    );
    assert.equal(
      (await stack.deps.outbound.listTo(other.originationNumber, 10)).length,
      1,
      'the other record: handled',
    );

    // Lambda's retry comes a minute later: by then the claim of the dead run is older than
    // the stale window (here it is aged so, as the clock would) and the retry takes it over.
    await createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint }).send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: inboundClaimKey('eum', busy.inboundMessageId),
        UpdateExpression: 'SET claimedAt = :then',
        ExpressionAttributeValues: { ':then': Date.now() - LAMBDA_FIRST_RETRY_MS },
      }),
    );
    await invoke(event);
    assert.equal((await stack.deps.outbound.listTo(busy.originationNumber, 10)).length, 1);
    assert.equal((await stack.deps.outbound.listTo(other.originationNumber, 10)).length, 1);
  });

  test('a store failure throws, so that Lambda retries the event', async () => {
    const down = createDeps(
      {
        ...storageSettingsFrom(loadConfig({ APP_MODE: 'local', TABLE_NAME: stack.tableName })),
        dynamoEndpoint: 'http://127.0.0.1:9',
      },
      composeHere,
      inboundSmsParts(),
    );
    down.log = () => {};
    await assert.rejects(
      createSmsInboundHandler(down)(snsEvent({ message: twoWaySms({ from: phone(4), body: 'HELP' }) })),
    );
  });
});

describe('sms-send (SQS)', () => {
  test('sends through End User Messaging and marks the message sent', async () => {
    eum.respond(accept);
    const msg = await queued(phone(10));
    const res = await createSmsSendHandler(aws)(sqsEvent({ body: queuedSmsBody(msg.id) }));
    assert.deepEqual(res, { batchItemFailures: [] });
    const stored = await aws.outbound.get(msg.id);
    assert.equal(stored?.status, 'sent');
    const request = eum.requests.at(-1)!;
    assert.equal(request.body.DestinationPhoneNumber, msg.to);
    assert.equal(request.body.OriginationIdentity, identity);
    assert.equal(request.body.Context.zhingdrokId, msg.id);
  });

  test('partial batch: only the message that failed goes back to the queue', async () => {
    const ok = await queued(phone(11));
    const flaky = await queued(phone(12));
    eum.respond((req, k) =>
      req.body.DestinationPhoneNumber === flaky.to ? serviceError(503, 'ServiceUnavailableException') : accept(req, k),
    );
    const event = sqsEvent({ body: queuedSmsBody(ok.id) }, { body: queuedSmsBody(flaky.id) });
    const res = await createSmsSendHandler(aws)(event);
    assert.deepEqual(res.batchItemFailures, [{ itemIdentifier: event.Records[1]!.messageId }]);
    assert.equal((await aws.outbound.get(ok.id))?.status, 'sent');
    assert.equal((await aws.outbound.get(flaky.id))?.status, 'queued');
  });

  test(`on receive ${SMS_SEND_MAX_RECEIVES} a still-failing message is marked failed and also reported, for the DLQ`, async () => {
    eum.respond(() => serviceError(500, 'InternalServerException'));
    const msg = await queued(phone(13));
    const event = sqsEvent({ body: queuedSmsBody(msg.id), receiveCount: SMS_SEND_MAX_RECEIVES });
    const res = await createSmsSendHandler(aws)(event);
    assert.deepEqual(res.batchItemFailures, [{ itemIdentifier: event.Records[0]!.messageId }]);
    assert.equal((await aws.outbound.get(msg.id))?.status, 'failed');
  });

  test('a body that is not ours is logged and left for the dead-letter queue', async () => {
    const event = sqsEvent({ body: '{"to":"+8613700000000"}' });
    const res = await createSmsSendHandler(aws)(event);
    assert.deepEqual(res.batchItemFailures, [{ itemIdentifier: event.Records[0]!.messageId }]);
    assert.ok(
      awsLogs.some(
        (e) => e.msg === 'queue message without an SMS id' && e.sqsMessageId === event.Records[0]!.messageId,
      ),
    );
  });

  test('with too little time left, the rest of the batch goes back untried', async () => {
    const msg = await queued(phone(14));
    const event = sqsEvent({ body: queuedSmsBody(msg.id) });
    const res = await createSmsSendHandler(aws)(event, { getRemainingTimeInMillis: () => 1000 });
    assert.deepEqual(res.batchItemFailures, [{ itemIdentifier: event.Records[0]!.messageId }]);
    assert.equal((await aws.outbound.get(msg.id))?.status, 'queued');
  });
});

describe('sms-status (delivery receipts via SNS)', () => {
  async function sentMessage(n: number) {
    const gatewayId = randomUUID();
    eum.respond(() => ({ status: 200, body: { MessageId: gatewayId } }));
    const msg = await queued(phone(n));
    await createSmsSendHandler(aws)(sqsEvent({ body: queuedSmsBody(msg.id) }));
    assert.equal((await aws.outbound.get(msg.id))?.status, 'sent');
    return { msg, gatewayId };
  }
  const receipt = (eventType: string, gatewayId: string, msg: OutboundSms, context = true) =>
    snsEvent({
      message: smsEventRecord({
        eventType,
        messageId: gatewayId,
        to: msg.to,
        ...(context ? { context: { zhingdrokId: msg.id, key: msg.key } } : {}),
      }),
    });

  test('TEXT_DELIVERED marks the message delivered', async () => {
    const { msg, gatewayId } = await sentMessage(20);
    await createSmsStatusHandler(aws)(receipt('TEXT_DELIVERED', gatewayId, msg));
    assert.equal((await aws.outbound.get(msg.id))?.status, 'delivered');
  });

  test('found by the gateway id when the event carries no context', async () => {
    const { msg, gatewayId } = await sentMessage(21);
    await createSmsStatusHandler(aws)(receipt('TEXT_SUCCESSFUL', gatewayId, msg, false));
    assert.equal((await aws.outbound.get(msg.id))?.status, 'delivered');
  });

  test('out of order: a late failure or UNKNOWN never undoes delivered; a pending report changes nothing', async () => {
    const { msg, gatewayId } = await sentMessage(22);
    const invoke = createSmsStatusHandler(aws);
    await invoke(receipt('TEXT_PENDING', gatewayId, msg));
    assert.equal((await aws.outbound.get(msg.id))?.status, 'sent');
    await invoke(receipt('TEXT_DELIVERED', gatewayId, msg));
    await invoke(receipt('TEXT_CARRIER_UNREACHABLE', gatewayId, msg));
    await invoke(receipt('TEXT_UNKNOWN', gatewayId, msg));
    assert.equal((await aws.outbound.get(msg.id))?.status, 'delivered');
    assert.ok(
      awsLogs.some((e) => e.msg === 'delivery receipt' && e.eventType === 'TEXT_UNKNOWN' && e.outcome === 'superseded'),
    );
  });

  test('a receipt that beats the sender\'s own "sent" mark is kept', async () => {
    const msg = await queued(phone(23));
    await createSmsStatusHandler(aws)(receipt('TEXT_DELIVERED', 'gw-early', msg));
    assert.equal(
      await aws.outbound.markStatus(msg.id, 'sent', { gateway: 'eum', gatewayMessageId: 'gw-early' }),
      false,
    );
    assert.equal((await aws.outbound.get(msg.id))?.status, 'delivered');
    assert.equal(await aws.outbound.findByGatewayId('eum', 'gw-early'), msg.id);
  });

  test("a blocked message records the carrier's words; unknown and malformed events are logged and skipped", async () => {
    const { msg, gatewayId } = await sentMessage(24);
    const before = awsLogs.length;
    await createSmsStatusHandler(aws)(
      snsEvent(
        { message: '{"eventType":', messageId: 'bad-receipt' },
        { message: smsEventRecord({ eventType: 'TEXT_DELIVERED', messageId: 'not-ours', to: msg.to }) },
        {
          message: smsEventRecord({
            eventType: 'TEXT_BLOCKED',
            messageId: gatewayId,
            to: msg.to,
            context: { zhingdrokId: msg.id },
          }),
        },
      ),
    );
    assert.equal((await aws.outbound.get(msg.id))?.status, 'blocked');
    const logged = awsLogs.slice(before);
    assert.ok(logged.some((e) => e.level === 'error' && e.snsMessageId === 'bad-receipt'));
    assert.ok(logged.some((e) => e.outcome === 'unmatched' && e.gatewayMessageId === 'not-ours'));
  });
});

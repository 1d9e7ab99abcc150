/**
 * The End User Messaging gateway through the real AWS SDK client, against a loopback
 * stand-in of the service: the request on the wire, the SDK's own retries, and what the
 * sender records for each kind of failure in the real table (dynalite).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { outboundKey } from '#adapters/dynamodb/keys.ts';
import { createEumClient, EndUserMessagingGateway, EUM_MAX_ATTEMPTS } from '#adapters/sms/end-user-messaging.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { GatewayError } from '#core/sms/ports.ts';
import { type SenderDeps, sendQueuedSms } from '#core/sms/sender.ts';
import { accept, type EumStandIn, serviceError, startEumStandIn } from '#test/support/eum-stand-in.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const identity = 'arn:aws:sms-voice:ap-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef';
const configurationSet = 'zhingdrok-receipts';

let stack: TestStack;
let eum: EumStandIn;
let db: ReturnType<typeof createDocumentClient>;
beforeAll(async () => {
  stack = await startTestStack();
  eum = await startEumStandIn();
  db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
});
afterAll(async () => {
  await eum?.close();
  await stack?.close();
});

/** The production client, but with millisecond backoffs so that retries do not slow the suite. */
function gateway(): EndUserMessagingGateway {
  const client = () =>
    createEumClient({
      region: 'ap-east-1',
      endpoint: eum.url,
      retryStrategy: new ConfiguredRetryStrategy(EUM_MAX_ATTEMPTS, (attempt) => 2 * attempt),
    });
  return new EndUserMessagingGateway(client, { originationIdentity: identity, configurationSet });
}

const sender = (): SenderDeps => ({ ...stack.deps.sender, gateway: gateway() });

let n = 0;
async function queued(): Promise<OutboundSms> {
  const msg: OutboundSms = {
    id: `eum-${randomUUID().slice(0, 8)}`,
    to: `+86139123400${String(++n).padStart(2, '0')}`,
    text: '[Zhingdrok] Barley 4.20/jin at Lhasa market today.',
    encoding: 'GSM-7',
    segments: 1,
    key: 'price.today',
    params: { commodity: 'barley' },
    essential: true,
    createdAt: new Date().toISOString(),
  };
  assert.equal(await stack.deps.outbound.record(msg), true);
  return msg;
}

async function stored(id: string) {
  const { Item } = await db.send(
    new GetCommand({ TableName: stack.tableName, Key: outboundKey(id), ConsistentRead: true }),
  );
  return Item as { status: string; lastError?: string; gateway?: string; gatewayMessageId?: string } | undefined;
}

/** Requests the stand-in receives while `run` runs. */
async function requestsDuring(run: () => Promise<unknown>) {
  const first = eum.requests.length;
  await run();
  return eum.requests.slice(first);
}

describe('SendTextMessage on the wire', () => {
  test('one signed AWS JSON 1.0 request with our number, identity, text, configuration set and context', async () => {
    eum.respond(() => ({ status: 200, body: { MessageId: 'e5f0c3b2-0000-4000-8000-00000000aaaa' } }));
    const msg = await queued();
    let outcome: unknown;
    const [request, ...more] = await requestsDuring(async () => {
      outcome = await sendQueuedSms(sender(), msg.id);
    });
    assert.equal(outcome, 'sent');
    assert.equal(more.length, 0);
    assert.equal(request!.operation, 'SendTextMessage');
    assert.equal(request!.headers['x-amz-target'], 'PinpointSMSVoiceV2.SendTextMessage');
    assert.equal(request!.headers['content-type'], 'application/x-amz-json-1.0');
    assert.match(
      String(request!.headers.authorization),
      /^AWS4-HMAC-SHA256 Credential=stand-in\/\d{8}\/ap-east-1\/sms-voice\/aws4_request/,
    );
    assert.deepEqual(request!.body, {
      DestinationPhoneNumber: msg.to,
      OriginationIdentity: identity,
      MessageBody: msg.text,
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: configurationSet,
      Context: { zhingdrokId: msg.id, key: msg.key },
    });

    const item = await stored(msg.id);
    assert.equal(item?.status, 'sent');
    assert.equal(item?.gateway, 'eum');
    assert.equal(await stack.deps.outbound.findByGatewayId('eum', 'e5f0c3b2-0000-4000-8000-00000000aaaa'), msg.id);
  });

  test('a message already sent is not sent again when the queue delivers it twice', async () => {
    eum.respond(accept);
    const msg = await queued();
    const requests = await requestsDuring(async () => {
      assert.equal(await sendQueuedSms(sender(), msg.id), 'sent');
      assert.equal(await sendQueuedSms(sender(), msg.id), 'skipped');
    });
    assert.equal(requests.length, 1);
  });
});

describe('failures', () => {
  test('throttling: the SDK retries with backoff and the third attempt is sent', async () => {
    const msg = await queued();
    const start = eum.requests.length;
    eum.respond((req, k) =>
      k - start <= 2 ? serviceError(400, 'ThrottlingException', 'Rate exceeded') : accept(req, k),
    );
    const requests = await requestsDuring(async () => assert.equal(await sendQueuedSms(sender(), msg.id), 'sent'));
    assert.equal(requests.length, 3, 'two throttled attempts, then success');
    // The SDK numbers its attempts in a header: these are retries of one call, not three calls.
    assert.deepEqual(
      requests.map((r) => String(r.headers['amz-sdk-request']).match(/attempt=(\d+)/)?.[1]),
      ['1', '2', '3'],
    );
    assert.equal((await stored(msg.id))?.status, 'sent');
  });

  test('opted out (ConflictException): not retryable, so the message is failed at once with the error', async () => {
    eum.respond(() => serviceError(400, 'ConflictException', 'The destination phone number is opted out'));
    const msg = await queued();
    await assert.rejects(
      gateway().send(msg),
      (err: unknown) => err instanceof GatewayError && !err.retryable && /ConflictException/.test(err.message),
    );

    const requests = await requestsDuring(async () => assert.equal(await sendQueuedSms(sender(), msg.id), 'failed'));
    assert.equal(requests.length, 1, 'no SDK retry of a client error');
    const item = await stored(msg.id);
    assert.equal(item?.status, 'failed');
    assert.match(item?.lastError ?? '', /^ConflictException: The destination phone number is opted out/);
  });

  test('ValidationException: failed, not retried', async () => {
    eum.respond(() => serviceError(400, 'ValidationException', 'Invalid destination phone number'));
    const msg = await queued();
    const requests = await requestsDuring(async () => assert.equal(await sendQueuedSms(sender(), msg.id), 'failed'));
    assert.equal(requests.length, 1);
    assert.match((await stored(msg.id))?.lastError ?? '', /ValidationException/);
  });

  test('repeated 500s: retryable, back to the queue until the final attempt records failed', async () => {
    eum.respond(() => serviceError(500, 'InternalServerException', 'Internal failure'));
    const msg = await queued();

    const first = await requestsDuring(() =>
      assert.rejects(
        sendQueuedSms(sender(), msg.id, false),
        (err: unknown) => err instanceof GatewayError && err.retryable,
      ),
    );
    assert.equal(first.length, EUM_MAX_ATTEMPTS, 'the SDK tried every attempt first');
    assert.equal((await stored(msg.id))?.status, 'queued', 'still queued for the next receive');

    const last = await requestsDuring(async () => assert.equal(await sendQueuedSms(sender(), msg.id, true), 'failed'));
    assert.equal(last.length, EUM_MAX_ATTEMPTS);
    const item = await stored(msg.id);
    assert.equal(item?.status, 'failed');
    assert.match(item?.lastError ?? '', /InternalServerException/);
  });
});

/**
 * The local paced bulk queue on the local stack (dynalite): the same Pacer and DynamoDB
 * one-second rate windows as the sms-send Lambda. At 20 messages a second, 100 messages take
 * at least 5 windows and none lets more than 20 through (the measured rate is a bench figure),
 * handed to the sender in the order queued; a gateway that fails (the End User Messaging
 * stand-in, through the real SDK) is retried and then recorded as failed while the rest go on;
 * `drain` resolves once everything is dealt with. Rates are measured, not assumed: the bench
 * (test/bench/broadcast-pacing.ts) reports them too.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ConfiguredRetryStrategy } from '@smithy/core/retry';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoQuotaCounter } from '#adapters/dynamodb/quota-counters.ts';
import { DynamoSendRate, SEND_RATE_BUCKET } from '#adapters/dynamodb/send-rate.ts';
import { PacedQueue } from '#adapters/queue/paced-queue.ts';
import { createEumClient, EndUserMessagingGateway } from '#adapters/sms/end-user-messaging.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { Pacer, sleep } from '#core/sms/pacing.ts';
import type { SmsGateway } from '#core/sms/ports.ts';
import type { SenderDeps } from '#core/sms/sender.ts';
import { accept, type EumStandIn, serviceError, startEumStandIn } from '#test/support/eum-stand-in.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let eum: EumStandIn;
let quota: DynamoQuotaCounter;
beforeAll(async () => {
  stack = await startTestStack();
  eum = await startEumStandIn();
  quota = new DynamoQuotaCounter(
    createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint }),
    stack.tableName,
  );
});
afterAll(async () => {
  await eum?.close();
  await stack?.close();
});

/** Each test its own rate windows (subject), so one test's sends do not fill another's. */
const pacer = (rate: number, subject: string = randomUUID()) =>
  new Pacer({ rate, sendRate: new DynamoSendRate(quota, rate, subject), now: () => new Date(), sleep });

let n = 0;
async function queued(count: number): Promise<OutboundSms[]> {
  const batch = Array.from({ length: count }, (_, i) => ({
    id: `paced-${randomUUID().slice(0, 8)}-${i}`,
    to: `+86139${String(++n).padStart(8, '0')}`,
    text: '[Zhingdrok] Frost tonight: cover seedlings.',
    encoding: 'GSM-7' as const,
    segments: 1,
    key: 'broadcast.text',
    params: {},
    essential: true,
    createdAt: new Date().toISOString(),
  }));
  for (const m of batch) assert.equal(await stack.deps.outbound.record(m), true);
  return batch;
}

/** The sender's own gateway, with the time and id of every call written down. */
function timed(gateway: SmsGateway, calls: Array<{ id: string; at: number }>): SmsGateway {
  return {
    name: gateway.name,
    send: (msg) => {
      calls.push({ id: msg.id, at: performance.now() });
      return gateway.send(msg);
    },
  };
}

describe('paced local bulk queue', () => {
  test('100 messages at 20/s: no one-second window lets more than 20 go, the order kept, each sent once; enqueue returns at once', async () => {
    const calls: Array<{ id: string; at: number }> = [];
    // The sender's first step is reading the message: the order it is handed them in.
    const handedOver: string[] = [];
    const outbound = Object.create(stack.deps.outbound) as typeof stack.deps.outbound;
    outbound.get = (id) => {
      handedOver.push(id);
      return stack.deps.outbound.get(id);
    };
    const sender: SenderDeps = { ...stack.deps.sender, outbound, gateway: timed(stack.deps.sender.gateway, calls) };
    const subject = randomUUID();
    const queue = new PacedQueue(sender, pacer(20, subject));
    const batch = await queued(100);
    const started = new Date();

    const t0 = performance.now();
    await queue.enqueue(batch);
    const enqueueMs = performance.now() - t0;
    assert.ok(
      calls.length < 5,
      `enqueue did not wait for the sending (${calls.length} sent, ${enqueueMs.toFixed(0)} ms)`,
    );
    await queue.drain();

    assert.deepEqual(
      handedOver,
      batch.map((m) => m.id),
      'handed to the sender in the order queued, each once',
    );
    assert.deepEqual(calls.map((c) => c.id).sort(), batch.map((m) => m.id).sort(), 'each sent once');
    // The pace itself (how close to 20/s) is a figure of `npm run bench -- --only=pacing`; what
    // holds however busy the machine is: the shared windows never let more than the rate through,
    // and every send took a place in one.
    const perWindow: number[] = [];
    for (let t = Math.floor(started.getTime() / 1000) * 1000; t <= Date.now(); t += 1000)
      perWindow.push((await quota.peek(SEND_RATE_BUCKET, subject, 1, new Date(t))).count);
    assert.ok(Math.max(...perWindow) <= 20, `per-second windows: ${perWindow.join(', ')}`);
    assert.equal(
      perWindow.reduce((a, b) => a + b, 0),
      100,
    );
    assert.ok(perWindow.filter((c) => c > 0).length >= 5, `100 at 20/s take at least 5 windows: ${perWindow.join()}`);
    for (const m of batch) assert.equal((await stack.deps.outbound.get(m.id))?.status, 'sent', m.id);
    assert.equal(queue.size, 0);
  });

  test('a failing gateway: retried, then recorded failed, and the messages after it still go', async () => {
    const [failing, fine] = await queued(2);
    // One request per attempt (no SDK retries), so the stand-in counts the queue's attempts.
    const gateway = new EndUserMessagingGateway(
      () =>
        createEumClient({
          region: 'ap-east-1',
          endpoint: eum.url,
          retryStrategy: new ConfiguredRetryStrategy(1, () => 1),
        }),
      { originationIdentity: 'pool-0123456789abcdef0123456789abcdef' },
    );
    eum.respond((req, k) =>
      req.body.Context?.zhingdrokId === failing!.id
        ? serviceError(500, 'InternalServerException', 'down')
        : accept(req, k),
    );
    const start = eum.requests.length;
    const queue = new PacedQueue({ ...stack.deps.sender, gateway }, pacer(50), { maxAttempts: 3, baseDelayMs: 5 });
    await queue.enqueue([failing!, fine!]);
    await queue.drain();

    const requests = eum.requests.slice(start).map((r) => r.body.Context.zhingdrokId);
    assert.equal(requests.filter((id) => id === failing!.id).length, 3, 'three attempts');
    assert.deepEqual(
      requests.filter((id) => id !== failing!.id),
      [fine!.id],
      'the next message is not held up by the retries',
    );
    const failed = await stack.deps.outbound.get(failing!.id);
    assert.equal(failed?.status, 'failed');
    assert.equal((await stack.deps.outbound.get(fine!.id))?.status, 'sent');
  });

  test('drain: resolves at once when empty, and waits for messages queued while draining', async () => {
    const queue = new PacedQueue(stack.deps.sender, pacer(100));
    await queue.drain();
    const [a, b] = await queued(2);
    await queue.enqueue([a!]);
    const draining = queue.drain();
    await queue.enqueue([b!]);
    await draining;
    assert.equal((await stack.deps.outbound.get(a!.id))?.status, 'sent');
    assert.equal((await stack.deps.outbound.get(b!.id))?.status, 'sent');
  });

  test('stop: nothing more is sent; what waits stays queued', async () => {
    const queue = new PacedQueue(stack.deps.sender, pacer(2));
    const batch = await queued(4);
    await queue.enqueue(batch);
    queue.stop();
    await queue.drain();
    const statuses = await Promise.all(batch.map(async (m) => (await stack.deps.outbound.get(m.id))?.status));
    assert.ok(statuses.filter((s) => s === 'queued').length >= 3, statuses.join());
    await assert.rejects(queue.enqueue(batch), /stopped/);
  });
});

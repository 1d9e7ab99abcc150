import assert from 'node:assert/strict';
import { afterAll, beforeAll, test } from 'vitest';
import { LocalOutboxGateway } from '#adapters/sms/local-outbox.ts';
import { shanghaiDay } from '#core/dates.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { createMessenger } from '#core/sms/messenger.ts';
import { GatewayError, type SmsGateway } from '#core/sms/ports.ts';
import { type SenderDeps, sendQueuedSms } from '#core/sms/sender.ts';
import { toWylie } from '#core/text/wylie.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const message = (id: string): OutboundSms => ({
  id,
  to: '+8613800000009',
  text: 'test',
  encoding: 'GSM-7',
  segments: 1,
  key: 'help.commands',
  params: {},
  essential: true,
  createdAt: new Date().toISOString(),
});

function senderWith(gateway: SmsGateway): SenderDeps {
  return { ...stack.deps.sender, gateway };
}

test('two deliveries of the same queue job at once send the SMS once', async () => {
  const printed: string[] = [];
  const deps = senderWith(new LocalOutboxGateway((line) => printed.push(line)));
  await stack.deps.outbound.record(message('lease-1'));
  const outcomes = await Promise.all([
    sendQueuedSms(deps, 'lease-1'),
    sendQueuedSms(deps, 'lease-1'),
    sendQueuedSms(deps, 'lease-1'),
  ]);
  assert.equal(printed.length, 1);
  assert.deepEqual(
    outcomes.filter((o) => o === 'sent'),
    ['sent'],
  );
  assert.equal((await stack.deps.outbound.get('lease-1'))?.status, 'sent');
});

/** A gateway that refuses its first message with a retryable error, then takes every one. */
function flakyOnce(): SmsGateway & { calls: number } {
  const gateway: SmsGateway & { calls: number } = {
    calls: 0,
    name: 'flaky',
    async send() {
      gateway.calls++;
      if (gateway.calls === 1) throw new GatewayError('ThrottlingException', true);
      return { gatewayMessageId: `gw-${gateway.calls}` };
    },
  };
  return gateway;
}

test('a retryable failure gives the lease back, so the retry sends at once', async () => {
  const flaky = flakyOnce();
  await stack.deps.outbound.record(message('lease-2'));
  await assert.rejects(sendQueuedSms(senderWith(flaky), 'lease-2'), GatewayError);
  assert.equal(await sendQueuedSms(senderWith(flaky), 'lease-2'), 'sent');
  assert.equal(flaky.calls, 2);
});

// ── the guards run when a message is recorded (core/sms/admission.ts) ───────────────────

test('in AWS the sender runs later: the messenger already knows a blocked alert, never queues it, and a queued one is not counted twice', async () => {
  const d = stack.deps;
  const queued: OutboundSms[] = [];
  // As in a Lambda that records SMS: the queue only carries ids to the sender, later.
  const messenger = createMessenger({
    subscribers: d.subscribers,
    outbound: d.outbound,
    signature: { signature: d.smsSettings.signature, gsmSignature: d.smsSettings.gsmSignature },
    toWylie,
    now: d.now,
    queue: { enqueue: async (msgs) => void queued.push(...msgs) },
    admission: { ...d.admission, dailySegmentLimit: 0, dailyHardLimit: 0 },
  });
  const alert = await messenger.send({
    to: '+8613800000011',
    key: 'topic.weather',
    essential: false,
    idempotencyKey: 'aws-alert-1',
  });
  assert.equal((alert as { status?: string }).status, 'blocked');
  assert.equal((await d.outbound.get(alert.id))?.status, 'blocked');
  assert.equal(queued.length, 0, 'never queued');
  // Asked again (a retry of the same cause): still blocked, still not queued.
  assert.equal(
    (
      (await messenger.send({
        to: '+8613800000011',
        key: 'topic.weather',
        essential: false,
        idempotencyKey: 'aws-alert-1',
      })) as { status?: string }
    ).status,
    'blocked',
  );
  assert.equal(queued.length, 0);

  const today = shanghaiDay(new Date());
  const before = (await d.admission.budget.spend(today, 0, undefined)).total;
  const open = createMessenger({
    subscribers: d.subscribers,
    outbound: d.outbound,
    signature: { signature: d.smsSettings.signature, gsmSignature: d.smsSettings.gsmSignature },
    toWylie,
    now: d.now,
    queue: { enqueue: async (msgs) => void queued.push(...msgs) },
    admission: d.admission,
  });
  const ok = await open.send({
    to: '+8613800000012',
    key: 'topic.weather',
    essential: false,
    idempotencyKey: 'aws-alert-2',
  });
  assert.equal((ok as { status?: string }).status, 'queued');
  assert.deepEqual(
    queued.map((m) => m.id),
    [ok.id],
  );
  assert.equal((await d.outbound.get(ok.id))?.admittedOn, today);
  const counted = (await d.admission.budget.spend(today, 0, undefined)).total;
  assert.equal(counted - before, ok.segments, 'counted once, when recorded');
  assert.equal(await sendQueuedSms(d.sender, ok.id), 'sent');
  assert.equal(
    (await d.admission.budget.spend(today, 0, undefined)).total,
    counted,
    'the sender does not count it again',
  );
});

test('a queued message recorded without the guards is admitted by the sender: counted there, or blocked with its alarm', async () => {
  const d = stack.deps;
  await d.outbound.record({ ...message('unadmitted-1'), essential: false });
  assert.equal(await sendQueuedSms({ ...d.sender, dailySegmentLimit: 0 }, 'unadmitted-1'), 'blocked');
  assert.equal((await d.outbound.get('unadmitted-1'))?.status, 'blocked');
  await d.outbound.record(message('unadmitted-2'));
  assert.equal(await sendQueuedSms(d.sender, 'unadmitted-2'), 'sent');
  assert.ok((await d.outbound.get('unadmitted-2'))?.admittedOn);
});

test('a broadcast SMS whose send was cut off after the gateway took it is not sent again: it is recorded unknown', async () => {
  const printed: string[] = [];
  // Its broadcast is sending (the gate says so), the number never sent STOP.
  const deps: SenderDeps = {
    ...senderWith(new LocalOutboxGateway((line) => printed.push(line))),
    broadcasts: { gate: async () => 'send' },
  };
  const msg: OutboundSms = { ...message('cut-1'), essential: false, broadcastId: 'b0000000000' };
  await stack.deps.outbound.record(msg);
  // A sender that died between handing it to the gateway and recording what it said.
  assert.ok(await stack.deps.outbound.leaseForSending(msg.id, new Date(Date.now() - 120_000), 60_000));
  assert.equal(await stack.deps.outbound.markSending(msg.id, new Date(Date.now() - 120_000)), 'ok');

  assert.equal(await sendQueuedSms(deps, msg.id), 'skipped');
  assert.equal(printed.length, 0, 'not sent a second time');
  const stored = await stack.deps.outbound.get(msg.id);
  assert.equal(stored?.status, 'unknown');
  // A redelivery after that changes nothing.
  assert.equal(await sendQueuedSms(deps, msg.id), 'skipped');
  assert.equal(printed.length, 0);
});

test('a broadcast SMS the gateway refused with a retryable error is tried again and sent once', async () => {
  const flaky = flakyOnce();
  const deps: SenderDeps = { ...senderWith(flaky), broadcasts: { gate: async () => 'send' } };
  const msg: OutboundSms = { ...message('retry-b-1'), essential: false, broadcastId: 'b0000000001' };
  await stack.deps.outbound.record(msg);
  await assert.rejects(sendQueuedSms(deps, msg.id), GatewayError);
  assert.equal(await sendQueuedSms(deps, msg.id), 'sent');
  assert.equal(flaky.calls, 2);
  assert.equal((await stack.deps.outbound.get(msg.id))?.status, 'sent');
});

// ── what the sender logs for the alarms (infra/constructs/monitoring.ts) ─────────────────

test('the wired sender logs each sent SMS with its segments, and a final failure as sms_failed', async () => {
  const lines: Record<string, unknown>[] = [];
  const original = stack.deps.log;
  stack.deps.log = (entry) => lines.push(entry);
  try {
    await stack.deps.outbound.record({ ...message('report-1'), segments: 3 });
    assert.equal(await sendQueuedSms(stack.deps.sender, 'report-1'), 'sent');
    const refusing: SmsGateway = {
      name: 'refusing',
      async send() {
        throw new GatewayError('InvalidParameter', false);
      },
    };
    await stack.deps.outbound.record(message('report-2'));
    assert.equal(await sendQueuedSms(senderWith(refusing), 'report-2', true), 'failed');
  } finally {
    stack.deps.log = original;
  }
  const events = lines.filter((l) => l.kind === 'sms_sent' || l.kind === 'sms_failed');
  assert.deepEqual(
    events.map((l) => [l.kind, l.segments, l.broadcast, l.level]),
    [
      ['sms_sent', 3, false, 'info'],
      ['sms_failed', 1, false, 'warn'],
    ],
  );
});

/** The real store, whose first `failures` records of `sent` are throttled (the table, not the gateway). */
function throttledSentRecords(failures: number): SenderDeps['outbound'] & { tries: number } {
  const store = stack.deps.outbound;
  const wrapped = Object.create(store) as SenderDeps['outbound'] & { tries: number };
  wrapped.tries = 0;
  wrapped.markStatus = async (...args: Parameters<typeof store.markStatus>) => {
    if (args[1] === 'sent' && ++wrapped.tries <= failures) {
      const err = new Error('Rate of requests exceeds the allowed throughput.');
      err.name = 'ThrottlingException';
      throw err;
    }
    return store.markStatus(...args);
  };
  return wrapped;
}

test('the record of a sent SMS is tried again, apart in time, until the throttled table takes it: sent once', async () => {
  const printed: string[] = [];
  const outbound = throttledSentRecords(4);
  await stack.deps.outbound.record(message('record-1'));
  const deps = { ...senderWith(new LocalOutboxGateway((line) => printed.push(line))), outbound };
  assert.equal(await sendQueuedSms(deps, 'record-1'), 'sent');
  assert.equal(outbound.tries, 5);
  assert.equal(printed.length, 1);
  assert.equal((await stack.deps.outbound.get('record-1'))?.status, 'sent');
});

test('a record that still fails keeps the lease: the error goes to the queue and a redelivery sends nothing', async () => {
  const printed: string[] = [];
  const outbound = throttledSentRecords(Number.POSITIVE_INFINITY);
  await stack.deps.outbound.record(message('record-2'));
  const deps = { ...senderWith(new LocalOutboxGateway((line) => printed.push(line))), outbound };
  await assert.rejects(sendQueuedSms(deps, 'record-2'), /allowed throughput/);
  assert.equal(await sendQueuedSms(deps, 'record-2'), 'skipped');
  assert.equal(printed.length, 1, 'sent once, never again while the lease holds');
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LocalOutboxGateway } from '#adapters/sms/local-outbox.ts';
import { GatewayError, type SmsGateway } from '#core/ports.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { sendQueuedSms, type SenderDeps } from '#core/sms/sender.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(() => stack.close());

const message = (id: string): OutboundSms => ({
  id, to: '+8613800000009', text: 'test', encoding: 'GSM-7', segments: 1, key: 'help.commands', params: {}, essential: true, createdAt: new Date().toISOString(),
});

function senderWith(gateway: SmsGateway): SenderDeps {
  return { ...stack.deps.sender, gateway };
}

test('two deliveries of the same queue job at once send the SMS once', async () => {
  const printed: string[] = [];
  const deps = senderWith(new LocalOutboxGateway((line) => printed.push(line)));
  await stack.deps.outbound.record(message('lease-1'));
  const outcomes = await Promise.all([sendQueuedSms(deps, 'lease-1'), sendQueuedSms(deps, 'lease-1'), sendQueuedSms(deps, 'lease-1')]);
  assert.equal(printed.length, 1);
  assert.deepEqual(outcomes.filter((o) => o === 'sent'), ['sent']);
  assert.equal((await stack.deps.outbound.get('lease-1'))?.status, 'sent');
});

test('a retryable failure gives the lease back, so the retry sends at once', async () => {
  let calls = 0;
  const flaky: SmsGateway = {
    name: 'flaky',
    async send() {
      calls++;
      if (calls === 1) throw new GatewayError('ThrottlingException', true);
      return { gatewayMessageId: 'gw-2' };
    },
  };
  await stack.deps.outbound.record(message('lease-2'));
  await assert.rejects(sendQueuedSms(senderWith(flaky), 'lease-2'), GatewayError);
  assert.equal(await sendQueuedSms(senderWith(flaky), 'lease-2'), 'sent');
  assert.equal(calls, 2);
});

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { handleInboundSms, type InboundDeps } from '#core/sms/handle-inbound.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(() => stack.close());

test('a run that fails after claiming gives the claim back: the redelivery is handled at once, with one reply', async () => {
  const d = stack.deps;
  let failNext = true;
  const deps: InboundDeps = {
    claims: d.claims, subscribers: d.subscribers, outbound: d.outbound, rateLimiter: d.rateLimiter, catalog: d.catalog,
    inboundPerHour: 30, now: d.now, log: () => {},
    // The real messenger, failing once the way a throttled queue would.
    messenger: {
      sendLines: async (input) => {
        if (failNext) {
          failNext = false;
          throw new Error('queue unavailable');
        }
        return d.messenger.sendLines(input);
      },
    },
  };
  const msg: InboundSms = { gateway: 'eum', messageId: 'retry-1', from: '+8613800000077', text: 'JOIN Gyantse', receivedAt: new Date().toISOString() };
  await assert.rejects(handleInboundSms(deps, msg), /queue unavailable/);
  const retried = await handleInboundSms(deps, msg);
  assert.equal(retried.duplicate, false);
  assert.equal(retried.replies.length, 1);
  assert.equal((await d.subscribers.get('+8613800000077'))?.homeRegionId, 'cty_shigatse_gyantse');
  const again = await handleInboundSms(deps, msg);
  assert.equal(again.duplicate, true, 'once handled, a further redelivery does nothing');
  assert.equal((await d.outbound.listTo('+8613800000077', 10)).length, 1);
});

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { mayMoveTo, statusesReplacedBy } from '#core/sms/delivery-status.ts';
import type { DeliveryStatus } from '#core/sms/messages.ts';

const all: DeliveryStatus[] = ['queued', 'sent', 'delivered', 'failed', 'blocked', 'unknown'];

describe('delivery status ordering', () => {
  test('the sender marks sent only from queued; nothing sets queued', () => {
    assert.deepEqual(statusesReplacedBy('sent'), ['queued']);
    assert.deepEqual(statusesReplacedBy('queued'), []);
  });

  test('delivered is final; UNKNOWN never replaces a final receipt', () => {
    for (const next of all) assert.equal(mayMoveTo('delivered', next), next === 'delivered', next);
    for (const final of ['delivered', 'failed', 'blocked'] as const)
      assert.equal(mayMoveTo(final, 'unknown'), false, final);
    assert.equal(mayMoveTo('failed', 'delivered'), true, 'the carrier retried and delivered');
  });

  test('any sequence of receipts in any order ends delivered if one of them was delivered', () => {
    const receipt = fc.constantFrom<DeliveryStatus>('delivered', 'failed', 'blocked', 'unknown');
    fc.assert(
      fc.property(fc.array(receipt, { minLength: 1, maxLength: 8 }), fc.boolean(), (receipts, sentFirst) => {
        let status: DeliveryStatus = sentFirst ? 'sent' : 'queued';
        for (const next of [...receipts, 'sent' as const]) if (mayMoveTo(status, next)) status = next;
        if (receipts.includes('delivered')) assert.equal(status, 'delivered');
        assert.notEqual(status, 'queued');
      }),
    );
  });
});

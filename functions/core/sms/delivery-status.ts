/**
 * How the status of an outbound SMS may move. Delivery receipts come late (up to 72 h) and in
 * any order, and may race the sender's own "sent" mark: a receipt can name our message (via
 * the Context we send) before the sender has recorded the gateway's id. So every status
 * change is conditional on the status it replaces, and the stores enforce this one rule.
 */
import type { DeliveryStatus } from './messages.ts';

const replaceable: Record<DeliveryStatus, readonly DeliveryStatus[]> = {
  // Only the sender records these, once, from the message as queued.
  queued: [],
  sent: ['queued'],
  // What the phone or the carrier said. `delivered` is final: a failure reported after a
  // delivery (a carrier's late temporary error) does not undo it; a delivery reported after
  // a failure (the carrier retried) does.
  delivered: ['queued', 'sent', 'unknown', 'failed', 'blocked', 'delivered'],
  failed: ['queued', 'sent', 'unknown', 'failed', 'blocked'],
  blocked: ['queued', 'sent', 'unknown', 'failed', 'blocked'],
  // The service reports UNKNOWN when no final receipt came within 72 h: never over a final one.
  unknown: ['queued', 'sent', 'unknown'],
};

/**
 * The stored statuses that `next` may overwrite.
 *
 * @example statusesReplacedBy('sent') // ['queued']: a receipt that came first is kept
 */
export function statusesReplacedBy(next: DeliveryStatus): readonly DeliveryStatus[] {
  return replaceable[next];
}

/** @example mayMoveTo('delivered', 'sent') === false */
export function mayMoveTo(current: DeliveryStatus, next: DeliveryStatus): boolean {
  return replaceable[next].includes(current);
}

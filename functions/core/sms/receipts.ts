/**
 * Delivery receipts: what the gateway later learnt about an SMS we sent. Receipts are
 * redelivered and reordered, so recording one is idempotent and never moves a message
 * backwards (see delivery-status.ts).
 */
import { mayMoveTo } from './delivery-status.ts';
import type { DeliveryStatus } from './messages.ts';
import type { OutboundStore } from './ports.ts';

/** A status a receipt can report; `sent` and `queued` are ours alone. */
export type ReceiptStatus = Exclude<DeliveryStatus, 'queued' | 'sent'>;

export interface DeliveryReceipt {
  gateway: string;
  gatewayMessageId: string;
  /** Our message id, when the gateway echoes it back (End User Messaging: the Context we sent). */
  messageId?: string;
  /** Undefined for an intermediate report (queued or pending at the carrier): nothing to record. */
  status?: ReceiptStatus;
  /** The gateway's own words for a failure, kept as the message's last error. */
  detail?: string;
}

/**
 * - `recorded`: the message now has the receipt's status;
 * - `superseded`: it already had a status the receipt may not replace (e.g. delivered);
 * - `unmatched`: no such message (erased by DELETE ME, expired, or not ours);
 * - `intermediate`: nothing to record.
 */
export type ReceiptOutcome = 'recorded' | 'superseded' | 'unmatched' | 'intermediate';

/**
 * @example
 * await recordDeliveryReceipt({ outbound }, { gateway: 'eum', gatewayMessageId: 'e5f…', status: 'delivered' });
 */
export async function recordDeliveryReceipt(
  deps: { outbound: OutboundStore },
  receipt: DeliveryReceipt,
): Promise<ReceiptOutcome> {
  if (!receipt.status) return 'intermediate';
  const id = receipt.messageId ?? (await deps.outbound.findByGatewayId(receipt.gateway, receipt.gatewayMessageId));
  const current = id ? await deps.outbound.get(id) : undefined;
  if (!id || !current) return 'unmatched';
  if (!mayMoveTo(current.status, receipt.status)) return 'superseded';
  // The gateway id goes in too: when the receipt beat the sender's own "sent" mark, this is
  // what records it (the sender's mark is then refused as out of date).
  const applied = await deps.outbound.markStatus(id, receipt.status, {
    gateway: receipt.gateway,
    gatewayMessageId: receipt.gatewayMessageId,
    ...(receipt.status !== 'delivered' && receipt.detail ? { error: receipt.detail } : {}),
  });
  return applied ? 'recorded' : 'superseded';
}

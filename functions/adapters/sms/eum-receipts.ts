/**
 * Delivery events from an End User Messaging configuration set's SNS event destination,
 * turned into DeliveryReceipts. Event record: eventType, eventVersion, eventTimestamp,
 * isFinal, origination/destination numbers, messageId (SendTextMessage's MessageId),
 * messageStatus, messageStatusDescription, context (the Context we sent), parts and price.
 */

import type { DeliveryReceipt, ReceiptStatus } from '#core/sms/receipts.ts';
import * as z from '#core/zod.ts';
import { EUM_GATEWAY } from './eum-inbound.ts';
import { openSnsRecord } from './sns-envelope.ts';

/**
 * The final SMS event types and what each means for our record. TEXT_SUCCESSFUL (accepted by
 * the recipient's carrier) counts as delivered: the service uses it and TEXT_DELIVERED
 * interchangeably depending on the country, and it is the last word where handsets send no
 * receipt. The stack subscribes the configuration set to exactly these types.
 */
export const eumReceiptStatus = {
  TEXT_DELIVERED: 'delivered',
  TEXT_SUCCESSFUL: 'delivered',
  TEXT_BLOCKED: 'blocked',
  TEXT_CARRIER_BLOCKED: 'blocked',
  TEXT_SPAM: 'blocked',
  TEXT_PROTECT_BLOCKED: 'blocked',
  TEXT_TTL_EXPIRED: 'failed',
  TEXT_CARRIER_UNREACHABLE: 'failed',
  TEXT_UNREACHABLE: 'failed',
  TEXT_INVALID: 'failed',
  TEXT_INVALID_MESSAGE: 'failed',
  TEXT_UNKNOWN: 'unknown',
} as const satisfies Record<string, ReceiptStatus>;

export type EumReceiptEventType = keyof typeof eumReceiptStatus;

const smsEvent = z.object({
  eventType: z.string().check(z.minLength(1)),
  eventVersion: z.optional(z.string()),
  eventTimestamp: z.optional(z.number()),
  isFinal: z.optional(z.boolean()),
  messageId: z.string().check(z.minLength(1), z.maxLength(128)),
  destinationPhoneNumber: z.optional(z.string()),
  messageStatus: z.optional(z.string()),
  messageStatusDescription: z.optional(z.string()),
  context: z.optional(z.record(z.string(), z.string())),
});

export type ReceiptParse =
  | { ok: true; eventType: string; receipt: DeliveryReceipt }
  | { ok: false; snsMessageId?: string; reason: string };

/**
 * Intermediate (TEXT_QUEUED, TEXT_PENDING) and non-SMS events parse to a receipt without a
 * status, which records nothing.
 *
 * @example receiptFromSns(record) // { ok: true, eventType: 'TEXT_DELIVERED', receipt: { status: 'delivered', … } }
 */
export function receiptFromSns(record: unknown): ReceiptParse {
  const opened = openSnsRecord(record, smsEvent);
  if (!opened.ok) return opened;
  const e = opened.payload;
  const status: ReceiptStatus | undefined = Object.hasOwn(eumReceiptStatus, e.eventType)
    ? eumReceiptStatus[e.eventType as EumReceiptEventType]
    : undefined;
  return {
    ok: true,
    eventType: e.eventType,
    receipt: {
      gateway: EUM_GATEWAY,
      gatewayMessageId: e.messageId,
      messageId: e.context?.zhingdrokId || undefined,
      status,
      detail: [e.eventType, e.messageStatusDescription].filter(Boolean).join(': '),
    },
  };
}

/**
 * Inbound SMS from AWS End User Messaging two-way messaging: the phone number (or pool)
 * publishes each message to an SNS topic as a JSON string in the notification's `Message`.
 */

import type { InboundSms } from '#core/sms/messages.ts';
import * as z from '#core/zod.ts';
import { openSnsRecord } from './sns-envelope.ts';

/** The gateway name under which inbound messages are deduplicated and outbound ones sent. */
export const EUM_GATEWAY = 'eum';

const twoWayMessage = z.object({
  originationNumber: z.string().check(z.minLength(1), z.maxLength(32)),
  destinationNumber: z.string().check(z.minLength(1), z.maxLength(64)),
  messageKeyword: z.nullish(z.string()),
  // A concatenated SMS can run to a few thousand characters; anything longer is not an SMS.
  messageBody: z.string().check(z.maxLength(4000)),
  inboundMessageId: z.string().check(z.minLength(1), z.maxLength(128)),
  previousPublishedMessageId: z.nullish(z.string()),
});

export type TwoWayMessage = z.infer<typeof twoWayMessage>;

export type InboundParse = { ok: true; sms: InboundSms } | { ok: false; snsMessageId?: string; reason: string };

/**
 * Unwraps one SNS record into the pipeline's InboundSms. `receivedAt` is when SNS took the
 * message, the closest the event has to when the phone sent it.
 *
 * @example inboundSmsFromSns(event.Records[0]) // { ok: true, sms: { gateway: 'eum', messageId, from, to, text, receivedAt } }
 */
export function inboundSmsFromSns(record: unknown): InboundParse {
  const opened = openSnsRecord(record, twoWayMessage);
  if (!opened.ok) return opened;
  const m = opened.payload;
  return {
    ok: true,
    sms: {
      gateway: EUM_GATEWAY,
      messageId: m.inboundMessageId,
      from: m.originationNumber,
      to: m.destinationNumber,
      text: m.messageBody,
      receivedAt: opened.timestamp,
    },
  };
}

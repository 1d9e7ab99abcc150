/**
 * The SNS notification that Lambda receives from a topic subscription, and the one way we
 * open it: check the envelope, parse the JSON in `Message`, check that against a schema.
 * End User Messaging publishes both inbound SMS and delivery events this way. The event itself is
 * @types/aws-lambda's SNSEvent; a record is read as `unknown` here, since the schema checks it.
 */
import * as z from '#core/zod.ts';

const envelope = z.object({
  Sns: z.object({
    MessageId: z.string().check(z.minLength(1)),
    Message: z.string(),
    Timestamp: z.iso.datetime(),
  }),
});

export type Opened<T> =
  | { ok: true; snsMessageId: string; timestamp: string; payload: T }
  | { ok: false; snsMessageId?: string; reason: string };

/**
 * @example
 * const opened = openSnsRecord(event.Records[0], z.object({ messageId: z.string() }));
 * if (opened.ok) opened.payload.messageId;
 */
export function openSnsRecord<T>(record: unknown, schema: z.ZodMiniType<T>): Opened<T> {
  const outer = envelope.safeParse(record);
  if (!outer.success) return { ok: false, reason: `not an SNS notification: ${summarise(outer.error)}` };
  const { MessageId: snsMessageId, Message, Timestamp } = outer.data.Sns;
  let json: unknown;
  try {
    json = JSON.parse(Message);
  } catch {
    return { ok: false, snsMessageId, reason: 'Message is not JSON' };
  }
  const inner = schema.safeParse(json);
  if (!inner.success) return { ok: false, snsMessageId, reason: summarise(inner.error) };
  return { ok: true, snsMessageId, timestamp: Timestamp, payload: inner.data };
}

/** Paths and messages only: never the values, which may be phone numbers or message text. */
function summarise(error: { issues: ReadonlyArray<{ path: PropertyKey[]; message: string }> }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`)
    .join('; ');
}

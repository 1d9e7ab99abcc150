/**
 * Alibaba Cloud SMS pushes (HTTP batch push, configured in the console): delivery reports
 * (SmsReport) and replies from phones (SmsUp), each a JSON array of records POSTed to
 * `/sms/aliyun/<token>/report` and `/sms/aliyun/<token>/up`. The provider signs nothing, so the
 * path carries a secret token (ALIYUN_PUSH_TOKEN), compared in constant time; a wrong one is a
 * 404, as for a path that does not exist.
 *
 * The provider retries a push not answered `{"code":0}` (after 1, 5 and 10 minutes), and may
 * deliver a batch twice or out of order: a report is recorded through recordDeliveryReceipt
 * (idempotent, never backwards), a reply goes through the inbound pipeline under the claim
 * (aliyun, sequence_id), so a replay changes nothing twice.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError } from '#core/errors.ts';
import { handledLogEntry } from '#core/sms/handle-inbound.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import type { OutboundStore } from '#core/sms/ports.ts';
import { type DeliveryReceipt, recordDeliveryReceipt } from '#core/sms/receipts.ts';
import * as z from '#core/zod.ts';
import { ALIYUN_GATEWAY } from './aliyun-sms.ts';

/** The push paths under the app's root (functions/http/routes.ts routes them to their Lambda). */
export const ALIYUN_PUSH_PREFIX = '/sms/aliyun';
/** A push batch is small (the console sends up to a few hundred records); far below the app's 1 MB. */
export const ALIYUN_PUSH_BODY_BYTES = 256 * 1024;
const MAX_RECORDS = 1000;

const text = (max: number) => z.string().check(z.maxLength(max));
const flag = z.union([z.boolean(), z.enum(['true', 'false'])]);
const numberish = z.union([z.number(), z.string().check(z.maxLength(32))]);

const smsReport = z.object({
  phone_number: text(32),
  send_time: z.optional(text(32)),
  report_time: z.optional(text(32)),
  success: flag,
  err_code: z.optional(z.nullable(text(64))),
  err_msg: z.optional(z.nullable(text(500))),
  sms_size: z.optional(numberish),
  biz_id: z.string().check(z.minLength(1), z.maxLength(128)),
  out_id: z.optional(z.nullable(text(256))),
});

const smsUp = z.object({
  phone_number: z.string().check(z.minLength(1), z.maxLength(32)),
  // A concatenated SMS can run to a few thousand characters; anything longer is not an SMS.
  content: text(4000),
  send_time: z.optional(text(32)),
  sign_name: z.optional(z.nullable(text(64))),
  dest_code: z.optional(z.nullable(text(64))),
  sequence_id: z.union([z.number().check(z.int()), z.string().check(z.regex(/^\d{1,32}$/))]),
});

const batch = <T extends z.ZodMiniType>(item: T) => z.array(item).check(z.minLength(1), z.maxLength(MAX_RECORDS));

export type SmsReportRecord = z.infer<typeof smsReport>;
export type SmsUpRecord = z.infer<typeof smsUp>;

/** A report as a receipt: success → delivered; otherwise failed, with the provider's code and words. */
export function receiptFromReport(r: SmsReportRecord): DeliveryReceipt {
  const success = r.success === true || r.success === 'true';
  return {
    gateway: ALIYUN_GATEWAY,
    gatewayMessageId: r.biz_id,
    ...(r.out_id ? { messageId: r.out_id } : {}),
    status: success ? 'delivered' : 'failed',
    detail: [r.err_code, r.err_msg].filter(Boolean).join(': '),
  };
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time (the provider's) → ISO 8601; undefined when not that shape. */
export function beijingTime(value: string | undefined): string | undefined {
  const m = value?.match(/^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const at = new Date(Date.UTC(y as number, (mo as number) - 1, d, (h as number) - 8, mi, s));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The sender's number as E.164: mainland numbers come without +86. */
export function e164From(phone: string): string {
  const digits = phone.replace(/^\+/, '');
  return /^1\d{10}$/.test(digits) ? `+86${digits}` : `+${digits}`;
}

export function inboundFromUp(r: SmsUpRecord, now: Date): InboundSms {
  return {
    gateway: ALIYUN_GATEWAY,
    messageId: String(r.sequence_id),
    from: e164From(r.phone_number),
    ...(r.dest_code ? { to: r.dest_code } : {}),
    text: r.content,
    receivedAt: beijingTime(r.send_time) ?? now.toISOString(),
  };
}

/** Same length digests, so the comparison takes the same time whatever the token's length. */
export function sameToken(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && expected.length > 0;
}

export interface AliyunPushDeps {
  outbound: OutboundStore;
  /** The inbound pipeline (inbound-wiring.ts); without it SmsUp pushes are refused with code 1 (retried). */
  handleInbound?: (msg: InboundSms) => Promise<{ duplicate?: boolean; replies: Array<{ id: string }> }>;
  /** The push token (ALIYUN_PUSH_TOKEN, or the secret's pushToken in AWS); unset: every push is a 404. */
  pushToken: () => Promise<string | undefined>;
  now: () => Date;
  log?: (entry: Record<string, unknown>) => void;
}

const ok = { code: 0, msg: '成功' } as const;

/**
 * The push routes, to mount at the app's root.
 *
 * @example app.route('/', aliyunPushRoutes(deps)) // POST /sms/aliyun/<token>/report
 */
export function aliyunPushRoutes(deps: AliyunPushDeps) {
  const app = new Hono();
  const log = (entry: Record<string, unknown>) => deps.log?.(entry);
  const limit = bodyLimit({
    maxSize: ALIYUN_PUSH_BODY_BYTES,
    onError: (c) => c.json({ code: 1, msg: `body over ${ALIYUN_PUSH_BODY_BYTES} bytes` }, 413),
  });
  const guard = async (token: string) => {
    const expected = await deps.pushToken();
    return expected !== undefined && sameToken(token, expected);
  };
  const read = async <T extends z.ZodMiniType>(raw: string, schema: T) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return { ok: false as const, msg: 'not JSON' };
    }
    const parsed = z.safeParse(batch(schema), json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return { ok: false as const, msg: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}` };
    }
    return { ok: true as const, records: parsed.data as z.infer<T>[] };
  };

  app.post(`${ALIYUN_PUSH_PREFIX}/:token/report`, async (c, next) => {
    if (!(await guard(c.req.param('token')))) return c.notFound();
    return limit(c, next);
  });
  app.post(`${ALIYUN_PUSH_PREFIX}/:token/up`, async (c, next) => {
    if (!(await guard(c.req.param('token')))) return c.notFound();
    return limit(c, next);
  });

  app.post(`${ALIYUN_PUSH_PREFIX}/:token/report`, async (c) => {
    const body = await read(await c.req.text(), smsReport);
    if (!body.ok) return c.json({ code: 1, msg: body.msg }, 400);
    const outcomes: Record<string, number> = {};
    for (const record of body.records) {
      const outcome = await recordDeliveryReceipt(deps, receiptFromReport(record));
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    }
    log({ level: 'info', msg: 'aliyun delivery reports', records: body.records.length, ...outcomes });
    return c.json(ok);
  });

  app.post(`${ALIYUN_PUSH_PREFIX}/:token/up`, async (c) => {
    const body = await read(await c.req.text(), smsUp);
    if (!body.ok) return c.json({ code: 1, msg: body.msg }, 400);
    const handle = deps.handleInbound;
    if (!handle) return c.json({ code: 1, msg: 'inbound SMS are not handled here' }, 503);
    let busy = 0;
    for (const record of body.records) {
      const sms = inboundFromUp(record, deps.now());
      try {
        const result = await handle(sms);
        log(handledLogEntry(sms, result));
      } catch (err) {
        // Another run still holds the claim: the provider's retry finds it done (a duplicate) or stale.
        if (!(err instanceof AppError && err.code === 'sms_in_progress')) throw err;
        busy++;
      }
    }
    // Not every record was handled: anything but code 0 makes the provider push the batch again.
    if (busy) return c.json({ code: 1, msg: `${busy} message(s) still being handled; push again` }, 503);
    return c.json(ok);
  });

  return app;
}

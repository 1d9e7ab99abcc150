/**
 * Local-mode only (never mounted in AWS): the SMS contracts outside checks and developers
 * rely on — POST /dev/sms runs the whole inbound pipeline, GET /dev/outbox lists what was
 * sent to a number — and /dev/phone, a phone simulator page.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { z } from 'zod';
import { AppError } from '#core/errors.ts';
import { toE164 } from '#core/phone.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { PhonePage, type PhoneEntry } from '#web/pages/phone.tsx';
import { sendPage } from '#web/render.tsx';
import { pageContext } from '#web/routes.tsx';
import type { AppDeps, AppEnv } from './env.ts';
import { validationHook } from './validation.ts';

const smsBody = z.object({
  from: z.string().min(1).max(32),
  text: z.string().max(2000),
  id: z.string().min(1).max(200).optional(),
});

const view = (m: OutboundSms) => ({ to: m.to, text: m.text, encoding: m.encoding, segments: m.segments });

/** The simulator keeps what was typed in memory only: the pipeline itself stores no texts. */
const typed = new Map<string, PhoneEntry[]>();

export function devRoutes(deps: AppDeps) {
  const dev = new Hono<AppEnv>();

  const receive = (from: string, text: string, id?: string) =>
    deps.handleInbound({ gateway: 'dev', messageId: id ?? randomUUID(), from, text, receivedAt: deps.now().toISOString() });

  dev.post('/sms', async (c) => {
    const parsed = smsBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) validationHook({ success: false, error: parsed.error, target: 'json' });
    const body = parsed.data!;
    if (!toE164(body.from)) throw new AppError('validation_failed', {}, [{ path: 'json.from', message: 'not a valid phone number (E.164, e.g. +8613800000000)' }]);
    const result = await receive(body.from, body.text, body.id);
    return c.json({ replies: result.replies.map(view) });
  });

  dev.get('/outbox', async (c) => {
    const to = toE164(c.req.query('to') ?? '');
    if (!to) throw new AppError('validation_failed', {}, [{ path: 'query.to', message: 'a phone number is required, e.g. ?to=+8613800000000' }]);
    const sent = await deps.outbound.listTo(to, 100);
    return c.json(sent.filter((m) => m.status === 'sent' || m.status === 'delivered').map((m) => ({ ...view(m), sentAt: m.createdAt })));
  });

  dev.get('/phone', async (c) => {
    const number = toE164(c.req.query('number') ?? '') ?? '+8613800000000';
    const outbox = await deps.outbound.listTo(number, 30);
    return sendPage(c, <PhonePage ctx={pageContext(c)} number={number} typed={typed.get(number) ?? []} outbox={outbox} />);
  });

  dev.post('/phone', csrf(), async (c) => {
    const form = await c.req.parseBody();
    const number = toE164(String(form.number ?? ''));
    const text = String(form.text ?? '').slice(0, 2000);
    if (number) {
      const entries = typed.get(number) ?? [];
      entries.unshift({ text, at: deps.now().toISOString() });
      typed.set(number, entries.slice(0, 30));
      await receive(number, text);
    }
    return c.redirect(`/dev/phone?number=${encodeURIComponent(number ?? '')}`, 303);
  });

  return dev;
}

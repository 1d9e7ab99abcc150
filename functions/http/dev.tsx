/**
 * Local-mode only (never mounted in AWS): the SMS contracts outside checks and developers
 * rely on — POST /dev/sms runs the whole inbound pipeline, GET /dev/outbox lists what was
 * sent to a number — /dev/phone, a phone simulator page, /dev/voice, the voice line's, and
 * POST /dev/jobs/<job>, which runs a scheduled job now.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { isBroadcastId, isJobName, type JobDeps, runJob } from '#core/alerts/jobs.ts';
import { AppError, notFound } from '#core/errors.ts';
import { toE164 } from '#core/phone.ts';
import type { DeliveryStatus, OutboundSms } from '#core/sms/messages.ts';
import * as z from '#core/zod.ts';
import { type PhoneEntry, PhonePage } from '#web/pages/phone.tsx';
import { sendPage } from '#web/render.tsx';
import { pageContext } from '#web/routes.tsx';
import { devVoiceRoutes } from './dev-voice.tsx';
import type { AppDeps, AppEnv } from './env.ts';
import { fromAppError } from './problem.ts';
import { validationHook } from './validation.ts';

const smsBody = z.object({
  from: z.string().check(z.minLength(1), z.maxLength(32)),
  text: z.string().check(z.maxLength(2000)),
  id: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

const view = (m: OutboundSms) => ({ to: m.to, text: m.text, encoding: m.encoding, segments: m.segments });

/** Statuses of an SMS that never reached a phone: refused by a guard, or given up on. */
const notSent = new Set<DeliveryStatus>(['blocked', 'failed']);

/** The simulator keeps what was typed in memory only (the pipeline itself stores no texts), for a few numbers. */
const typed = new Map<string, PhoneEntry[]>();
const TYPED_NUMBERS = 100;

export function devRoutes(deps: AppDeps) {
  const dev = new Hono<AppEnv>();
  const inbound = deps.handleInbound;
  if (!inbound) throw new Error('the /dev routes need the inbound SMS pipeline (inboundSmsParts)');

  const receive = (from: string, text: string, id?: string) =>
    inbound({ gateway: 'dev', messageId: id ?? randomUUID(), from, text, receivedAt: deps.now().toISOString() });

  // The replies are the SMS the message caused: one that a guard stopped (a destination
  // outside SMS_ALLOWED_COUNTRIES) is left out, as GET /dev/outbox leaves it out.
  dev.post('/sms', async (c) => {
    const parsed = smsBody.safeParse(await c.req.json().catch(() => undefined));
    if (!parsed.success) validationHook({ success: false, error: parsed.error, target: 'json' });
    const body = parsed.data!;
    if (!toE164(body.from))
      throw new AppError('validation_failed', {}, [
        { path: 'json.from', message: 'not a valid phone number (E.164, e.g. +8613800000000)' },
      ]);
    let result: Awaited<ReturnType<typeof receive>>;
    try {
      result = await receive(body.from, body.text, body.id);
    } catch (err) {
      // The same id while another request is still handling it (or a crash left it unfinished
      // less than the stale window ago): not handled, so not `{"replies": []}` — try again later.
      if (!(err instanceof AppError && err.code === 'sms_in_progress')) throw err;
      const res = fromAppError(c, err);
      res.headers.set('Retry-After', String(err.params.seconds));
      return res;
    }
    const stored = await Promise.all(result.replies.map((r) => deps.outbound.get(r.id)));
    const sent = result.replies.filter((_, i) => !notSent.has(stored[i]?.status ?? 'queued'));
    return c.json({ replies: sent.map(view) });
  });

  dev.get('/outbox', async (c) => {
    const to = toE164(c.req.query('to') ?? '');
    if (!to)
      throw new AppError('validation_failed', {}, [
        { path: 'query.to', message: 'a phone number is required, e.g. ?to=+8613800000000' },
      ]);
    // Sign-in codes are delivered in the background (core/staff/code-delivery.ts): wait for any still on their way.
    await deps.signInCodeQueue.settled?.();
    const sent = await deps.outbound.listTo(to, 100);
    return c.json(sent.filter((m) => m.status === 'sent' || m.status === 'delivered').map(view));
  });

  dev.get('/phone', async (c) => {
    const asked = c.req.query('number') ?? '';
    const ctx = pageContext(c);
    const csrf = c.get('csrfToken')();
    if (c.req.query('error') === 'number') {
      return sendPage(c, <PhonePage ctx={ctx} number={asked} badNumber csrf={csrf} typed={[]} outbox={[]} />);
    }
    const number = toE164(asked) ?? '+8613800000000';
    const outbox = await deps.outbound.listTo(number, 30);
    return sendPage(
      c,
      <PhonePage
        ctx={ctx}
        number={number}
        badNumber={false}
        csrf={csrf}
        typed={typed.get(number) ?? []}
        outbox={outbox}
      />,
    );
  });

  // Guarded like every form (app.ts: Origin check and CSRF token), then POST-redirect-GET.
  dev.post('/phone', async (c) => {
    const form = await c.req.parseBody();
    const raw = String(form.number ?? '').slice(0, 32);
    const number = toE164(raw);
    if (!number) return c.redirect(`/dev/phone?number=${encodeURIComponent(raw)}&error=number`, 303);
    const text = String(form.text ?? '').slice(0, 2000);
    const entries = typed.get(number) ?? [];
    typed.delete(number);
    typed.set(number, [{ text, at: deps.now().toISOString() }, ...entries].slice(0, 30));
    if (typed.size > TYPED_NUMBERS) typed.delete(typed.keys().next().value!);
    await receive(number, text);
    return c.redirect(`/dev/phone?number=${encodeURIComponent(number)}`, 303);
  });

  // Runs a scheduled job now (`price-digest`, `price-sweep`, `broadcast-tick`,
  // `broadcast-run?broadcastId=…`, `question-escalate`, `upload-cleanup`, `open-data`), as the local timer (functions/local/scheduler.ts) and
  // EventBridge Scheduler in AWS do; answers its report.
  dev.post('/jobs/:job', async (c) => {
    const job = c.req.param('job');
    if (!isJobName(job)) throw notFound('job', job);
    const broadcastId = c.req.query('broadcastId');
    if (job === 'broadcast-run' && !isBroadcastId(broadcastId)) throw notFound('broadcast', String(broadcastId));
    const jobDeps = deps as AppDeps & Partial<JobDeps>;
    if (!jobDeps.alerts) throw new Error('the /dev/jobs routes need the alert store (createDeps)');
    return c.json(await runJob(jobDeps as JobDeps, job, undefined, broadcastId ? { broadcastId } : {}));
  });

  // The local voice line: call as a number, press keys, hear each turn (dev-voice.tsx).
  dev.route('/voice', devVoiceRoutes(deps));

  return dev;
}

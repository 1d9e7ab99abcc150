/**
 * The TwiML-compatible webhook: a provider (Twilio, or any that speaks TwiML) POSTs a form per
 * turn of a call and gets `<Response>` XML back. This file only translates: form → CallEvent,
 * Turn → XML; the call itself is the provider-neutral VoiceLine (core/voice).
 *
 * Its own small Hono app (`voiceRoutes`): in AWS it is the whole voice Lambda's HTTP side
 * (functions/handlers/voice.ts), without the pages' middleware (no sessions, no CSRF: a
 * provider is not a browser; the signature is its proof); locally the server mounts it beside the app's routes.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { toE164 } from '#core/phone.ts';
import type { CallEvent, CallInput, PlayClip, Step, Turn } from '#core/voice/call.ts';
import type { VoiceRecordings } from '#core/voice/ports.ts';
import type { VoiceLine } from '#core/voice/service.ts';
import { TWIML_PATH, TWIML_STATUS_PATH } from '#http/routes.ts';
import { validTwilioSignature } from './signature.ts';

/** A provider's form is a dozen short fields; anything near this is not one. */
export const MAX_TWIML_FORM_BYTES = 16 * 1024;
export { TWIML_PATH, TWIML_STATUS_PATH };

const xmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
/** Text and attribute values alike: every character XML gives a meaning to is escaped. */
export const escapeXml = (value: string | number) => String(value).replace(/[&<>"']/g, (ch) => xmlEscapes[ch]!);

export interface TwimlUrls {
  /** Where a clip plays from (the files base + its key; locally /dev/voice/clips/… for placeholders). */
  clip: (clip: PlayClip) => string;
  /** The webhook's own path or URL, where the next turn posts (`?seq=N` is added). */
  action: string;
}

/**
 * A turn as TwiML. A Gather is followed by a Redirect to the same action with `silence=1`: the
 * provider falls through to it when nothing was pressed, so silence is a turn like any other.
 *
 * @example renderTwiml({ callId: 'CA1', seq: 2, steps: [{ kind: 'hangup' }] }, urls) // '<?xml …?><Response><Hangup/></Response>'
 */
export function renderTwiml(turn: Turn, urls: TwimlUrls): string {
  const next = `${urls.action}?seq=${turn.seq}`;
  const plays = (clips: PlayClip[]) => clips.map((clip) => `<Play>${escapeXml(urls.clip(clip))}</Play>`).join('');
  const verb = (step: Step): string => {
    switch (step.kind) {
      case 'play':
        return plays(step.clips);
      case 'gather':
        return (
          `<Gather input="dtmf" numDigits="${escapeXml(step.numDigits)}" timeout="${escapeXml(step.timeoutSeconds)}"` +
          ` action="${escapeXml(next)}" method="POST">${plays(step.prompt)}</Gather>` +
          `<Redirect method="POST">${escapeXml(`${next}&silence=1`)}</Redirect>`
        );
      case 'record':
        return (
          `${plays(step.prompt)}<Record maxLength="${escapeXml(step.maxSeconds)}" playBeep="true" finishOnKey="#"` +
          ` action="${escapeXml(next)}" method="POST"/>` +
          // No recording at all (the caller said nothing): Twilio goes on past <Record>.
          `<Redirect method="POST">${escapeXml(`${next}&silence=1`)}</Redirect>`
        );
      case 'redirect':
        return `<Redirect method="POST">${escapeXml(`${next}&silence=1`)}</Redirect>`;
      case 'hangup':
        return '<Hangup/>';
    }
  };
  return `<?xml version="1.0" encoding="UTF-8"?><Response>${turn.steps.map(verb).join('')}</Response>`;
}

/** The form fields a turn reads (the provider sends more; they are signed, not read). */
export function inputOf(form: Record<string, string>, query: URLSearchParams): CallInput {
  const status = form.CallStatus;
  if (status && /^(completed|busy|failed|no-answer|canceled)$/.test(status) && !form.RecordingUrl)
    return { kind: 'hangup' };
  if (form.RecordingUrl !== undefined) {
    const seconds = Number.parseInt(form.RecordingDuration ?? '0', 10);
    return {
      kind: 'recorded',
      recordingUrl: form.RecordingUrl || undefined,
      durationSeconds: Number.isFinite(seconds) && seconds > 0 ? seconds : 0,
    };
  }
  const digits = (form.Digits ?? '').replace(/[^0-9#*]/g, '').slice(0, 8);
  if (digits) return { kind: 'digits', digits };
  if (query.get('silence') === '1' || form.Digits !== undefined) return { kind: 'silence' };
  return { kind: 'start' };
}

/** A provider's call id: short and plain, since it becomes a key and an S3 name. */
const callIdShape = /^[A-Za-z0-9_-]{1,64}$/;

export function eventOf(form: Record<string, string>, query: URLSearchParams): CallEvent | undefined {
  const callId = form.CallSid ?? '';
  if (!callIdShape.test(callId)) return undefined;
  const seq = Number.parseInt(query.get('seq') ?? '', 10);
  return {
    provider: 'twiml',
    callId,
    from: toE164(form.From ?? '') ?? '',
    to: toE164(form.To ?? '') ?? form.To ?? '',
    ...(Number.isInteger(seq) && seq >= 0 ? { seq } : {}),
    input: inputOf(form, query),
  };
}

export interface VoiceRouteDeps {
  line: VoiceLine;
  /** Brings a RecordingUrl into the files bucket before the turn (the flow keeps the key). */
  recordings?: VoiceRecordings;
  /** Where each clip plays from. */
  clipUrl: (clip: PlayClip) => string;
  /** VOICE_TWILIO_AUTH_TOKEN: every request must carry its signature. */
  authToken?: string;
  /** In AWS an unsigned line is not served at all: without a token every request is refused. */
  requireSignature: boolean;
  /** VOICE_PUBLIC_URL: the origin the provider called (the signed URL); unset: the request's own. */
  publicUrl?: string;
  log: (entry: Record<string, unknown>) => void;
}

/** The form's fields, each name once (a repeated name keeps its first value for reading; all are signed). */
function fieldsOf(body: string): { fields: Record<string, string>; pairs: Array<[string, string]> } {
  const pairs = [...new URLSearchParams(body).entries()];
  const fields: Record<string, string> = {};
  for (const [name, value] of pairs) if (!(name in fields)) fields[name] = value;
  return { fields, pairs };
}

/**
 * POST /voice/twiml and /voice/twiml/status.
 *
 * @example app.route('/', voiceRoutes(deps)) // locally; the voice Lambda serves it whole
 */
export function voiceRoutes(deps: VoiceRouteDeps) {
  const app = new Hono();
  const limit = bodyLimit({
    maxSize: MAX_TWIML_FORM_BYTES,
    onError: (c) => c.text('Payload Too Large', 413),
  });
  app.use('/voice/*', limit);
  const xml = (body: string, status: 200 | 400 | 403 = 200) =>
    new Response(body, { status, headers: { 'Content-Type': 'text/xml; charset=utf-8', 'Cache-Control': 'no-store' } });
  const refusal = '<?xml version="1.0" encoding="UTF-8"?><Response><Hangup/></Response>';

  /** The form, once its signature holds (or none is configured, locally). */
  const readSigned = async (req: Request, path: string): Promise<Record<string, string> | undefined> => {
    const url = new URL(req.url);
    const { fields, pairs } = fieldsOf(await req.text());
    if (!deps.authToken) {
      if (!deps.requireSignature) return fields;
      deps.log({ level: 'warn', msg: 'voice webhook refused: no VOICE_TWILIO_AUTH_TOKEN', path });
      return undefined;
    }
    const signed = `${deps.publicUrl ? deps.publicUrl.replace(/\/+$/, '') : url.origin}${url.pathname}${url.search}`;
    const given = req.headers.get('x-twilio-signature') ?? '';
    if (validTwilioSignature(deps.authToken, signed, pairs, given)) return fields;
    deps.log({
      level: 'warn',
      msg: given ? 'voice webhook refused: wrong signature' : 'voice webhook refused: no signature',
      path,
      callSid: callIdShape.test(fields.CallSid ?? '') ? fields.CallSid : undefined,
    });
    return undefined;
  };

  app.post(TWIML_PATH, async (c) => {
    const form = await readSigned(c.req.raw, TWIML_PATH);
    if (!form) return xml(refusal, 403);
    const query = new URL(c.req.url).searchParams;
    let event = eventOf(form, query);
    if (!event) return xml(refusal, 400);
    if (event.input.kind === 'recorded' && event.input.recordingUrl && deps.recordings) {
      // Kept in our bucket before the turn, so the question carries audio we hold; a fetch that
      // fails leaves the URL for the flow (and the caller is not kept waiting).
      const audioKey = await deps.recordings.keep({ url: event.input.recordingUrl, callId: event.callId });
      if (audioKey) event = { ...event, input: { ...event.input, audioKey } };
    }
    const turn = await deps.line.turn(event);
    return xml(renderTwiml(turn, { clip: deps.clipUrl, action: TWIML_PATH }));
  });

  // The status callback: the call ended (completed, busy, no answer …); the flow records it.
  app.post(TWIML_STATUS_PATH, async (c) => {
    const form = await readSigned(c.req.raw, TWIML_STATUS_PATH);
    if (!form) return xml(refusal, 403);
    const query = new URL(c.req.url).searchParams;
    const event = eventOf(form, query);
    if (!event) return xml(refusal, 400);
    if (event.input.kind === 'hangup') await deps.line.turn(event);
    return c.body(null, 204);
  });
  return app;
}

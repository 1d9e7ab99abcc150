/**
 * The local line (/dev/voice; mounted by dev.tsx, so local only, like /dev/sms): a developer
 * calls the voice line as a number and presses keys, and sees each turn as the TwiML adapter
 * answers it. Clips without an approved recording play a generated placeholder (a tone, then
 * silence as long as the text would take to say), served only here: never in AWS.
 */
import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { toE164 } from '#core/phone.ts';
import { type CallInput, clipIdPattern, type PlayClip, type Turn, voiceLanguages } from '#core/voice/call.ts';
import { clipText } from '#core/voice/speech/catalogue.ts';
import { estimateMs } from '#core/voice/speech/duration.ts';
import { placeholderWav } from '#core/voice/wav.ts';
import { type DevTurn, DevVoicePage, devClipUrl } from '#web/pages/voice/dev-voice.tsx';
import { sendPage } from '#web/render.tsx';
import { pageContext, renderNotFound } from '#web/routes.tsx';
import type { AppDeps, AppEnv } from './env.ts';
import { renderTwiml, TWIML_PATH } from './voice/twiml.ts';

/** The number a call starts from unless another is typed: the one /dev/phone uses. */
export const DEV_VOICE_NUMBER = '+8613800000000';
/** The number the simulated caller dials. */
const LINE_NUMBER = '+8689100000000';
/** "record 5 s": a recording of this length (a placeholder tone) as the caller's question. */
export const DEV_RECORD_SECONDS = 5;

/** The turns of recent simulated calls, in memory only (a developer tool), for a few calls. */
const calls = new Map<string, { number: string; turns: DevTurn[]; ended: boolean }>();
const KEPT_CALLS = 50;
const CALL_ID = /^dev-[0-9a-f-]{36}$/;

export function devVoiceRoutes(deps: AppDeps) {
  const dev = new Hono<AppEnv>();
  const recordSeconds = DEV_RECORD_SECONDS;

  /** Where the provider would fetch a clip: the approved recording from the files route, else the placeholder here. */
  const clipUrl = (clip: PlayClip) =>
    clip.key && !clip.placeholder && deps.voiceAudio ? deps.voiceAudio.url(clip.key) : devClipUrl(clip);

  const remember = (callId: string, number: string, input: string, turn: Turn) => {
    const call = calls.get(callId) ?? { number, turns: [], ended: false };
    calls.delete(callId);
    const twiml = renderTwiml(turn, { clip: clipUrl, action: TWIML_PATH });
    // A retried seq answers the same steps: shown once.
    if (!call.turns.some((t) => t.seq === turn.seq))
      call.turns.unshift({ seq: turn.seq, input, steps: turn.steps, twiml });
    call.ended ||= turn.steps.some((s) => s.kind === 'hangup');
    calls.set(callId, call);
    if (calls.size > KEPT_CALLS) calls.delete(calls.keys().next().value!);
  };

  const turnOf = async (callId: string, from: string, input: CallInput, seq?: number) => {
    const line = deps.voiceLine;
    if (!line) return undefined;
    return line.turn({
      provider: 'dev',
      callId,
      from,
      to: LINE_NUMBER,
      ...(seq !== undefined ? { seq } : {}),
      input,
    });
  };

  dev.get('/', async (c) => {
    const ctx = pageContext(c);
    const callId = c.req.query('call') ?? '';
    const call = CALL_ID.test(callId) ? calls.get(callId) : undefined;
    const asked = c.req.query('number') ?? '';
    const number = call?.number ?? toE164(asked) ?? DEV_VOICE_NUMBER;
    const view = {
      csrf: c.get('csrfToken')(),
      number: c.req.query('error') === 'number' ? asked.slice(0, 32) : number,
      badNumber: c.req.query('error') === 'number',
      ...(call ? { call: { id: callId, seq: call.turns[0]?.seq ?? 0, ended: call.ended, turns: call.turns } } : {}),
      recordSeconds,
      available: deps.voiceLine !== undefined,
    };
    return sendPage(c, <DevVoicePage ctx={ctx} view={view} />);
  });

  // Guarded like every form (the app's Origin check and CSRF token), then POST-redirect-GET.
  dev.post('/call', async (c) => {
    const form = await c.req.parseBody();
    const raw = String(form.number ?? '').slice(0, 32);
    const number = toE164(raw);
    if (!number) return c.redirect(`/dev/voice?number=${encodeURIComponent(raw)}&error=number`, 303);
    const callId = `dev-${randomUUID()}`;
    const turn = await turnOf(callId, number, { kind: 'start' });
    if (!turn) return c.redirect('/dev/voice', 303);
    remember(callId, number, 'start', turn);
    return c.redirect(`/dev/voice?call=${callId}`, 303);
  });

  dev.post('/press', async (c) => {
    const form = await c.req.parseBody();
    const callId = String(form.call ?? '');
    const call = CALL_ID.test(callId) ? calls.get(callId) : undefined;
    if (!call) return c.redirect('/dev/voice', 303);
    const seq = /^\d{1,6}$/.test(String(form.seq ?? '')) ? Number(form.seq) : undefined;
    const digits = String(form.digits ?? '')
      .replace(/[^0-9#*]/g, '')
      .slice(0, 8);
    const what = String(form.input ?? '');
    let input: CallInput;
    let label: string;
    if (digits) {
      input = { kind: 'digits', digits };
      label = `digits ${digits}`;
    } else if (what === 'hangup') {
      input = { kind: 'hangup' };
      label = 'hangup';
    } else if (what === 'record') {
      // The caller's question: a placeholder recording, in the files bucket as the Connect and
      // local paths keep one (the flow reads its audioKey).
      const audioKey = `voice/questions/${callId}.wav`;
      if (deps.voiceAudio) await deps.voiceAudio.put(audioKey, placeholderWav(recordSeconds * 1000), 'audio/wav');
      input = {
        kind: 'recorded',
        ...(deps.voiceAudio ? { audioKey } : {}),
        durationSeconds: recordSeconds,
      };
      label = `recorded ${recordSeconds} s`;
    } else {
      input = { kind: 'silence' };
      label = 'silence';
    }
    const turn = await turnOf(callId, call.number, input, seq);
    if (turn) remember(callId, call.number, label, turn);
    return c.redirect(`/dev/voice?call=${callId}${turn ? `#turn-${turn.seq}` : ''}`, 303);
  });

  // A clip as the simulated provider plays it: the approved recording, else a placeholder the
  // length of its text (the text itself is on the page beside it).
  dev.get('/clips/:lang/:file', async (c) => {
    const lang = c.req.param('lang');
    const file = c.req.param('file');
    const id = file.endsWith('.wav') ? file.slice(0, -'.wav'.length) : '';
    if (!(voiceLanguages as readonly string[]).includes(lang) && lang !== 'en') return renderNotFound(c);
    if (!clipIdPattern.test(id) || id.length > 200) return renderNotFound(c);
    const speech = lang as 'bo' | 'zh' | 'en';
    const playable = lang !== 'en' ? (await deps.voiceClips?.playable())?.get(lang as 'bo' | 'zh')?.get(id) : undefined;
    const recorded = playable && deps.voiceAudio ? await deps.voiceAudio.get(playable.key) : undefined;
    const text = clipText(speech, id, await deps.catalog()) ?? id;
    const body = recorded ?? placeholderWav(estimateMs(speech, text));
    return c.body(body as Uint8Array<ArrayBuffer>, 200, {
      'Content-Type': 'audio/wav',
      'X-Content-Type-Options': 'nosniff',
      // A clip's approval changes what plays: always asked again.
      'Cache-Control': 'no-cache',
      ...(recorded ? {} : { 'X-Placeholder': 'true' }),
    });
  });

  return dev;
}

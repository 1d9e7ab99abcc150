/**
 * The TwiML webhook as a provider calls it: real form bodies, real Hono requests, signatures
 * computed as Twilio documents them. The line behind it here is a recorder of the events it is
 * given, answering fixed turns: what is under test is the translation (form → CallEvent, Turn →
 * XML) and the refusals; the call flow has its own tests (test/integration/voice-line*.test.ts).
 */
import { describe, expect, test } from 'vitest';
import type { CallEvent, PlayClip, Step, Turn } from '#core/voice/call.ts';
import { twilioSignature, validTwilioSignature } from '#http/voice/signature.ts';
import { MAX_TWIML_FORM_BYTES, renderTwiml, type VoiceRouteDeps, voiceRoutes } from '#http/voice/twiml.ts';

const TOKEN = 'test-auth-token-0123456789';
const PUBLIC = 'https://zhingdrok.example';

const clip = (id: string, key?: string): PlayClip => ({
  id,
  lang: 'bo',
  text: id,
  durationMs: 800,
  ...(key ? { key } : { placeholder: true }),
});
const clipUrl = (c: PlayClip) => (c.key ? `${PUBLIC}/files/${c.key}` : `/dev/voice/clips/${c.lang}/${c.id}.wav`);

/** A line that answers each turn with the steps given, and keeps what it was asked. */
function scriptedLine(steps: Step[]) {
  const events: CallEvent[] = [];
  return {
    events,
    turn: async (event: CallEvent): Promise<Turn> => {
      events.push(event);
      return { callId: event.callId, seq: (event.seq ?? 0) + 1, steps };
    },
  };
}

function setup(options: Partial<VoiceRouteDeps> = {}, steps: Step[] = [{ kind: 'hangup' }]) {
  const line = scriptedLine(steps);
  const logs: Array<Record<string, unknown>> = [];
  const app = voiceRoutes({
    line,
    clipUrl,
    authToken: TOKEN,
    publicUrl: PUBLIC,
    requireSignature: true,
    log: (e) => logs.push(e),
    ...options,
  });
  const post = (path: string, fields: Record<string, string>, signature?: string | null) => {
    const body = new URLSearchParams(fields).toString();
    const sig =
      signature === undefined ? twilioSignature(TOKEN, `${PUBLIC}/voice${path}`, Object.entries(fields)) : signature;
    return app.request(`http://internal.example/voice${path}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        ...(sig === null ? {} : { 'X-Twilio-Signature': sig }),
      },
      body,
    });
  };
  return { line, logs, post, app };
}

const call = {
  CallSid: 'CA0123456789abcdef',
  AccountSid: 'AC1',
  From: '+8613800000001',
  To: '+8610690000',
  CallStatus: 'in-progress',
};

describe('the signature', () => {
  test("Twilio's documented example: the URL with its query, then the parameters sorted by name", () => {
    const params: Array<[string, string]> = [
      ['CallSid', 'CA1234567890ABCDE'],
      ['Caller', '+12349013030'],
      ['Digits', '1234'],
      ['From', '+12349013030'],
      ['To', '+18005551212'],
    ];
    const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
    // The order they arrive in does not matter; a changed value, URL or token does.
    expect(validTwilioSignature('12345', url, [...params].reverse(), '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(true);
    expect(validTwilioSignature('12345', `${url}&x=1`, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(false);
    expect(validTwilioSignature('12346', url, params, '0/KCTR6DLpKmkAf8muzZqo1nDgQ=')).toBe(false);
    expect(validTwilioSignature('12345', url, params, '')).toBe(false);
  });
});

describe('renderTwiml', () => {
  test('every verb, with the action carrying the next seq and a silence redirect after Gather', () => {
    const xml = renderTwiml(
      {
        callId: 'CA1',
        seq: 4,
        steps: [
          { kind: 'play', clips: [clip('say.welcome', 'voice/clips/bo/say.welcome/1.wav')] },
          { kind: 'gather', prompt: [clip('say.mainMenu')], numDigits: 2, timeoutSeconds: 5 },
        ],
      },
      { clip: clipUrl, action: '/voice/twiml' },
    );
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        '<Play>https://zhingdrok.example/files/voice/clips/bo/say.welcome/1.wav</Play>' +
        '<Gather input="dtmf" numDigits="2" timeout="5" action="/voice/twiml?seq=4" method="POST">' +
        '<Play>/dev/voice/clips/bo/say.mainMenu.wav</Play></Gather>' +
        '<Redirect method="POST">/voice/twiml?seq=4&amp;silence=1</Redirect></Response>',
    );
    const record = renderTwiml(
      {
        callId: 'CA1',
        seq: 7,
        steps: [
          { kind: 'record', prompt: [clip('say.askPrompt')], maxSeconds: 60 },
          { kind: 'redirect' },
          { kind: 'hangup' },
        ],
      },
      { clip: clipUrl, action: '/voice/twiml' },
    );
    expect(record).toContain(
      '<Play>/dev/voice/clips/bo/say.askPrompt.wav</Play><Record maxLength="60" playBeep="true" finishOnKey="#" action="/voice/twiml?seq=7" method="POST"/>',
    );
    expect(record).toContain('<Redirect method="POST">/voice/twiml?seq=7&amp;silence=1</Redirect><Hangup/></Response>');
  });

  test('escapes everything it writes', () => {
    const xml = renderTwiml(
      { callId: 'CA1', seq: 1, steps: [{ kind: 'play', clips: [clip('say.x')] }] },
      { clip: () => 'https://h/a?b=1&c=<d>"e\'', action: '/voice/twiml' },
    );
    expect(xml).toContain('<Play>https://h/a?b=1&amp;c=&lt;d&gt;&quot;e&apos;</Play>');
    expect(xml.match(/</g)!.length).toBe(xml.match(/>/g)!.length);
  });
});

describe('POST /voice/twiml', () => {
  test('a signed first request: the event is the start of a call from the normalised number; TwiML comes back', async () => {
    const { post, line } = setup({}, [
      { kind: 'gather', prompt: [clip('say.mainMenu')], numDigits: 1, timeoutSeconds: 5 },
    ]);
    const res = await post('/twiml', { ...call, From: '8613800000001' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(await res.text()).toContain('<Gather input="dtmf" numDigits="1" timeout="5" action="/voice/twiml?seq=1"');
    expect(line.events).toEqual([
      { provider: 'twiml', callId: call.CallSid, from: '+8613800000001', to: '+8610690000', input: { kind: 'start' } },
    ]);
  });

  test('digits, silence, a recording and a withheld number map to their inputs, with the seq of the action', async () => {
    const { post, line } = setup();
    expect((await post('/twiml?seq=3', { ...call, Digits: '12' })).status).toBe(200);
    expect((await post('/twiml?seq=4&silence=1', call)).status).toBe(200);
    expect((await post('/twiml?seq=5', { ...call, Digits: '' })).status).toBe(200);
    expect(
      (
        await post('/twiml?seq=6', {
          ...call,
          RecordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
          RecordingDuration: '7',
        })
      ).status,
    ).toBe(200);
    expect((await post('/twiml?seq=7', { ...call, RecordingUrl: '', RecordingDuration: '0' })).status).toBe(200);
    expect((await post('/twiml', { ...call, From: 'anonymous' })).status).toBe(200);
    expect(line.events.map((e) => [e.seq, e.input])).toEqual([
      [3, { kind: 'digits', digits: '12' }],
      [4, { kind: 'silence' }],
      [5, { kind: 'silence' }],
      [
        6,
        {
          kind: 'recorded',
          recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
          durationSeconds: 7,
        },
      ],
      [7, { kind: 'recorded', durationSeconds: 0 }],
      [undefined, { kind: 'start' }],
    ]);
    // A withheld or unreadable number is '' (the flow's allow-list says its short goodbye).
    expect(line.events.at(-1)!.from).toBe('');
  });

  test('a recording is kept in our bucket before the turn: the event carries its key', async () => {
    const kept: Array<{ url: string; callId: string }> = [];
    const { post, line } = setup({
      recordings: { keep: async (input) => (kept.push(input), `voice/questions/${input.callId}.wav`) },
    });
    await post('/twiml?seq=2', { ...call, RecordingUrl: 'https://api.twilio.com/r/RE9', RecordingDuration: '12' });
    expect(kept).toEqual([{ url: 'https://api.twilio.com/r/RE9', callId: call.CallSid }]);
    expect(line.events[0]!.input).toEqual({
      kind: 'recorded',
      recordingUrl: 'https://api.twilio.com/r/RE9',
      audioKey: `voice/questions/${call.CallSid}.wav`,
      durationSeconds: 12,
    });
  });

  test('no signature, a wrong one, or one for another URL: 403, logged, and the line is not asked', async () => {
    const { post, line, logs } = setup();
    expect((await post('/twiml', call, null)).status).toBe(403);
    expect((await post('/twiml', call, 'AAAAAAAAAAAAAAAAAAAAAAAAAAA=')).status).toBe(403);
    const forOtherUrl = twilioSignature(TOKEN, `${PUBLIC}/voice/twiml?seq=9`, Object.entries(call));
    expect((await post('/twiml', call, forOtherUrl)).status).toBe(403);
    // Signed, then a field changed on the way.
    const signed = twilioSignature(TOKEN, `${PUBLIC}/voice/twiml`, Object.entries(call));
    expect((await post('/twiml', { ...call, Digits: '9' }, signed)).status).toBe(403);
    expect(line.events).toEqual([]);
    expect(logs.map((l) => [l.level, l.msg])).toEqual([
      ['warn', 'voice webhook refused: no signature'],
      ['warn', 'voice webhook refused: wrong signature'],
      ['warn', 'voice webhook refused: wrong signature'],
      ['warn', 'voice webhook refused: wrong signature'],
    ]);
  });

  test('where a signature is required and no token is set, nothing is served', async () => {
    const { post, line, logs } = setup({ authToken: undefined });
    expect((await post('/twiml', call)).status).toBe(403);
    expect(line.events).toEqual([]);
    expect(logs[0]).toMatchObject({ level: 'warn', msg: 'voice webhook refused: no VOICE_TWILIO_AUTH_TOKEN' });
  });

  test('locally without a token, unsigned requests are answered; without VOICE_PUBLIC_URL the request’s origin is signed', async () => {
    const local = setup({ authToken: undefined, requireSignature: false });
    expect((await local.post('/twiml', call, null)).status).toBe(200);
    const own = setup({ publicUrl: undefined });
    const sig = twilioSignature(TOKEN, 'http://internal.example/voice/twiml', Object.entries(call));
    expect((await own.post('/twiml', call, sig)).status).toBe(200);
  });

  test('a form over the limit is 413, a form without a CallSid is 400; neither reaches the line', async () => {
    const { post, line } = setup({ authToken: undefined, requireSignature: false });
    expect((await post('/twiml', { ...call, Junk: 'x'.repeat(MAX_TWIML_FORM_BYTES) }, null)).status).toBe(413);
    expect((await post('/twiml', { From: call.From }, null)).status).toBe(400);
    expect((await post('/twiml', { ...call, CallSid: '../../etc' }, null)).status).toBe(400);
    expect(line.events).toEqual([]);
  });
});

describe('POST /voice/twiml/status', () => {
  test('completed is a hang-up turn; other statuses change nothing', async () => {
    const { post, line } = setup();
    expect((await post('/twiml/status', { ...call, CallStatus: 'ringing' })).status).toBe(204);
    expect((await post('/twiml/status', { ...call, CallStatus: 'completed', CallDuration: '42' })).status).toBe(204);
    expect(line.events.map((e) => e.input)).toEqual([{ kind: 'hangup' }]);
    expect((await post('/twiml/status', { ...call, CallStatus: 'completed' }, 'bad')).status).toBe(403);
  });
});

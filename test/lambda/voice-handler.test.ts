/**
 * The voice Lambda's handler with real event shapes: an API Gateway HTTP API (2.0) event with a
 * form body (plain and base64) for the TwiML webhook, and an Amazon Connect ContactFlowEvent as
 * Connect documents it. Behind it, the real call flow on the local stack (dynalite, s3rver).
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectEventOf, turnPromptKey } from '#adapters/voice/connect.ts';
import { clipUrlFrom } from '#adapters/voice/wiring.ts';
import { concatWav, placeholderWav, readWav } from '#core/voice/wav.ts';
import { createVoiceHandler } from '#handlers/voice.ts';
import { twilioSignature } from '#http/voice/signature.ts';
import { apiGatewayV2Event } from '#test/fixtures/apigw-v2.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const TOKEN = 'voice-handler-token-0123';
const PUBLIC = 'https://zhingdrok.example';
let stack: TestStack;
let handler: ReturnType<typeof createVoiceHandler>;

beforeAll(async () => {
  stack = await startTestStack();
  const deps = stack.deps as typeof stack.deps & { voiceLine?: import('#core/voice/service.ts').VoiceLine };
  const audio = stack.deps.voiceStores.audio!;
  // Two approved clips, so Connect has recordings to join (placeholders are local-only).
  for (const id of ['say.welcome', 'say.chooseBo']) {
    const added = await stack.deps.voiceStores.clips.add({
      lang: 'bo',
      id,
      key: `voice/clips/bo/${id}/1.wav`,
      durationMs: 700,
      bytes: 0,
      recordedBy: '+8613800000009',
      recordedAt: new Date().toISOString(),
    });
    await audio.put(added.key, placeholderWav(700), 'audio/wav');
    await stack.deps.voiceStores.clips.approve('bo', id, added.version, '+8613800000008', new Date());
  }
  handler = createVoiceHandler({
    mode: 'aws',
    twiml: {
      line: deps.voiceLine!,
      clipUrl: clipUrlFrom(audio),
      authToken: TOKEN,
      requireSignature: true,
      publicUrl: PUBLIC,
      log: (e) => stack.logs.push(e),
    },
    connect: { audio, concat: concatWav, promptUrl: (key) => `https://files-bucket.s3.ap-east-1.amazonaws.com/${key}` },
  });
});
afterAll(() => stack?.close());

function twimlEvent(
  fields: Record<string, string>,
  options: { query?: string; base64?: boolean; sign?: boolean } = {},
) {
  const body = new URLSearchParams(fields).toString();
  const query = options.query ?? '';
  const signature = twilioSignature(TOKEN, `${PUBLIC}/voice/twiml${query ? `?${query}` : ''}`, Object.entries(fields));
  return apiGatewayV2Event({
    method: 'POST',
    path: '/voice/twiml',
    query,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.sign === false ? {} : { 'x-twilio-signature': signature }),
    },
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    base64: options.base64 ?? false,
  });
}

/** A ContactFlowEvent with the fields and casing of Amazon Connect's documented example. */
function contactFlowEvent(contactId: string, parameters: Record<string, string>): ConnectContactFlowEvent {
  return {
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: {},
        Channel: 'VOICE',
        ContactId: contactId,
        CustomerEndpoint: { Address: '+8613800000042', Type: 'TELEPHONE_NUMBER' },
        InitialContactId: contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: 'arn:aws:connect:ap-southeast-1:123456789012:instance/11111111-2222-3333-4444-555555555555',
        PreviousContactId: contactId,
        Queue: null,
        SystemEndpoint: { Address: '+8610690000', Type: 'TELEPHONE_NUMBER' },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: parameters,
    },
  };
}

describe('TwiML through API Gateway', () => {
  test('a signed first request gets the language menu as TwiML; base64 bodies too', async () => {
    const call = { CallSid: 'CAhandler0001', From: '+8613800000041', To: '+8610690000', CallStatus: 'ringing' };
    const res = await handler(twimlEvent(call));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/xml/);
    expect(res.body).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response>/);
    expect(res.body).toContain('<Play>/files/voice/clips/bo/say.welcome/1.wav</Play>');
    expect(res.body).toMatch(/<Gather input="dtmf" numDigits="1" timeout="\d+" action="\/voice\/twiml\?seq=1"/);
    const chosen = await handler(twimlEvent({ ...call, Digits: '1' }, { query: 'seq=1', base64: true }));
    expect(chosen.statusCode).toBe(200);
    expect(chosen.body).toContain('action="/voice/twiml?seq=2"');
    expect((await stack.deps.voiceStores.calls.get('CAhandler0001'))?.lang).toBe('bo');
  });

  test('unsigned, or signed for another URL: 403, and no call is made', async () => {
    const call = { CallSid: 'CAhandler0002', From: '+8613800000043', To: '+8610690000' };
    expect((await handler(twimlEvent(call, { sign: false }))).statusCode).toBe(403);
    expect((await handler(twimlEvent(call, { query: 'seq=1' }))).statusCode).toBe(200);
    const replayed = twimlEvent(call, { query: 'seq=1' });
    replayed.rawQueryString = 'seq=2';
    expect((await handler(replayed)).statusCode).toBe(403);
    expect((await stack.deps.voiceStores.calls.get('CAhandler0002'))?.seq).toBe(1);
    expect(stack.logs.some((l) => l.msg === 'voice webhook refused: no signature')).toBe(true);
  });
});

describe('Amazon Connect', () => {
  const contact = '6f1c2a3b-1111-4c5d-9e8f-0a1b2c3d4e5f';

  test('start: a flat string map, the prompt one joined WAV in S3 named by its clips', async () => {
    const reply = await handler(contactFlowEvent(contact, { event: 'start' }));
    expect(reply).toMatchObject({ action: 'gather', seq: '1', maxDigits: '1', maxSeconds: '0' });
    for (const value of Object.values(reply)) expect(typeof value).toBe('string');
    const prompt = reply.prompt as string;
    const key = turnPromptKey(['voice/clips/bo/say.welcome/1.wav', 'voice/clips/bo/say.chooseBo/1.wav']);
    expect(prompt).toBe(`https://files-bucket.s3.ap-east-1.amazonaws.com/${key}`);
    const joined = await stack.deps.voiceStores.audio!.get(key);
    const info = readWav(joined!);
    expect(info.ok && info.info.durationMs).toBe(1400);
  });

  test('the same turn again (a retry) answers the same; keys move the call on; the caller is the endpoint address', async () => {
    const again = await handler(contactFlowEvent(contact, { event: 'start' }));
    expect(again).toMatchObject({ action: 'gather', seq: '1' });
    const chosen = await handler(contactFlowEvent(contact, { event: 'digits', digits: '2', seq: '1' }));
    expect(chosen.seq).toBe('2');
    const call = await stack.deps.voiceStores.calls.get(contact);
    expect(call).toMatchObject({ provider: 'connect', phone: '+8613800000042', lang: 'zh' });
    // Nothing pressed: Connect's stored input is "Timeout" — silence, not a key.
    const timeout = await handler(contactFlowEvent(contact, { event: 'digits', digits: 'Timeout', seq: '2' }));
    expect(timeout.seq).toBe('3');
    expect((await stack.deps.voiceStores.calls.get(contact))?.path.at(-1)).toMatch(/:-$/);
  });

  test('a contact without an id (a test invocation) hangs up; only our own question audio may be named', async () => {
    const bare = contactFlowEvent('', { event: 'start' });
    expect(await handler(bare)).toMatchObject({ action: 'hangup' });
    const other = '7f1c2a3b-2222-4c5d-9e8f-0a1b2c3d4e5f';
    expect(
      connectEventOf(
        contactFlowEvent(other, { event: 'recorded', audioKey: 'imports/prices/secret.csv', duration: '9', seq: '4' }),
      )?.input,
    ).toEqual({ kind: 'recorded', durationSeconds: 0 });
    expect(
      connectEventOf(
        contactFlowEvent(other, { event: 'recorded', audioKey: `voice/questions/${other}.wav`, duration: '9' }),
      )?.input,
    ).toEqual({ kind: 'recorded', audioKey: `voice/questions/${other}.wav`, durationSeconds: 9 });
    expect(connectEventOf(contactFlowEvent(other, { event: 'hangup' }))?.input).toEqual({ kind: 'hangup' });
  });
});

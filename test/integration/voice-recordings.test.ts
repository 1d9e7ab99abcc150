/**
 * The recording fetcher against a real local HTTP server (standing in for the provider's
 * recordings host) and the real files bucket (s3rver): what is fetched, from where, and what is
 * refused without being stored.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRecordingFetcher, recordingUrlAllowed } from '#adapters/voice/recordings.ts';
import { pcmWav, placeholderWav, readWav } from '#core/voice/wav.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let server: Server;
let origin: string;
const seen: IncomingMessage[] = [];
const wav = placeholderWav(1500);

beforeAll(async () => {
  stack = await startTestStack();
  server = createServer((req, res) => {
    seen.push(req);
    const path = req.url ?? '';
    if (path === '/Recordings/RE1.wav') return res.writeHead(200, { 'Content-Type': 'audio/wav' }).end(wav);
    if (path === '/Recordings/cd.wav') return res.writeHead(200).end(pcmWav(new Int16Array(4410), 44100));
    if (path === '/Recordings/text.wav') return res.writeHead(200).end('<html>not audio</html>');
    if (path === '/Recordings/huge.wav') {
      res.writeHead(200);
      const chunk = new Uint8Array(64 * 1024);
      let sent = 0;
      const more = () => {
        while (sent < 40 && res.write(chunk)) sent++;
        if (sent >= 40) res.end();
        else res.once('drain', more);
      };
      return more();
    }
    if (path === '/Recordings/slow.wav') return setTimeout(() => res.writeHead(200).end(wav), 1500);
    if (path === '/Recordings/moved.wav') return res.writeHead(302, { Location: '/Recordings/RE1.wav' }).end();
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await stack?.close();
});

function fetcher(
  options: { timeoutMs?: number; basicAuth?: { user: string; password: string }; viaTls?: boolean } = {},
) {
  const logs: Array<Record<string, unknown>> = [];
  const recordings = createRecordingFetcher({
    audio: stack.files,
    hosts: ['api.twilio.com'],
    ownOrigin: origin,
    readWav,
    log: (e) => logs.push(e),
    ...(options.basicAuth ? { basicAuth: options.basicAuth } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    maxBytes: 1024 * 1024,
    // The provider's https host is this local server (no TLS here): the request, headers and all, is real.
    ...(options.viaTls
      ? { fetch: ((url: URL, init: RequestInit) => fetch(`${origin}${new URL(url).pathname}`, init)) as typeof fetch }
      : {}),
  });
  return { recordings, logs };
}

describe('which URLs may be fetched', () => {
  test('https on a listed host, or the server’s own origin; nothing else', () => {
    const hosts = ['api.twilio.com'];
    expect(recordingUrlAllowed('https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1', hosts)).toBeDefined();
    expect(recordingUrlAllowed('https://API.twilio.com/r', hosts)).toBeDefined();
    expect(recordingUrlAllowed('http://api.twilio.com/r', hosts)).toBeUndefined();
    expect(recordingUrlAllowed('https://api.twilio.com.evil.example/r', hosts)).toBeUndefined();
    expect(recordingUrlAllowed('https://user:pw@api.twilio.com/r', hosts)).toBeUndefined();
    expect(recordingUrlAllowed('https://169.254.169.254/latest/meta-data', hosts)).toBeUndefined();
    expect(recordingUrlAllowed('file:///etc/passwd', hosts)).toBeUndefined();
    expect(recordingUrlAllowed('not a url', hosts)).toBeUndefined();
    expect(recordingUrlAllowed('http://127.0.0.1:3000/dev/voice/r.wav', hosts, 'http://127.0.0.1:3000')).toBeDefined();
    expect(
      recordingUrlAllowed('http://127.0.0.1:3001/dev/voice/r.wav', hosts, 'http://127.0.0.1:3000'),
    ).toBeUndefined();
  });
});

describe('keep', () => {
  test('a WAV is fetched (as .wav) and kept under voice/questions/<callId>.wav', async () => {
    const { recordings } = fetcher();
    const key = await recordings.keep({ url: `${origin}/Recordings/RE1`, callId: 'CA1' });
    expect(key).toBe('voice/questions/CA1.wav');
    const stored = await stack.files.get(key!);
    expect(stored?.contentType).toBe('audio/wav');
    expect(Buffer.from(stored!.body).equals(Buffer.from(wav))).toBe(true);
  });

  test('on the provider’s host, with Basic auth from the account SID and token', async () => {
    const { recordings } = fetcher({ basicAuth: { user: 'AC1', password: 'tok' }, viaTls: true });
    const before = seen.length;
    expect(await recordings.keep({ url: 'https://api.twilio.com/Recordings/RE1', callId: 'CA2' })).toBe(
      'voice/questions/CA2.wav',
    );
    expect(seen[before]!.headers.authorization).toBe(`Basic ${Buffer.from('AC1:tok').toString('base64')}`);
  });

  test('refused, logged and not stored: another host, not audio, the wrong format, too big, too slow, a redirect, gone', async () => {
    const { recordings, logs } = fetcher({ timeoutMs: 300 });
    const cases: Array<[string, string]> = [
      ['https://recordings.evil.example/RE1', 'host not allowed'],
      [`${origin}/Recordings/text`, 'not the expected audio'],
      [`${origin}/Recordings/cd`, 'not the expected audio'],
      [`${origin}/Recordings/huge`, 'too large'],
      [`${origin}/Recordings/slow`, 'fetch failed'],
      [`${origin}/Recordings/moved`, 'fetch failed'],
      [`${origin}/Recordings/none`, 'provider answered'],
    ];
    for (const [i, [url]] of cases.entries()) expect(await recordings.keep({ url, callId: `CX${i}` })).toBeUndefined();
    expect(logs.map((l) => l.reason)).toEqual(cases.map(([, reason]) => reason));
    expect(logs.find((l) => l.reason === 'not the expected audio' && l.callId === 'CX2')?.problem).toBe('not_8khz');
    for (const i of cases.keys()) expect(await stack.files.get(`voice/questions/CX${i}.wav`)).toBeUndefined();
  });
});

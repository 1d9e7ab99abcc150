/**
 * The voice line's audio against the S3 protocol (s3rver, the local stand-in): a WAV put under
 * its key comes back byte for byte with its type, a missing key is undefined (not an error), a
 * delete removes it, and the URL is the files base and the key, each segment encoded.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createS3Client } from '#adapters/s3/client.ts';
import { loadS3Sdk, s3SdkOf } from '#adapters/s3/lazy-client.ts';
import { answerAudioKey, clipAudioKey, questionAudioKey, S3VoiceAudio } from '#adapters/s3/voice-audio.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let s3: ReturnType<typeof createS3Client>;
let audio: S3VoiceAudio;
beforeAll(async () => {
  stack = await startTestStack();
  s3 = createS3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint });
  // The voice Lambda's way: the SDK loaded on first use (lazy-client.ts), against the real protocol.
  audio = new S3VoiceAudio(
    loadS3Sdk({ region: 'us-east-1', endpoint: stack.s3Endpoint }),
    'zhingdrok-test',
    'https://d123.cloudfront.net/files/',
  );
});
afterAll(async () => {
  s3.destroy();
  await stack.close();
});

/** A short RIFF/WAVE-looking body with every byte value, so any re-encoding would show. */
const WAV = Uint8Array.from([...new TextEncoder().encode('RIFF'), ...Array.from({ length: 512 }, (_, i) => i % 256)]);

describe('voice audio', () => {
  test('put, get byte for byte, delete; a missing key is undefined', async () => {
    const key = questionAudioKey('CA0001test');
    await audio.put(key, WAV, 'audio/wav');
    expect(await audio.get(key)).toEqual(WAV);
    const head = await fetch(`${stack.s3Endpoint}/zhingdrok-test/${key}`);
    expect(head.headers.get('content-type')).toBe('audio/wav');
    await audio.delete(key);
    expect(await audio.get(key)).toBeUndefined();
    expect(await audio.get('voice/questions/never.wav')).toBeUndefined();
  });

  test('keys as the spec names them, and URLs under the files base', () => {
    expect(clipAudioKey('bo', 'say.welcome', 3)).toBe('voice/clips/bo/say.welcome/3.wav');
    expect(questionAudioKey('Q0321')).toBe('voice/questions/Q0321.wav');
    expect(answerAudioKey('Q0321', 2)).toBe('voice/answers/Q0321/2.wav');
    expect(audio.url(clipAudioKey('zh', 'say.welcome', 1))).toBe(
      'https://d123.cloudfront.net/files/voice/clips/zh/say.welcome/1.wav',
    );
    expect(audio.url('voice/questions/a b#c.wav')).toBe(
      'https://d123.cloudfront.net/files/voice/questions/a%20b%23c.wav',
    );
    // A URL needs no SDK at all (a TwiML turn names clips without loading S3).
    const noSdk = new S3VoiceAudio(() => Promise.reject(new Error('S3 not loaded')), 'zhingdrok-test');
    expect(noSdk.url('voice/x.wav')).toBe('/files/voice/x.wav');
  });

  test('the SDK loads once, on first use; a loader over a client made already works the same', async () => {
    let loads = 0;
    const counted = new S3VoiceAudio(() => {
      loads += 1;
      return s3SdkOf(s3)();
    }, 'zhingdrok-test');
    expect(counted.url('voice/x.wav')).toBe('/files/voice/x.wav');
    expect(loads).toBe(0);
    expect(await counted.get('voice/questions/never.wav')).toBeUndefined();
    expect(loads).toBe(1);
    // loadS3Sdk makes its client once per process, however many adapters share it.
    const load = loadS3Sdk({ region: 'us-east-1', endpoint: stack.s3Endpoint });
    const [a, b] = await Promise.all([load(), load()]);
    expect(a).toBe(b);
    expect(await load()).toBe(a);
  });

  test('the test stack wires it on the same bucket', async () => {
    const wired = stack.deps.voiceStores.audio!;
    const key = answerAudioKey('Q9999', 1);
    await wired.put(key, WAV, 'audio/wav');
    expect(await audio.get(key)).toEqual(WAV);
    expect(wired.url(key)).toBe('/files/voice/answers/Q9999/1.wav');
  });
});

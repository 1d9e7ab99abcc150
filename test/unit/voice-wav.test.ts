/**
 * WAV reading and writing, on real bytes: files as a recorder or a converter writes them
 * (extra chunks, μ-law, WAVE_FORMAT_EXTENSIBLE) and as they go wrong (not RIFF, stereo,
 * 44.1 kHz, 8-bit PCM, cut off).
 */
import { describe, expect, test } from 'vitest';
import { concatWav, pcmWav, placeholderWav, readWav, type WavInfo } from '#core/voice/wav.ts';

/** A WAV built field by field, independently of pcmWav: chunks in the order given. */
function wav(options: {
  format?: number;
  channels?: number;
  sampleRate?: number;
  bits?: number;
  data: Uint8Array;
  before?: Array<[string, Uint8Array]>;
  dataSize?: number;
  fmtSize?: number;
}): Uint8Array {
  const { format = 1, channels = 1, sampleRate = 8000, bits = 16, data, before = [], dataSize, fmtSize = 16 } = options;
  const chunk = (id: string, body: Uint8Array, size = body.length) => {
    const out = new Uint8Array(8 + body.length + (body.length % 2));
    out.set(new TextEncoder().encode(id), 0);
    new DataView(out.buffer).setUint32(4, size, true);
    out.set(body, 8);
    return out;
  };
  const fmt = new Uint8Array(fmtSize);
  const view = new DataView(fmt.buffer);
  view.setUint16(0, format, true);
  view.setUint16(2, channels, true);
  view.setUint32(4, sampleRate, true);
  view.setUint32(8, (sampleRate * channels * bits) / 8, true);
  view.setUint16(12, (channels * bits) / 8, true);
  view.setUint16(14, bits, true);
  const parts = [
    new TextEncoder().encode('WAVE'),
    ...before.map(([id, body]) => chunk(id, body)),
    chunk('fmt ', fmt),
    chunk('data', data, dataSize),
  ];
  const length = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(8 + length);
  out.set(new TextEncoder().encode('RIFF'), 0);
  new DataView(out.buffer).setUint32(4, length, true);
  let at = 8;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const info = (bytes: Uint8Array): WavInfo => {
  const result = readWav(bytes);
  if (!result.ok) throw new Error(result.problem);
  return result.info;
};
const problem = (bytes: Uint8Array) => {
  const result = readWav(bytes);
  return result.ok ? 'ok' : result.problem;
};

describe('readWav', () => {
  test('8 kHz mono 16-bit PCM: its duration and where its samples are', () => {
    const file = wav({ data: new Uint8Array(16000) });
    expect(info(file)).toEqual({
      sampleRate: 8000,
      channels: 1,
      bitsPerSample: 16,
      encoding: 'pcm',
      durationMs: 1000,
      dataOffset: 44,
      dataBytes: 16000,
    });
  });

  test('8-bit μ-law, with a LIST chunk (odd length, padded) before fmt', () => {
    const file = wav({ format: 7, bits: 8, data: new Uint8Array(4000), before: [['LIST', new Uint8Array(5)]] });
    const read = info(file);
    expect(read.encoding).toBe('mulaw');
    expect(read.durationMs).toBe(500);
    expect(read.dataOffset).toBe(12 + 14 + 24 + 8);
  });

  test('WAVE_FORMAT_EXTENSIBLE naming PCM is PCM', () => {
    const file = wav({ format: 0xfffe, fmtSize: 40, data: new Uint8Array(800) });
    // The sub-format GUID's first two bytes: 1 (PCM).
    new DataView(file.buffer).setUint16(20 + 24, 1, true);
    expect(info(file).encoding).toBe('pcm');
  });

  test('what a phone line cannot play is refused with the reason', () => {
    expect(problem(new TextEncoder().encode('ID3\u0003 an mp3 file, not a wav at all'))).toBe('not_wav');
    expect(problem(new Uint8Array(0))).toBe('not_wav');
    const riffAvi = wav({ data: new Uint8Array(10) });
    riffAvi.set(new TextEncoder().encode('AVI '), 8);
    expect(problem(riffAvi)).toBe('not_wav');
    expect(problem(wav({ channels: 2, data: new Uint8Array(3200) }))).toBe('not_mono');
    expect(problem(wav({ sampleRate: 44100, data: new Uint8Array(3200) }))).toBe('not_8khz');
    expect(problem(wav({ bits: 8, data: new Uint8Array(3200) })), '8-bit linear PCM').toBe('bad_encoding');
    expect(problem(wav({ format: 3, bits: 32, data: new Uint8Array(3200) })), 'float').toBe('bad_encoding');
  });

  test('cut off: fewer bytes than the header says, half a sample, a fmt chunk cut short, no data chunk', () => {
    expect(problem(wav({ data: new Uint8Array(100), dataSize: 1000 }))).toBe('truncated');
    expect(problem(wav({ data: new Uint8Array(101) }))).toBe('truncated');
    const whole = wav({ data: new Uint8Array(100) });
    expect(problem(whole.subarray(0, 30))).toBe('truncated');
    expect(problem(whole.subarray(0, 44 - 8))).toBe('truncated');
    expect(problem(whole.subarray(0, 12))).toBe('not_wav');
  });

  test('data before fmt is not a file we can read', () => {
    const file = wav({ data: new Uint8Array(10), before: [['data', new Uint8Array(10)]] });
    expect(problem(file)).toBe('not_wav');
  });
});

describe('writing', () => {
  test('pcmWav: a standard 44-byte header and the samples little-endian', () => {
    const file = pcmWav(Int16Array.from([0, 1, -1, 32767, -32768]));
    expect(new TextDecoder().decode(file.subarray(0, 4))).toBe('RIFF');
    expect(file.length).toBe(44 + 10);
    const view = new DataView(file.buffer);
    expect(view.getUint32(4, true)).toBe(file.length - 8);
    expect([0, 1, 2, 3, 4].map((i) => view.getInt16(44 + i * 2, true))).toEqual([0, 1, -1, 32767, -32768]);
    expect(info(file)).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16, dataBytes: 10 });
    expect(problem(pcmWav(new Int16Array(8), 16000))).toBe('not_8khz');
  });

  test('placeholderWav: exactly the length asked, a tone first, then silence', () => {
    const file = placeholderWav(1250);
    const read = info(file);
    expect(read.durationMs).toBe(1250);
    const samples = new Int16Array(file.slice(read.dataOffset).buffer, 0, read.dataBytes / 2);
    expect(Math.max(...samples.subarray(0, 800))).toBeGreaterThan(1000);
    expect(samples.subarray(2000).every((s) => s === 0)).toBe(true);
    expect(info(placeholderWav(50)).durationMs).toBe(50);
    expect(info(placeholderWav(0)).durationMs).toBe(0);
  });

  test('concatWav: the parts one after the other, durations added', () => {
    const a = pcmWav(Int16Array.from([1, 2, 3]));
    const b = wav({ data: Uint8Array.from([4, 0, 5, 0]), before: [['LIST', new Uint8Array(4)]] });
    const joined = concatWav([a, b, placeholderWav(1000)]);
    const read = info(joined);
    expect(read.dataBytes).toBe(6 + 4 + 16000);
    const view = new DataView(joined.buffer);
    expect([0, 1, 2, 3, 4].map((i) => view.getInt16(44 + i * 2, true))).toEqual([1, 2, 3, 4, 5]);
    const mulaw = wav({ format: 7, bits: 8, data: new Uint8Array(80) });
    expect(info(concatWav([mulaw, mulaw])).durationMs).toBe(20);
    expect(info(concatWav([])).durationMs).toBe(0);
  });

  test('concatWav refuses a part it cannot play or of another encoding', () => {
    expect(() => concatWav([pcmWav(new Int16Array(4)), wav({ channels: 2, data: new Uint8Array(8) })])).toThrow(
      /part 1.*not_mono/,
    );
    expect(() => concatWav([pcmWav(new Int16Array(4)), wav({ format: 7, bits: 8, data: new Uint8Array(8) })])).toThrow(
      /part 1 is mulaw/,
    );
  });
});

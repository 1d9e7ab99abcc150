/**
 * WAV files of the voice line: 8 kHz mono, 16-bit PCM or 8-bit μ-law (what telephony plays).
 * Written by hand: a RIFF/WAVE file is a few fixed little-endian fields (a RIFF header, a
 * `fmt ` chunk, a `data` chunk), and reading those needs no library (none of the WAV packages
 * checks exactly what a phone line accepts).
 */

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  encoding: 'pcm' | 'mulaw';
  durationMs: number;
  /** Where the samples start in the file. */
  dataOffset: number;
  dataBytes: number;
}
export type WavProblem = 'not_wav' | 'not_8khz' | 'not_mono' | 'bad_encoding' | 'truncated';

export const VOICE_SAMPLE_RATE = 8000;
const FORMAT_PCM = 1;
const FORMAT_MULAW = 7;
/** WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID. */
const FORMAT_EXTENSIBLE = 0xfffe;

const ascii = (bytes: Uint8Array, at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));

/**
 * What a WAV file holds, or why the line cannot play it. Chunks other than `fmt ` and `data`
 * (LIST, fact, …) are skipped wherever they are; `fmt ` must come before `data`.
 */
export function readWav(bytes: Uint8Array): { ok: true; info: WavInfo } | { ok: false; problem: WavProblem } {
  if (bytes.length < 12 || ascii(bytes, 0) !== 'RIFF' || ascii(bytes, 8) !== 'WAVE') {
    return { ok: false, problem: 'not_wav' };
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 12;
  let fmt:
    | { format: number; channels: number; sampleRate: number; bitsPerSample: number; blockAlign: number }
    | undefined;
  while (at + 8 <= bytes.length) {
    const id = ascii(bytes, at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + size > bytes.length) return { ok: false, problem: 'truncated' };
      let format = view.getUint16(body, true);
      if (format === FORMAT_EXTENSIBLE && size >= 40) format = view.getUint16(body + 24, true);
      fmt = {
        format,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        blockAlign: view.getUint16(body + 12, true),
        bitsPerSample: view.getUint16(body + 14, true),
      };
    } else if (id === 'data') {
      if (!fmt) return { ok: false, problem: 'not_wav' };
      const pcm16 = fmt.format === FORMAT_PCM && fmt.bitsPerSample === 16;
      const mulaw = fmt.format === FORMAT_MULAW && fmt.bitsPerSample === 8;
      if (!pcm16 && !mulaw) return { ok: false, problem: 'bad_encoding' };
      if (fmt.channels !== 1) return { ok: false, problem: 'not_mono' };
      if (fmt.sampleRate !== VOICE_SAMPLE_RATE) return { ok: false, problem: 'not_8khz' };
      const bytesPerSample = fmt.bitsPerSample / 8;
      // Fewer bytes than the header promises, or half a sample: cut off in transit.
      if (body + size > bytes.length || size % bytesPerSample !== 0) return { ok: false, problem: 'truncated' };
      return {
        ok: true,
        info: {
          sampleRate: fmt.sampleRate,
          channels: fmt.channels,
          bitsPerSample: fmt.bitsPerSample,
          encoding: pcm16 ? 'pcm' : 'mulaw',
          durationMs: Math.round((size / bytesPerSample / fmt.sampleRate) * 1000),
          dataOffset: body,
          dataBytes: size,
        },
      };
    }
    // Chunks are padded to an even length.
    at = body + size + (size % 2);
  }
  return { ok: false, problem: fmt ? 'truncated' : 'not_wav' };
}

function header(format: number, bitsPerSample: number, sampleRate: number, dataBytes: number): Uint8Array {
  const out = new Uint8Array(44 + dataBytes + (dataBytes % 2));
  const view = new DataView(out.buffer);
  const put = (at: number, text: string) => {
    for (let i = 0; i < 4; i++) out[at + i] = text.charCodeAt(i);
  };
  const blockAlign = bitsPerSample / 8;
  put(0, 'RIFF');
  view.setUint32(4, out.length - 8, true);
  put(8, 'WAVE');
  put(12, 'fmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, format, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, sampleRate, true);
  view.setUint32(28, sampleRate * blockAlign, true);
  view.setUint16(32, blockAlign, true);
  view.setUint16(34, bitsPerSample, true);
  put(36, 'data');
  view.setUint32(40, dataBytes, true);
  return out;
}

/** A 16-bit mono PCM WAV of these samples. */
export function pcmWav(samples: Int16Array, sampleRate = VOICE_SAMPLE_RATE): Uint8Array {
  const out = header(FORMAT_PCM, 16, sampleRate, samples.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < samples.length; i++) view.setInt16(44 + i * 2, samples[i] ?? 0, true);
  return out;
}

const TONE_HZ = 440;
const TONE_MS = 200;
/** Quiet enough not to startle, loud enough to hear on a phone. */
const TONE_AMPLITUDE = 6000;

/**
 * A development placeholder for an unrecorded clip: 8 kHz, a short 440 Hz tone (so a developer
 * hears that something is missing), then silence to the clip's estimated length.
 */
export function placeholderWav(durationMs: number): Uint8Array {
  const total = Math.max(0, Math.round((Math.max(0, durationMs) * VOICE_SAMPLE_RATE) / 1000));
  const tone = Math.min(total, (TONE_MS * VOICE_SAMPLE_RATE) / 1000);
  const samples = new Int16Array(total);
  for (let i = 0; i < tone; i++) {
    samples[i] = Math.round(TONE_AMPLITUDE * Math.sin((2 * Math.PI * TONE_HZ * i) / VOICE_SAMPLE_RATE));
  }
  return pcmWav(samples);
}

/**
 * One WAV of several played in turn (the Connect adapter plays a turn's clips as one prompt).
 * Every part must be a playable WAV of the same encoding; the result has the first's format.
 */
export function concatWav(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 0) return pcmWav(new Int16Array(0));
  const read = parts.map((bytes, i) => {
    const result = readWav(bytes);
    if (!result.ok) throw new Error(`part ${i} is not a playable WAV: ${result.problem}`);
    return { bytes, info: result.info };
  });
  const first = read[0]?.info as WavInfo;
  const mismatch = read.findIndex(({ info }) => info.encoding !== first.encoding);
  if (mismatch >= 0) throw new Error(`part ${mismatch} is ${read[mismatch]?.info.encoding}, not ${first.encoding}`);
  const dataBytes = read.reduce((sum, { info }) => sum + info.dataBytes, 0);
  const out = header(
    first.encoding === 'pcm' ? FORMAT_PCM : FORMAT_MULAW,
    first.bitsPerSample,
    first.sampleRate,
    dataBytes,
  );
  let at = 44;
  for (const { bytes, info } of read) {
    out.set(bytes.subarray(info.dataOffset, info.dataOffset + info.dataBytes), at);
    at += info.dataBytes;
  }
  return out;
}

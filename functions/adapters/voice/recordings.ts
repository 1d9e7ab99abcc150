/**
 * A caller's spoken question, brought from the provider (TwiML's RecordingUrl) into the files
 * bucket, so experts hear it from our storage whatever the provider keeps.
 *
 * The URL comes in a request body: fetching it blindly would make the webhook an open fetcher
 * (into our network, or anywhere). So only https URLs on VOICE_RECORDING_HOSTS are fetched
 * (locally also the server's own origin, where /dev/voice keeps its recordings), with no
 * redirects followed, a time limit and a size cap, and what comes back must be the WAV the line
 * stores (8 kHz mono; wav.ts decides).
 */
import type { VoiceAudio, VoiceRecordings } from '#core/voice/ports.ts';

/** 60 s of 16-bit 8 kHz mono is ~960 KB; a little over that for the header and a longer take. */
export const MAX_RECORDING_BYTES = 2 * 1024 * 1024;
export const RECORDING_TIMEOUT_MS = 5_000;

export interface RecordingFetcherDeps {
  audio: Pick<VoiceAudio, 'put'>;
  /** VOICE_RECORDING_HOSTS: host names (with a port when not 443), https only. */
  hosts: string[];
  /** Locally: an origin (`http://127.0.0.1:3000`) also allowed, the server's own. */
  ownOrigin?: string;
  /** VOICE_TWILIO_ACCOUNT_SID and AUTH_TOKEN: Basic auth (Twilio's recordings may require it). */
  basicAuth?: { user: string; password: string };
  /** The format check: wav.ts's readWav. */
  readWav: (bytes: Uint8Array) => { ok: true } | { ok: false; problem: string };
  log: (entry: Record<string, unknown>) => void;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
}

/** The key a call's question audio is kept under (store's layout: voice/questions/<callId>.wav). */
export const questionAudioKey = (callId: string) => `voice/questions/${callId}.wav`;

/** Whether a URL may be fetched: https on a listed host, or (locally) the server's own origin. */
export function recordingUrlAllowed(raw: string, hosts: readonly string[], ownOrigin?: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  if (url.username || url.password) return undefined;
  if (ownOrigin && url.origin === new URL(ownOrigin).origin) return url;
  if (url.protocol !== 'https:') return undefined;
  return hosts.some((h) => h.toLowerCase() === url.host.toLowerCase()) ? url : undefined;
}

/** Reads the body up to `max` bytes; more is refused without reading the rest. */
async function readCapped(res: Response, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > max) return undefined;
  if (!res.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * @example createRecordingFetcher({ audio, hosts: ['api.twilio.com'], readWav, log }).keep({ url, callId })
 */
export function createRecordingFetcher(deps: RecordingFetcherDeps): VoiceRecordings {
  const doFetch = deps.fetch ?? fetch;
  const maxBytes = deps.maxBytes ?? MAX_RECORDING_BYTES;
  return {
    async keep({ url: raw, callId }) {
      const refuse = (reason: string, extra: Record<string, unknown> = {}) => {
        deps.log({ level: 'warn', msg: 'voice recording not kept', reason, callId, ...extra });
        return undefined;
      };
      const allowed = recordingUrlAllowed(raw, deps.hosts, deps.ownOrigin);
      if (!allowed) return refuse('host not allowed', { host: URL.canParse(raw) ? new URL(raw).host : undefined });
      // Twilio serves a recording as WAV when the URL asks for it (.wav); without an extension, as WAV too.
      const url = new URL(allowed);
      if (!/\.(wav)$/i.test(url.pathname)) url.pathname = `${url.pathname}.wav`;
      const headers: Record<string, string> = {};
      if (deps.basicAuth && url.origin !== (deps.ownOrigin && new URL(deps.ownOrigin).origin))
        headers.Authorization = `Basic ${Buffer.from(`${deps.basicAuth.user}:${deps.basicAuth.password}`).toString('base64')}`;
      let bytes: Uint8Array | undefined;
      try {
        const res = await doFetch(url, {
          headers,
          redirect: 'error',
          signal: AbortSignal.timeout(deps.timeoutMs ?? RECORDING_TIMEOUT_MS),
        });
        if (!res.ok) {
          await res.body?.cancel();
          return refuse('provider answered', { status: res.status });
        }
        bytes = await readCapped(res, maxBytes);
      } catch (err) {
        return refuse('fetch failed', { error: err instanceof Error ? err.name : String(err) });
      }
      if (!bytes) return refuse('too large', { limit: maxBytes });
      const format = deps.readWav(bytes);
      if (!format.ok) return refuse('not the expected audio', { problem: format.problem });
      const key = questionAudioKey(callId);
      await deps.audio.put(key, bytes, 'audio/wav');
      return key;
    },
  };
}

/**
 * Amazon Connect: a contact flow invokes the voice Lambda ("Invoke AWS Lambda function") once a
 * turn, with the caller's number in `Details.ContactData.CustomerEndpoint.Address` and what just
 * happened in `Details.Parameters`; the Lambda answers a flat map of strings, which the flow
 * reads as `$.External.<name>` (docs/voice-connect-flow.json, docs/voice.md "Telephony").
 *
 * A flow block plays one prompt, so a turn's clips are joined into one WAV. Its key is the
 * SHA-256 of the clips' keys in order: the same sentence is the same file, written once and
 * then only read (a menu is the same file on every call; a price changes the name).
 */
import { createHash } from 'node:crypto';
import type { ConnectContactFlowEvent, ConnectContactFlowResult } from 'aws-lambda';
import { toE164 } from '#core/phone.ts';
import type { CallEvent, CallInput, PlayClip, Turn } from '#core/voice/call.ts';
import type { VoiceAudio } from '#core/voice/ports.ts';

/** The flow's parameters, as docs/voice-connect-flow.json sets them. */
export type ConnectParameters = {
  event?: string;
  digits?: string;
  seq?: string;
  audioKey?: string;
  duration?: string;
};

const contactIdShape = /^[A-Za-z0-9_-]{1,64}$/;
/** Only our own question audio may be named by the flow (no reading other keys through it). */
const questionKeyShape = /^voice\/questions\/[A-Za-z0-9_-]{1,64}\.wav$/;

export const isConnectEvent = (event: unknown): event is ConnectContactFlowEvent =>
  typeof event === 'object' && event !== null && (event as { Name?: unknown }).Name === 'ContactFlowEvent';

function inputOf(p: ConnectParameters): CallInput {
  switch (p.event) {
    case 'digits': {
      const digits = (p.digits ?? '').replace(/[^0-9#*]/g, '').slice(0, 8);
      // Connect's "Store customer input" gives `Timeout` when nothing was pressed.
      return digits ? { kind: 'digits', digits } : { kind: 'silence' };
    }
    case 'recorded': {
      const seconds = Number.parseInt(p.duration ?? '0', 10);
      const audioKey = p.audioKey && questionKeyShape.test(p.audioKey) ? p.audioKey : undefined;
      return {
        kind: 'recorded',
        ...(audioKey ? { audioKey } : {}),
        durationSeconds: audioKey && Number.isFinite(seconds) && seconds > 0 ? seconds : 0,
      };
    }
    case 'hangup':
      return { kind: 'hangup' };
    case 'silence':
      return { kind: 'silence' };
    default:
      return { kind: 'start' };
  }
}

/** The event as the call flow takes it; undefined when it is no call of ours (no contact id). */
export function connectEventOf(event: ConnectContactFlowEvent): CallEvent | undefined {
  const data = event.Details?.ContactData;
  const callId = data?.ContactId ?? '';
  if (!contactIdShape.test(callId)) return undefined;
  const p = (event.Details.Parameters ?? {}) as ConnectParameters;
  const seq = Number.parseInt(p.seq ?? '', 10);
  const to = data.SystemEndpoint?.Address ?? '';
  return {
    provider: 'connect',
    callId,
    from: toE164(data.CustomerEndpoint?.Address ?? '') ?? '',
    to: toE164(to) ?? to,
    ...(Number.isInteger(seq) && seq >= 0 ? { seq } : {}),
    input: inputOf(p),
  };
}

export interface ConnectReplyDeps {
  audio: Pick<VoiceAudio, 'get' | 'put'>;
  /** Joins WAV files of one format into one (wav.ts's concatWav). */
  concat: (parts: Uint8Array[]) => Uint8Array;
  /** Where Connect fetches a prompt: the object's S3 URL. */
  promptUrl: (key: string) => string;
}

/** The key of a turn's joined prompt: content-addressed by the clips' keys in order. */
export const turnPromptKey = (keys: string[]) =>
  `voice/turns/${createHash('sha256').update(keys.join('\n')).digest('hex')}.wav`;

/**
 * The reply map. One action per invocation: the turn's plays and its last step's prompt make one
 * prompt; the last step says what the flow does after it (gather keys, record, hang up, or
 * just play and come back).
 *
 * @example await connectReply(turn, deps) // { action: 'gather', seq: '3', prompt: 'https://…/voice/turns/….wav', maxDigits: '2', timeout: '5', maxSeconds: '0' }
 */
export function createConnectReplies(deps: ConnectReplyDeps) {
  /** Prompts this process wrote or saw: not looked up again. */
  const known = new Set<string>();

  async function prompt(clips: PlayClip[]): Promise<string> {
    // Connect plays recordings from S3 only: a clip without one (a local placeholder) is left out.
    const keys = clips.flatMap((c) => (c.key ? [c.key] : []));
    if (!keys.length) return '';
    const key = turnPromptKey(keys);
    if (!known.has(key) && !(await deps.audio.get(key))) {
      const parts: Uint8Array[] = [];
      for (const k of keys) {
        const bytes = await deps.audio.get(k);
        if (bytes) parts.push(bytes);
      }
      // Written under its content's name: two calls writing it at once write the same bytes.
      await deps.audio.put(key, deps.concat(parts), 'audio/wav');
    }
    known.add(key);
    return deps.promptUrl(key);
  }

  return async function connectReply(turn: Turn): Promise<ConnectContactFlowResult> {
    const clips: PlayClip[] = [];
    let action: 'play' | 'gather' | 'record' | 'hangup' = 'play';
    let maxDigits = 0;
    let timeout = 0;
    let maxSeconds = 0;
    for (const step of turn.steps) {
      if (step.kind === 'play') clips.push(...step.clips);
      else if (step.kind === 'gather') {
        clips.push(...step.prompt);
        action = 'gather';
        maxDigits = step.numDigits;
        timeout = step.timeoutSeconds;
        break;
      } else if (step.kind === 'record') {
        clips.push(...step.prompt);
        action = 'record';
        maxSeconds = step.maxSeconds;
        break;
      } else if (step.kind === 'hangup') {
        action = 'hangup';
        break;
      } else break; // redirect: play what came before, then come back with `silence`
    }
    return {
      action,
      seq: String(turn.seq),
      prompt: await prompt(clips),
      maxDigits: String(maxDigits),
      timeout: String(timeout),
      maxSeconds: String(maxSeconds),
    };
  };
}

/**
 * The voice line in the one local process (npm start, tests): built beside createDeps's own
 * parts, from the same stores, so that POST /voice/twiml and /dev/voice answer from the same
 * line and the same data as the SMS. In AWS the voice Lambda builds its own (./wiring.ts).
 *
 * @example createDeps(settings, composeHere, (parts, self) => ({ ...localVoiceLineParts(voice)(parts, self) }))
 */

import type { Messenger } from '#core/sms/ports.ts';
import type { VoiceSettings } from '#core/voice/settings.ts';
import { createVoiceLine } from '#core/voice/voice-line.ts';
import { readWav } from '#core/voice/wav.ts';
import { DynamoKnowledgeStore } from '../dynamodb/knowledge-store.ts';
import type { BaseDeps, RootParts } from '../wiring.ts';
import { createRecordingFetcher } from './recordings.ts';

export interface LocalVoiceSettings {
  settings: VoiceSettings;
  tableName: string;
  /** VOICE_RECORDING_HOSTS. */
  recordingHosts: string[];
  /** VOICE_TWILIO_AUTH_TOKEN and VOICE_PUBLIC_URL: a developer's tunnel from Twilio to the laptop is checked too. */
  authToken?: string;
  publicUrl?: string;
}

/** What these parts add to the local deps. */
export type LocalVoiceParts = ReturnType<ReturnType<typeof localVoiceLineParts>>;

export function localVoiceLineParts(voice: LocalVoiceSettings) {
  return <M extends Messenger>({ db, base }: RootParts & { base: BaseDeps<M> }, self: () => BaseDeps<M>) => {
    const stores = base.voiceStores;
    // Read at each call: tests replace parts of the finished deps (the messenger, the log, the clock).
    const log = (entry: Record<string, unknown>) => self().log(entry);
    const recordings = stores.audio
      ? createRecordingFetcher({ audio: stores.audio, hosts: voice.recordingHosts, readWav, log })
      : undefined;
    const voiceLine = createVoiceLine({
      calls: stores.calls,
      callers: stores.callers,
      counters: stores.counters,
      clips: stores.clips,
      subscribers: base.subscribers,
      prices: base.prices,
      library: new DynamoKnowledgeStore(db, voice.tableName, (id) => base.authz.regionPath(id), base.catalog),
      questions: base.questions,
      ...(recordings ? { recordings } : {}),
      messenger: { send: (request) => self().messenger.send(request) },
      catalog: base.catalog,
      allowedCallingCodes: base.smsSettings.allowedCallingCodes,
      settings: voice.settings,
      now: () => self().now(),
      log,
    });
    return {
      voiceLine,
      voiceRecordings: recordings,
      voiceTwiml: {
        ...(voice.authToken ? { authToken: voice.authToken } : {}),
        ...(voice.publicUrl ? { publicUrl: voice.publicUrl.replace(/\/+$/, '') } : {}),
      },
      voiceStores: stores,
    };
  };
}

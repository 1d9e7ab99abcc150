/**
 * The voice line as a local run has it (npm start, tests): the flow (core/voice/voice-line.ts)
 * on the same stores, library, questions and messenger as the rest, with generated placeholders
 * for clips not yet recorded. /dev/voice calls it. Never in AWS: the voice Lambda has its own
 * slim wiring, without placeholders.
 */
import { DynamoKnowledgeStore } from '#adapters/dynamodb/knowledge-store.ts';
import type { BaseDeps, ComposingMessenger, RootParts } from '#adapters/wiring.ts';
import { defaultVoiceSettings } from '#core/voice/settings.ts';
import { createVoiceLine } from '#core/voice/voice-line.ts';

export function localVoiceLineParts(tableName: string) {
  return (
    { db, base }: RootParts & { base: BaseDeps<ComposingMessenger> },
    self: () => BaseDeps<ComposingMessenger>,
  ) => {
    return {
      voiceLine: createVoiceLine({
        calls: base.voiceStores.calls,
        callers: base.voiceStores.callers,
        counters: base.voiceStores.counters,
        clips: base.voiceStores.clips,
        subscribers: base.subscribers,
        prices: base.prices,
        library: new DynamoKnowledgeStore(db, tableName, (id) => base.authz.regionPath(id)),
        questions: base.questions,
        // Read at each call: tests replace the messenger, the clock and the log on the finished deps.
        messenger: { send: (input) => self().messenger.send(input) },
        catalog: base.catalog,
        allowedCallingCodes: base.smsSettings.allowedCallingCodes,
        settings: { ...defaultVoiceSettings, placeholders: true },
        now: () => self().now(),
        log: (entry) => self().log(entry),
      }),
    };
  };
}

import type { Messenger } from '#core/sms/ports.ts';
import { createVoiceCalls } from '#core/voice/calls.ts';
import { defaultVoiceSettings } from '#core/voice/settings.ts';
import { createStudio } from '#core/voice/studio.ts';
import type { BaseDeps, RootParts } from './wiring.ts';

/**
 * The prompt studio and the call records, on the deps createDeps built (its authorizer, audit log,
 * catalog and voice stores): for the voice-studio Lambda and the local stack only, kept apart
 * from createDeps (like priceImportParts) so that the http Lambda carries neither the studio nor
 * the clip scripts and number tables it lists.
 *
 * @example const deps = createDeps(settings, composeHere, voiceStudioParts())
 */
export function voiceStudioParts(settings = defaultVoiceSettings) {
  return <M extends Messenger>({ base }: RootParts & { base: BaseDeps<M> }, self: () => BaseDeps<M>) => {
    const voice = base.voiceStores;
    const now = () => self().now();
    return {
      voiceCalls: createVoiceCalls({ authz: base.authz, audit: base.audit, now, calls: voice.calls }),
      ...(voice.audio
        ? {
            voiceStudio: createStudio({
              authz: base.authz,
              audit: base.audit,
              now,
              registry: voice.clips,
              audio: voice.audio,
              catalog: base.catalog,
              settings,
              log: (entry) => self().log(entry),
            }),
          }
        : {}),
    };
  };
}

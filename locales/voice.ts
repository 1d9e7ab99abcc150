/** The `voice` namespace in every language: the phrase clips' texts (see locales/index.ts for why it is apart). */
import bo from './bo/voice.json' with { type: 'json' };
import en from './en/voice.json' with { type: 'json' };
import zh from './zh/voice.json' with { type: 'json' };

export const voiceResources = { bo, zh, en } as const;

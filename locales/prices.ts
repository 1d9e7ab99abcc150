/** The `prices` namespace in every language (see locales/index.ts for why it is apart). */
import bo from './bo/prices.json' with { type: 'json' };
import en from './en/prices.json' with { type: 'json' };
import zh from './zh/prices.json' with { type: 'json' };

export const pricesResources = { bo, zh, en } as const;

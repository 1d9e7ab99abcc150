/** The `sms` namespace in every language (see locales/index.ts for why it is apart). */
import bo from './bo/sms.json' with { type: 'json' };
import en from './en/sms.json' with { type: 'json' };
import zh from './zh/sms.json' with { type: 'json' };

export const smsResources = { bo, zh, en } as const;

/** Every namespace in every language, together: for the locale tests and the review-strings tool. */
import { resources } from './index.ts';
import { pricesResources } from './prices.ts';
import { smsResources } from './sms.ts';
import { voiceResources } from './voice.ts';

export const allResources = {
  bo: { ...resources.bo, sms: smsResources.bo, prices: pricesResources.bo, voice: voiceResources.bo },
  zh: { ...resources.zh, sms: smsResources.zh, prices: pricesResources.zh, voice: voiceResources.zh },
  en: { ...resources.en, sms: smsResources.en, prices: pricesResources.en, voice: voiceResources.en },
} as const;

import type { Language } from '../reference/schemas.ts';

export type Script = 'tibetan' | 'wylie';

/** A phone number is an account. Personal data: phone, home region, topics. */
export interface Subscriber {
  phone: string;
  language: Language;
  /** How Tibetan is written to this phone: script, or Wylie for phones that cannot show it. */
  script: Script;
  homeRegionId?: string;
  /** weather, pest, and `price:<commodityId>` for price alerts. */
  topics: string[];
  optedOut: boolean;
  createdAt: string;
  updatedAt: string;
  version: number;
}

export function newSubscriber(phone: string, language: Language, now: Date): Subscriber {
  const at = now.toISOString();
  return { phone, language, script: 'tibetan', topics: [], optedOut: false, createdAt: at, updatedAt: at, version: 1 };
}

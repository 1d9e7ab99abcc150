/**
 * The translations every function bundles (JSON imports, so a Lambda reads no files).
 * Namespaces: common (shared words), web (pages), errors (problem titles/details), staff
 * (sign-in and staff pages), market (public price pages, bulletin, print sheet), collect
 * (collector and reviewer price pages), exchange (the buyers-and-sellers pages). Three more are added by the code that uses them, so
 * that only the functions doing that work carry them: `sms` (locales/sms.ts, by the SMS
 * composer: core/sms/sms-text.ts), `prices` (locales/prices.ts, CSV import problems: by
 * core/prices/import.ts) and `voice` (locales/voice.ts, the voice line's phrase clips: by
 * core/voice/speech/catalogue.ts). locales/all.ts has all ten, for tests and tools.
 */

import boCollect from './bo/collect.json' with { type: 'json' };
import boCommon from './bo/common.json' with { type: 'json' };
import boErrors from './bo/errors.json' with { type: 'json' };
import boExchange from './bo/exchange.json' with { type: 'json' };
import boMarket from './bo/market.json' with { type: 'json' };
import boStaff from './bo/staff.json' with { type: 'json' };
import boWeb from './bo/web.json' with { type: 'json' };
import enCollect from './en/collect.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enErrors from './en/errors.json' with { type: 'json' };
import enExchange from './en/exchange.json' with { type: 'json' };
import enMarket from './en/market.json' with { type: 'json' };
import enStaff from './en/staff.json' with { type: 'json' };
import enWeb from './en/web.json' with { type: 'json' };
import zhCollect from './zh/collect.json' with { type: 'json' };
import zhCommon from './zh/common.json' with { type: 'json' };
import zhErrors from './zh/errors.json' with { type: 'json' };
import zhExchange from './zh/exchange.json' with { type: 'json' };
import zhMarket from './zh/market.json' with { type: 'json' };
import zhStaff from './zh/staff.json' with { type: 'json' };
import zhWeb from './zh/web.json' with { type: 'json' };

export const resources = {
  bo: {
    common: boCommon,
    web: boWeb,
    errors: boErrors,
    staff: boStaff,
    market: boMarket,
    collect: boCollect,
    exchange: boExchange,
  },
  zh: {
    common: zhCommon,
    web: zhWeb,
    errors: zhErrors,
    staff: zhStaff,
    market: zhMarket,
    collect: zhCollect,
    exchange: zhExchange,
  },
  en: {
    common: enCommon,
    web: enWeb,
    errors: enErrors,
    staff: enStaff,
    market: enMarket,
    collect: enCollect,
    exchange: enExchange,
  },
} as const;

/**
 * All translations, bundled at build time (JSON imports), so a Lambda reads no files.
 * Namespaces: common (shared words), web (pages), errors (problem titles/details), sms,
 * staff (sign-in and staff pages), prices (price entry and CSV import problems), market
 * (public price pages, bulletin, print sheet), collect (collector and reviewer price pages).
 */
import boCommon from './bo/common.json' with { type: 'json' };
import boErrors from './bo/errors.json' with { type: 'json' };
import boSms from './bo/sms.json' with { type: 'json' };
import boPrices from './bo/prices.json' with { type: 'json' };
import boStaff from './bo/staff.json' with { type: 'json' };
import boWeb from './bo/web.json' with { type: 'json' };
import boMarket from './bo/market.json' with { type: 'json' };
import boCollect from './bo/collect.json' with { type: 'json' };
import enCommon from './en/common.json' with { type: 'json' };
import enErrors from './en/errors.json' with { type: 'json' };
import enSms from './en/sms.json' with { type: 'json' };
import enPrices from './en/prices.json' with { type: 'json' };
import enStaff from './en/staff.json' with { type: 'json' };
import enWeb from './en/web.json' with { type: 'json' };
import enMarket from './en/market.json' with { type: 'json' };
import enCollect from './en/collect.json' with { type: 'json' };
import zhCommon from './zh/common.json' with { type: 'json' };
import zhErrors from './zh/errors.json' with { type: 'json' };
import zhSms from './zh/sms.json' with { type: 'json' };
import zhPrices from './zh/prices.json' with { type: 'json' };
import zhStaff from './zh/staff.json' with { type: 'json' };
import zhWeb from './zh/web.json' with { type: 'json' };
import zhMarket from './zh/market.json' with { type: 'json' };
import zhCollect from './zh/collect.json' with { type: 'json' };

export const namespaces = ['common', 'web', 'errors', 'sms', 'staff', 'prices', 'market', 'collect'] as const;
export type Namespace = (typeof namespaces)[number];

export const resources = {
  bo: { common: boCommon, web: boWeb, errors: boErrors, sms: boSms, staff: boStaff, prices: boPrices, market: boMarket, collect: boCollect },
  zh: { common: zhCommon, web: zhWeb, errors: zhErrors, sms: zhSms, staff: zhStaff, prices: zhPrices, market: zhMarket, collect: zhCollect },
  en: { common: enCommon, web: enWeb, errors: enErrors, sms: enSms, staff: enStaff, prices: enPrices, market: enMarket, collect: enCollect },
} as const;

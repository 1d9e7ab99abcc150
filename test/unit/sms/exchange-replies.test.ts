/**
 * Every exchange SMS, composed as it is sent (composeSms: signature, budget, optional lines)
 * with long but realistic values — the longest commodity, place and market names of the
 * catalog in each language, 6-digit codes, prices like 12500.00 — fits its budget: one SMS in
 * Chinese and English, two in Tibetan (script and Wylie), signature included, without cutting
 * a line that is not optional. A Tibetan or Wylie one has no Chinese in it (the signature
 * aside), and a Wylie or English one stays GSM-7.
 */
import { describe, expect, test } from 'vitest';
import type { Language } from '#core/reference/schemas.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import { smsName, smsUnitName } from '#core/sms/sms-names.ts';
import type { Script } from '#core/subscribers/subscriber.ts';
import { toWylie } from '#core/text/wylie.ts';
import { flatten } from '#local/locale-types.ts';
import { allResources as resources } from '#locales/all.ts';
import { seedCatalog } from '#test/support/sms-catalog.ts';

const catalog = seedCatalog();
const SETTINGS = { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' };
const HAN = /\p{Script=Han}/u;
const SCRIPTS: Array<[Language, Script]> = [
  ['bo', 'tibetan'],
  ['bo', 'wylie'],
  ['zh', 'tibetan'],
  ['en', 'tibetan'],
];
const budget = (lang: Language) => (lang === 'bo' ? 2 : 1);

type Line = { key: string; params?: Record<string, string | number>; optional?: boolean };

/** The longest of some names as an SMS writes them in a language. */
const longest = (names: string[]) => names.reduce((a, b) => (Array.from(b).length > Array.from(a).length ? b : a), '');
const longestName = (lang: Language, items: Iterable<{ names: Parameters<typeof smsName>[0] }>) =>
  longest([...items].map((i) => smsName(i.names, lang)));

/**
 * Long but realistic values: the longest county, and either the longest commodity sold by the
 * jin in a large lot at a high per-jin price, or livestock by the head at a herd's price. The
 * vouched mark is ✓ except in English, where core writes *; Wylie must still come out GSM-7.
 */
function values(lang: Language, lot: 'jin' | 'head') {
  const counties = [...catalog.regions.values()].filter((r) => r.id.startsWith('cty_'));
  const sold = [...catalog.commodities.values()].filter((c) => c.defaultUnit === lot);
  const commodity = longestName(lang, sold);
  const commodityId = sold.find((c) => smsName(c.names, lang) === commodity)!.id;
  const offer = {
    code: 'L482913',
    // (core marks a vouched seller * in English; in Wylie the composer makes ✓ an *)
    mark: lang === 'en' ? '*' : '✓',
    commodity,
    quantity: lot === 'jin' ? '12500' : '150',
    unit: smsUnitName(lot, commodityId, lang, catalog),
    price: lot === 'jin' ? '245.50' : '12500.00',
    place: longestName(lang, counties),
    date: '12-01',
  };
  return {
    offer,
    market: longestName(lang, catalog.markets.values()),
    commodity,
    reason: { en: 'price far above the market', zh: '价格远高于市场价', bo: 'རིན་གོང་མཐོ་དྲགས།' }[lang],
    text: { en: 'still available? I can pay 4.30 a jin', zh: '还有货吗？每斤4.3元可以吗', bo: 'ད་དུང་ཡོད་དམ།' }[lang],
  };
}

/** Each reply as core sends it: its lines, optional ones marked. */
function replies(lang: Language, lot: 'jin' | 'head'): Record<string, Line[]> {
  const v = values(lang, lot);
  const { price: _price, ...open } = v.offer;
  const context: Line = {
    key: 'exchange.context',
    params: { market: v.market, price: '12500.00', unit: v.offer.unit, date: '11-30' },
    optional: true,
  };
  const sellLine: Line = { key: 'exchange.offer.sell', params: v.offer };
  const code = { code: 'L482913' };
  const other = { code: 'L104729' };
  const alias = 'A730215';
  const single = (key: string, params?: Record<string, string | number>): Line[] => [
    params ? { key, params } : { key },
  ];
  return {
    'SELL posted': [sellLine, { key: 'exchange.posted', params: { ...code, expires: '12-15' } }, context],
    'BUY posted, negotiable': [
      { key: 'exchange.offer.buyOpen', params: open },
      { key: 'exchange.posted', params: { ...code, expires: '12-15' } },
      context,
    ],
    'SELL held': [sellLine, { key: 'exchange.held', params: code }, context],
    'BUY held': [
      { key: 'exchange.offer.buy', params: v.offer },
      { key: 'exchange.held', params: code },
    ],
    'sell open held': [
      { key: 'exchange.offer.sellOpen', params: open },
      { key: 'exchange.held', params: code },
    ],
    'FIND three offers': [
      { key: 'exchange.find.head', params: { commodity: v.commodity } },
      sellLine,
      { ...sellLine, params: { ...v.offer, code: 'L104729' }, optional: true },
      { ...sellLine, params: { ...v.offer, code: 'L555555' }, optional: true },
      { key: 'exchange.find.howto', params: code, optional: true },
      { key: 'exchange.safety', optional: true },
    ],
    // (the header naming the owner's own offer gives way first: the other offer and how to reach it must stay)
    'match notice': [
      { key: 'exchange.match', params: code, optional: true },
      { key: 'exchange.offer.buy', params: { ...v.offer, ...other } },
      { key: 'exchange.matchHowto', params: other },
      { key: 'exchange.safety', optional: true },
    ],
    'LIST two offers': [
      { key: 'exchange.list.head', params: { count: 10, codes: 'L482913 L104729 L555555 L600001 L700002' } },
      { ...sellLine, optional: true },
      { key: 'exchange.list.waiting', params: code },
      { key: 'exchange.offer.buyOpen', params: { ...open, ...other }, optional: true },
    ],
    'operator post: confirm': [sellLine, { key: 'exchange.confirm.ask', params: { ...code, hours: 24 } }],
    'YES: confirmed and posted': [
      { key: 'exchange.confirm.yes', params: code },
      { key: 'exchange.posted', params: { ...code, expires: '12-15' } },
    ],
    'YES: confirmed and held': [
      { key: 'exchange.confirm.yes', params: code },
      { key: 'exchange.held', params: code },
    ],
    relay: single('exchange.relay', { from: alias, text: v.text }),
    rejected: single('exchange.rejected', { ...code, reason: v.reason }),
    hidden: single('exchange.hidden', { ...code, reason: v.reason }),
    blockedNotice: single('exchange.blockedNotice', { reason: v.reason }),
    'share done': single('exchange.share.done', { name: 'L482913', phone: '+8613812345678' }),
    'unknown commodity': single('exchange.unknownCommodity', {
      text: 'hulless barly s',
      suggestions: [v.commodity, v.commodity, v.commodity].join(lang === 'zh' ? '、' : ' or '),
    }),
    'unknown place': single('exchange.unknownPlace', {
      text: 'gyantze county',
      suggestions: [v.offer.place, v.offer.place, v.offer.place].join(lang === 'zh' ? '、' : ' or '),
    }),
  };
}

/** Every other exchange key alone, with the longest values its variables may take. */
function otherKeys(lang: Language, covered: Set<string>): Record<string, Line[]> {
  const v = values(lang, 'jin');
  const params: Record<string, string | number> = {
    code: 'L482913',
    expires: '12-15',
    limit: 10,
    to: 'A730215',
    from: 'L104729',
    hours: 24,
    count: 10,
    codes: 'L482913 L104729 L555555',
    commodity: v.commodity,
    text: 'hulless barly s',
    suggestions: v.commodity,
  };
  const keys = flatten(resources.en.sms as never, '')
    .map(([key]) => key)
    .filter((key) => key.startsWith('exchange.') && !covered.has(key));
  return Object.fromEntries(keys.map((key) => [key, [{ key, params }]]));
}

describe('every exchange reply fits: 1 SMS in zh and en, 2 in Tibetan, signature included', () => {
  for (const [lang, script] of SCRIPTS) {
    for (const lot of ['jin', 'head'] as const) {
      const named = replies(lang, lot);
      const covered = new Set(Object.values(named).flatMap((lines) => lines.map((l) => l.key)));
      const all = lot === 'jin' ? { ...named, ...otherKeys(lang, covered) } : named;
      for (const [name, lines] of Object.entries(all)) {
        test(`${lang}/${script}, by the ${lot}: ${name}`, () => {
          const m = composeSms({ lang, script, lines, footer: false, maxSegments: budget(lang) }, SETTINGS, toWylie);
          const required = lines.filter((l) => !l.optional).length;
          expect(m.segments, m.text).toBeLessThanOrEqual(budget(lang));
          expect(m.truncated, m.text).toBe(false);
          expect(lines.length - m.dropped, m.text).toBeGreaterThanOrEqual(required);
          if (lang === 'bo') expect(m.text.slice(SETTINGS.signature.length)).not.toMatch(HAN);
          if (script === 'wylie' || lang === 'en') expect(m.encoding, m.text).toBe('GSM-7');
        });
      }
    }
  }

  test('the offer line is whole in every language: code, quantity, unit, price, place, date', () => {
    for (const lang of ['zh', 'en'] as const) {
      const v = values(lang, 'jin');
      const m = composeSms(
        {
          lang,
          script: 'tibetan',
          lines: replies(lang, 'jin')['SELL posted']!,
          footer: false,
          maxSegments: 1,
        },
        SETTINGS,
        toWylie,
      );
      for (const part of ['L482913', '12500', v.offer.unit, '245.50', v.offer.place, '12-01', '12-15'])
        expect(m.text).toContain(part);
    }
  });
});

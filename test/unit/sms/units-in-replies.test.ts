/**
 * Units and dates in the price SMS, for every unit a price may be quoted in × every script
 * (Tibetan script, Tibetan in Wylie, Chinese, English): PRICE
 * replies and daily digests. A Tibetan or Wylie one has no Chinese character (the signature
 * aside) — livestock is priced per animal (`གཡག་རེར་`), a piece is རྡོག, a unit without a Tibetan
 * word falls back to English — and a Wylie one is GSM-7; every row carries its date (MM-DD);
 * each stays within its budget (1 SMS in Chinese and English, 2 in Tibetan), with fewer markets
 * (then fewer commodities, at least two) when more do not fit; and the Tibetan-script ones
 * pass the orthography checks.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { digestLines } from '#core/alerts/digest.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import { priceUnitIds } from '#core/prices/vocabulary.ts';
import type { Language } from '#core/reference/schemas.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import { priceReply } from '#core/sms/price-reply.ts';
import { smsName } from '#core/sms/sms-names.ts';
import { newSubscriber, type Script, type Subscriber } from '#core/subscribers/subscriber.ts';
import { checkSegments, checkTibetan, describeFindings, errorsOf } from '#core/text/tibetan-orthography.ts';
import { toWylie } from '#core/text/wylie.ts';
import { seedCatalog } from '#test/support/sms-catalog.ts';

const catalog = seedCatalog();
const SETTINGS = { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' };
const HAN = /\p{Script=Han}/u;
const NOW = new Date('2026-05-20T04:00:00Z');
const SCRIPTS: Array<[Language, Script]> = [
  ['bo', 'tibetan'],
  ['bo', 'wylie'],
  ['zh', 'tibetan'],
  ['en', 'tibetan'],
];
const budget = (lang: Language) => (lang === 'bo' ? 2 : 1);

/** A commodity quoted in each unit (its usual unit where one has it). */
const commodityFor = (unit: string) =>
  [...catalog.commodities.values()].find((c) => c.defaultUnit === unit)?.id ?? 'barley_qingke';
/** Markets with the longest names in each language first: the worst case for the budget. */
const MARKETS = ['mkt_lhasa_nyangre', 'mkt_ngari_purang_tangga', 'mkt_lhasa_tromsikhang', 'mkt_shigatse_gyirong_port'];

const record = (commodityId: string, marketId: string, unit: string, priceFen: number, date: string): PriceRecord =>
  ({
    commodityId,
    marketId,
    unit,
    priceFen,
    date,
    kind: 'retail',
    status: 'approved',
    regionId: catalog.markets.get(marketId)?.regionId ?? 'pref_lhasa',
    source: 'web',
    submittedAt: NOW.toISOString(),
    version: 1,
  }) as PriceRecord;

const subscriber = (lang: Language, script: Script): Subscriber => ({
  ...newSubscriber('+8613800000001', lang, NOW),
  script,
});

/** What every price SMS must be, whatever it says. */
function assertPriceSms(what: string, lang: Language, script: Script, text: string, m: ReturnType<typeof composeSms>) {
  assert.equal(m.truncated, false, `${what}: ${text}`);
  assert.ok(m.segments <= budget(lang), `${what}: ${m.segments} segments: ${text}`);
  if (lang !== 'bo') return;
  const body = text.startsWith(SETTINGS.signature) ? text.slice(SETTINGS.signature.length) : text;
  assert.doesNotMatch(body, HAN, `${what}: Chinese in a Tibetan reply: ${text}`);
  if (script === 'wylie') {
    assert.equal(m.encoding, 'GSM-7', `${what}: ${text}`);
    assert.doesNotMatch(text, /[\u0f00-\u0fff]/u);
    assert.doesNotMatch(text, /[a-z']\d/iu, `${what}: a word run into a number (sgor5.00): ${text}`);
  } else {
    const findings = [
      ...errorsOf(checkTibetan(body, { message: true, allowChars: /[↑↓→]/u })),
      ...checkSegments(m.parts),
    ];
    assert.deepEqual(findings, [], `${what}: ${text}\n${describeFindings(findings)}`);
  }
}

describe('every unit × every script', () => {
  for (const unit of priceUnitIds) {
    const commodityId = commodityFor(unit);
    for (const [lang, script] of SCRIPTS) {
      test(`PRICE, ${unit} (${commodityId}), ${lang}/${script}`, () => {
        const dates = ['2026-05-19', '2026-05-12', '2026-04-28'];
        const records = MARKETS.slice(0, 3).map((m, i) =>
          record(commodityId, m, unit, [512345, 2000, 45][i]!, dates[i]!),
        );
        const reply = priceReply({ intent: 'price', commodityId }, records, subscriber(lang, script), catalog, NOW);
        const m = composeSms(
          { lang, script, lines: reply.lines, footer: false, maxSegments: reply.maxSegments },
          SETTINGS,
          toWylie,
        );
        assertPriceSms('PRICE', lang, script, m.text, m);
        // each market shown carries its date
        const shown = dates.filter((d) => m.text.includes(d.slice(5)));
        assert.ok(shown.length >= 1, m.text);
        if (lang !== 'bo')
          assert.ok(m.text.includes(`/${smsName(catalog.units!.get(unit)!.names, lang)}`), `the unit: ${m.text}`);

        // none at the place asked: the nearest market's price, with its unit
        const nearest = priceReply(
          { intent: 'price', commodityId, regionId: 'pref_nyingchi' },
          records,
          subscriber(lang, script),
          catalog,
          NOW,
        );
        const n = composeSms(
          { lang, script, lines: nearest.lines, footer: false, maxSegments: nearest.maxSegments },
          SETTINGS,
          toWylie,
        );
        assert.equal(nearest.lines[1]?.key, 'price.nearest');
        assertPriceSms('PRICE nearest', lang, script, n.text, n);
      });

      test(`digest, ${unit} (${commodityId}), ${lang}/${script}`, () => {
        const dates = ['2026-05-20', '2026-05-18', '2026-05-11'];
        const rows = MARKETS.slice(0, 3).map((m, i) => record(commodityId, m, unit, [512345, 2000, 45][i]!, dates[i]!));
        const key = (r: PriceRecord) =>
          [r.marketId, r.kind ?? 'retail', r.grade ?? '', r.unit].map(encodeURIComponent).join('|');
        const change = {
          commodityId,
          rows,
          changed: new Set(rows.map(key)),
          previous: new Map(rows.map((r) => [key(r), r.priceFen - 50])),
        };
        const lines = digestLines([change], subscriber(lang, script), catalog);
        const m = composeSms({ lang, script, lines, footer: true, maxSegments: budget(lang) }, SETTINGS, toWylie);
        assertPriceSms('digest', lang, script, m.text, m);
        assert.ok(m.text.includes(dates[0]!.slice(5)), `the first market's date: ${m.text}`);
        for (const line of lines) assert.match(String(line.params?.date), /^\d\d-\d\d$/u);
      });
    }
  }

  test('Tibetan names livestock per animal and a piece as རྡོག, never the Chinese unit', () => {
    const line = (commodityId: string, unit: string) =>
      priceReply(
        { intent: 'price', commodityId },
        [record(commodityId, 'mkt_lhasa_dongga', unit, 500000, '2026-05-19')],
        subscriber('bo', 'tibetan'),
        catalog,
        NOW,
      ).lines[1]!;
    assert.equal(line('yak_live', 'head').params?.unit, catalog.commodities.get('yak_live')!.names.bo);
    assert.equal(line('cordyceps', 'piece').params?.unit, 'རྡོག');
    assert.equal(line('barley_qingke', 'jin').params?.unit, 'རྒྱ་མ');
    const yak = composeSms(
      { lang: 'bo', script: 'tibetan', lines: [line('yak_live', 'head')], footer: false, maxSegments: 2 },
      SETTINGS,
      toWylie,
    );
    assert.ok(yak.text.includes('གཡག་རེར་སྒོར་5000.00 05-19།'), yak.text);
  });
});

describe('the digest: every price carries its date, within budget, fewer markets when needed', () => {
  test('several commodities at the longest-named markets', () => {
    const commodities = ['barley_qingke', 'butter', 'yak_live', 'cordyceps'];
    const key = (r: PriceRecord) =>
      [r.marketId, r.kind ?? 'retail', r.grade ?? '', r.unit].map(encodeURIComponent).join('|');
    for (const [lang, script] of SCRIPTS) {
      for (let n = 1; n <= commodities.length; n++) {
        const changes = commodities.slice(0, n).map((commodityId, c) => {
          const unit = catalog.commodities.get(commodityId)!.defaultUnit;
          const rows = MARKETS.map((m, i) =>
            record(commodityId, m, unit, 100000 + c * 1000 + i, `2026-05-${String(10 + i).padStart(2, '0')}`),
          );
          return {
            commodityId,
            rows,
            changed: new Set(rows.map(key)),
            previous: new Map(rows.map((r) => [key(r), r.priceFen + 100])),
          };
        });
        const lines = digestLines(changes, subscriber(lang, script), catalog);
        const m = composeSms({ lang, script, lines, footer: true, maxSegments: budget(lang) }, SETTINGS, toWylie);
        const what = `${n} commodities, ${lang}/${script}`;
        assertPriceSms(what, lang, script, m.text, m);
        // Optional lines (all but the first) give way last first: the first lines.length - dropped
        // are sent, each price followed by its own date before the next price.
        const sent = lines.slice(0, lines.length - m.dropped);
        // At least two commodities are named in this worst case (4-digit prices, long names);
        // more give way, last first.
        const named = new Set(sent.filter((l) => l.key.startsWith('digest.item')).map((l) => l.params!.commodity)).size;
        assert.ok(named >= Math.min(n, 2), `${what}: ${named} commodities named (${m.text})`);
        let rest = m.text;
        for (const [i, line] of sent.entries()) {
          const at = rest.indexOf(String(line.params!.price));
          assert.ok(at >= 0, `${what}: price ${line.params!.price} in ${m.text}`);
          rest = rest.slice(at);
          const next = sent[i + 1] ? rest.indexOf(String(sent[i + 1]!.params!.price)) : rest.length;
          assert.ok(
            rest.slice(0, next).includes(String(line.params!.date)),
            `${what}: ${line.params!.price} has its date: ${m.text}`,
          );
        }
      }
    }
  });
});

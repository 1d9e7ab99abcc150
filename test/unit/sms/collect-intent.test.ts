/**
 * P (staff price reports): the grammar in every script and digit form, what is left to the
 * defaults, and each way a report can be wrong. Also the pipeline's own readings of a report
 * (unit words, MM-DD dates).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import type { Catalog } from '#core/reference/catalog.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { reportDate, unitOf } from '#core/sms/collect-reply.ts';
import { parseSms } from '#core/sms/parser.ts';
import { createMatcher } from '#core/text/matcher.ts';

const seed = referenceSeed();
const matcher = createMatcher({
  commodities: seed.commodities,
  regions: seed.regions,
  markets: seed.markets,
  terms: seed.terms,
});
const parse = (text: string) => parseSms(text, matcher);
const BARLEY = 'barley_qingke';
const DONGGA = 'mkt_lhasa_dongga';

describe('P: reading a report', () => {
  const reports: Array<[string, Record<string, string>, 'bo' | 'zh' | 'en']> = [
    ['P 青稞 东嘎 4.5', { price: '4.5' }, 'zh'],
    ['报价 青稞 东嘎 4.50', { price: '4.50' }, 'zh'],
    ['p 青稞东嘎4.5', { price: '4.5' }, 'zh'],
    ['P 青稞 东嘎批发市场 4.50 斤 批发 05-20', { price: '4.50', unit: '斤', kind: 'wholesale', date: '05-20' }, 'zh'],
    ['报价 青稞 东嘎 4.5元/斤 零售价 5月20日', { price: '4.5', unit: '斤', kind: 'retail', date: '05-20' }, 'zh'],
    [
      'P barley dongga 4.5 kg wholesale 2025-05-20',
      { price: '4.5', unit: 'kg', kind: 'wholesale', date: '2025-05-20' },
      'en',
    ],
    ['Ｐ　ＢＡＲＬＥＹ　ＤＯＮＧＧＡ　４．５０', { price: '4.50' }, 'en'],
    ['P hulless barley Donggar wholesale market 4.5 farm-gate', { price: '4.5', kind: 'farm_gate' }, 'en'],
    ['P ནས་ གདོང་དཀར་ ༤.༥ རྒྱ་མ', { price: '4.5', unit: 'རྒྱ་མ' }, 'bo'],
    ['P ནས་གདོང་དཀར་ ༥', { price: '5' }, 'bo'],
    ['P nas gdong dkar 4.5 jin', { price: '4.5', unit: 'jin' }, 'bo'],
  ];
  for (const [text, fields, language] of reports) {
    test(`${JSON.stringify(text)}`, () => {
      const r = parse(text);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.command, { intent: 'collect', commodityId: BARLEY, marketId: DONGGA, ...fields });
      assert.equal(r.language, language);
    });
  }

  test('no unit, kind or date: left for the defaults (the commodity’s unit, retail, today)', () => {
    const r = parse('P 青稞 东嘎 4.5');
    assert.ok(r.ok);
    assert.deepEqual(Object.keys(r.command).sort(), ['commodityId', 'intent', 'marketId', 'price']);
  });

  test('a place that is a region (拉萨, lha sa) is kept as the region: the pipeline picks or lists its markets', () => {
    for (const text of ['P 青稞 拉萨 4.5', 'P nas lha sa 4.5 jin']) {
      const r = parse(text);
      assert.ok(r.ok, JSON.stringify(r));
      assert.equal(r.command.intent === 'collect' && r.command.regionId, 'pref_lhasa', text);
      assert.equal(r.command.intent === 'collect' && r.command.marketId, undefined, text);
    }
  });

  test('PRICE and other keywords still read as before (P is a whole word only)', () => {
    assert.deepEqual(parse('price barley'), {
      ok: true,
      command: { intent: 'price', commodityId: BARLEY },
      language: 'en',
      wylie: false,
    });
    const r = parse('pest');
    assert.notEqual(r.ok && r.command.intent, 'collect');
  });
});

describe('P: what is wrong with a report', () => {
  const failure = (text: string) => {
    const r = parse(text);
    assert.equal(r.ok, false, JSON.stringify(r));
    return r as Extract<ReturnType<typeof parse>, { ok: false }>;
  };

  test('an unknown commodity: the closest names, whatever the script', () => {
    for (const [text, typed] of [
      ['P 青颗 东嘎 4.5', '青颗'],
      ['P barly dongga 4.5', 'barly'],
    ] as const) {
      const r = failure(text);
      assert.equal(r.problem, 'bad_argument');
      assert.ok(r.problem === 'bad_argument' && r.argument === 'commodity' && r.text === typed, JSON.stringify(r));
      assert.ok(r.problem === 'bad_argument' && r.suggestions.includes(BARLEY), JSON.stringify(r));
    }
  });

  test('an unknown market: the closest market names', () => {
    const r = failure('P 青稞 东嘎嘎 4.5');
    assert.ok(r.problem === 'bad_argument' && r.argument === 'market' && r.text === '东嘎嘎');
    assert.ok(r.problem === 'bad_argument' && r.suggestions.includes(DONGGA));
  });

  test('a price that is not one: zero, three decimals, too large', () => {
    for (const price of ['0', '0.00', '4.567', '99999999999']) {
      const r = failure(`P 青稞 东嘎 ${price}`);
      assert.ok(
        r.problem === 'bad_argument' && r.argument === 'price' && r.text === price,
        `${price}: ${JSON.stringify(r)}`,
      );
    }
  });

  test('a date that is no calendar day', () => {
    for (const date of ['13-40', '00-10', '2025-02-32']) {
      const r = failure(`P 青稞 东嘎 4.5 ${date}`);
      assert.ok(r.problem === 'bad_argument' && r.argument === 'date', `${date}: ${JSON.stringify(r)}`);
    }
  });

  test('P alone, or without a price: how to write a report', () => {
    for (const text of ['P', '报价', 'P 青稞 东嘎', 'P 青稞 4.5']) {
      const r = failure(text);
      assert.equal(r.intent, 'collect', text);
      assert.equal(r.problem, 'missing_argument', text);
    }
  });
});

describe('P: the pipeline’s readings', () => {
  const catalog = { units: new Map(seed.units.map((u) => [u.id, u])) } as unknown as Catalog;

  test('unit words in every script → the units prices are kept in; others are unknown', () => {
    const cases: Array<[string, string | undefined]> = [
      ['斤', 'jin'],
      ['jin', 'jin'],
      ['市斤', 'jin'],
      ['རྒྱ་མ', 'jin'],
      ['rgya ma', 'jin'],
      ['公斤', 'kg'],
      ['KG', 'kg'],
      ['སྤྱི་རྒྱ', 'kg'],
      ['ཀི་ལོ', 'kg'],
      ['两', 'liang'],
      ['头', 'head'],
      ['个', 'piece'],
      ['ཁལ', undefined],
      ['bushel', undefined],
    ];
    for (const [text, unit] of cases) assert.equal(unitOf(text, catalog), unit, text);
  });

  test('dates: none is today; MM-DD is this year, or last year when that day is still to come', () => {
    assert.equal(reportDate(undefined, '2026-05-20'), '2026-05-20');
    assert.equal(reportDate('05-19', '2026-05-20'), '2026-05-19');
    assert.equal(reportDate('05-20', '2026-05-20'), '2026-05-20');
    assert.equal(reportDate('12-30', '2026-01-02'), '2025-12-30');
    assert.equal(
      reportDate('2026-06-01', '2026-05-20'),
      '2026-06-01',
      'a full date is kept (and refused later as in the future)',
    );
  });
});

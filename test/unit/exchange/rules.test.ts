/** The exchange's pure rules: codes, places, matching, the price beside an offer, flagged words. */
import { describe, expect, test } from 'vitest';
import { codeSource, normaliseCode } from '#core/exchange/codes.ts';
import { cleanFlaggedWords, flaggedWordIn, seedFlaggedWords } from '#core/exchange/flagged.ts';
import type { Listing } from '#core/exchange/listing.ts';
import { byNearness, compatible } from '#core/exchange/matching.ts';
import { distance, regionLevels } from '#core/exchange/places.ts';
import { nearestPrice, priceHold } from '#core/exchange/price-context.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import { seedCatalog } from '../../support/sms-catalog.ts';

const catalog = seedCatalog();

const offer = (over: Partial<Listing>): Listing => ({
  code: 'L1000',
  side: 'sell',
  commodityId: 'barley_qingke',
  quantity: 200,
  unitId: 'jin',
  priceFen: 420,
  regionId: 'cty_lhasa_chengguan',
  countyId: 'cty_lhasa_chengguan',
  prefectureId: 'pref_lhasa',
  ownerPhone: '+8613800000001',
  status: 'open',
  vouched: false,
  holdReasons: [],
  reports: 0,
  source: 'test:1',
  createdAt: '2026-12-01T02:00:00.000Z',
  expiresAt: '2026-12-15T02:00:00.000Z',
  updatedAt: '2026-12-01T02:00:00.000Z',
  version: 1,
  ...over,
});

describe('offer codes', () => {
  test('typed with or without the L, in any case, width or digits', () => {
    expect(normaliseCode('L4821')).toBe('L4821');
    expect(normaliseCode('l4821')).toBe('L4821');
    expect(normaliseCode('4821')).toBe('L4821');
    expect(normaliseCode('Ｌ４８２１')).toBe('L4821');
    expect(normaliseCode('༤༨༢༡')).toBe('L4821');
    expect(normaliseCode('a12345')).toBe('A12345');
    expect(normaliseCode('L482160')).toBe('L482160');
  });

  test('anything else is no code', () => {
    for (const text of ['', 'L482', 'L4821601', 'X4821', 'L48a1', '0482', 'barley', 'L 48 21'])
      expect(normaliseCode(text), text).toBeUndefined();
  });

  test('fresh codes start at four digits and grow when the space is crowded', () => {
    let n = 0;
    const next = codeSource('L', () => (n++ % 10) / 10);
    const lengths = Array.from({ length: 7 }, () => next().length - 1);
    expect(lengths).toEqual([4, 4, 5, 5, 6, 6, 6]);
    const code = codeSource('A', () => 0.999999)();
    expect(code).toMatch(/^A[1-9]\d{3}$/);
  });
});

describe('places', () => {
  test('a county lies in its prefecture; a prefecture is its own', () => {
    expect(regionLevels(catalog, 'cty_lhasa_lhunzhub')).toEqual({
      countyId: 'cty_lhasa_lhunzhub',
      prefectureId: 'pref_lhasa',
    });
    expect(regionLevels(catalog, 'pref_nagqu')).toEqual({ prefectureId: 'pref_nagqu' });
    expect(regionLevels(catalog, 'nowhere')).toEqual({});
  });

  test('nearness: same county, same prefecture, elsewhere', () => {
    const home = regionLevels(catalog, 'cty_lhasa_chengguan');
    expect(distance(home, regionLevels(catalog, 'cty_lhasa_chengguan'))).toBe(0);
    expect(distance(home, regionLevels(catalog, 'cty_lhasa_lhunzhub'))).toBe(1);
    expect(distance(home, regionLevels(catalog, 'pref_nagqu'))).toBe(2);
  });
});

describe('matching', () => {
  const buyer = offer({ code: 'L2000', side: 'buy', quantity: 500, priceFen: 450, ownerPhone: '+8613800000002' });

  test('a buyer of 500 jin at 4.50 matches a seller of 200 jin at 4.20', () => {
    expect(compatible(catalog, buyer, offer({}))).toBe(true);
    expect(compatible(catalog, offer({}), buyer)).toBe(true);
  });

  test('units convert: 100 kg at 8.80/kg against a bid of 4.50/jin (9.00/kg)', () => {
    expect(compatible(catalog, buyer, offer({ quantity: 100, unitId: 'kg', priceFen: 880 }))).toBe(true);
    expect(compatible(catalog, buyer, offer({ quantity: 100, unitId: 'kg', priceFen: 920 }))).toBe(false);
  });

  test('an ask above the bid, the same side, another commodity, one owner, or a tiny lot do not match', () => {
    expect(compatible(catalog, buyer, offer({ priceFen: 460 }))).toBe(false);
    expect(compatible(catalog, buyer, offer({ side: 'buy' }))).toBe(false);
    expect(compatible(catalog, buyer, offer({ commodityId: 'wheat' }))).toBe(false);
    expect(compatible(catalog, buyer, offer({ ownerPhone: buyer.ownerPhone }))).toBe(false);
    expect(compatible(catalog, buyer, offer({ quantity: 2 }))).toBe(false);
  });

  test('negotiable on either side matches any price; units of another dimension never', () => {
    expect(compatible(catalog, buyer, offer({ priceFen: null }))).toBe(true);
    expect(compatible(catalog, { ...buyer, priceFen: null }, offer({ priceFen: 99_999 }))).toBe(true);
    expect(compatible(catalog, buyer, offer({ unitId: 'head' }))).toBe(false);
    expect(compatible(catalog, buyer, offer({ unitId: 'khal' }))).toBe(false);
  });

  test('nearest first, then newest', () => {
    const home = regionLevels(catalog, 'cty_lhasa_chengguan');
    const far = offer({ code: 'L3', createdAt: '2026-12-03T00:00:00Z' });
    delete far.countyId;
    far.prefectureId = 'pref_nagqu';
    const nearOld = offer({ code: 'L1', createdAt: '2026-11-01T00:00:00Z' });
    const nearNew = offer({ code: 'L2', createdAt: '2026-11-02T00:00:00Z' });
    const prefecture = offer({ code: 'L4', ...regionLevels(catalog, 'cty_lhasa_lhunzhub') });
    expect([far, nearOld, prefecture, nearNew].sort(byNearness(home)).map((l) => l.code)).toEqual([
      'L2',
      'L1',
      'L4',
      'L3',
    ]);
  });
});

describe('the price beside an offer', () => {
  const record = (marketId: string, priceFen: number, date: string, unit = 'jin'): PriceRecord =>
    ({
      commodityId: 'barley_qingke',
      marketId,
      regionId: catalog.markets.get(marketId)?.regionId ?? '',
      date,
      kind: 'retail',
      unit,
      priceFen,
      status: 'approved',
    }) as PriceRecord;
  const lhasaMarket = [...catalog.markets.values()].find((m) => m.regionId === 'cty_lhasa_chengguan')!.id;
  const farMarket = [...catalog.markets.values()].find(
    (m) => regionLevels(catalog, m.regionId ?? undefined).prefectureId !== 'pref_lhasa',
  )!.id;

  test('the nearest market wins over a newer one further away', () => {
    const got = nearestPrice(
      [record(farMarket, 500, '2026-12-04'), record(lhasaMarket, 450, '2026-12-01')],
      offer({}),
      catalog,
    );
    expect(got).toEqual({ marketId: lhasaMarket, priceFen: 450, unitId: 'jin', date: '2026-12-01' });
  });

  test('prices in a unit that does not compare are left out', () => {
    expect(nearestPrice([record(lhasaMarket, 450, '2026-12-01', 'khal')], offer({}), catalog)).toBeUndefined();
  });

  test('over 5× or under a fifth of the market waits for a moderator, in comparable units', () => {
    const market = { marketId: lhasaMarket, priceFen: 450, unitId: 'jin', date: '2026-12-01' };
    expect(priceHold(offer({ priceFen: 2300 }), market, 5, catalog)).toBe('price_high');
    expect(priceHold(offer({ priceFen: 2250 }), market, 5, catalog)).toBeUndefined();
    expect(priceHold(offer({ priceFen: 80 }), market, 5, catalog)).toBe('price_low');
    expect(priceHold(offer({ priceFen: 4600, unitId: 'kg' }), market, 5, catalog)).toBe('price_high');
    expect(priceHold(offer({ priceFen: null }), market, 5, catalog)).toBeUndefined();
    expect(priceHold(offer({}), undefined, 5, catalog)).toBeUndefined();
  });
});

describe('flagged words', () => {
  test('found whatever the case, width or spacing', () => {
    expect(flaggedWordIn('Please PAY  FIRST by bank', seedFlaggedWords)?.text).toBe('pay first');
    expect(flaggedWordIn('需要先 付 款', seedFlaggedWords)?.text).toBe('先付款');
    expect(flaggedWordIn('ｄｅｐｏｓｉｔ', seedFlaggedWords)?.text).toBe('deposit');
    expect(flaggedWordIn('barley 500 jin 4.2', seedFlaggedWords)).toBeUndefined();
  });

  test('an edited list is trimmed, deduplicated and kept to its bounds', () => {
    const cleaned = cleanFlaggedWords([
      { lang: 'en', text: '  Pay First ' },
      { lang: 'en', text: 'pay first' },
      { lang: 'zh', text: '' },
      { lang: 'zh', text: '，，' },
      { lang: 'bo', text: 'ཁ་པར' },
    ]);
    expect(cleaned).toEqual([
      { lang: 'en', text: 'Pay First' },
      { lang: 'bo', text: 'ཁ་པར' },
    ]);
  });
});

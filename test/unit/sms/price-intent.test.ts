/**
 * PRICE in its forms: keyword first in every script, the commodity-first forms (青稞价格,
 * ནས་རིན་གོང), a market or region after the commodity, and unknown commodities.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { parseSms } from '#core/sms/parser.ts';
import { createMatcher } from '#core/text/matcher.ts';

const { commodities, regions, markets, terms } = referenceSeed();
const matcher = createMatcher({ commodities, regions, markets, terms });
const parse = (text: string) => parseSms(text, matcher);
const BARLEY = 'barley_qingke';

describe('PRICE: reading the command', () => {
  const plain: Array<[string, 'bo' | 'zh' | 'en']> = [
    ['PRICE 青稞', 'zh'],
    ['价格 青稞', 'zh'],
    ['多少钱 青稞', 'zh'],
    ['青稞价格', 'zh'],
    ['青稞 价钱', 'zh'],
    ['青稞行情', 'zh'],
    ['རིན་གོང ནས', 'bo'],
    ['གོང ནས', 'bo'],
    ['ནས་རིན་གོང', 'bo'],
    ['ནས་གོང་ག་ཚོད', 'bo'],
    ['rin gong nas', 'bo'],
    ['price barley', 'en'],
  ];
  for (const [text, language] of plain) {
    test(`${JSON.stringify(text)} → price of barley`, () => {
      const r = parse(text);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.command, { intent: 'price', commodityId: BARLEY });
      if (text !== 'PRICE 青稞') assert.equal(r.language, language);
    });
  }

  test('Wylie keyword: Tibetan in Wylie', () => {
    const r = parse('rin gong nas');
    assert.ok(r.ok);
    assert.equal(r.language, 'bo');
    assert.equal(r.wylie, true);
  });

  test('PRICE BARLEY LHASA names the place: a market, or a region meaning its markets', () => {
    const r = parse('PRICE BARLEY LHASA');
    assert.ok(r.ok, JSON.stringify(r));
    const command = r.command;
    assert.equal(command.intent, 'price');
    if (command.intent !== 'price') return;
    assert.equal(command.commodityId, BARLEY);
    assert.ok(command.marketId ?? command.regionId, 'a place was read');
    const place = command.marketId
      ? markets.find((m) => m.id === command.marketId)
      : regions.find((g) => g.id === command.regionId);
    assert.match(JSON.stringify(place?.names ?? {}), /Lhasa/i);
  });

  for (const text of ['青稞价格 八廓街', '青稞价格八廓街', 'ནས་རིན་གོང བར་བསྐོར', 'nas rin gong bar bskor']) {
    test(`${JSON.stringify(text)}: a market after the commodity-first form`, () => {
      const r = parse(text);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.command, { intent: 'price', commodityId: BARLEY, marketId: 'mkt_lhasa_barkhor' });
    });
  }

  test('青稞价格 火星: an unknown place after the price words is a price question with no such place', () => {
    const r = parse('青稞价格 火星');
    assert.ok(!r.ok);
    assert.equal(r.intent, 'price');
    assert.equal(r.problem, 'unknown_argument');
  });

  test('价格 青稞 拉萨: the place in Chinese too', () => {
    const r = parse('价格 青稞 拉萨');
    assert.ok(r.ok, JSON.stringify(r));
    assert.ok(
      r.command.intent === 'price' && r.command.commodityId === BARLEY && (r.command.regionId || r.command.marketId),
    );
  });

  test('an unknown commodity is answered with the closest names', () => {
    const r = parse('PRICE barly');
    assert.ok(!r.ok);
    assert.equal(r.intent, 'price');
    assert.equal(r.problem, 'unknown_argument');
    if (r.problem === 'unknown_argument') assert.ok(r.suggestions.includes(BARLEY), JSON.stringify(r.suggestions));
  });

  test('PRICE alone asks for the product', () => {
    const r = parse('PRICE');
    assert.ok(!r.ok);
    assert.equal(r.problem, 'missing_argument');
  });

  test('words that are not a commodity before a price word stay an unknown command', () => {
    const r = parse('hello price');
    assert.ok(!r.ok);
    assert.equal(r.intent, 'unknown');
  });
});

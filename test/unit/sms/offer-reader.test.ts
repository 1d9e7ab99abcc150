/**
 * The exchange's SMS commands as the parser reads them: SELL / BUY offers in the four scripts
 * (every example of the issue), the refusals and their replies in the sender's language, FIND
 * with and without a side and a place, the code commands, and YES / NO that stay out of the way
 * of ordinary messages.
 */
import { describe, expect, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { readOffer } from '#core/sms/commands/offer-reader.ts';
import { failureReply } from '#core/sms/failure-reply.ts';
import { parseSms } from '#core/sms/parser.ts';
import { smsTranslator } from '#core/sms/sms-text.ts';
import { newSubscriber } from '#core/subscribers/subscriber.ts';
import { createMatcher } from '#core/text/matcher.ts';
import { tokenise } from '#core/text/normalise.ts';
import { seedCatalog } from '#test/support/sms-catalog.ts';

const catalog = seedCatalog();
const parse = (text: string) => parseSms(text, catalog.matcher);
const NOW = new Date('2026-05-20T04:00:00Z');

const offer = (text: string) => {
  const r = parse(text);
  if (!r.ok) throw new Error(`${text}: ${JSON.stringify(r)}`);
  return r.command;
};
const refusal = (text: string) => {
  const r = parse(text);
  if (r.ok) throw new Error(`${text} should be refused: ${JSON.stringify(r)}`);
  return r;
};
const reply = (text: string, lang: 'bo' | 'zh' | 'en' = 'en') =>
  failureReply(refusal(text), newSubscriber('+8613800000001', lang, NOW), catalog);

const BARLEY = 'barley_qingke';
const YAK = 'yak_live';

describe('SELL / BUY: the examples of the issue', () => {
  const cases: Array<[string, 'sell' | 'buy', Record<string, unknown>, string?]> = [
    ['SELL YAK 5 HEAD 8000', 'sell', { commodityId: YAK, quantity: 5, unitId: 'head', priceFen: 800_000 }],
    ['sell butter 20 jin 35', 'sell', { commodityId: 'butter', quantity: 20, unitId: 'jin', priceFen: 3500 }],
    ['卖 酥油 20斤 35元', 'sell', { commodityId: 'butter', quantity: 20, unitId: 'jin', priceFen: 3500 }, 'zh'],
    ['出售 青稞 500斤 每斤4.5元', 'sell', { commodityId: BARLEY, quantity: 500, unitId: 'jin', priceFen: 450 }, 'zh'],
    ['求购 牦牛 10头', 'buy', { commodityId: YAK, quantity: 10, unitId: 'head', priceFen: null }, 'zh'],
    ['འཚོང གཡག ༥', 'sell', { commodityId: YAK, quantity: 5, unitId: 'head', priceFen: null }, 'bo'],
    ["'tshong mar 20 rgya ma 35", 'sell', { commodityId: 'butter', quantity: 20, unitId: 'jin', priceFen: 3500 }, 'bo'],
    ['nyo nas 100 rgya ma', 'buy', { commodityId: BARLEY, quantity: 100, unitId: 'jin', priceFen: null }, 'bo'],
    [
      'BUY BARLEY 500 JIN 4.2 LHASA',
      'buy',
      { commodityId: BARLEY, quantity: 500, unitId: 'jin', priceFen: 420, regionId: 'pref_lhasa' },
    ],
  ];
  test.each(cases)('%s', (text, side, expected, language) => {
    const r = parse(text);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    expect(r.command).toMatchObject({ intent: side, offer: expected });
    expect(r.command.intent === side && 'offer' in r.command && r.command.offer).toEqual(expected);
    if (language) expect(r.language).toBe(language);
  });
});

describe('SELL / BUY: the other ways people write the parts', () => {
  const butter = { commodityId: 'butter', quantity: 20, unitId: 'jin', priceFen: 3500 };
  test.each([
    ['sell butter 20jin 35', butter],
    ['sell butter 20 jin 35yuan', butter],
    ['sell butter 20 jin ¥35', butter],
    ['sell butter 20 jin 35 yuan/jin', butter],
    ['sell butter 20 jin 35元/斤', butter],
    ['卖 酥油 20 斤 35 块钱', butter],
    ['SELL BUTTER 20 JIN 35.00', butter],
    ['ＳＥＬＬ　ＢＵＴＴＥＲ　２０　ＪＩＮ　３５', butter],
    // Tibetan order: the measure before the number, the price after སྒོར
    ['འཚོང མར་རྒྱ་མ་20 སྒོར་35', butter],
    ['འཚོང་མར་རྒྱ་མ་༢༠ རྒྱ་མ་རེར་སྒོར་༣༥', butter],
    // quantity first
    ['sell 20 jin butter 35', butter],
    ['卖 20斤 酥油 35元', butter],
  ])('%s', (text, expected) => {
    const command = offer(text);
    expect(command).toMatchObject({ intent: 'sell', offer: expected });
  });

  test('livestock without a unit is counted by the head; "each" is per head', () => {
    expect(offer('sell yak 5 8000 each')).toMatchObject({
      offer: { commodityId: YAK, quantity: 5, unitId: 'head', priceFen: 800_000 },
    });
    expect(offer('卖 牦牛 5 8000元')).toMatchObject({ offer: { unitId: 'head', priceFen: 800_000 } });
  });

  test('a place at the end: a county, a prefecture, or a market (with its region)', () => {
    expect(offer('SELL BUTTER 20 JIN 35 GYANTSE')).toMatchObject({ offer: { regionId: 'cty_shigatse_gyantse' } });
    expect(offer('卖 酥油 20斤 35元 江孜')).toMatchObject({ offer: { regionId: 'cty_shigatse_gyantse' } });
    const market = offer('SELL BUTTER 20 JIN 35 DONGGA');
    expect(market).toMatchObject({ offer: { marketId: 'mkt_lhasa_dongga' } });
    expect(market).toMatchObject({ offer: { regionId: catalog.markets.get('mkt_lhasa_dongga')!.regionId } });
    expect(offer('sell yak 5 head 8000 nagqu')).toMatchObject({ offer: { regionId: 'pref_nagqu' } });
  });

  test('a decimal quantity and another unit of the reference data', () => {
    expect(offer('sell wool 2.5 kg 60')).toMatchObject({ offer: { quantity: 2.5, unitId: 'kg', priceFen: 6000 } });
    expect(offer('sell barley 3 khal')).toMatchObject({ offer: { unitId: 'khal', priceFen: null } });
  });

  test('the words kept for moderators are the words as read', () => {
    expect(offer('SELL Butter  20 JIN 35')).toMatchObject({ text: 'butter 20 jin 35' });
  });

  test('sold forms are SOLD, not an offer (the longer keyword wins)', () => {
    expect(offer('卖掉了 L4821')).toEqual({ intent: 'sold', code: 'L4821', text: '' });
    expect(offer('已卖 4821')).toEqual({ intent: 'sold', code: 'L4821', text: '' });
  });

  test('a reader given a matcher without units still reads the common unit words', () => {
    const { commodities, regions, markets, terms } = referenceSeed();
    const bare = createMatcher({ commodities, regions, markets, terms });
    expect(readOffer('sell', tokenise('酥油 20斤 35元'), bare)).toEqual({
      ok: true,
      offer: { commodityId: 'butter', quantity: 20, unitId: 'jin', priceFen: 3500 },
    });
  });
});

describe('SELL / BUY: what cannot be read gets a short reply in the sender language, and no offer', () => {
  test('no words, or no commodity: the usage with an example', () => {
    expect(refusal('SELL')).toMatchObject({ intent: 'sell', problem: 'missing_argument' });
    expect(reply('SELL')).toEqual([{ key: 'exchange.usage.sell' }]);
    expect(reply('BUY', 'zh')).toEqual([{ key: 'exchange.usage.buy' }]);
    expect(reply('SELL 5')).toEqual([{ key: 'exchange.usage.sell' }]);
  });

  test('no quantity', () => {
    expect(refusal('SELL BUTTER')).toMatchObject({ problem: 'bad_argument', argument: 'quantity' });
    expect(reply('SELL BUTTER')[0]!.key).toBe('exchange.badQuantity');
    expect(reply('SELL BUTTER 0 JIN')[0]!.key).toBe('exchange.badQuantity');
    expect(reply('SELL BUTTER 12345678 JIN')[0]!.key).toBe('exchange.badQuantity');
  });

  test('no unit for what is not counted: the usage (20 butter could be jin or kg)', () => {
    expect(reply('SELL BUTTER 20')).toEqual([{ key: 'exchange.usage.sell' }]);
    expect(reply('SELL BUTTER 20 35')).toEqual([{ key: 'exchange.usage.sell' }]);
  });

  test('an unknown unit', () => {
    expect(reply('SELL BUTTER 20 BAGS 35')).toEqual([{ key: 'exchange.unknownUnit', params: { text: 'bags' } }]);
    expect(reply('卖 酥油 20袋 35元', 'zh')).toEqual([{ key: 'exchange.unknownUnit', params: { text: '袋' } }]);
  });

  test('an unreadable price: too many decimals, two prices, a price per another unit', () => {
    expect(reply('SELL BUTTER 20 JIN 3.555')).toEqual([{ key: 'exchange.badPrice', params: { text: '3.555' } }]);
    expect(reply('sell yak 5 head 8000 9000')).toEqual([{ key: 'exchange.badPrice', params: { text: '9000' } }]);
    expect(reply('SELL BUTTER 20 KG 35/JIN')[0]!.key).toBe('exchange.badPrice');
    expect(reply('SELL BUTTER 20 JIN 3.5.5')[0]!.key).toBe('exchange.badPrice');
  });

  test('an unknown commodity: did you mean the closest names, in the sender language', () => {
    expect(refusal('SELL BUTTR 20 JIN')).toMatchObject({ argument: 'commodity', suggestions: ['butter'] });
    const [line] = reply('SELL BUTTR 20 JIN');
    expect(line!.key).toBe('exchange.unknownCommodity');
    expect(line!.params).toMatchObject({ text: 'buttr' });
    expect(String(line!.params!.suggestions)).toMatch(/butter/i);
    const [zh] = reply('卖 酥 20斤', 'zh');
    expect(zh!.key).toBe('exchange.unknownCommodity');
    const t = smsTranslator('en');
    expect(t(line!.key, line!.params)).toMatch(/Did you mean Butter\?|Did you mean butter\?/i);
  });

  test('random words: not found, without an empty "did you mean"', () => {
    const [line] = reply('SELL asdf qwer 20 jin');
    expect(line).toEqual({
      key: 'exchange.unknownCommodity',
      params: { text: 'asdf qwer', suggestions: '', context: 'none' },
    });
    const t = smsTranslator('en');
    expect(t(line!.key, line!.params)).toBe('Product "asdf qwer" not found.');
  });

  test('an unknown place', () => {
    const [line] = reply('SELL BUTTER 20 JIN 35 ATLANTIS');
    expect(line!.key).toBe('exchange.unknownPlace');
    expect(reply('SELL BUTTER 20 JIN 35 GYANTZE')[0]!.params!.suggestions).toMatch(/Gyantse/);
  });

  test('keys pressed at random never throw and never make an offer', () => {
    for (const text of ['SELL ???', 'SELL 🙂🙂', 'BUY ....', 'sell yak yak yak 5 5 5 5', 'BUY ¥¥¥']) {
      const r = parse(text);
      expect(r.ok, text).toBe(false);
    }
  });
});

describe('FIND', () => {
  test.each([
    ['FIND BARLEY', { side: 'sell', commodityId: BARLEY }],
    ['FIND YAK NAGQU', { side: 'sell', commodityId: YAK, regionId: 'pref_nagqu' }],
    ['找 酥油', { side: 'sell', commodityId: 'butter' }],
    ['FIND BUY BARLEY', { side: 'buy', commodityId: BARLEY }],
    ['FIND BUYERS BARLEY', { side: 'buy', commodityId: BARLEY }],
    ['找 收购 青稞', { side: 'buy', commodityId: BARLEY }],
    ['འཚོལ ནས', { side: 'sell', commodityId: BARLEY }],
    ["'tshol nyo nas", { side: 'buy', commodityId: BARLEY }],
    [
      'FIND BUTTER DONGGA',
      { side: 'sell', commodityId: 'butter', regionId: catalog.markets.get('mkt_lhasa_dongga')!.regionId },
    ],
  ])('%s', (text, expected) => {
    expect(offer(text)).toEqual({ intent: 'find', ...expected });
  });

  test('refusals: usage, unknown product, unknown place', () => {
    expect(reply('FIND')).toEqual([{ key: 'exchange.usage.find' }]);
    expect(reply('FIND BUY')).toEqual([{ key: 'exchange.usage.find' }]);
    expect(reply('FIND BARLY')[0]!.key).toBe('exchange.unknownCommodity');
    expect(reply('FIND BARLEY ATLANTIS')[0]!.key).toBe('exchange.unknownPlace');
  });
});

describe('the code commands', () => {
  test.each([
    ['SOLD L4821', 'sold'],
    ['已售出 4821', 'sold'],
    ['བཙོངས་ཟིན L4821', 'sold'],
    ['CANCEL L4821', 'cancel'],
    ['取消 L4821', 'cancel'],
    ['འདོར l4821', 'cancel'],
    ['RENEW L4821', 'renew'],
    ['续期 L 4821', 'renew'],
    ['SHARE L4821', 'share'],
    ['交换号码 L4821', 'share'],
    ['REPORT L4821', 'report'],
    ['举报 Ｌ４８２１', 'report'],
  ])('%s', (text, intent) => {
    expect(offer(text)).toEqual({ intent, code: 'L4821', text: '' });
  });

  test('MSG and REPORT keep the text after the code, punctuation included', () => {
    expect(offer('MSG L4821 still available? I can pay 4.3')).toEqual({
      intent: 'msg',
      code: 'L4821',
      text: 'still available? i can pay 4.3',
    });
    expect(offer('留言 4821 还有货吗？')).toEqual({ intent: 'msg', code: 'L4821', text: '还有货吗?' });
    expect(offer('MSG A1234 yes, 4.3 is fine')).toEqual({ intent: 'msg', code: 'A1234', text: 'yes, 4.3 is fine' });
    expect(offer('REPORT L4821 asked me to pay first')).toEqual({
      intent: 'report',
      code: 'L4821',
      text: 'asked me to pay first',
    });
  });

  test('a keyword without its code (or MSG without its message): the usage of that command', () => {
    expect(reply('SOLD')).toEqual([{ key: 'exchange.codeUsage.sold' }]);
    expect(reply('CANCEL my barley')).toEqual([{ key: 'exchange.codeUsage.cancel' }]);
    expect(reply('RENEW 12')).toEqual([{ key: 'exchange.codeUsage.renew' }]);
    expect(reply('REPORT')).toEqual([{ key: 'exchange.codeUsage.report' }]);
    expect(reply('SHARE please')).toEqual([{ key: 'exchange.codeUsage.share' }]);
    expect(reply('MSG L4821')).toEqual([{ key: 'exchange.codeUsage.msg' }]);
    expect(reply('MSG hello')).toEqual([{ key: 'exchange.codeUsage.msg' }]);
  });

  test('the longer keywords of older commands keep their meaning', () => {
    expect(offer('取消订阅 天气')).toEqual({ intent: 'unsub', topic: 'weather' });
    expect(offer('cancel all')).toEqual({ intent: 'stop' });
  });
});

describe('LIST, YES, NO', () => {
  test.each(['LIST', 'list', '我的', '列表', 'ཐོ', 'གསལ་ཐོ', 'gsal tho', 'MY LISTINGS'])('%s lists', (text) => {
    expect(offer(text)).toEqual({ intent: 'list' });
  });

  test('the short list words count only alone', () => {
    expect(refusal('我的青稞').intent).not.toBe('list');
    expect(refusal('my barley').intent).not.toBe('list');
  });

  test.each([
    ['YES', 'yes', undefined],
    ['YES L4821', 'yes', 'L4821'],
    ['是', 'yes', undefined],
    ['是 4821', 'yes', 'L4821'],
    ['ཡིན', 'yes', undefined],
    ['yin l4821', 'yes', 'L4821'],
    ['NO', 'no', undefined],
    ['否 L4821', 'no', 'L4821'],
    ['མིན', 'no', undefined],
  ])('%s', (text, intent, code) => {
    expect(offer(text)).toEqual(code ? { intent, code } : { intent });
  });

  test('yes/no words that begin other messages stay unknown (the short help), as before', () => {
    for (const text of ['yes please', '好的', '不要了', 'no thanks', 'ok']) {
      const r = refusal(text);
      expect(r.intent, text).toBe('unknown');
      expect(reply(text)).toEqual([{ key: 'help.unknown' }]);
    }
  });
});

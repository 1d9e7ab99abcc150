import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { coverTokens, createMatcher, type MatchHit, type TokenMatch } from '#core/text/matcher.ts';
import { tokenise } from '#core/text/normalise.ts';
import { hostileText } from './arbitraries.ts';

const data = referenceSeed();
const matcher = createMatcher(data);
const ids = (hits: readonly MatchHit[]) => hits.map((h) => `${h.kind}:${h.item.id}`);
/** The reading of an SMS as "item ids per matched span", via findInTokens + coverTokens. */
const read = (sms: string) =>
  coverTokens(matcher.findInTokens(tokenise(sms))).map((m: TokenMatch) => m.hits.map((h) => h.item.id).join('|'));

describe('match', () => {
  test('one place in four scripts and spellings', () => {
    for (const s of [
      'Gyantse',
      'GYANTSE',
      '江孜',
      '江孜县',
      'རྒྱལ་རྩེ',
      'རྒྱལ་རྩེ་',
      'རྒྱལརྩེ',
      'rgyal rtse',
      'rgyalrtse',
      'Gyangzê',
      'gyangze',
    ]) {
      assert.deepEqual(ids(matcher.match(s)), ['region:cty_shigatse_gyantse'], s);
    }
  });

  test('tells which name matched', () => {
    const [hit] = matcher.match('rgyal rtse');
    assert.deepEqual(hit?.matched, {
      form: 'wylie',
      text: 'rgyal rtse',
      alias: false,
      derivation: 'exact',
      matchedText: 'rgyal rtse',
    });
    assert.equal(matcher.match('江孜')[0]?.matched.alias, true);
  });

  test('loose Wylie: G.YAG, g.yag and gyag are the yak', () => {
    for (const s of ['G.YAG', 'g.yag', 'gyag', 'G.Yag', 'གཡག', '牦牛', 'yak']) {
      assert.deepEqual(ids(matcher.match(s)), ['commodity:yak_live'], s);
    }
  });

  test('full-width input matches', () => {
    assert.deepEqual(ids(matcher.match('ＰＲＩＣＥ')), ['term:kw_price']);
    assert.deepEqual(ids(matcher.match('ＢＡＲＬＥＹ')), ['commodity:barley_qingke']);
  });

  test('English names match without their parenthetical or generic word, and barley by its head noun', () => {
    assert.deepEqual(ids(matcher.match('Lhasa')), ['region:pref_lhasa']);
    assert.deepEqual(ids(matcher.match('highland barley')), ['commodity:barley_qingke']);
    assert.deepEqual(ids(matcher.match('stop')), ['term:kw_stop']);
    const [barley] = matcher.match('barley');
    assert.equal(barley?.item.id, 'barley_qingke');
    assert.equal(barley?.matched.derivation, 'shortened');
  });

  test('ambiguous names return every item', () => {
    assert.deepEqual(ids(matcher.match('羊')).sort(), ['commodity:goat_live', 'commodity:sheep_live']);
    assert.deepEqual(ids(matcher.match('ཆབ་མདོ')).sort(), ['market:mkt_chamdo_cordyceps', 'region:pref_chamdo']);
    assert.deepEqual(ids(matcher.match('Ali')).sort(), ['region:pref_ngari', 'region:town_ngari_shiquanhe']);
  });

  test('kinds narrow the search', () => {
    assert.deepEqual(ids(matcher.match('ཆབ་མདོ', { kinds: ['market'] })), ['market:mkt_chamdo_cordyceps']);
    assert.deepEqual(ids(matcher.match('羊', { kinds: ['region'] })), []);
  });

  test('one-syllable Tibetan words match as they are (the parser decides where they count)', () => {
    assert.deepEqual(ids(matcher.match('ར')), ['commodity:goat_live']);
    assert.deepEqual(ids(matcher.match('ཨ་མདོ')), ['region:cty_nagqu_amdo']);
    assert.deepEqual(ids(matcher.match('ཉོ')), ['term:kw_buy']);
  });

  test('nothing, punctuation or nonsense match nothing', () => {
    for (const s of ['', ' ', '?', '་།', 'qwxz', '🐂']) assert.deepEqual(matcher.match(s), [], s);
  });
});

describe('findInTokens', () => {
  test('the PRODUCT.md price examples', () => {
    assert.deepEqual(read('PRICE BARLEY'), ['kw_price', 'barley_qingke']);
    assert.deepEqual(read('PRICE barley Lhasa'), ['kw_price', 'barley_qingke', 'pref_lhasa']);
    assert.deepEqual(read('价格 青稞'), ['kw_price', 'barley_qingke']);
    assert.deepEqual(read('青稞价格'), ['barley_qingke', 'kw_price']);
    assert.deepEqual(read('རིན་གོང ནས'), ['kw_price', 'barley_qingke']);
    assert.deepEqual(read('རིན་གོང་ནས།'), ['kw_price', 'barley_qingke']);
    assert.deepEqual(read('rin gong nas'), ['kw_price', 'barley_qingke']);
  });

  test('sell / buy / join examples', () => {
    assert.deepEqual(read('SELL YAK 5 HEAD 8000'), ['kw_sell', 'yak_live', 'head']);
    assert.deepEqual(read('卖 酥油 20斤 35元'), ['kw_sell', 'butter', 'jin', 'unit_yuan']);
    assert.deepEqual(read('འཚོང གཡག ༥'), ['kw_sell', 'yak_live']);
    assert.deepEqual(read('nyo nas 100 rgya ma'), ['kw_buy', 'barley_qingke', 'jin']);
    assert.deepEqual(read('JOIN Gyantse'), ['cty_shigatse_gyantse']);
    assert.deepEqual(read('注册 江孜'), ['kw_register', 'cty_shigatse_gyantse']);
  });

  test('reports the longest match at every position, with token spans', () => {
    const found = matcher.findInTokens(tokenise('རིན་གོང ནས'));
    assert.deepEqual(
      found.map((m) => [m.start, m.end, ids(m.hits)]),
      [
        [0, 2, ['term:kw_price']],
        [1, 2, ['term:kw_price']],
        [2, 3, ['commodity:barley_qingke']],
      ],
    );
  });

  test('multi-word names in any script', () => {
    assert.deepEqual(read('hulless barley'), ['barley_qingke']);
    assert.deepEqual(read('ནས་ཀྱི་ས་བོན'), ['barley_seed']);
    assert.deepEqual(read('PRICE 冬虫夏草 拉萨'), ['kw_price', 'cordyceps', 'pref_lhasa']);
  });

  test('kinds narrow the search; ambiguity is kept', () => {
    assert.deepEqual(
      matcher.findInTokens(tokenise('PRICE BARLEY'), ['commodity']).map((m) => ids(m.hits)),
      [['commodity:barley_qingke']],
    );
    assert.deepEqual(read('卖 羊'), ['kw_sell', 'sheep_live|goat_live']);
  });
});

describe('suggest', () => {
  const first = (s: string) => matcher.suggest(s)[0]?.item.id;

  test('typos get the nearest name', () => {
    assert.equal(first('Gyantze'), 'cty_shigatse_gyantse');
    assert.equal(first('barly'), 'barley_qingke');
    assert.equal(first('yakk'), 'yak_live');
    assert.equal(first('lhassa'), 'pref_lhasa');
    assert.equal(first('rgyal rtsi'), 'cty_shigatse_gyantse');
  });

  test('Han by characters, Tibetan by syllables', () => {
    assert.equal(first('青棵'), 'barley_qingke');
    assert.equal(first('江子'), 'cty_shigatse_gyantse');
    const [tibetan] = matcher.suggest('རྒྱལ་རྩ');
    assert.equal(tibetan?.item.id, 'cty_shigatse_gyantse');
    assert.ok(tibetan && tibetan.distance > 0 && tibetan.distance < 1, 'one letter of a syllable costs a fraction');
  });

  test('nonsense and very short input get nothing', () => {
    for (const s of ['qwxz', 'zzzzzzzz', 'xq', '5', '?', '', '🐂🐂', '鑫']) assert.deepEqual(matcher.suggest(s), [], s);
  });

  test('limit and kinds are honoured; one suggestion per item', () => {
    const all = matcher.suggest('lhassa', { limit: 10 });
    assert.equal(new Set(all.map((s) => s.item.id)).size, all.length);
    assert.ok(matcher.suggest('lhassa', { limit: 1 }).length <= 1);
    assert.deepEqual(matcher.suggest('barly', { kinds: ['region'] }), []);
  });

  test('never throws', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        matcher.suggest(s);
        matcher.match(s);
        matcher.findInTokens(tokenise(s));
      }),
      { numRuns: 300 },
    );
  });
});

describe('isWylieSyllable', () => {
  test('knows syllables of indexed Wylie names, loosely typed', () => {
    for (const w of ['rin', 'gong', 'nas', 'G.YAG', 'rgya', 'ma']) assert.ok(matcher.isWylieSyllable(w), w);
    for (const w of ['price', 'barley', 'lhasa', 'qwxz']) assert.ok(!matcher.isWylieSyllable(w), w);
  });
});

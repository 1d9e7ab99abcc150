/**
 * The spoken forms, written out by hand: what a caller hears for numbers, prices and days in
 * each language (the texts of the clips joined: Tibetan with a tsheg, Chinese with nothing,
 * English with a space). Not computed by the code under test.
 */
import { describe, expect, test } from 'vitest';
import { clipText } from '#core/voice/speech/catalogue.ts';
import { dayClips } from '#core/voice/speech/dates.ts';
import type { SpeechLanguage } from '#core/voice/speech/language.ts';
import { decimalClips, digitClips, numberClips } from '#core/voice/speech/numbers.ts';
import {
  alertClips,
  answerWithinClips,
  askReceivedClips,
  menuOptionClips,
  priceRowClips,
} from '#core/voice/speech/phrases.ts';
import { priceClips } from '#core/voice/speech/prices.ts';
import { seedCatalog } from '../support/sms-catalog.ts';

const catalog = seedCatalog();
const joiner: Record<SpeechLanguage, string> = { bo: '་', zh: '', en: ' ' };
const spoken = (lang: SpeechLanguage, ids: string[]) =>
  ids
    .map((id) => {
      const text = clipText(lang, id, catalog);
      if (text === undefined) throw new Error(`${lang} ${id} has no text`);
      return text;
    })
    .join(joiner[lang]);

/** `n text` per line. */
const table = (text: string): Array<[number, string]> =>
  text
    .trim()
    .split('\n')
    .map((line) => {
      const [n, words] = line.trim().split(/\s+/u) as [string, string];
      return [Number(n), words];
    });

const tibetan0to120 = table(`
  0 ཀླད་ཀོར
  1 གཅིག
  2 གཉིས
  3 གསུམ
  4 བཞི
  5 ལྔ
  6 དྲུག
  7 བདུན
  8 བརྒྱད
  9 དགུ
  10 བཅུ་ཐམ་པ
  11 བཅུ་གཅིག
  12 བཅུ་གཉིས
  13 བཅུ་གསུམ
  14 བཅུ་བཞི
  15 བཅོ་ལྔ
  16 བཅུ་དྲུག
  17 བཅུ་བདུན
  18 བཅོ་བརྒྱད
  19 བཅུ་དགུ
  20 ཉི་ཤུ་ཐམ་པ
  21 ཉི་ཤུ་རྩ་གཅིག
  22 ཉི་ཤུ་རྩ་གཉིས
  23 ཉི་ཤུ་རྩ་གསུམ
  24 ཉི་ཤུ་རྩ་བཞི
  25 ཉི་ཤུ་རྩ་ལྔ
  26 ཉི་ཤུ་རྩ་དྲུག
  27 ཉི་ཤུ་རྩ་བདུན
  28 ཉི་ཤུ་རྩ་བརྒྱད
  29 ཉི་ཤུ་རྩ་དགུ
  30 སུམ་ཅུ་ཐམ་པ
  31 སུམ་ཅུ་སོ་གཅིག
  32 སུམ་ཅུ་སོ་གཉིས
  33 སུམ་ཅུ་སོ་གསུམ
  34 སུམ་ཅུ་སོ་བཞི
  35 སུམ་ཅུ་སོ་ལྔ
  36 སུམ་ཅུ་སོ་དྲུག
  37 སུམ་ཅུ་སོ་བདུན
  38 སུམ་ཅུ་སོ་བརྒྱད
  39 སུམ་ཅུ་སོ་དགུ
  40 བཞི་བཅུ་ཐམ་པ
  41 བཞི་བཅུ་ཞེ་གཅིག
  42 བཞི་བཅུ་ཞེ་གཉིས
  43 བཞི་བཅུ་ཞེ་གསུམ
  44 བཞི་བཅུ་ཞེ་བཞི
  45 བཞི་བཅུ་ཞེ་ལྔ
  46 བཞི་བཅུ་ཞེ་དྲུག
  47 བཞི་བཅུ་ཞེ་བདུན
  48 བཞི་བཅུ་ཞེ་བརྒྱད
  49 བཞི་བཅུ་ཞེ་དགུ
  50 ལྔ་བཅུ་ཐམ་པ
  51 ལྔ་བཅུ་ང་གཅིག
  52 ལྔ་བཅུ་ང་གཉིས
  53 ལྔ་བཅུ་ང་གསུམ
  54 ལྔ་བཅུ་ང་བཞི
  55 ལྔ་བཅུ་ང་ལྔ
  56 ལྔ་བཅུ་ང་དྲུག
  57 ལྔ་བཅུ་ང་བདུན
  58 ལྔ་བཅུ་ང་བརྒྱད
  59 ལྔ་བཅུ་ང་དགུ
  60 དྲུག་ཅུ་ཐམ་པ
  61 དྲུག་ཅུ་རེ་གཅིག
  62 དྲུག་ཅུ་རེ་གཉིས
  63 དྲུག་ཅུ་རེ་གསུམ
  64 དྲུག་ཅུ་རེ་བཞི
  65 དྲུག་ཅུ་རེ་ལྔ
  66 དྲུག་ཅུ་རེ་དྲུག
  67 དྲུག་ཅུ་རེ་བདུན
  68 དྲུག་ཅུ་རེ་བརྒྱད
  69 དྲུག་ཅུ་རེ་དགུ
  70 བདུན་ཅུ་ཐམ་པ
  71 བདུན་ཅུ་དོན་གཅིག
  72 བདུན་ཅུ་དོན་གཉིས
  73 བདུན་ཅུ་དོན་གསུམ
  74 བདུན་ཅུ་དོན་བཞི
  75 བདུན་ཅུ་དོན་ལྔ
  76 བདུན་ཅུ་དོན་དྲུག
  77 བདུན་ཅུ་དོན་བདུན
  78 བདུན་ཅུ་དོན་བརྒྱད
  79 བདུན་ཅུ་དོན་དགུ
  80 བརྒྱད་ཅུ་ཐམ་པ
  81 བརྒྱད་ཅུ་གྱ་གཅིག
  82 བརྒྱད་ཅུ་གྱ་གཉིས
  83 བརྒྱད་ཅུ་གྱ་གསུམ
  84 བརྒྱད་ཅུ་གྱ་བཞི
  85 བརྒྱད་ཅུ་གྱ་ལྔ
  86 བརྒྱད་ཅུ་གྱ་དྲུག
  87 བརྒྱད་ཅུ་གྱ་བདུན
  88 བརྒྱད་ཅུ་གྱ་བརྒྱད
  89 བརྒྱད་ཅུ་གྱ་དགུ
  90 དགུ་བཅུ་ཐམ་པ
  91 དགུ་བཅུ་གོ་གཅིག
  92 དགུ་བཅུ་གོ་གཉིས
  93 དགུ་བཅུ་གོ་གསུམ
  94 དགུ་བཅུ་གོ་བཞི
  95 དགུ་བཅུ་གོ་ལྔ
  96 དགུ་བཅུ་གོ་དྲུག
  97 དགུ་བཅུ་གོ་བདུན
  98 དགུ་བཅུ་གོ་བརྒྱད
  99 དགུ་བཅུ་གོ་དགུ
  100 བརྒྱ
  101 བརྒྱ་དང་གཅིག
  102 བརྒྱ་དང་གཉིས
  103 བརྒྱ་དང་གསུམ
  104 བརྒྱ་དང་བཞི
  105 བརྒྱ་དང་ལྔ
  106 བརྒྱ་དང་དྲུག
  107 བརྒྱ་དང་བདུན
  108 བརྒྱ་དང་བརྒྱད
  109 བརྒྱ་དང་དགུ
  110 བརྒྱ་དང་བཅུ་ཐམ་པ
  111 བརྒྱ་དང་བཅུ་གཅིག
  112 བརྒྱ་དང་བཅུ་གཉིས
  113 བརྒྱ་དང་བཅུ་གསུམ
  114 བརྒྱ་དང་བཅུ་བཞི
  115 བརྒྱ་དང་བཅོ་ལྔ
  116 བརྒྱ་དང་བཅུ་དྲུག
  117 བརྒྱ་དང་བཅུ་བདུན
  118 བརྒྱ་དང་བཅོ་བརྒྱད
  119 བརྒྱ་དང་བཅུ་དགུ
  120 བརྒྱ་དང་ཉི་ཤུ་ཐམ་པ
`);

const chinese0to120 = table(`
  0 零
  1 一
  2 二
  3 三
  4 四
  5 五
  6 六
  7 七
  8 八
  9 九
  10 十
  11 十一
  12 十二
  13 十三
  14 十四
  15 十五
  16 十六
  17 十七
  18 十八
  19 十九
  20 二十
  21 二十一
  22 二十二
  23 二十三
  24 二十四
  25 二十五
  26 二十六
  27 二十七
  28 二十八
  29 二十九
  30 三十
  31 三十一
  32 三十二
  33 三十三
  34 三十四
  35 三十五
  36 三十六
  37 三十七
  38 三十八
  39 三十九
  40 四十
  41 四十一
  42 四十二
  43 四十三
  44 四十四
  45 四十五
  46 四十六
  47 四十七
  48 四十八
  49 四十九
  50 五十
  51 五十一
  52 五十二
  53 五十三
  54 五十四
  55 五十五
  56 五十六
  57 五十七
  58 五十八
  59 五十九
  60 六十
  61 六十一
  62 六十二
  63 六十三
  64 六十四
  65 六十五
  66 六十六
  67 六十七
  68 六十八
  69 六十九
  70 七十
  71 七十一
  72 七十二
  73 七十三
  74 七十四
  75 七十五
  76 七十六
  77 七十七
  78 七十八
  79 七十九
  80 八十
  81 八十一
  82 八十二
  83 八十三
  84 八十四
  85 八十五
  86 八十六
  87 八十七
  88 八十八
  89 八十九
  90 九十
  91 九十一
  92 九十二
  93 九十三
  94 九十四
  95 九十五
  96 九十六
  97 九十七
  98 九十八
  99 九十九
  100 一百
  101 一百零一
  102 一百零二
  103 一百零三
  104 一百零四
  105 一百零五
  106 一百零六
  107 一百零七
  108 一百零八
  109 一百零九
  110 一百一十
  111 一百一十一
  112 一百一十二
  113 一百一十三
  114 一百一十四
  115 一百一十五
  116 一百一十六
  117 一百一十七
  118 一百一十八
  119 一百一十九
  120 一百二十
`);

/** Hundreds and the edges of each place: [n, bo, zh]. */
const larger: Array<[number, string, string]> = [
  [200, 'ཉིས་བརྒྱ', '两百'],
  [300, 'སུམ་བརྒྱ', '三百'],
  [400, 'བཞི་བརྒྱ', '四百'],
  [500, 'ལྔ་བརྒྱ', '五百'],
  [600, 'དྲུག་བརྒྱ', '六百'],
  [700, 'བདུན་བརྒྱ', '七百'],
  [800, 'བརྒྱད་བརྒྱ', '八百'],
  [900, 'དགུ་བརྒྱ', '九百'],
  [245, 'ཉིས་བརྒྱ་དང་བཞི་བཅུ་ཞེ་ལྔ', '两百四十五'],
  [999, 'དགུ་བརྒྱ་དང་དགུ་བཅུ་གོ་དགུ', '九百九十九'],
  [1000, 'སྟོང', '一千'],
  [1001, 'སྟོང་དང་གཅིག', '一千零一'],
  [1005, 'སྟོང་དང་ལྔ', '一千零五'],
  [1010, 'སྟོང་དང་བཅུ་ཐམ་པ', '一千零一十'],
  [1015, 'སྟོང་དང་བཅོ་ལྔ', '一千零一十五'],
  [1100, 'སྟོང་དང་བརྒྱ', '一千一百'],
  [1245, 'སྟོང་ཉིས་བརྒྱ་དང་བཞི་བཅུ་ཞེ་ལྔ', '一千二百四十五'],
  [2000, 'ཉིས་སྟོང', '两千'],
  [2500, 'ཉིས་སྟོང་དང་ལྔ་བརྒྱ', '两千五百'],
  [9000, 'དགུ་སྟོང', '九千'],
  [10000, 'ཁྲི', '一万'],
  [10001, 'ཁྲི་དང་གཅིག', '一万零一'],
  [10010, 'ཁྲི་དང་བཅུ་ཐམ་པ', '一万零一十'],
  [12000, 'ཁྲི་དང་ཉིས་སྟོང', '一万二千'],
  [20000, 'ཁྲི་ཕྲག་གཉིས', '两万'],
  [30405, 'ཁྲི་ཕྲག་གསུམ་བཞི་བརྒྱ་དང་ལྔ', '三万零四百零五'],
  [99999, 'ཁྲི་ཕྲག་དགུ་དགུ་སྟོང་དགུ་བརྒྱ་དང་དགུ་བཅུ་གོ་དགུ', '九万九千九百九十九'],
  [100000, 'འབུམ', '十万'],
  // Past 100,000: digit by digit.
  [100001, 'གཅིག་ཀླད་ཀོར་ཀླད་ཀོར་ཀླད་ཀོར་ཀླད་ཀོར་གཅིག', '一零零零零一'],
];

describe('numbers', () => {
  test('Tibetan 0–120: teens with བཅོ for 15 and 18, ཐམ་པ after round tens, each decade its connector, དང after a hundred', () => {
    expect(tibetan0to120).toHaveLength(121);
    for (const [n, text] of tibetan0to120) expect(spoken('bo', numberClips('bo', n)), `${n}`).toBe(text);
  });

  test('Chinese 0–120 by place value: 十二 with no leading 一, 一百一十 with it, one 零 for the skipped place', () => {
    expect(chinese0to120).toHaveLength(121);
    for (const [n, text] of chinese0to120) expect(spoken('zh', numberClips('zh', n)), `${n}`).toBe(text);
  });

  test('hundreds, thousands and ten-thousands to 100,000, and digit by digit past it', () => {
    for (const [n, bo, zh] of larger) {
      expect(spoken('bo', numberClips('bo', n)), `bo ${n}`).toBe(bo);
      expect(spoken('zh', numberClips('zh', n)), `zh ${n}`).toBe(zh);
    }
  });

  test('English placeholders in words', () => {
    const en: Array<[number, string]> = [
      [0, 'zero'],
      [13, 'thirteen'],
      [21, 'twenty one'],
      [100, 'one hundred'],
      [1005, 'one thousand five'],
      [12345, 'twelve thousand three hundred forty five'],
      [100000, 'one hundred thousand'],
    ];
    for (const [n, text] of en) expect(spoken('en', numberClips('en', n)), `${n}`).toBe(text);
  });

  test('a code digit by digit, Tibetan and full-width digits too; a decimal with its point', () => {
    expect(spoken('zh', digitClips('zh', 'Q0321'))).toBe('零三二一');
    expect(spoken('bo', digitClips('bo', 'Q༠༣'))).toBe('ཀླད་ཀོར་གསུམ');
    expect(spoken('zh', digitClips('zh', '１２'))).toBe('一二');
    expect(spoken('zh', decimalClips('zh', '4.25'))).toBe('四点二五');
    expect(spoken('bo', decimalClips('bo', '4.25'))).toBe('བཞི་ཚེག་གཉིས་ལྔ');
    expect(decimalClips('zh', 'x')).toEqual([]);
  });

  test('what is not a whole number ≥ 0 is refused, not spoken wrong', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => numberClips('bo', n)).toThrow(RangeError);
    }
  });
});

/** [fen, bo, zh, en] */
const prices: Array<[number, string, string, string]> = [
  [5, 'སྐར་མ་ལྔ', '五分', 'five fen'],
  [50, 'ཞོ་ལྔ', '五角', 'five jiao'],
  [100, 'སྒོར་མོ་གཅིག', '一元', 'one yuan'],
  [350, 'སྒོར་མོ་གསུམ་ཞོ་ལྔ', '三元五角', 'three yuan five jiao'],
  [1205, 'སྒོར་མོ་བཅུ་གཉིས་སྐར་མ་ལྔ', '十二元零五分', 'twelve yuan five fen'],
  [1235, 'སྒོར་མོ་བཅུ་གཉིས་ཞོ་གསུམ་སྐར་མ་ལྔ', '十二元三角五分', 'twelve yuan three jiao five fen'],
  [10000, 'སྒོར་མོ་བརྒྱ', '一百元', 'one hundred yuan'],
  [
    123456,
    'སྒོར་མོ་སྟོང་ཉིས་བརྒྱ་དང་སུམ་ཅུ་སོ་བཞི་ཞོ་ལྔ་སྐར་མ་དྲུག',
    '一千二百三十四元五角六分',
    'one thousand two hundred thirty four yuan five jiao six fen',
  ],
  [0, 'སྒོར་མོ་ཀླད་ཀོར', '零元', 'zero yuan'],
  [200, 'སྒོར་མོ་གཉིས', '两元', 'two yuan'],
  [20, 'ཞོ་གཉིས', '两角', 'two jiao'],
  [1000, 'སྒོར་མོ་བཅུ་ཐམ་པ', '十元', 'ten yuan'],
  [2002, 'སྒོར་མོ་ཉི་ཤུ་ཐམ་པ་སྐར་མ་གཉིས', '二十元零两分', 'twenty yuan two fen'],
  [805, 'སྒོར་མོ་བརྒྱད་སྐར་མ་ལྔ', '八元零五分', 'eight yuan five fen'],
];

describe('prices', () => {
  test('yuan, jiao and fen in each language', () => {
    for (const [fen, bo, zh, en] of prices) {
      expect(spoken('bo', priceClips('bo', fen)), `bo ${fen}`).toBe(bo);
      expect(spoken('zh', priceClips('zh', fen)), `zh ${fen}`).toBe(zh);
      expect(spoken('en', priceClips('en', fen)), `en ${fen}`).toBe(en);
    }
  });

  test('a fraction of a fen rounds; a negative price is refused', () => {
    expect(spoken('zh', priceClips('zh', 349.6))).toBe('三元五角');
    expect(() => priceClips('zh', -1)).toThrow(RangeError);
  });
});

describe('days', () => {
  test('today, yesterday, N days ago; across a month end; a date ahead of today is today', () => {
    expect(spoken('zh', dayClips('zh', '2026-05-20', '2026-05-20'))).toBe('今天');
    expect(spoken('bo', dayClips('bo', '2026-05-19', '2026-05-20'))).toBe('ཁ་སང');
    expect(spoken('zh', dayClips('zh', '2026-04-28', '2026-05-01'))).toBe('三天前');
    expect(spoken('bo', dayClips('bo', '2026-04-28', '2026-05-01'))).toBe('ཉིན་གསུམ་སྔོན་ལ');
    expect(spoken('en', dayClips('en', '2026-02-20', '2026-03-02'))).toBe('ten days ago');
    expect(spoken('zh', dayClips('zh', '2026-05-21', '2026-05-20'))).toBe('今天');
    expect(dayClips('zh', 'yesterday', '2026-05-20')).toEqual([]);
  });
});

describe('phrases', () => {
  test('a menu option in each language’s order', () => {
    expect(spoken('zh', menuOptionClips('zh', ['commodity.barley_qingke'], 1))).toBe('青稞请按一键');
    expect(spoken('bo', menuOptionClips('bo', ['commodity.barley_qingke'], 1))).toBe('ནས་ཡིན་ན་གཅིག་མནན');
    expect(spoken('en', menuOptionClips('en', ['commodity.barley_qingke'], 1))).toBe(
      'for highland barley (qingke) press one',
    );
  });

  test('a price row: market, unit, price, day, old', () => {
    const row = { marketId: 'mkt_lhasa_barkhor', priceFen: 350, unitId: 'jin', date: '2026-05-17', old: true };
    expect(spoken('zh', priceRowClips('zh', row, '2026-05-20'))).toBe('八廓街每斤三元五角三天前旧价');
    expect(spoken('bo', priceRowClips('bo', row, '2026-05-20'))).toBe('བར་བསྐོར་རྒྱ་མ་རེར་སྒོར་མོ་གསུམ་ཞོ་ལྔ་ཉིན་གསུམ་སྔོན་ལ་རྙིང་པ');
    const fresh = { ...row, date: '2026-05-20', old: false, unitId: 'head', priceFen: 800000 };
    expect(spoken('zh', priceRowClips('zh', fresh, '2026-05-20'))).toBe('八廓街每头八千元今天');
    expect(spoken('bo', priceRowClips('bo', fresh, '2026-05-20'))).toBe('བར་བསྐོར་རེ་རེར་སྒོར་མོ་བརྒྱད་སྟོང་དེ་རིང');
  });

  test('an alert: kind, severity, area, its text; unknown kinds and severities are left out', () => {
    const alert = { kind: 'weather', severity: 'severe', regionIds: ['cty_shigatse_namling'], itemClip: 'item.a1.2' };
    expect(alertClips('zh', alert)).toEqual([
      'say.alertKind.weather',
      'say.severity.severe',
      'region.cty_shigatse_namling',
      'item.a1.2',
    ]);
    expect(spoken('bo', alertClips('bo', { ...alert, itemClip: undefined }))).toBe('གནམ་གཤིས་ཉེན་བརྡ་ཚབས་ཆེ་རྣམ་གླིང');
    expect(alertClips('zh', { kind: 'flood', severity: 'huge', regionIds: [] })).toEqual([]);
  });

  test('a question’s code and the answer time', () => {
    expect(spoken('zh', askReceivedClips('zh', 'Q0321'))).toBe('问题已收到，编号是零三二一');
    expect(spoken('zh', answerWithinClips('zh', 24))).toBe('专家将在二十四小时内短信答复。');
    expect(spoken('bo', answerWithinClips('bo', 24))).toBe('ཆེད་མཁས་པས་འཕྲིན་ཐུང་ནས་ལན་འདེབས། ཆུ་ཚོད་ཉི་ཤུ་རྩ་བཞི་ནང');
  });
});

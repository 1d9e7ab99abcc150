/**
 * The SMS command parser on the real reference data: every in-scope example of the issue and
 * of PRODUCT.md's command table, typos with suggestions, and two properties — parseSms is
 * total (never throws, always ok or a known failure), and every keyword in every form, typed
 * with random case, full-width letters, extra spaces and stray or missing tsheg, reads as its
 * intent.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { type Command, keywords, type ParseResult } from '#core/sms/commands/index.ts';
import { parseSms } from '#core/sms/parser.ts';
import { createMatcher } from '#core/text/matcher.ts';
import { formatCharacter, hostileText, NAMED_FORMAT_CHARACTERS, withInserted } from '../text/arbitraries.ts';
import { emojiToken, smsText } from './arbitraries.ts';

// The matcher the pipeline builds (core/reference/catalog.ts): commodities, regions, markets, terms.
const { commodities, regions, markets, terms } = referenceSeed();
const matcher = createMatcher({ commodities, regions, markets, terms });
const parse = (text: string) => parseSms(text, matcher);
const GYANTSE = 'cty_shigatse_gyantse';

function commandOf(text: string): Command {
  const r = parse(text);
  assert.ok(r.ok, `${JSON.stringify(text)} should parse, got ${JSON.stringify(r)}`);
  return r.command;
}

function failureOf(text: string): Extract<ParseResult, { ok: false }> {
  const r = parse(text);
  assert.ok(!r.ok, `${JSON.stringify(text)} should not parse, got ${JSON.stringify(r)}`);
  return r;
}

describe('parseSms: the examples', () => {
  const examples: Array<[string, Command, { language?: string; wylie?: boolean }]> = [
    ['HELP', { intent: 'help' }, { language: 'en', wylie: false }],
    ['帮助', { intent: 'help' }, { language: 'zh', wylie: false }],
    ['རོགས་རམ', { intent: 'help' }, { language: 'bo', wylie: false }],
    ['rogs ram', { intent: 'help' }, { language: 'bo', wylie: true }],
    ['?', { intent: 'help' }, {}],
    ['JOIN Gyantse', { intent: 'join', regionId: GYANTSE }, { language: 'en', wylie: false }],
    ['注册 江孜', { intent: 'join', regionId: GYANTSE }, { language: 'zh', wylie: false }],
    ['注册江孜', { intent: 'join', regionId: GYANTSE }, { language: 'zh', wylie: false }],
    ['ཐོ་འགོད རྒྱལ་རྩེ', { intent: 'join', regionId: GYANTSE }, { language: 'bo', wylie: false }],
    ["tho 'god rgyal rtse", { intent: 'join', regionId: GYANTSE }, { language: 'bo', wylie: true }],
    ['LANG BO', { intent: 'lang', language: 'bo' }, { language: 'en', wylie: false }],
    ['语言 中文', { intent: 'lang', language: 'zh' }, { language: 'zh', wylie: false }],
    ['SCRIPT WYLIE', { intent: 'script', script: 'wylie' }, { language: 'en', wylie: false }],
    ['SUB PRICE BARLEY', { intent: 'sub', topic: 'price:barley_qingke' }, { language: 'en', wylie: false }],
    ['订阅 天气', { intent: 'sub', topic: 'weather' }, { language: 'zh', wylie: false }],
    ['UNSUB PEST', { intent: 'unsub', topic: 'pest' }, { language: 'en', wylie: false }],
    ['STOP', { intent: 'stop' }, { language: 'en', wylie: false }],
    ['退订', { intent: 'stop' }, { language: 'zh', wylie: false }],
    ['TD', { intent: 'stop' }, { language: 'en', wylie: false }],
    ['T', { intent: 'stop' }, { language: 'en', wylie: false }],
    ['མཚམས་འཇོག', { intent: 'stop' }, { language: 'bo', wylie: false }],
    ['START', { intent: 'start' }, { language: 'en', wylie: false }],
    ['DELETE ME', { intent: 'delete' }, { language: 'en', wylie: false }],
  ];
  for (const [text, command, language] of examples) {
    test(`${text} → ${JSON.stringify(command)}`, () => {
      const r = parse(text);
      assert.ok(r.ok, JSON.stringify(r));
      assert.deepEqual(r.command, command);
      assert.equal(r.language, language.language);
      assert.equal(r.wylie, language.wylie);
    });
  }

  test('more ways of writing them', () => {
    assert.deepEqual(commandOf('join gyantse county'), { intent: 'join', regionId: GYANTSE });
    assert.deepEqual(commandOf('JOIN 江孜'), { intent: 'join', regionId: GYANTSE });
    assert.deepEqual(commandOf('ཐོ་འགོད་རྒྱལ་རྩེ།'), { intent: 'join', regionId: GYANTSE });
    assert.deepEqual(commandOf('SUB BARLEY'), { intent: 'sub', topic: 'price:barley_qingke' });
    assert.deepEqual(commandOf('订阅 青稞'), { intent: 'sub', topic: 'price:barley_qingke' });
    assert.deepEqual(commandOf('SUB WEATHER'), { intent: 'sub', topic: 'weather' });
    assert.deepEqual(commandOf('取消订阅 病虫害'), { intent: 'unsub', topic: 'pest' });
    assert.deepEqual(commandOf('SUB DISEASE'), { intent: 'sub', topic: 'disease' });
    assert.deepEqual(commandOf('订阅 疫病'), { intent: 'sub', topic: 'disease' });
    assert.deepEqual(commandOf('SUB rims nad'), { intent: 'sub', topic: 'disease' });
    assert.deepEqual(commandOf('SUB MARKET'), { intent: 'sub', topic: 'market' });
    assert.deepEqual(commandOf('UNSUB 市场'), { intent: 'unsub', topic: 'market' });
    assert.deepEqual(commandOf('མངགས་ཉོ་ཁྲོམ'), { intent: 'sub', topic: 'market' });
    assert.deepEqual(commandOf('LANG ZH'), { intent: 'lang', language: 'zh' });
    assert.deepEqual(commandOf('lang english'), { intent: 'lang', language: 'en' });
    assert.deepEqual(commandOf('སྐད་ཡིག བོད་སྐད'), { intent: 'lang', language: 'bo' });
    assert.deepEqual(commandOf('SCRIPT TIBETAN'), { intent: 'script', script: 'tibetan' });
    assert.deepEqual(commandOf('DELETE-ME'), { intent: 'delete' });
    assert.deepEqual(commandOf('deleteme'), { intent: 'delete' });
    assert.deepEqual(commandOf('删除我'), { intent: 'delete' });
    assert.deepEqual(
      commandOf('UNSUB'),
      { intent: 'stop' },
      'UNSUB alone is STOP (the glossary gives "unsubscribe" as STOP)',
    );
    assert.deepEqual(commandOf('ＳＴＯＰ'), { intent: 'stop' });
    assert.deepEqual(commandOf('？'), { intent: 'help' });
    assert.deepEqual(commandOf('help me'), { intent: 'help' });
  });

  test('the language of a mixed message is the script only a reader of it types', () => {
    assert.equal(parse('JOIN 江孜').language, 'zh');
    assert.equal(parse('JOIN རྒྱལ་རྩེ').language, 'bo');
    assert.deepEqual(
      [parse('lang bo').language, parse('lang bo').wylie],
      ['en', false],
      '"lang" and "bo" are Wylie syllables too, but LANG BO is English',
    );
  });
});

describe('parseSms: what it cannot act on', () => {
  test('an unknown county gets the closest names, in any script', () => {
    for (const text of ['JOIN Gyantze', '注册 江子', 'ཐོ་འགོད རྒྱལ་རྩ', "tho 'god rgyal rts"]) {
      const f = failureOf(text);
      assert.equal(f.intent, 'join', text);
      assert.equal(f.problem, 'unknown_argument', text);
      assert.ok(f.problem === 'unknown_argument' && f.suggestions.includes(GYANTSE), `${text}: ${JSON.stringify(f)}`);
    }
    const none = failureOf('JOIN Xyzzyq');
    assert.ok(none.problem === 'unknown_argument' && none.suggestions.length === 0);
  });

  test('a misspelt product gets the closest products', () => {
    const f = failureOf('SUB BARLY');
    assert.ok(f.problem === 'unknown_argument' && f.suggestions.includes('barley_qingke'), JSON.stringify(f));
  });

  test('a misspelt keyword gets "did you mean", in the script it was typed in', () => {
    const cases: Array<[string, string, string]> = [
      ['HLEP', 'help', 'HELP'],
      ['hepl', 'help', 'HELP'],
      ['JION Gyantse', 'join', 'JOIN'],
      ['STPO', 'stop', 'STOP'],
      ['LNAG BO', 'lang', 'LANG'],
      ['subscirbe weather', 'sub', 'SUBSCRIBE'],
      ['注侧 江孜', 'join', '注册'],
      ['定阅 天气', 'sub', '订阅'],
      ['རོགས་རན', 'help', 'རོགས་རམ'],
      ['rogs rma', 'help', 'rogs ram'],
      ['delete me please', 'delete', 'DELETE ME'],
    ];
    for (const [text, intent, keyword] of cases) {
      const f = failureOf(text);
      assert.equal(f.problem, 'unknown_command', text);
      assert.deepEqual(f.problem === 'unknown_command' && f.suggestion, { intent, keyword }, text);
    }
  });

  test('short words and whole-only keywords are not guessed at', () => {
    for (const text of ['hi', 'ok', 'end of season', 't 123', 'TD please', 'the weather']) {
      const f = failureOf(text);
      assert.equal(f.problem, 'unknown_command', text);
      assert.ok(f.problem === 'unknown_command' && f.suggestion === undefined, `${text}: ${JSON.stringify(f)}`);
    }
  });

  test('DELETE ME and STOP words with more after them are no command', () => {
    assert.equal(failureOf('delete me please').intent, 'unknown');
    assert.equal(failureOf('end of season prices').intent, 'unknown');
    assert.equal(failureOf('quit smoking').intent, 'unknown');
  });

  test('a keyword without what it needs', () => {
    assert.equal(failureOf('JOIN').problem, 'missing_argument');
    assert.equal(failureOf('SUB').problem, 'missing_argument');
    assert.equal(failureOf('SUB PRICE').problem, 'missing_argument');
    assert.deepEqual([failureOf('LANG FR').intent, failureOf('LANG FR').problem], ['lang', 'unknown_argument']);
    assert.deepEqual([failureOf('SCRIPT').intent, failureOf('SCRIPT').problem], ['script', 'missing_argument']);
  });

  test('the bad-input classes', () => {
    const cases: Array<[string, string]> = [
      ['', 'empty'],
      ['   \t\n  ', 'empty'],
      ['\u200b\u200d', 'empty'],
      ['\u0000\u0001\u0007\u001b', 'empty'],
      ['\uf300\uf301\uf8ff', 'unreadable'],
      ['\ud800', 'unreadable'],
      ['x'.repeat(1000), 'unknown_command'],
      ['ཀ'.repeat(1000), 'unknown_command'],
      ['QQQ ནས 青稞', 'unknown_command'],
      ['😀🐄🌾', 'empty'],
      ['👍🏽', 'empty'],
    ];
    for (const [text, problem] of cases) {
      const f = failureOf(text);
      assert.equal(f.intent, 'unknown', JSON.stringify(text));
      assert.equal(f.problem, problem, `${JSON.stringify(text.slice(0, 20))}: ${JSON.stringify(f)}`);
    }
    // The language of a bad first message is its script, or none (the default applies).
    assert.equal(parse('x'.repeat(1000)).language, 'en');
    assert.equal(parse('QQQ ནས 青稞').language, 'bo');
    assert.equal(parse('😀').language, undefined);
    assert.equal(parse('\uf300').language, undefined);
  });
});

describe('UNSUB: alone it is STOP; with a topic we cannot read it is not', () => {
  test('UNSUB, or with punctuation only, is STOP', () => {
    for (const text of [
      'UNSUB',
      'unsubscribe',
      'UNSUB.',
      'UNSUB!',
      '取消订阅',
      '取消订阅！',
      '取消订阅。',
      'མངགས་ཉོ་མཚམས་འཇོག།',
      "mngags nyo mtshams 'jog",
    ]) {
      assert.deepEqual(commandOf(text), { intent: 'stop' }, text);
    }
  });

  test('UNSUB with an emoji, a symbol, an unknown word or an unreadable character is an unknown topic, never STOP', () => {
    const cases: Array<[string, string]> = [
      ['UNSUB 🙂', '🙂'],
      ['UNSUB 🐄🌾', '🐄🌾'],
      ['UNSUB ★', '★'],
      ['UNSUB xyzzy', 'xyzzy'],
      ['UNSUB 123', '123'],
      ['取消订阅 ❤️', '❤'],
      ['UNSUB \uF300', '?'],
    ];
    for (const [text, echoed] of cases) {
      const f = failureOf(text);
      assert.equal(f.intent, 'unsub', text);
      assert.equal(f.problem, 'unknown_argument', text);
      assert.ok(f.problem === 'unknown_argument' && f.text === echoed, `${text}: ${JSON.stringify(f)}`);
    }
  });

  test('property: UNSUB followed by symbols or emoji is never STOP', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('UNSUB', 'UNSUBSCRIBE', '取消订阅', 'མངགས་ཉོ་མཚམས་འཇོག'),
        fc.constantFrom(' ', ''),
        emoji,
        (keyword, gap, junk) => {
          const r = parse(`${keyword}${gap}${junk}`);
          assert.ok(!(r.ok && r.command.intent === 'stop'), `${keyword}${gap}${junk} → ${JSON.stringify(r)}`);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('invisible format characters do not hide a command', () => {
  test('STOP after a right-to-left mark, zero-width spaces, a BOM, a soft hyphen or bidi controls is STOP', () => {
    for (const c of NAMED_FORMAT_CHARACTERS) {
      for (const stop of ['STOP', 'T', 'TD', '退订', '退', 'མཚམས་འཇོག', "mtshams 'jog"]) {
        assert.deepEqual(commandOf(`${c}${stop}`), { intent: 'stop' }, `U+${c.codePointAt(0)!.toString(16)} ${stop}`);
        assert.deepEqual(
          commandOf(`${c}${c}${stop}${c}`),
          { intent: 'stop' },
          `U+${c.codePointAt(0)!.toString(16)} around ${stop}`,
        );
      }
    }
    assert.deepEqual(commandOf('\u200B\u200B STOP'), { intent: 'stop' });
    assert.deepEqual(commandOf('\u202B\u200FSTOP\u202C'), { intent: 'stop' });
  });
});

// ── properties ──────────────────────────────────────────────────────────────────────────

const problems = new Set([
  'unknown_command',
  'empty',
  'unreadable',
  'missing_argument',
  'unknown_argument',
  'ambiguous',
  'bad_argument',
]);
const intents = new Set(keywords.map((k) => k.intent));

const whitespace = fc.string({
  unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u3000', '\u00a0', '\u2028'),
  maxLength: 20,
});
const controls = fc.string({
  unit: fc.integer({ min: 0, max: 0x1f }).map((n) => String.fromCharCode(n)),
  minLength: 1,
  maxLength: 20,
});
const privateUse = fc.string({
  unit: fc.integer({ min: 0xf300, max: 0xf8ff }).map((n) => String.fromCharCode(n)),
  minLength: 1,
  maxLength: 20,
});
const emoji = fc.array(emojiToken, { minLength: 1, maxLength: 10 }).map((e) => e.join(''));
const long = fc.string({ unit: 'grapheme', minLength: 1000, maxLength: 1000 });
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  hostileText,
  smsText,
  whitespace,
  controls,
  privateUse,
  emoji,
  long,
  // bad input after, before or around a keyword
  fc.tuple(fc.constantFrom('HELP', 'JOIN', '注册', 'ཐོ་འགོད', 'STOP', ''), hostileText).map(([k, t]) => `${k}${t}`),
  fc.tuple(hostileText, fc.constantFrom('HELP', 'DELETE ME', 'T')).map(([t, k]) => `${t}${k}`),
);

describe('parseSms: properties', () => {
  test('total: never throws; always a command or a known failure', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const r = parse(text);
        if (r.ok) assert.ok(intents.has(r.command.intent));
        else {
          assert.ok(problems.has(r.problem), r.problem);
          assert.ok(r.intent === 'unknown' || intents.has(r.intent));
        }
        if (r.language !== undefined) assert.ok(['bo', 'zh', 'en'].includes(r.language));
      }),
      { numRuns: 500 },
    );
  });

  test('whitespace, controls, private-use Tibetan and emoji are never a command', () => {
    fc.assert(
      fc.property(fc.oneof(whitespace, controls, privateUse, emoji), (text) => {
        const r = parse(text);
        // (a keycap emoji such as 1️⃣ carries a digit: an unknown command, not an empty one)
        assert.ok(!r.ok && r.intent === 'unknown', JSON.stringify(r));
      }),
    );
  });

  // What each intent needs after its keyword, and what the command then is.
  const args: Record<string, Array<[string, Partial<Command>]>> = {
    help: [['', {}]],
    stop: [['', {}]],
    start: [['', {}]],
    delete: [['', {}]],
    join: [
      ['Gyantse', { regionId: GYANTSE }],
      ['江孜', { regionId: GYANTSE }],
      ['རྒྱལ་རྩེ', { regionId: GYANTSE }],
      ['rgyal rtse', { regionId: GYANTSE }],
    ],
    lang: [
      ['bo', { language: 'bo' }],
      ['zh', { language: 'zh' }],
      ['english', { language: 'en' }],
      ['中文', { language: 'zh' }],
      ['བོད་སྐད', { language: 'bo' }],
      ['rgya skad', { language: 'zh' }],
    ],
    script: [
      ['wylie', { script: 'wylie' }],
      ['tibetan', { script: 'tibetan' }],
      ['威利', { script: 'wylie' }],
      ['བོད་ཡིག', { script: 'tibetan' }],
    ],
    sub: [
      ['weather', { topic: 'weather' }],
      ['天气', { topic: 'weather' }],
      ['གནམ་གཤིས', { topic: 'weather' }],
      ['pest', { topic: 'pest' }],
      ['price barley', { topic: 'price:barley_qingke' }],
      ['青稞', { topic: 'price:barley_qingke' }],
    ],
  };
  args.unsub = args.sub!;
  args.price = [
    ['青稞', { commodityId: 'barley_qingke' }],
    ['ནས', { commodityId: 'barley_qingke' }],
  ];
  const butter = { commodityId: 'butter', quantity: 20, unitId: 'jin', priceFen: 3500 };
  args.sell = [
    ['butter 20 jin 35', { offer: butter, text: 'butter 20 jin 35' }],
    ['酥油 20斤 35元', { offer: butter, text: '酥油 20 斤 35 元' }],
  ];
  args.buy = [
    ['yak 5', { offer: { commodityId: 'yak_live', quantity: 5, unitId: 'head', priceFen: null }, text: 'yak 5' }],
  ];
  for (const intent of ['sold', 'cancel', 'renew', 'share'] as const)
    args[intent] = [['L4821', { code: 'L4821', text: '' }]];
  // (one word of text: the spaces the property types between words are the message's own)
  args.msg = [['L4821 there?', { code: 'L4821', text: 'there?' }]];
  args.report = [
    ['4821', { code: 'L4821', text: '' }],
    ['L4821 scam', { code: 'L4821', text: 'scam' }],
  ];
  args.list = [['', {}]];
  args.find = [
    ['barley', { side: 'sell', commodityId: 'barley_qingke' }],
    ['buy 青稞', { side: 'buy', commodityId: 'barley_qingke' }],
  ];
  args.yes = [
    ['', {}],
    ['L4821', { code: 'L4821' }],
  ];
  args.no = args.yes;
  args.collect = [
    ['青稞 东嘎 4.50', { commodityId: 'barley_qingke', marketId: 'mkt_lhasa_dongga', price: '4.50' }],
    ['ནས གདོང་དཀར 5', { commodityId: 'barley_qingke', marketId: 'mkt_lhasa_dongga', price: '5' }],
  ];
  args.tip = [
    ['barley', { commodityId: 'barley_qingke', n: 1 }],
    ['青稞 2', { commodityId: 'barley_qingke', n: 2 }],
  ];
  // (one word: the spaces the property types between words are the question's own)
  args.ask = [
    ['coughing?', { text: 'coughing?' }],
    ['Q4821 better', { code: 'Q4821', text: 'better' }],
  ];
  args.alerts = [['', {}]];

  /** A relayed message's words keep the case they were typed in (MSG, REPORT): compared without it. */
  const caseFolded = (command: object) =>
    'text' in command ? { ...command, text: String((command as { text: unknown }).text).toLowerCase() } : command;

  const forms = keywords.flatMap((k) =>
    [...k.en, ...k.zh, ...k.bo, ...k.wylie, ...(k.wholeOnly ?? [])].map((phrase) => ({ intent: k.intent, phrase })),
  );

  const fullWidth = (c: string) => (c >= '!' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c);
  /** One character as a phone might send it: either case, maybe full-width. */
  const typedChar = (c: string) =>
    /[a-z]/i.test(c)
      ? fc.constantFrom(c.toLowerCase(), c.toUpperCase(), fullWidth(c.toLowerCase()), fullWidth(c.toUpperCase()))
      : c >= '!' && c <= '~'
        ? fc.constantFrom(c, fullWidth(c))
        : fc.constant(c);
  /** A tsheg as typed: one, two, the non-breaking one, a space, or left out. */
  const typedTsheg = fc.constantFrom('\u0f0b', '\u0f0b\u0f0b', '\u0f0c', ' ', '');
  const space = fc.constantFrom(' ', '  ', '\t', '\u3000', ' \u0f0b', '\u0f0b ', ' \u0f0d ');
  const typed = (text: string): fc.Arbitrary<string> =>
    fc
      .tuple(...[...text].map((c) => (c === '\u0f0b' ? typedTsheg : c === ' ' ? space : typedChar(c))))
      .map((cs) => cs.join(''));
  const edge = fc.constantFrom('', ' ', '  ', '\u3000', '\u0f0b', '\u0f0d', '\n');

  test('every keyword form, however typed, reads as its intent', () => {
    const cases = fc.constantFrom(...forms).chain(({ intent, phrase }) =>
      fc.constantFrom(...args[intent]!).chain(([arg, expected]) =>
        fc
          .tuple(edge, typed(phrase), space, arg ? typed(arg) : fc.constant(''), edge)
          .map(([lead, k, gap, a, trail]) => ({
            text: arg ? `${lead}${k}${gap}${a}${trail}` : `${lead}${k}${trail}`,
            command: { intent, ...expected },
          })),
      ),
    );
    fc.assert(
      fc.property(cases, ({ text, command }) => {
        const r = parse(text);
        assert.ok(r.ok, `${JSON.stringify(text)} → ${JSON.stringify(r)}`);
        assert.deepEqual(caseFolded(r.command), command, JSON.stringify(text));
      }),
      { numRuns: 2000 },
    );
  });

  test('every keyword form with invisible format characters anywhere (before, inside, after) reads as its intent', () => {
    const cases = fc.constantFrom(...forms).chain(({ intent, phrase }) =>
      fc.constantFrom(...args[intent]!).chain(([arg, expected]) =>
        fc.array(fc.tuple(fc.nat(), formatCharacter), { minLength: 1, maxLength: 5 }).map((inserts) => ({
          text: withInserted(arg ? `${phrase} ${arg}` : phrase, inserts),
          command: { intent, ...expected },
        })),
      ),
    );
    fc.assert(
      fc.property(cases, ({ text, command }) => {
        const r = parse(text);
        assert.ok(r.ok, `${JSON.stringify(text)} → ${JSON.stringify(r)}`);
        assert.deepEqual(caseFolded(r.command), command, JSON.stringify(text));
      }),
      { numRuns: 2000 },
    );
  });
});

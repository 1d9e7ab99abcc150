import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { joinTokens, matchKey, normaliseText, tokenise } from '#core/text/normalise.ts';
import { FORMAT_CHARACTERS, NAMED_FORMAT_CHARACTERS } from './arbitraries.ts';

const text = (s: string) => normaliseText(s).text;

describe('normaliseText', () => {
  test('full-width Latin, digits and the ideographic space become ASCII, lower-cased', () => {
    assert.equal(text('ＰＲＩＣＥ　ＢＡＲＬＥＹ'), 'price barley');
    assert.equal(text('ＳＥＬＬ ＹＡＫ ５ ＨＥＡＤ ８０００'), 'sell yak 5 head 8000');
  });

  test('Tibetan digits become ASCII', () => {
    assert.equal(text('༥'), '5');
    assert.equal(text('འཚོང གཡག ༥༠'), 'འཚོང གཡག 50');
    assert.equal(text('༠༡༢༣༤༥༦༧༨༩'), '0123456789');
  });

  test('stray tsheg go; a tsheg between syllables stays; U+0F0C becomes U+0F0B', () => {
    assert.equal(text('ནས་'), 'ནས');
    assert.equal(text('ནས ་'), 'ནས');
    assert.equal(text('་ནས་་'), 'ནས');
    assert.equal(text('རིན་་གོང་ ནས་།'), 'རིན་གོང ནས།');
    assert.equal(text('རིན\u0F0Cགོང'), 'རིན་གོང');
  });

  test('whitespace runs, line breaks and tabs collapse to one space; ends are trimmed', () => {
    assert.equal(text('  PRICE\t\tbarley\r\nLhasa  '), 'price barley lhasa');
  });

  test('control and zero-width characters vanish silently', () => {
    assert.deepEqual(normaliseText('\u200BSO\u200DLD\u00ADL\uFEFF123\u0007'), { text: 'soldl123', unsupported: false });
  });

  test('invisible format characters go wherever they are: bidi marks and controls, zero-width characters, BOM, soft hyphen', () => {
    const names: Record<string, string> = {
      '\u200F': 'right-to-left mark',
      '\u200E': 'left-to-right mark',
      '\u200B': 'zero-width space',
      '\u200C': 'zero-width non-joiner',
      '\u200D': 'zero-width joiner',
      '\u2060': 'word joiner',
      '\uFEFF': 'BOM',
      '\u00AD': 'soft hyphen',
    };
    for (const c of NAMED_FORMAT_CHARACTERS) {
      const name = names[c] ?? `U+${c.codePointAt(0)!.toString(16).toUpperCase()}`;
      assert.deepEqual(normaliseText(`${c}STOP`), { text: 'stop', unsupported: false }, `${name} before`);
      assert.equal(text(`S${c}T${c}${c}OP${c}`), 'stop', `${name} inside and after`);
      assert.equal(text(`${c}མཚམས་${c}འཇོག`), 'མཚམས་འཇོག', `${name} in Tibetan`);
      assert.equal(text(`${c}退${c}订`), '退订', `${name} in Chinese`);
    }
    assert.equal(text('\u202B\u200FSTOP\u202C'), 'stop', 'an RTL embedding around a word');
    assert.equal(text('\u200B \u200B STOP'), 'stop', 'zero-width spaces with spaces: no space left at the start');
    // Every character of general category Cf, not only the named ones.
    for (const c of FORMAT_CHARACTERS)
      assert.equal(text(`${c}st${c}op`), 'stop', `U+${c.codePointAt(0)!.toString(16)}`);
  });

  test('private-use "precomposed Tibetan", lone surrogates and U+FFFD are dropped and flagged', () => {
    assert.deepEqual(normaliseText('ནས\uF300\uF8FF'), { text: 'ནས', unsupported: true });
    assert.deepEqual(normaliseText('a\uD800b'), { text: 'ab', unsupported: true });
    assert.deepEqual(normaliseText('a\uFFFD'), { text: 'a', unsupported: true });
    assert.equal(normaliseText('青稞').unsupported, false);
  });

  test('curly apostrophes from phone keyboards become the Wylie a-chung', () => {
    assert.equal(text('mnga’ ris'), "mnga' ris");
  });
});

describe('matchKey', () => {
  test('ནས, ནས་, ནས། and "ནས ་" share a key', () => {
    const key = matchKey('ནས');
    for (const s of ['ནས་', 'ནས།', 'ནས ་', ' ནས ། ', 'ནས༎']) assert.equal(matchKey(s), key, s);
  });

  test('missing, extra or spaced tsheg do not change a Tibetan key', () => {
    assert.equal(matchKey('རིན་གོང་ནས།'), matchKey('རིནགོངནས'));
    assert.equal(matchKey('རིན་གོང ནས'), matchKey('རིན་གོང་ནས'));
  });

  test('Latin keys ignore case, spaces, Wylie punctuation and diacritics', () => {
    assert.equal(matchKey('G.YAG'), 'gyag');
    assert.equal(matchKey("nas 'bru"), 'nasbru');
    assert.equal(matchKey('Gyangzê'), 'gyangze');
    assert.equal(matchKey('ＲＧＹＡＬ　ＲＴＳＥ'), matchKey('rgyal rtse'));
  });

  test('Chinese keys ignore spaces and CJK punctuation', () => {
    assert.equal(matchKey('青稞，价格。'), '青稞价格');
    assert.equal(matchKey('青稞 价格'), '青稞价格');
  });

  test('nothing but punctuation gives an empty key', () => {
    assert.equal(matchKey('?'), '');
    assert.equal(matchKey('་།'), '');
  });
});

describe('tokenise', () => {
  test('Tibetan splits into syllables at tsheg, shad and spaces', () => {
    assert.deepEqual(tokenise('རིན་གོང་ནས།'), ['རིན', 'གོང', 'ནས']);
    assert.deepEqual(tokenise('རིན་གོང ནས'), ['རིན', 'གོང', 'ནས']);
  });

  test('Latin splits into words, keeping Wylie punctuation inside them', () => {
    assert.deepEqual(tokenise('PRICE BARLEY LHASA'), ['price', 'barley', 'lhasa']);
    assert.deepEqual(tokenise("G.YAG nas 'bru mnga' ris"), ['g.yag', 'nas', "'bru", "mnga'", 'ris']);
    assert.deepEqual(tokenise('DELETE-ME price 3.5.'), ['delete-me', 'price', '3.5']);
  });

  test('Han splits into characters, and scripts never share a token', () => {
    assert.deepEqual(tokenise('青稞价格'), ['青', '稞', '价', '格']);
    assert.deepEqual(tokenise('卖 酥油 20斤 35元'), ['卖', '酥', '油', '20', '斤', '35', '元']);
    assert.deepEqual(tokenise('འཚོང གཡག ༥'), ['འཚོང', 'གཡག', '5']);
  });

  test('a question mark is a token; other punctuation separates', () => {
    assert.deepEqual(tokenise('?'), ['?']);
    assert.deepEqual(tokenise('HELP？'), ['help', '?']);
    assert.deepEqual(tokenise('SOLD, L123!'), ['sold', 'l123']);
  });

  test('joinTokens writes each script its own way', () => {
    assert.equal(joinTokens(['རིན', 'གོང', '青', '稞', 'price', 'barley']), 'རིན་གོང 青稞 price barley');
    assert.equal(joinTokens([]), '');
  });
});

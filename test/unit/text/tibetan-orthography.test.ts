/**
 * The orthography checker on the good and bad examples of
 * ../shared/reference/tibetan-orthography.md, one test per check of its §7.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import {
  checkSegments,
  checkTibetan,
  isStandardSyllable,
  type OrthographyOptions,
  REVIEWED_SYLLABLES,
  tibetanSyllables,
} from '#core/text/tibetan-orthography.ts';

/** The checks that fire on a text (errors and warnings), sorted, without repeats. */
const checks = (text: string, options?: OrthographyOptions) =>
  [...new Set(checkTibetan(text, options).map((f) => f.check))].sort((a, b) => a - b);
const levels = (text: string) => checkTibetan(text).map((f) => `${f.check}:${f.level}`);

describe('tibetan orthography checks (tibetan-orthography.md §7)', () => {
  test('1 (R10): discouraged and deprecated code points', () => {
    for (const cp of [0x0f73, 0x0f75, 0x0f77, 0x0f79, 0x0f81])
      assert.ok(checks(`ཀ${String.fromCodePoint(cp)}`).includes(1), cp.toString(16));
    assert.ok(!checks('ཀི').includes(1));
  });

  test('2 (R11): NFC, and NFKC would fold ༌ into ་', () => {
    assert.ok(checks('ཀ\u0f74\u0f72').includes(2), 'ཀ+ུ+ི is not NFC (NFC puts ི first)');
    assert.ok(!checks('རིན་གོང༌།').includes(2), 'U+0F0C is NFC');
    assert.notEqual('གོང༌།'.normalize('NFKC'), 'གོང༌།', 'which is why output never passes through NFKC');
  });

  test('3 (R6 R9 R13): only the code points our Tibetan uses', () => {
    for (const bad of ['༎', '༑', '༄༅', '༪', '༸', '\u0fbe', 'ཪ', 'ཀ\u0fbb', 'ཀཻ'])
      assert.ok(checks(`ཀ${bad}`).includes(3), bad);
    assert.deepEqual(checks('ནས་རིན་གོང་། 4.50 (P)'), []);
    assert.ok(checks('“ནས”').includes(3), 'typographic quotes only when allowed');
    assert.deepEqual(checks('“ནས”', { allowChars: /[“”]/u }), []);
    assert.ok(checks('ཨོཾ').includes(3), 'ཾ only in an allow-listed syllable');
    assert.ok(!checks('ཨོཾ', { allowSyllables: ['ཨོཾ'] }).includes(3));
  });

  test('4 (R13): invisible characters and spaces other than U+0020', () => {
    for (const c of ['\u200b', '\u2060', '\ufeff', '\u034f', '\u00a0', '\u2009', '\u202f', '\u3000', '\t'])
      assert.ok(checks(`ནས${c}ནས`).includes(4), c.codePointAt(0)!.toString(16));
  });

  test('5 (R12): marks only after a base, subjoined before the vowel, one vowel per stack', () => {
    assert.ok(checks('\u0f72ཀ').includes(5), 'a vowel sign at the start');
    assert.ok(checks('ཀ \u0f72').includes(5), 'after a space');
    assert.ok(checks('5\u0f74').includes(5), 'after a digit');
    assert.ok(checks('བོྱ').includes(5), 'བོྱ: subjoined ya after the vowel (HarfBuzz shows a dotted circle)');
    assert.ok(!checks('བྱོ').includes(5), 'བྱོ is right');
    assert.ok(checks('ཀིུ').includes(5), 'two vowel signs');
  });

  test('6 (R14): syllables are standard Tibetan or allow-listed', () => {
    for (const s of [
      'ནས',
      'རིན',
      'གོང',
      'བར',
      'བསྐོར',
      'སྒོར',
      'རྒྱ',
      'མ',
      'མངགས',
      'བསྒྲུབས',
      'དབྱར',
      'རྩྭ',
      'འབྲོག',
      'རེར',
      'སྤྲེའུ',
      'དགའ',
      'སའི',
    ]) {
      assert.ok(isStandardSyllable(s), s);
    }
    for (const s of ['ནཀ', 'ཀཀ', 'གྲྲ', 'ཀིུ', 'ཨཱ', 'བོྱ', 'གཀ', 'རྷ']) assert.ok(!isStandardSyllable(s), s);
    assert.ok(checks('ཨཱ་').includes(6));
    assert.deepEqual(checks('པའེ་ཚལ', { allowSyllables: ['པའེ'] }), []);
    assert.deepEqual(tibetanSyllables('ནས་རིན། 5 ཁ'), [
      { syllable: 'ནས', index: 0 },
      { syllable: 'རིན', index: 3 },
      { syllable: 'ཁ', index: 10 },
    ]);
  });

  test('7 (R2): no tsheg before a shad, except after ང', () => {
    assert.ok(checks('སླར་གསོ་།').includes(7));
    assert.deepEqual(checks('སླར་གསོ།'), []);
    assert.deepEqual(checks('རིན་གོང་།'), []);
    assert.deepEqual(checks('ངོ་།'), [], 'with a vowel too');
    assert.deepEqual(checks('རིན་གོང༌།'), [], 'or the non-breaking tsheg');
  });

  test('8 (R1): ང never directly before a shad', () => {
    assert.ok(checks('རིན་གོང།').includes(8));
    assert.ok(checks('ངོ།').includes(8));
  });

  test('9 (R4): no space between Tibetan syllables', () => {
    assert.ok(checks('ནས རིན་གོང').includes(9));
    assert.ok(checks('ནས་ རིན་གོང').includes(9));
    assert.deepEqual(checks('ཐོ་འགོད་ཟིན། རྒྱལ་རྩེ'), [], 'after a shad');
    assert.deepEqual(checks('ནོར་འདུག ཡང་བསྐྱར'), [], 'after a bare ག (the space is its shad, R3)');
    assert.deepEqual(checks('ལན་ Wylie ཐོག་ཡོང་།'), [], 'Latin between');
    assert.deepEqual(checks('སྒོར་5.00 12-05།'), [], 'numbers are set off by spaces');
    assert.ok(checks('རོགས་རམ་ ཞེས་བཏང་།').includes(9));
    assert.deepEqual(checks('རོགས་རམ་ ཞེས་བཏང་།', { keywords: ['རོགས་རམ'] }), [], 'a quoted keyword');
  });

  test('10 (R5): one space after a shad, none before; no ་་, །་, leading ་ or །', () => {
    for (const bad of ['སོང་ །རོགས', 'སོང་།རོགས', 'སོང་།  རོགས', '།་', 'ཀ་་ཁ', '་ཀ', '།ཀ', 'ཀ། །ཁ'])
      assert.ok(checks(bad).includes(10), bad);
    assert.deepEqual(checks('གོ་མ་སོང་། རོགས་རམ'), []);
    assert.deepEqual(checks('ནོར་འདུག །'), [], 'ག + space + shad is accepted (R3)');
  });

  test('11 (R3): a bare ཀ/ག before a shad is a warning, not an error', () => {
    assert.deepEqual(levels('གི།'), ['11:warning']);
    assert.deepEqual(levels('འདུག།'), ['11:warning']);
    assert.deepEqual(levels('སྐུ།'), [], 'ཀ under a superscript is not bare');
    assert.deepEqual(levels('གྲུ།'), [], 'nor ག over a subscript');
  });

  test('12 (R8 R9): a tsheg between a syllable and a digit; one digit script; "." as decimal point', () => {
    assert.ok(checks('སྒོར5.00').includes(12));
    assert.deepEqual(checks('སྒོར་5.00'), []);
    assert.ok(checks('སྒོར་༥.00').includes(12), 'mixed digits');
    assert.ok(checks('སྒོར་༥་༠').includes(12), 'a tsheg as decimal point');
    assert.deepEqual(checks('སྒོར་༥.༠'), []);
  });

  test('13 (§5): SMS parts are cut after ་ or a space and start with a letter or digit', () => {
    assert.deepEqual(checkSegments(['ནས་རིན་གོང་། ', 'བར་བསྐོར།']), []);
    assert.deepEqual(checkSegments(['ནས་རིན་', 'གོང་།']), []);
    for (const parts of [
      ['ནས་རིན་གོང་', '། བར'],
      ['ནས་རིན་གོང་།', ' བར'],
      ['ནོར་འདུག', ' ཡང'],
      ['ཀ། ', '།'],
      ['སྒོར་5.00', '↑0.50'],
    ]) {
      assert.ok(checkSegments(parts).length > 0, JSON.stringify(parts));
    }
  });

  test('14 (R7): a whole message ends with ། or a bare ཀ/ག', () => {
    assert.deepEqual(checks('ཐོ་འགོད་ཟིན། ཁྲོམ་གཟིགས་ཁང་།', { message: true }), []);
    assert.deepEqual(checks('མངགས་ཉོ་ཟིན། སོག', { message: true }), []);
    assert.ok(checks('ཐོ་འགོད་ཟིན། རྒྱལ་རྩེ', { message: true }).includes(14));
    assert.ok(checks('ཐོ་འགོད་ཟིན། ཁྲོམ་གཟིགས་ཁང།', { message: true }).includes(8), 'ends with ། but breaks R1');
  });

  test('the sample reply of §6, and its repair', () => {
    assert.deepEqual(checks('ནས་རིན་གོང། བར་བསྐོར སྒོར་5.00/རྒྱ་མ 12-05།'), [8, 9]);
    assert.deepEqual(checks('ནས་རིན་གོང་། བར་བསྐོར། སྒོར་5.00/རྒྱ་མ་ 12-05།', { message: true }), []);
  });
});

describe('reference names (R14)', () => {
  test('every Tibetan name and alias is standard Tibetan or on the reviewed allow-list, which REVIEW.md lists', () => {
    const { commodities, regions, markets, units, terms } = referenceSeed();
    const unknown: string[] = [];
    for (const item of [...commodities, ...regions, ...markets, ...units, ...terms]) {
      for (const name of [item.names.bo, ...item.aliases.bo]) {
        for (const { syllable } of tibetanSyllables(name)) {
          if (!isStandardSyllable(syllable) && !REVIEWED_SYLLABLES.has(syllable))
            unknown.push(`${item.id}: ${name} (${syllable})`);
        }
        const errors = checkTibetan(name).filter((f) => f.level === 'error');
        assert.deepEqual(errors, [], `${item.id}: ${name}`);
      }
    }
    assert.deepEqual(unknown, [], 'add each, with its source, to REVIEWED_SYLLABLES and locales/REVIEW.md');
    const review = readFileSync(new URL('../../../locales/REVIEW.md', import.meta.url), 'utf8');
    for (const syllable of REVIEWED_SYLLABLES.keys())
      assert.ok(review.includes(syllable), `${syllable} is listed in REVIEW.md`);
  });
});

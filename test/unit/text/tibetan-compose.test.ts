/**
 * Joining Tibetan template text and interpolated names (check 15 of tibetan-orthography.md
 * §7): names that end in ང, in a bare ཀ/ག, in a vowel, in digits or in Latin, on either side of
 * a tsheg, a shad or a space.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { fillTibetan, joinTibetan, listTibetan } from '#core/text/tibetan-compose.ts';
import { checkTibetan, describeFindings, errorsOf } from '#core/text/tibetan-orthography.ts';

describe('joinTibetan', () => {
  const cases: Array<[string, string, string, string]> = [
    ['a name meets the next syllable', 'ནས', '་རིན་གོང་།', 'ནས་རིན་གོང་།'],
    ['ང before a shad keeps a tsheg (R1)', 'ཁྲོམ་གཟིགས་ཁང', '། ', 'ཁྲོམ་གཟིགས་ཁང་། '],
    ['ང with a vowel too', 'ངོ', '།', 'ངོ་།'],
    ['ང that already has its tsheg', 'ཁང་', '།', 'ཁང་།'],
    ['another syllable drops a tsheg before the shad (R2)', 'གསོ་', '།', 'གསོ།'],
    ['a bare ག takes no shad; the space does its work (R3)', 'སོག', '། སྒོར', 'སོག སྒོར'],
    ['a bare ཀ with a vowel, at the end (R3)', 'མེ་ཏོག', '།', 'མེ་ཏོག'],
    ['ཀ under a superscript keeps its shad', 'སྐུ', '།', 'སྐུ།'],
    ['a syllable before a digit takes a tsheg (R8)', 'སྒོར', '5.00', 'སྒོར་5.00'],
    ['a digit before a shad', '05-12', '།', '05-12།'],
    ['two syllables run together with a tsheg', 'ནས', 'རིན', 'ནས་རིན'],
    ['after a shad, a space (R5)', 'ཟིན།', 'རྒྱལ་རྩེ', 'ཟིན། རྒྱལ་རྩེ'],
    ['two shads are one', 'ཟིན།', '།', 'ཟིན།'],
    ['Latin before a syllable junction: a space', 'JOIN', '་ཡིན་ནམ།', 'JOIN ཡིན་ནམ།'],
    ['Latin after a tsheg: a space', 'ཡང་ན་', 'Lhasa', 'ཡང་ན་ Lhasa'],
    ['a tsheg is not doubled', 'ནས་', '་རིན', 'ནས་རིན'],
    ['Chinese and English are left alone', '价格', '：', '价格：'],
  ];
  for (const [what, left, right, joined] of cases) {
    test(what, () => assert.equal(joinTibetan(left, right), joined));
  }
});

describe('fillTibetan: templates with worst-case names (check 15)', () => {
  // Names ending in ང, in a bare ག/ཀ, in a vowel, in a stack, in digits, and a Latin fallback.
  const names = ['ཁྲོམ་གཟིགས་ཁང', 'སྐྱིད་གྲོང', 'སོག', 'མེ་ཏོག', 'རྒྱལ་རྩེ', 'ལྷ་ས', 'སྐུ', 'Tangga 2', 'head'];
  const templates = [
    '{{market}}། {{unit}}་རེར་སྒོར་{{price}} {{date}}{{old}}།',
    'ཐོ་འགོད་ཟིན། {{market}}།',
    '{{market}}་རིན་གོང་།',
    'གང་ཡིན། {{market}}།',
  ];
  for (const template of templates) {
    test(template, () => {
      for (const market of names) {
        for (const unit of ['རྒྱ་མ', 'གཡག', 'རྡོག', 'head']) {
          for (const old of ['', ' རྙིང་པ']) {
            const text = fillTibetan(template, { market, unit, price: '5.00', date: '05-12', old });
            const errors = errorsOf(checkTibetan(text, { message: true }));
            assert.deepEqual(errors, [], `${text}\n${describeFindings(errors)}`);
            assert.equal(
              checkTibetan(text).filter((f) => f.check === 11).length,
              0,
              `no ཀ/ག before a shad left: ${text}`,
            );
          }
        }
      }
    });
  }

  test('fills as the translator does otherwise', () => {
    assert.equal(fillTibetan('{{a}} + {{b}}', { a: 1, b: 'x' }), '1 + x');
    assert.equal(fillTibetan('ཀ{{missing}}།'), 'ཀ');
    assert.equal(
      fillTibetan('{{market}}། {{unit}}་རེར་སྒོར་{{price}}།', { market: 'སྐྱིད་གྲོང', unit: 'གཡག', price: '5000.00' }),
      'སྐྱིད་གྲོང་། གཡག་རེར་སྒོར་5000.00།',
    );
  });
});

describe('listTibetan', () => {
  test('names joined with a word, tsheg between syllables, no spaces', () => {
    assert.equal(listTibetan(['རྒྱལ་རྩེ', 'རྒྱལ་ཐང'], 'ཡང་ན'), 'རྒྱལ་རྩེ་ཡང་ན་རྒྱལ་ཐང');
    assert.equal(listTibetan(['སྐྱིད་གྲོང', 'Lhasa', 'སོག'], 'ཡང་ན'), 'སྐྱིད་གྲོང་ཡང་ན་ Lhasa ཡང་ན་སོག');
    assert.equal(listTibetan(['ནས'], 'ཡང་ན'), 'ནས');
    assert.equal(listTibetan([], 'ཡང་ན'), '');
  });
});

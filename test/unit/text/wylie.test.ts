import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { fromWylie, looseWylieKey, parseWylie, toWylie } from '#core/text/wylie.ts';

const data = referenceSeed();
const items = [...data.commodities, ...data.regions, ...data.markets, ...data.units, ...data.terms];
/** Every Tibetan string in the seed with the EWTS the glossary gives for it. */
const seedPairs = items
  .flatMap((item) => [
    { id: item.id, bo: item.names.bo, wylie: item.wylie },
    ...item.aliases.bo.map((bo, i) => ({ id: item.id, bo, wylie: item.aliases.wylie[i] ?? '' })),
  ])
  .filter((p) => p.bo !== '');

const withoutTrailingTsheg = (s: string) => s.replace(/\u0F0B+$/u, '');

describe('toWylie / fromWylie', () => {
  test('glossary examples', () => {
    assert.equal(toWylie('གཡག'), 'g.yag');
    assert.equal(toWylie('འོ་མ'), "'o ma");
    assert.equal(toWylie('རྩྭ'), 'rtswa');
    assert.equal(toWylie('མངའ་རིས'), "mnga' ris");
    assert.equal(fromWylie('rgyal rtse'), 'རྒྱལ་རྩེ');
    assert.equal(fromWylie("nas 'bru"), 'ནས་འབྲུ');
  });

  test('headwords: no trailing tsheg; syllables by spaces; shad as /', () => {
    assert.equal(toWylie('ནས་'), 'nas');
    assert.equal(toWylie('ནས ་'), 'nas');
    assert.equal(toWylie('རིན་གོང་ནས།'), 'rin gong nas/');
    assert.equal(toWylie('༥'), '5');
  });

  test('fromWylie puts a tsheg between syllables and none at the end', () => {
    assert.equal(fromWylie('  rin   gong nas '), 'རིན་གོང་ནས');
    assert.equal(fromWylie('g.yag'), 'གཡག');
    assert.equal(fromWylie('gyag'), 'གྱག', 'without the period, gyag is another word: ya subscribed');
    assert.equal(fromWylie('mnga’ ris'), 'མངའ་རིས', 'a phone’s curly apostrophe is an a-chung');
  });

  test('parseWylie reports text that is not Wylie', () => {
    assert.deepEqual(parseWylie('rgyal rtse').warnings, []);
    assert.ok(parseWylie('qwxz').warnings.length > 0);
    assert.ok(parseWylie('').warnings.length > 0);
  });

  test(`every Tibetan name and alias in the seed (${seedPairs.length}) converts to its glossary EWTS and back`, () => {
    const failures = seedPairs.flatMap(({ id, bo, wylie }) => {
      const problems: string[] = [];
      if (toWylie(bo) !== wylie) problems.push(`${id}: toWylie(${bo}) = ${toWylie(bo)}, glossary ${wylie}`);
      if (withoutTrailingTsheg(fromWylie(toWylie(bo))) !== bo) problems.push(`${id}: ${bo} does not round-trip`);
      if (fromWylie(wylie) !== bo) problems.push(`${id}: fromWylie(${wylie}) = ${fromWylie(wylie)}, glossary ${bo}`);
      return problems;
    });
    assert.deepEqual(failures, []);
  });

  test('generated syllables of root letters, vowels and finals round-trip both ways', () => {
    const roots = "ka kha ga nga ca cha ja nya ta tha da na pa pha ba ma tsa tsha dza wa zha za 'a ya ra la sha sa ha a"
      .split(' ')
      .map((r) => r.slice(0, -1));
    const vowels = ['a', 'i', 'u', 'e', 'o'];
    const finals = ['', 'g', 'ng', 'd', 'n', 'b', 'm', "'", 'r', 'l', 's'];
    const syllable = fc
      .tuple(fc.constantFrom(...roots), fc.constantFrom(...vowels), fc.constantFrom(...finals))
      // A final a-chung after a vowel other than a is not written (it would read as a new syllable).
      .filter(([, v, f]) => !(f === "'" && v !== 'a'))
      .map(([r, v, f]) => r + v + f);
    fc.assert(
      fc.property(fc.array(syllable, { minLength: 1, maxLength: 4 }), (syllables) => {
        const wylie = syllables.join(' ');
        const tibetan = fromWylie(wylie);
        assert.deepEqual(parseWylie(wylie).warnings, []);
        assert.equal(toWylie(tibetan), wylie);
        assert.equal(fromWylie(toWylie(tibetan)), tibetan);
      }),
      { numRuns: 2_000 },
    );
  });

  test('never throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (s) => {
        toWylie(s);
        fromWylie(s);
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('looseWylieKey', () => {
  test('g.yag, gyag and G.Yag match', () => {
    assert.equal(looseWylieKey('g.yag'), 'gyag');
    assert.equal(looseWylieKey('gyag'), 'gyag');
    assert.equal(looseWylieKey('G.Yag'), 'gyag');
  });

  test("drops ' and +, collapses spaces, reads _ as a space", () => {
    assert.equal(looseWylieKey("  'O   MA "), 'o ma');
    assert.equal(looseWylieKey("nas_'bru"), 'nas bru');
    assert.equal(looseWylieKey('g+ha'), 'gha');
  });
});

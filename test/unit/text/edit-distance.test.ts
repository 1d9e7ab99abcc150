import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { editDistance, syllableDistance } from '#core/text/edit-distance.ts';

const d = (a: string, b: string) => editDistance([...a], [...b]);

describe('editDistance', () => {
  test('insertions, deletions, substitutions and adjacent transpositions cost one', () => {
    assert.equal(d('barly', 'barley'), 1);
    assert.equal(d('barley', 'barly'), 1);
    assert.equal(d('gyantze', 'gyantse'), 1);
    assert.equal(d('barely', 'barley'), 1);
    assert.equal(d('kitten', 'sitting'), 3);
    assert.equal(d('', 'abc'), 3);
    assert.equal(d('青棵', '青稞'), 1);
  });

  test('counts code points, not UTF-16 units', () => {
    assert.equal(d('𠀀a', '𠀁a'), 1);
  });

  test('is zero only for equal sequences, symmetric, and at most the longer length', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 }), (a, b) => {
        const ab = d(a, b);
        assert.equal(ab, d(b, a));
        assert.equal(ab === 0, a === b);
        assert.ok(ab <= Math.max([...a].length, [...b].length));
        assert.ok(ab >= Math.abs([...a].length - [...b].length));
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('syllableDistance', () => {
  test('a misspelt syllable costs the share of its letters that differ', () => {
    assert.equal(syllableDistance(['རྒྱལ', 'རྩེ'], ['རྒྱལ', 'རྩེ']), 0);
    assert.ok(Math.abs(syllableDistance(['རྒྱལ', 'རྩ'], ['རྒྱལ', 'རྩེ']) - 1 / 3) < 1e-9);
    assert.equal(syllableDistance(['རྒྱལ'], ['རྒྱལ', 'རྩེ']), 1);
  });
});

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { matchKey, normaliseText, tokenise } from '#core/text/normalise.ts';
import { detectScript, guessLanguage } from '#core/text/script.ts';
import { formatCharacter, hostileChar, hostileText, separator, tibetanSyllable, withInserted } from './arbitraries.ts';

const RUNS = 3_000;
const anyText = fc.oneof(hostileText, fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }));

/**
 * Inserts separators between grapheme clusters: where a person can type one. (Inside a cluster
 * a separator changes meaning: a space between ཀ and ི leaves a vowel sign on its own.)
 */
const graphemes = new Intl.Segmenter('und', { granularity: 'grapheme' });
const withSeparators = (text: string, inserts: readonly [number, string][]) => {
  const parts = [...graphemes.segment(text)].map((g) => g.segment);
  for (const [at, sep] of inserts) parts.splice(at % (parts.length + 1), 0, sep);
  return parts.join('');
};

describe('normaliseText properties', () => {
  test('is idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const once = normaliseText(s).text;
        assert.equal(normaliseText(once).text, once);
        assert.equal(normaliseText(once).unsupported, false);
      }),
      { numRuns: RUNS },
    );
  });

  test('leaves no control, zero-width, private-use or lone-surrogate characters and no edge spaces', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const { text } = normaliseText(s);
        assert.doesNotMatch(text, /[\p{Cc}\p{Cf}\p{Co}\u200B\uFEFF]/u);
        assert.doesNotMatch(text, /[\uD800-\uDFFF]/u);
        assert.equal(text, text.trim());
        assert.doesNotMatch(text, / {2}/);
      }),
      { numRuns: RUNS },
    );
  });

  test('invisible format characters anywhere change nothing (RTL mark before STOP, zero-width spaces inside a word)', () => {
    fc.assert(
      fc.property(
        anyText,
        fc.array(fc.tuple(fc.nat(), formatCharacter), { minLength: 1, maxLength: 6 }),
        (s, inserts) => {
          assert.deepEqual(normaliseText(withInserted(s, inserts)), normaliseText(s));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('flags exactly the inputs with unsupported characters', () => {
    fc.assert(
      fc.property(hostileText, (s) => {
        const expected = /[\uD800-\uDFFF\uFFFD\p{Co}]/u.test(s);
        assert.equal(normaliseText(s).unsupported, expected);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('matchKey properties', () => {
  test('ignores separators inserted between grapheme clusters', () => {
    fc.assert(
      fc.property(anyText, fc.array(fc.tuple(fc.nat(), separator), { maxLength: 6 }), (s, inserts) => {
        assert.equal(matchKey(withSeparators(s, inserts)), matchKey(s));
      }),
      { numRuns: RUNS },
    );
  });

  test('Tibetan syllables joined by tsheg, shad, spaces or nothing share a key', () => {
    fc.assert(
      fc.property(
        fc.array(tibetanSyllable, { minLength: 1, maxLength: 5 }),
        fc.array(separator, { minLength: 4, maxLength: 4 }),
        (syllables, seps) => {
          const written = syllables.map((s, i) => s + (seps[i % seps.length] ?? '')).join('');
          assert.equal(matchKey(written), matchKey(syllables.join('')));
          assert.equal(matchKey(written), matchKey(`${syllables.join('\u0F0B')}\u0F0D`));
        },
      ),
      { numRuns: RUNS },
    );
  });

  test('is a fixed point of itself', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const key = matchKey(s);
        assert.equal(matchKey(key), key);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('never throws', () => {
  const long = fc.string({ unit: hostileChar, minLength: 1000, maxLength: 1000 });
  test('on arbitrary and 1,000-character hostile strings', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, long), (s) => {
        normaliseText(s);
        matchKey(s);
        const tokens = tokenise(s);
        for (const t of tokens) assert.ok(t.length > 0 && !/\s/u.test(t), JSON.stringify(t));
        detectScript(s);
        guessLanguage(s, () => true);
      }),
      { numRuns: 500 },
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { referenceSeed } from '#core/reference/seed.ts';
import { createMatcher } from '#core/text/matcher.ts';
import { detectScript, guessLanguage } from '#core/text/script.ts';

const { isWylieSyllable } = createMatcher(referenceSeed());

describe('detectScript', () => {
  test('one script', () => {
    assert.equal(detectScript('རིན་གོང་ནས།'), 'tibetan');
    assert.equal(detectScript('青稞价格'), 'han');
    assert.equal(detectScript('PRICE BARLEY'), 'latin');
    assert.equal(detectScript('ＰＲＩＣＥ'), 'latin');
    assert.equal(detectScript('rin gong nas'), 'latin');
  });

  test('digits and punctuation do not count', () => {
    assert.equal(detectScript('SOLD L123'), 'latin');
    assert.equal(detectScript('ནས ༥'), 'tibetan');
    assert.equal(detectScript('5 8000 ?'), 'none');
    assert.equal(detectScript('༥'), 'none');
    assert.equal(detectScript(''), 'none');
    assert.equal(detectScript('🐂'), 'none');
  });

  test('several scripts are mixed', () => {
    assert.equal(detectScript('PRICE ནས'), 'mixed');
    assert.equal(detectScript('取消 L123'), 'mixed');
  });
});

describe('guessLanguage', () => {
  test('by script', () => {
    assert.deepEqual(guessLanguage('རིན་གོང ནས'), { language: 'bo', wylie: false });
    assert.deepEqual(guessLanguage('青稞价格'), { language: 'zh', wylie: false });
    assert.deepEqual(guessLanguage('PRICE BARLEY'), { language: 'en', wylie: false });
  });

  test('Tibetan beats Han beats Latin when mixed', () => {
    assert.equal(guessLanguage('PRICE ནས')?.language, 'bo');
    assert.equal(guessLanguage('取消 L123')?.language, 'zh');
  });

  test('Latin that is mostly known Wylie is Tibetan, else English', () => {
    assert.deepEqual(guessLanguage('rin gong nas', isWylieSyllable), { language: 'bo', wylie: true });
    assert.deepEqual(guessLanguage('nyo nas 100 rgya ma', isWylieSyllable), { language: 'bo', wylie: true });
    assert.deepEqual(guessLanguage('PRICE BARLEY Lhasa', isWylieSyllable), { language: 'en', wylie: false });
    assert.deepEqual(guessLanguage('ASK my yak is coughing', isWylieSyllable), { language: 'en', wylie: false });
    assert.deepEqual(
      guessLanguage('rin gong nas'),
      { language: 'en', wylie: false },
      'without a Wylie test, Latin is English',
    );
  });

  test('nothing to go on', () => {
    assert.equal(guessLanguage('123 ?'), null);
    assert.equal(guessLanguage(''), null);
  });
});

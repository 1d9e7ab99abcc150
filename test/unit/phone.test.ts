import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'vitest';
import { callingCodeOf, maskPhone, toE164 } from '#core/phone.ts';
import { loadFullMetadata, reducedPhoneMetadata } from '#local/build-phone-metadata.ts';

describe('phone numbers', () => {
  test('mainland numbers in any common writing become E.164', () => {
    for (const input of [
      '13800000000',
      '138 0000 0000',
      '+86 138-0000-0000',
      '+8613800000000',
      '８６１３８００００００００'.replace(/^８６/, '+86'),
    ]) {
      assert.equal(toE164(input), '+8613800000000', input);
    }
  });

  test('numbers of served countries parse; others and junk do not', () => {
    assert.equal(toE164('+9779841234567'), '+9779841234567'); // Nepal
    assert.equal(toE164('+14155550123'), '+14155550123');
    assert.equal(toE164('+33612345678'), undefined); // France is not served
    for (const junk of ['', '12345', 'abc', '+86', '1'.repeat(40), '+861380000000099'])
      assert.equal(toE164(junk), undefined, junk);
  });

  test('calling codes and masking', () => {
    assert.equal(callingCodeOf('+8613800000000'), '86');
    assert.equal(maskPhone('+8613800000000'), '+86138****0000');
  });

  test('the committed metadata is the library’s, cut to the served countries', () => {
    const committed = JSON.parse(
      readFileSync(new URL('../../functions/core/phone-metadata.json', import.meta.url), 'utf8'),
    );
    assert.deepEqual(
      committed,
      reducedPhoneMetadata(loadFullMetadata()),
      'run: npx tsx functions/local/build-phone-metadata.ts',
    );
  });
});

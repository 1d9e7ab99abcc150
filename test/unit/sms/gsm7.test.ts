import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import {
  GSM7_BASIC,
  GSM7_ESCAPE,
  GSM7_EXTENSION,
  gsm7Length,
  gsm7Septets,
  isGsm7,
  toGsm7Septets,
} from '#core/sms/gsm7.ts';

describe('GSM 03.38 tables', () => {
  test('the default alphabet has 127 characters on distinct codes 0–127, the escape left out', () => {
    assert.equal(GSM7_BASIC.size, 127);
    const codes = new Set(GSM7_BASIC.values());
    assert.equal(codes.size, 127);
    assert.ok(!codes.has(GSM7_ESCAPE));
    for (const code of codes) assert.ok(code >= 0 && code <= 127);
  });

  test('landmark positions', () => {
    const at = (code: number): string | undefined => [...GSM7_BASIC].find(([, c]) => c === code)?.[0];
    assert.equal(at(0x00), '@');
    assert.equal(at(0x02), '$');
    assert.equal(at(0x09), 'Ç');
    assert.equal(at(0x0a), '\n');
    assert.equal(at(0x0d), '\r');
    assert.equal(at(0x10), 'Δ');
    assert.equal(at(0x11), '_');
    assert.equal(at(0x24), '¤');
    assert.equal(at(0x40), '¡');
    assert.equal(at(0x5f), '§');
    assert.equal(at(0x60), '¿');
    assert.equal(at(0x7f), 'à');
  });

  test('the extension table: ^ { } \\ [ ~ ] | € and form feed, two septets each', () => {
    assert.deepEqual([...GSM7_EXTENSION.keys()].sort(), ['\f', '[', '\\', ']', '^', '{', '|', '}', '~', '€'].sort());
    for (const ch of GSM7_EXTENSION.keys()) {
      assert.equal(gsm7Septets(ch), 2);
      assert.ok(!GSM7_BASIC.has(ch));
    }
    assert.deepEqual(toGsm7Septets('€'), [0x1b, 0x65]);
    assert.deepEqual(toGsm7Septets('{}'), [0x1b, 0x28, 0x1b, 0x29]);
  });

  test('what is and is not GSM-7', () => {
    assert.ok(isGsm7('Hello @ £5, Δ ok? ¿Sí? Ñandú'.replace('í', 'i').replace('ú', 'ü')));
    assert.ok(isGsm7(''));
    assert.ok(!isGsm7('ç')); // only the capital Ç is at 0x09
    assert.ok(!isGsm7('“quoted”'));
    assert.ok(!isGsm7('…'));
    assert.ok(!isGsm7('`')); // the grave accent is not in the alphabet
    assert.ok(!isGsm7('青稞'));
    assert.ok(!isGsm7('ཀ་'));
    assert.equal(gsm7Length('a€b'), 4);
    assert.equal(gsm7Length('aç'), undefined);
    assert.throws(() => toGsm7Septets('aç'), /U\+00E7/);
  });
});

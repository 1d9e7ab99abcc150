import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { decodeCsv } from '#core/prices/csv/decode.ts';
import { encodeGb18030 } from './gb18030.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('decodeCsv', () => {
  test('UTF-8 without BOM', () => {
    assert.deepEqual(decodeCsv(utf8('品名,价格\n青稞,4.5\n')), {
      text: '品名,价格\n青稞,4.5\n',
      encoding: 'utf-8',
      lossy: false,
    });
  });

  test('UTF-8 with BOM: the BOM is dropped', () => {
    assert.deepEqual(decodeCsv(utf8('\uFEFFcommodity\n')), {
      text: 'commodity\n',
      encoding: 'utf-8-bom',
      lossy: false,
    });
  });

  test('GB18030 bytes as Chinese Excel saves them', () => {
    // 品 C6B7, 名 C3FB, 青 C7E0, 稞 EFFD in GBK/GB18030.
    const bytes = new Uint8Array([0xc6, 0xb7, 0xc3, 0xfb, 0x0a, 0xc7, 0xe0, 0xef, 0xfd]);
    assert.deepEqual(decodeCsv(bytes), { text: '品名\n青稞', encoding: 'gb18030', lossy: false });
    assert.deepEqual(encodeGb18030('品名\n青稞'), bytes);
  });

  test('ASCII reads as UTF-8', () => {
    assert.equal(decodeCsv(utf8('a,b\n')).encoding, 'utf-8');
  });

  test('UTF-16LE with BOM (Excel "Unicode text")', () => {
    const bytes = new Uint8Array([0xff, 0xfe, 0x41, 0x00, 0x52, 0x97]);
    assert.deepEqual(decodeCsv(bytes), { text: 'A青', encoding: 'utf-16le', lossy: false });
  });

  test('bytes valid in no encoding are flagged lossy', () => {
    const r = decodeCsv(new Uint8Array([0x41, 0xff, 0xff, 0x42]));
    assert.equal(r.lossy, true);
  });

  test('empty input', () => {
    assert.deepEqual(decodeCsv(new Uint8Array()), { text: '', encoding: 'utf-8', lossy: false });
  });
});

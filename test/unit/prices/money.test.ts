import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { formatFen, MAX_PRICE_FEN, parseFen } from '#core/prices/money.ts';

const fen = (input: string) => {
  const r = parseFen(input);
  assert.ok(r.ok, `${input} should parse, got ${JSON.stringify(r)}`);
  return r.fen;
};
const reason = (input: string) => {
  const r = parseFen(input);
  assert.ok(!r.ok, `${input} should fail, got ${JSON.stringify(r)}`);
  return r.reason;
};

describe('parseFen', () => {
  test('accepts a price in ASCII, full-width or Tibetan digits, with or without decimals', () => {
    assert.equal(fen('4.5'), 450);
    assert.equal(fen('4.50'), 450);
    assert.equal(fen('４.５０'), 450);
    assert.equal(fen('４．５'), 450);
    assert.equal(fen('༤.༥'), 450);
    assert.equal(fen('4'), 400);
    assert.equal(fen('0.01'), 1);
    assert.equal(fen('.5'), 50);
    assert.equal(fen('12.'), 1200);
    assert.equal(fen('0012.30'), 1230);
  });

  test('ignores a currency sign in front and a yuan word behind', () => {
    assert.equal(fen('¥4.5'), 450);
    assert.equal(fen('￥４.５'), 450);
    assert.equal(fen('4.5元'), 450);
    assert.equal(fen('4.5 块'), 450);
    assert.equal(fen('༤.༥ sgor'), 450);
    assert.equal(fen(' ¥ 4.50 元 '), 450);
  });

  test('accepts zeros past the second decimal, which lose nothing', () => {
    assert.equal(fen('4.500'), 450);
  });

  test('rejects with a typed reason', () => {
    assert.equal(reason('0'), 'zero_or_negative');
    assert.equal(reason('0.00'), 'zero_or_negative');
    assert.equal(reason('-4.5'), 'zero_or_negative');
    assert.equal(reason('−1'), 'zero_or_negative');
    assert.equal(reason('4.505'), 'too_many_decimals');
    assert.equal(reason('0.001'), 'too_many_decimals');
    assert.equal(reason('10000000.01'), 'too_large');
    assert.equal(reason('99999999999999999999999'), 'too_large');
    for (const bad of ['', '.', 'abc', '4.5.6', '4,5', '1e3', '4.5 jin', '¥', 'NaN', 'Infinity', '0x10']) {
      assert.equal(reason(bad), 'not_a_number', bad);
    }
  });

  test('accepts the largest price exactly', () => {
    assert.equal(fen('10000000'), MAX_PRICE_FEN);
  });
});

describe('formatFen', () => {
  test('writes two decimals', () => {
    assert.equal(formatFen(450), '4.50');
    assert.equal(formatFen(1), '0.01');
    assert.equal(formatFen(10), '0.10');
    assert.equal(formatFen(0), '0.00');
    assert.equal(formatFen(-5), '-0.05');
    assert.equal(formatFen(MAX_PRICE_FEN), '10000000.00');
    assert.throws(() => formatFen(4.5), RangeError);
  });
});

describe('money properties', () => {
  const anyFen = fc.integer({ min: 1, max: MAX_PRICE_FEN });
  const fold = (s: string, table: string) => s.replace(/\d/gu, (d) => table[Number(d)] ?? d);

  test('format then parse gives the same fen', () => {
    fc.assert(
      fc.property(anyFen, (f) => {
        assert.deepEqual(parseFen(formatFen(f)), { ok: true, fen: f });
      }),
      { numRuns: 5_000 },
    );
  });

  test('full-width and Tibetan digits, short decimals and signs parse alike', () => {
    fc.assert(
      fc.property(
        anyFen,
        fc.constantFrom('', '¥', '￥'),
        fc.constantFrom('', '元', '块', ' sgor'),
        (f, prefix, suffix) => {
          // '4.50' → '4.5', '4.00' → '4': the short forms people type.
          const plain = formatFen(f).replace(/0+$/u, '').replace(/\.$/u, '');
          for (const text of [
            formatFen(f),
            plain,
            fold(formatFen(f), '０１２３４５６７８９'),
            fold(formatFen(f), '༠༡༢༣༤༥༦༧༨༩'),
          ]) {
            assert.deepEqual(parseFen(`${prefix}${text}${suffix}`), { ok: true, fen: f }, text);
          }
        },
      ),
      { numRuns: 2_000 },
    );
  });

  test('parsing never throws and a success is always in range', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const r = parseFen(s);
        if (r.ok) assert.ok(Number.isSafeInteger(r.fen) && r.fen >= 1 && r.fen <= MAX_PRICE_FEN);
      }),
      { numRuns: 2_000 },
    );
  });
});

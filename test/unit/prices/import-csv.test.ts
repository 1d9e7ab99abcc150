/** Writing price CSV (template.ts) and reading it back (rows.ts): exports must import again unchanged. */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { parsePriceCsv } from '#core/prices/csv/rows.ts';
import { csvCell, csvHeaderLine, csvLine, UTF8_BOM } from '#core/prices/csv/template.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { createMatcher } from '#core/text/matcher.ts';

const seed = referenceSeed();
const options = {
  matcher: createMatcher(seed),
  today: '2025-06-15',
  ids: { commodities: new Set(seed.commodities.map((c) => c.id)), markets: new Set(seed.markets.map((m) => m.id)) },
};
const readBack = (line: string) => parsePriceCsv(new TextEncoder().encode(UTF8_BOM + csvHeaderLine + line), options);
/** What the reader makes of free text (rows.ts freeText): NFKC, one space between words, trimmed. */
const asRead = (text: string) => text.normalize('NFKC').replace(/\s+/gu, ' ').trim() || undefined;

describe('price CSV writing', () => {
  test('cells are quoted only when they must be, quotes doubled', () => {
    assert.equal(csvCell('一级'), '一级');
    assert.equal(csvCell(4.5), '4.5');
    assert.equal(csvCell(undefined), '');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\r\nlines'), '"two\r\nlines"');
  });

  test('text that a spreadsheet would run as a formula is written as text', () => {
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
    assert.equal(csvCell('+1'), "'+1");
    assert.equal(csvCell('-1级'), "'-1级");
    assert.equal(csvCell('@SUM(A1)'), "'@SUM(A1)");
    assert.equal(csvCell("'=x"), "''=x", 'an apostrophe of the text itself is kept');
    assert.equal(csvCell(" '=x"), "''=x");
    assert.equal(csvCell(' =x'), "'=x");
    for (const text of ["'=x", " '=x", ' =x', "''+1"]) {
      const r = readBack(
        csvLine({
          commodity: 'wheat',
          market: 'mkt_lhasa_barkhor',
          date: '2025-06-01',
          price: '3.20',
          unit: 'jin',
          grade: text,
        }),
      );
      assert.equal(r.ok && r.rows[0]!.grade, text.trim(), text);
    }
  });

  test('ids, as exports write them, are read as ids', () => {
    const r = readBack(
      csvLine({
        commodity: 'barley_qingke',
        market: 'mkt_lhasa_dongga',
        date: '2025-06-01',
        price: '4.50',
        unit: 'jin',
        kind: 'farm_gate',
        source: 'csv',
      }),
    );
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(
      r.rows.map((x) => [x.commodityId, x.marketId, x.date, x.priceFen, x.unit, x.kind, x.source]),
      [['barley_qingke', 'mkt_lhasa_dongga', '2025-06-01', 450, 'jin', 'farm_gate', 'csv']],
    );
  });

  test('any grade and source text round-trips through an export', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 }).filter((s) => !s.includes('\uFEFF'));
    fc.assert(
      fc.property(text, text, (grade, source) => {
        const r = readBack(
          csvLine({
            commodity: 'wheat',
            market: 'mkt_lhasa_barkhor',
            date: '2025-06-01',
            price: '3.20',
            unit: 'jin',
            grade,
            kind: 'retail',
            source,
          }),
        );
        assert.ok(r.ok, JSON.stringify(r));
        assert.equal(r.rows.length, 1);
        assert.equal(r.rows[0]!.grade, asRead(grade));
        assert.equal(r.rows[0]!.source, asRead(source));
      }),
      { numRuns: 300 },
    );
  });
});

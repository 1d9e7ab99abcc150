import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { type PriceCsvResult, parsePriceCsv } from '#core/prices/csv/rows.ts';
import { templateCsv } from '#core/prices/csv/template.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { createMatcher } from '#core/text/matcher.ts';
import { encodeGb18030 } from './gb18030.ts';

const matcher = createMatcher(referenceSeed());
const today = '2025-06-15';
const utf8 = (s: string) => new TextEncoder().encode(s);
const run = (bytes: Uint8Array) => parsePriceCsv(bytes, { matcher, today });
const csv = (...lines: string[]) => run(utf8(lines.join('\n')));
const header = 'commodity,market,date,price,unit,grade,kind,source';

function errorsOf(r: PriceCsvResult) {
  assert.equal(r.ok, false, 'expected errors');
  return r.ok ? [] : r.errors;
}
function rowsOf(r: PriceCsvResult) {
  assert.ok(r.ok, `expected rows, got ${JSON.stringify(r.ok ? null : r.errors)}`);
  return r.rows;
}
const brief = (r: PriceCsvResult) => errorsOf(r).map((e) => [e.line, e.column, e.reason]);

describe('parsePriceCsv: files', () => {
  test('a UTF-8 file with our headers', () => {
    const r = csv(
      header,
      '青稞,东嘎,2025-06-01,4.50,斤,一级,wholesale,拉萨市发改委',
      'barley,Dongga,2025/6/2,4.5,jin,,,',
      '',
    );
    assert.equal(r.encoding, 'utf-8');
    assert.deepEqual(rowsOf(r), [
      {
        line: 2,
        commodityId: 'barley_qingke',
        marketId: 'mkt_lhasa_dongga',
        date: '2025-06-01',
        priceText: '4.50',
        priceFen: 450,
        unit: 'jin',
        grade: '一级',
        kind: 'wholesale',
        source: '拉萨市发改委',
      },
      {
        line: 3,
        commodityId: 'barley_qingke',
        marketId: 'mkt_lhasa_dongga',
        date: '2025-06-02',
        priceText: '4.5',
        priceFen: 450,
        unit: 'jin',
        kind: 'retail',
      },
    ]);
  });

  test('a UTF-8 file with BOM and CRLF, blank lines skipped but counted, Tibetan digits', () => {
    const r = run(
      utf8(
        '\uFEFF' +
          [
            header,
            '酥油,八廓街,2025-06-01,༦༠.༥,公斤,,零售,',
            '',
            ',,,,,,,',
            '牦牛,西宁,2025年6月3日,8000,头,,批发,',
            '',
            '',
          ].join('\r\n'),
      ),
    );
    assert.equal(r.encoding, 'utf-8-bom');
    assert.deepEqual(
      rowsOf(r).map((x) => [x.line, x.commodityId, x.marketId, x.date, x.priceFen, x.unit, x.kind]),
      [
        [2, 'butter', 'mkt_lhasa_barkhor', '2025-06-01', 6050, 'kg', 'retail'],
        [5, 'yak_live', 'mkt_qinghai_xining', '2025-06-03', 800000, 'head', 'wholesale'],
      ],
    );
  });

  test('after many blank lines and a quoted cell over two lines, an error still names its own line', () => {
    const blanks = Array.from({ length: 100_000 }, () => '');
    const r = csv(
      header,
      '酥油,八廓街,2025-06-01,38.5,斤,"first\ngrade",零售,',
      ...blanks,
      '酥油,八廓街,2025-06-02,abc,斤,,零售,',
      '',
      '',
    );
    // line 2–3: the row with the two-line grade; 100,000 blank lines (4 … 100,003); the bad price on 100,004
    assert.deepEqual(brief(r), [[100_004, 'price', 'csv.price_invalid']]);
  });

  test('a GB18030 file with the bureau headers, extra columns and full-width digits', () => {
    const text = [
      '序号,品名,规格,单位,上期价格,本期价格,市场,日期',
      '1,青稞,一等,元/斤,4.20,４.５０,东嘎,2025年6月1日',
      '2,土豆,,公斤,3,3.5,娘热,2025/06/01',
    ].join('\r\n');
    const bytes = encodeGb18030(text);
    // The header's first bytes, checked against the platform decoder: 序 D0F2, 号 BAC5.
    assert.deepEqual([...bytes.subarray(0, 4)], [0xd0, 0xf2, 0xba, 0xc5]);
    assert.equal(new TextDecoder('gb18030').decode(bytes.subarray(0, 4)), '序号');
    const r = run(bytes);
    assert.equal(r.encoding, 'gb18030');
    assert.deepEqual(
      rowsOf(r).map((x) => [
        x.line,
        x.commodityId,
        x.marketId,
        x.date,
        x.priceText,
        x.priceFen,
        x.unit,
        x.grade,
        x.kind,
      ]),
      [
        [2, 'barley_qingke', 'mkt_lhasa_dongga', '2025-06-01', '4.50', 450, 'jin', '一等', 'retail'],
        [3, 'potato', 'mkt_lhasa_nyangre', '2025-06-01', '3.5', 350, 'kg', undefined, 'retail'],
      ],
    );
  });

  test('a quoted cell spanning lines keeps later line numbers right', () => {
    const r = csv(header, '青稞,东嘎,2025-06-01,4.5,斤,"一级\n新粮",,', '小麦,东嘎,2025-06-01,0,斤,,,');
    assert.deepEqual(brief(r), [[4, 'price', 'csv.price_not_positive']]);
  });

  test('the template parses, and its example row is valid', () => {
    const t = templateCsv();
    assert.ok(t.startsWith('\uFEFFcommodity,market,date,price,unit,grade,kind,source\r\n'));
    const r = run(utf8(t));
    assert.equal(r.encoding, 'utf-8-bom');
    assert.equal(rowsOf(r).length, 1);
  });
});

describe('parsePriceCsv: bad input', () => {
  test('every bad row is reported with line, column and reason', () => {
    const r = csv(
      header,
      '青稞,东嘎,2025-06-01,4.50,斤,,,', // fine
      '青稞,东嘎,2025-13-01,4.505,斤,,,', // bad date, 3 decimals
      ',东嘎,2025-06-01,abc,盒,,,', // no commodity, bad price, unknown unit
      '青稞,东嘎,2025-06-02,-3,斤,,cheap,', // negative price, unknown kind
      '羊,东嘎,2025-06-01,900,头,,,', // sheep or goat?
      '青稞,东嘎,2025-06-01,4.60,斤,,,', // same item as line 2
    );
    assert.deepEqual(brief(r), [
      [3, 'date', 'csv.date_invalid'],
      [3, 'price', 'csv.price_invalid'],
      [4, 'commodity', 'csv.missing_value'],
      [4, 'price', 'csv.price_invalid'],
      [4, 'unit', 'csv.unit_unknown'],
      [5, 'price', 'csv.price_not_positive'],
      [5, 'kind', 'csv.kind_unknown'],
      [6, 'commodity', 'csv.ambiguous_commodity'],
      [7, null, 'csv.duplicate_row'],
    ]);
    const errors = errorsOf(r);
    assert.equal(errors[1]?.params.value, '4.505');
    assert.equal(errors[1]?.header, 'price');
    assert.deepEqual(errors[7]?.params.suggestions?.map((s) => s.id).sort(), ['goat_live', 'sheep_live']);
    assert.equal(errors[8]?.params.firstLine, 2);
  });

  test('unknown commodity and market come with the closest names', () => {
    const errors = errorsOf(csv(header, '青棵,东嘎,2025-06-01,4.5,斤,,,', 'butter,Donga,2025-06-01,60,kg,,,'));
    assert.deepEqual(
      errors.map((e) => [e.line, e.column, e.reason, e.params.value, e.params.suggestions?.[0]?.id]),
      [
        [2, 'commodity', 'csv.unknown_commodity', '青棵', 'barley_qingke'],
        [3, 'market', 'csv.unknown_market', 'Donga', 'mkt_lhasa_dongga'],
      ],
    );
    assert.equal(errors[0]?.params.suggestions?.[0]?.names.zh, '青稞');
  });

  test('missing required columns are named', () => {
    const errors = errorsOf(csv('品名,价格,规格', '青稞,4.5,'));
    assert.deepEqual(errors, [
      { line: 1, column: null, reason: 'csv.missing_columns', params: { value: 'market, date, unit' } },
    ]);
  });

  test('a future date and a date before 2000 are rejected', () => {
    const r = csv(
      header,
      `青稞,东嘎,${today},4.5,斤,,,`,
      '青稞,东嘎,2025-06-16,4.5,斤,,,',
      '青稞,东嘎,1999-12-31,4.5,斤,,,',
      '青稞,东嘎,2000-01-01,4.5,斤,,,',
    );
    const errors = errorsOf(r);
    assert.deepEqual(
      errors.map((e) => [e.line, e.column, e.reason, e.params.limit]),
      [
        [3, 'date', 'csv.date_future', today],
        [4, 'date', 'csv.date_before_2000', '2000-01-01'],
      ],
    );
  });

  test('empty, header-only, malformed and unreadable files', () => {
    assert.deepEqual(brief(run(new Uint8Array())), [[1, null, 'csv.empty']]);
    assert.deepEqual(brief(csv('', '  ', '')), [[1, null, 'csv.empty']]);
    assert.deepEqual(brief(csv(header, '')), [[1, null, 'csv.no_rows']]);
    assert.deepEqual(brief(csv(header, '青稞,"东嘎,2025-06-01,4.5,斤')), [[2, null, 'csv.malformed']]);
    assert.deepEqual(brief(run(new Uint8Array([0x61, 0xff, 0xff]))), [[1, null, 'csv.unreadable']]);
  });

  test('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const r = run(bytes);
        assert.equal(typeof r.ok, 'boolean');
      }),
      { numRuns: 300 },
    );
  });

  test('never throws on arbitrary text after a valid header', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('青稞', '东嘎', '2025-06-01', '4.5', '斤', '"', '\n', ',', '\uFEFF'),
    );
    fc.assert(
      fc.property(fc.array(fc.array(cell, { maxLength: 9 }), { maxLength: 6 }), (rows) => {
        const r = run(utf8([header, ...rows.map((cells) => cells.join(','))].join('\n')));
        if (!r.ok) for (const e of r.errors) assert.ok(e.line >= 1 && typeof e.reason === 'string');
      }),
      { numRuns: 300 },
    );
  });
});

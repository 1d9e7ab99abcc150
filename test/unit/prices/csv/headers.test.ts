import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { fieldOfHeader, mapHeaders } from '#core/prices/csv/headers.ts';

describe('headers', () => {
  test('English template headers, any case, with spaces and full-width letters', () => {
    for (const [cell, field] of [
      ['commodity', 'commodity'],
      [' Market ', 'market'],
      ['ＤＡＴＥ', 'date'],
      ['Price (yuan)', 'price'],
      ['UNIT', 'unit'],
      ['grade', 'grade'],
      ['Kind', 'kind'],
      ['source', 'source'],
    ] as const) {
      assert.equal(fieldOfHeader(cell), field, cell);
    }
  });

  test("the bureaus' Chinese headers", () => {
    for (const [cell, field] of [
      ['品名', 'commodity'],
      ['品种', 'commodity'],
      ['规格', 'grade'],
      ['等级', 'grade'],
      ['单位', 'unit'],
      ['价格', 'price'],
      ['本期价格', 'price'],
      ['价格（元）', 'price'],
      ['市场', 'market'],
      ['日期', 'date'],
      ['类型', 'kind'],
      ['价格类型', 'kind'],
      ['来源', 'source'],
    ] as const) {
      assert.equal(fieldOfHeader(cell), field, cell);
    }
    assert.equal(fieldOfHeader('上期价格'), undefined);
  });

  test('maps columns and ignores unknown ones', () => {
    const m = mapHeaders(['序号', '品名', '规格', '单位', '上期价格', '本期价格', '市场', '日期']);
    assert.ok(m.ok);
    assert.deepEqual(m.columns.price, { index: 5, header: '本期价格' });
    assert.equal(m.columns.kind, undefined);
  });

  test('names every missing required column', () => {
    assert.deepEqual(mapHeaders(['品名', '价格']), {
      ok: false,
      problems: [{ reason: 'csv.missing_columns', missing: ['market', 'date', 'unit'] }],
    });
  });

  test('two columns for one field', () => {
    const m = mapHeaders(['品名', '品种', '市场', '日期', '价格', '单位']);
    assert.deepEqual(m, {
      ok: false,
      problems: [{ reason: 'csv.duplicate_column', field: 'commodity', headers: ['品名', '品种'] }],
    });
  });
});

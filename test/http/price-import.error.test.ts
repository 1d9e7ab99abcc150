import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { csvText, postCsv, postCsvForm } from '#test/support/price-import.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { nextHour, postJson } from '#test/support/staff.ts';
import { encodeGb18030 } from '#test/unit/prices/csv/gb18030.ts';

let stack: TestStack;
let api: Api;
let collector: string;
let reviewer: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  collector = await staff.member('+8613900000601', 'collector', ['pref_lhasa']);
  reviewer = await staff.member('+8613900000602', 'reviewer', ['pref_lhasa']);
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const header = '品名,市场,日期,本期价格,单位';
const history = async (commodity: string, market = 'mkt_lhasa_barkhor') =>
  (await jsonOf(await api(`/prices?commodity=${commodity}&market=${market}&from=2000-01-01`))).items as unknown[];
const pendingOf = async (commodity: string) =>
  (
    (await jsonOf(await api('/prices/pending?region=pref_lhasa', {}, reviewer))).items as { commodityId: string }[]
  ).filter((p) => p.commodityId === commodity);

/** Three good rows and four bad ones (five problems). */
const badFile = () =>
  csvText(
    header,
    `青稞,八廓街,${day(stack, -2)},4.50,斤`,
    `青稞,八廊街,${day(stack, -2)},4.50,斤`, // line 3: a misspelt market
    `青稞,八廓街,${day(stack, 3)},4.60,斤`, // line 4: in the future
    `青稞,冲赛康市场,${day(stack, -2)},-1,盒`, // line 5: negative price, unknown unit
    `青稞,冲赛康市场,${day(stack, -1)},4.70,斤`,
    `青稞,八廓街,${day(stack, -2)},4.55,斤`, // line 7: same item as line 2
    `青稞,东嘎,${day(stack, -1)},4.80,斤`,
  );
const brief = (errors: { line: number; column: string | null; reason: string }[]) =>
  errors.map((e) => [e.line, e.column, e.reason]);

describe('POST /api/v1/prices/import (bad input)', () => {
  test('any bad row: 400 listing every bad row with line, column and message; nothing written', async () => {
    const res = await postCsv(api, badFile(), reviewer, { lang: 'en' });
    assert.equal(res.status, 400);
    assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
    const problem = await jsonOf(res);
    assert.equal(problem.code, 'validation_failed');
    assert.deepEqual(brief(problem.errors), [
      [3, 'market', 'csv.unknown_market'],
      [4, 'date', 'csv.date_future'],
      [5, 'price', 'csv.price_not_positive'],
      [5, 'unit', 'csv.unit_unknown'],
      [7, null, 'csv.duplicate_row'],
    ]);
    const [market, future] = problem.errors;
    assert.equal(market.header, '市场');
    assert.equal(market.path, 'line 3, 市场');
    assert.match(market.message, /^Unknown market “八廊街”\. Did you mean: .*Barkhor/);
    assert.equal(future.message, `The date ${day(stack, 3)} is in the future (latest ${day(stack)}).`);
    assert.equal(problem.errors[4].message, 'Same item as line 2.');

    assert.deepEqual(await history('barley_qingke'), [], 'not even the good rows');
    assert.deepEqual(await history('barley_qingke', 'mkt_lhasa_tromsikhang'), []);
    assert.deepEqual(await pendingOf('barley_qingke'), []);
  });

  test('the messages come in the caller’s language: Chinese, Tibetan', async () => {
    const zh = await jsonOf(await postCsv(api, badFile(), reviewer, {}, { 'Accept-Language': 'zh-CN,zh;q=0.9' }));
    assert.equal(zh.title, '输入无效');
    assert.match(zh.errors[0].message, /^未知市场“八廊街”。您是否要找：/);
    assert.match(zh.errors[4].message, /第 2 行/);
    const bo = await jsonOf(await postCsv(api, badFile(), reviewer, { lang: 'bo' }));
    assert.match(bo.errors[0].message, /^ཚོང་ར "八廊街" ངོས་མ་ཟིན།/);
    assert.match(bo.errors[1].message, /མ་འོངས་པ/);
    assert.deepEqual(brief(bo.errors), brief(zh.errors), 'the same problems whatever the language');
  });

  test('a file saved by Chinese Excel (GB18030) is read; bytes that are no text are a file error', async () => {
    const text = csvText(
      '序号,品名,规格,单位,本期价格,上期价格,市场,日期',
      `1,马铃薯,,斤,１.８０,1.75,八廓街,${day(stack, -1).replaceAll('-', '/')}`,
    );
    const res = await postCsv(api, encodeGb18030(text), reviewer);
    assert.equal(res.status, 201, await res.clone().text());
    const body = await jsonOf(res);
    assert.equal(body.encoding, 'gb18030');
    assert.deepEqual(
      body.rows.map((r: Record<string, unknown>) => [r.commodityId, r.price, r.date]),
      [['potato', '1.80', day(stack, -1)]],
    );

    const junk = await jsonOf(await postCsv(api, new Uint8Array([0xff, 0xfe, 0x00, 0xd8, 0x41]), reviewer));
    assert.equal(junk.code, 'validation_failed');
    assert.deepEqual(brief(junk.errors), [[1, null, 'csv.unreadable']]);
    const empty = await jsonOf(await postCsv(api, '', reviewer));
    assert.deepEqual(brief(empty.errors), [[1, null, 'csv.empty']]);
  });

  test('a grade or source longer than POST /prices allows is an error of its row', async () => {
    const res = await postCsv(
      api,
      csvText(
        `${header},规格,来源`,
        `芜菁,八廓街,${day(stack, -1)},1.00,斤,${'一'.repeat(61)},局`,
        `芜菁,八廓街,${day(stack, -2)},1.00,斤,一级,${'x'.repeat(201)}`,
      ),
      reviewer,
      { lang: 'en' },
    );
    assert.equal(res.status, 400);
    const problem = await jsonOf(res);
    assert.deepEqual(brief(problem.errors), [
      [2, 'grade', 'csv.too_long'],
      [3, 'source', 'csv.too_long'],
    ]);
    assert.equal(problem.errors[0].message, 'Too long: at most 60 characters.');
  });

  test('a collector cannot change an approved price by import: 400 naming the row, nothing written', async () => {
    assert.equal((await postCsv(api, csvText(header, `小麦,八廓街,${day(stack, -4)},3.00,斤`), reviewer)).status, 201);
    const res = await postCsv(
      api,
      csvText(header, `小麦,八廓街,${day(stack, -3)},3.10,斤`, `小麦,八廓街,${day(stack, -4)},3.50,斤`),
      collector,
      { lang: 'en' },
    );
    assert.equal(res.status, 400);
    const problem = await jsonOf(res);
    assert.deepEqual(brief(problem.errors), [[3, 'price', 'csv.already_approved']]);
    assert.match(problem.errors[0].message, /3\.00 is already approved/);
    assert.deepEqual(await pendingOf('wheat'), [], 'line 2 was not written either');
  });

  test('bodies up to 5 MB are read here (the API elsewhere stops at 1 MB); over 5 MB is a 413', async () => {
    const note = 'x'.repeat(1000);
    const rows = Array.from({ length: 1500 }, (_, i) => `芜菁,八廓街,${day(stack, -1 - i)},1.00,斤,${note}`);
    const big = csvText(`${header},备注`, ...rows);
    assert.ok(big.length > 1.4 * 1024 * 1024);
    const preview = await postCsv(api, big, reviewer, { dryRun: 'true' });
    assert.equal(preview.status, 200, await preview.clone().text());
    assert.equal((await jsonOf(preview)).counts.rows, 1500);

    const elsewhere = await api('/prices', postJson({ commodity: note.repeat(1200) }), reviewer);
    assert.equal(elsewhere.status, 413);
    assert.match((await jsonOf(elsewhere)).detail, /1 MB/);

    const tooBig = await postCsv(api, new Uint8Array(5 * 1024 * 1024 + 1).fill(0x41), reviewer);
    assert.equal(tooBig.status, 413);
    const problem = await jsonOf(tooBig);
    assert.equal(problem.code, 'payload_too_large');
    assert.match(problem.detail, /5 MB/);
  });

  test('anything but CSV or a multipart form is a 415; a form without a file is a 400', async () => {
    const pdf = await api(
      '/prices/import',
      { method: 'POST', headers: { 'Content-Type': 'application/pdf' }, body: '%PDF-1.4' },
      reviewer,
    );
    assert.equal(pdf.status, 415);
    assert.equal((await jsonOf(pdf)).code, 'unsupported_media_type');
    const json = await api('/prices/import', postJson({ rows: [] }), reviewer);
    assert.equal(json.status, 415);

    const form = new FormData();
    form.append('upload', 'not a file');
    const noFile = await api('/prices/import', { method: 'POST', body: form }, reviewer);
    assert.equal(noFile.status, 400);
    assert.equal((await jsonOf(noFile)).errors[0].path, 'file');
    // The same form with the file where it belongs is fine.
    assert.equal(
      (
        await postCsvForm(api, csvText(header, `芜菁,冲赛康市场,${day(stack, -1)},1.00,斤`), reviewer, 'x.csv', {
          dryRun: '1',
        })
      ).status,
      200,
    );
  });
});

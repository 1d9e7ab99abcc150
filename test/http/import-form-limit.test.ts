/**
 * A CSV import sent as a multipart form stops at 4 MB (API Gateway hands a form to Lambda
 * base64-encoded and a Lambda request stops at 6 MB): over it, a 413 problem in the caller's
 * language naming both limits, before the body is read, and nothing imported. The same bytes as
 * text/csv are still read up to 5 MB (test/http/price-import.error.test.ts).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { FORM_BODY_LIMITS } from '#http/app.ts';
import { PRICE_IMPORT_PATH } from '#http/routes.ts';
import { jsonOf } from '#test/support/json.ts';
import { csvText, postCsv } from '#test/support/price-import.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let api: Api;
let reviewer: string;
beforeAll(async () => {
  stack = await startTestStack();
  const staff = await priceStaff(stack);
  api = staff.api;
  reviewer = await staff.member('+8613900000611', 'reviewer', ['pref_lhasa']);
});
afterAll(() => stack.close());

const header = '品名,市场,日期,本期价格,单位,备注';
const FOUR_MB = 4 * 1024 * 1024;

/** A valid CSV of about `bytes` bytes: 1400 rows, a day apart (no two the same item), each with a long note. */
function csvOfSize(bytes: number): Uint8Array {
  const rowCount = 1400;
  const note = 'x'.repeat(Math.ceil(bytes / rowCount) - 40);
  const rows = Array.from({ length: rowCount }, (_, i) => `芜菁,八廓街,${day(stack, -1 - i)},1.00,斤,${note}`);
  return new TextEncoder().encode(csvText(header, ...rows));
}

const postForm = (file: Uint8Array, language: string, query = '') => {
  const form = new FormData();
  form.append('file', new Blob([file as Uint8Array<ArrayBuffer>], { type: 'text/csv' }), 'prices.csv');
  return api(
    `/prices/import${query}`,
    { method: 'POST', body: form, headers: { 'Accept-Language': language } },
    reviewer,
  );
};

describe('POST /api/v1/prices/import as a multipart form', () => {
  test('the limit is 4 MB for forms on the import path', () => {
    assert.equal(FORM_BODY_LIMITS[PRICE_IMPORT_PATH], FOUR_MB);
  });

  test('a form over 4 MB: 413 naming 4 MB and the text/csv way, in en, zh and bo; nothing imported', async () => {
    const big = csvOfSize(FOUR_MB + 64 * 1024);
    assert.ok(big.length > FOUR_MB && big.length < 5 * 1024 * 1024, String(big.length));
    const expected = {
      en: /at most 4 MB; send a larger CSV file as text\/csv \(up to 5 MB\)/,
      zh: /以表单上传的文件最大 4 MB；更大的 CSV 文件请以 text\/csv 发送（最大 5 MB）/,
      bo: /^ཡིག་ཆ་ 4 MB ལས་ཆེ་བ་མི་ཆོག \(text\/csv 5 MB\)$/,
    };
    for (const [language, message] of Object.entries(expected)) {
      const res = await postForm(big, language);
      assert.equal(res.status, 413, language);
      assert.equal(res.headers.get('content-type'), 'application/problem+json; charset=utf-8');
      const problem = await jsonOf(res);
      assert.equal(problem.code, 'payload_too_large');
      assert.match(problem.detail, /4 MB/);
      assert.equal(problem.errors.length, 1);
      assert.equal(problem.errors[0].path, 'file');
      assert.match(problem.errors[0].message, message, language);
    }
    const history = await jsonOf(await api('/prices?commodity=turnip&market=mkt_lhasa_barkhor&from=2000-01-01'));
    assert.deepEqual(history.items, [], 'nothing imported');
  });

  test('a form just under 4 MB is read (its preview answers), and the same bytes over 4 MB go as text/csv', async () => {
    const under = csvOfSize(FOUR_MB - 256 * 1024);
    assert.ok(under.length < FOUR_MB);
    const preview = await postForm(under, 'en', '?dryRun=true');
    assert.equal(preview.status, 200, await preview.clone().text());

    const big = csvOfSize(FOUR_MB + 64 * 1024);
    const asText = await postCsv(api, big, reviewer, { dryRun: 'true' });
    assert.equal(asText.status, 200, await asText.clone().text());
  });
});

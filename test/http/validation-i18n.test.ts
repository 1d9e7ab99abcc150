/**
 * A validation error reads in the request's language, whether the bad value is in the query,
 * the path or the body (zod's own messages are English only).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { jsonOf } from '#test/support/json.ts';
import { type Api, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { from, postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: Api;
beforeAll(async () => {
  stack = await startTestStack();
  api = (await priceStaff(stack)).api;
});
afterAll(() => stack.close());

/** The problem's field errors as `path: message`. */
async function fieldErrors(res: Response): Promise<string[]> {
  assert.equal(res.status, 400);
  const problem = await jsonOf(res);
  assert.equal(problem.code, 'validation_failed');
  return problem.errors.map((e: { path: string; message: string }) => `${e.path}: ${e.message}`);
}
const get = (path: string) => from(stack)(`/api/v1${path}`);

describe('validation messages are translated', () => {
  test('query: a missing, a malformed, an out-of-range and an unknown value, in zh, bo and en', async () => {
    assert.deepEqual(await fieldErrors(await get('/prices/latest?lang=zh')), ['query.commodity: 必填。']);
    assert.deepEqual(await fieldErrors(await get('/prices/latest?lang=bo')), ['query.commodity: ངེས་པར་དགོས།']);
    assert.deepEqual(await fieldErrors(await get('/prices/latest?lang=en')), ['query.commodity: Required.']);
    assert.deepEqual(await fieldErrors(await get('/commodities?limit=abc&lang=zh')), ['query.limit: 应为数字。']);
    assert.deepEqual(await fieldErrors(await get('/commodities?limit=500&lang=zh')), ['query.limit: 不能大于 200。']);
    assert.deepEqual(await fieldErrors(await get('/prices/summary?market=mkt_lhasa_barkhor&compare=week&lang=zh')), [
      'query.compare: “week”无效，可用：previous, year。',
    ]);
    assert.deepEqual(await fieldErrors(await get('/prices/summary?market=mkt_lhasa_barkhor&date=2026-1-1&lang=zh')), [
      'query.date: “2026-1-1”格式不对，应为 YYYY-MM-DD。',
    ]);
    assert.deepEqual(await fieldErrors(await get('/prices/summary?market=mkt_lhasa_barkhor&date=2026-1-1&lang=en')), [
      'query.date: “2026-1-1” is not in the form YYYY-MM-DD.',
    ]);
  });

  test('path: a value over its length', async () => {
    assert.deepEqual(await fieldErrors(await get(`/commodities/${'x'.repeat(101)}?lang=zh`)), [
      'params.id: 太长：最多 100 个字符。',
    ]);
    assert.deepEqual(await fieldErrors(await get(`/commodities/${'x'.repeat(101)}?lang=bo`)), [
      'params.id: རིང་དྲགས་འདུག ཡིག་འབྲུ 100 ལས་མང་མི་ཆོག',
    ]);
  });

  test('body: missing fields and a wrong type', async () => {
    const errors = await fieldErrors(
      await api(
        '/prices?lang=zh',
        postJson({ commodity: 'barley_qingke', market: 'mkt_lhasa_barkhor', date: '2026-01-01', price: 4.5 }),
      ),
    );
    assert.deepEqual(errors, ['body.price: 类型错误：应为 string。', 'body.unit: 必填。']);
    const whole = await fieldErrors(await api('/prices?lang=en', postJson([1, 2])));
    assert.deepEqual(whole, ['body: Wrong type: expected object.']);
  });
});

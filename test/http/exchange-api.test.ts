/** The exchange's API: who may call what, what a bad request is told, and that it is all in the OpenAPI document. */
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

const offer = (over: Record<string, unknown> = {}) => ({
  phone: '+8613900000601',
  side: 'sell',
  commodity: 'barley_qingke',
  quantity: 500,
  unit: 'jin',
  price: '4.50',
  region: 'cty_shigatse_gyantse',
  ...over,
});

/** Every staff operation of the exchange, with a body it would accept. */
const staffCalls: Array<[string, string, unknown?]> = [
  ['GET', '/listings/moderation'],
  ['POST', '/listings', offer()],
  ['POST', '/listings/L4821/approve', {}],
  ['POST', '/listings/L4821/reject', { reason: 'fake' }],
  ['POST', '/listings/L4821/hide', {}],
  ['POST', '/vouches', { phone: '+8613900000601' }],
  ['DELETE', `/vouches/${encodeURIComponent('+8613900000601')}`],
  ['POST', '/blocks', { phone: '+8613900000601', reason: 'scam' }],
  ['DELETE', `/blocks/${encodeURIComponent('+8613900000601')}`],
];

describe('exchange API: refusals before anything is read', () => {
  test('not signed in: every staff operation is a 401 problem', async () => {
    const send = from(stack);
    for (const [method, path, body] of staffCalls) {
      const res = await send(`/api/v1${path}`, body === undefined ? { method } : { ...postJson(body), method });
      assert.equal(res.status, 401, `${method} ${path}`);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
      assert.equal((await jsonOf(res)).code, 'unauthorized', `${method} ${path}`);
    }
  });

  test('a bad offer body is a 400 naming each field, in the asked language', async () => {
    const res = await api(
      '/listings?lang=zh',
      postJson(offer({ side: 'swap', quantity: -3, price: '4.5.0', phone: undefined })),
    );
    assert.equal(res.status, 400);
    const problem = await jsonOf(res);
    assert.equal(problem.code, 'validation_failed');
    const paths = (problem.errors as Array<{ path: string; message: string }>).map((e) => e.path).sort();
    assert.deepEqual(paths, ['body.phone', 'body.price', 'body.quantity', 'body.side']);
    // Translated: the Chinese messages carry Chinese text.
    assert.ok((problem.errors as Array<{ message: string }>).every((e) => /[\u4e00-\u9fff]/.test(e.message)));
  });

  test('a reject without a reason, or a code that is not one, is a 400', async () => {
    const noReason = await api('/listings/L4821/reject', postJson({ reason: '' }));
    assert.equal(noReason.status, 400);
    assert.equal((await jsonOf(noReason)).code, 'validation_failed');
    for (const code of ['abc', 'L12', 'L1234567', 'X4821']) {
      const res = await from(stack)(`/api/v1/listings/${code}`);
      assert.equal(res.status, 400, code);
      assert.equal((await jsonOf(res)).code, 'validation_failed', code);
    }
  });

  test('a malformed Idempotency-Key is refused rather than ignored', async () => {
    const res = await api('/listings', postJson(offer(), { 'Idempotency-Key': 'x'.repeat(200) }));
    assert.equal(res.status, 400);
    assert.equal((await jsonOf(res)).code, 'validation_failed');
  });

  test('the OpenAPI document describes every exchange operation, public ones without security', async () => {
    const doc = await jsonOf(await from(stack)('/api/v1/openapi.json'));
    const paths = doc.paths as Record<string, Record<string, { security: unknown[]; responses: object }>>;
    const expected: Array<[string, string]> = [
      ['/listings', 'get'],
      ['/listings', 'post'],
      ['/listings/{code}', 'get'],
      ['/listings/moderation', 'get'],
      ['/listings/{code}/approve', 'post'],
      ['/listings/{code}/reject', 'post'],
      ['/listings/{code}/hide', 'post'],
      ['/vouches', 'post'],
      ['/vouches/{phone}', 'delete'],
      ['/blocks', 'post'],
      ['/blocks/{phone}', 'delete'],
    ];
    for (const [path, method] of expected) assert.ok(paths[path]?.[method], `${method} ${path}`);
    assert.deepEqual(paths['/listings']!.get!.security, []);
    assert.deepEqual(paths['/listings/{code}']!.get!.security, []);
    assert.notDeepEqual(paths['/listings']!.post!.security, []);
    // The public shape names no phone field.
    const schemas = (doc.components as { schemas: Record<string, { properties: object }> }).schemas;
    assert.ok(schemas.PublicListing);
    assert.ok(!Object.keys(schemas.PublicListing!.properties).some((k) => /phone/i.test(k)));
  });
});

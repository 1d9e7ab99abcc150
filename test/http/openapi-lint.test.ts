/** /api/v1/openapi.json passes Redocly's recommended rules (`redocly lint`), so it cannot regress. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { describeProblem, lintOpenApi } from '#local/lint-openapi.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let text: string;
beforeAll(async () => {
  stack = await startTestStack();
  text = await (await stack.app.request('/api/v1/openapi.json')).text();
});
afterAll(() => stack.close());

type Operation = { operationId?: string; security?: unknown[]; responses: Record<string, unknown> };
const operations = (doc: { paths: Record<string, Record<string, Operation>> }) =>
  Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ where: `${method.toUpperCase()} ${path}`, op })),
  );

describe('the OpenAPI document', () => {
  test('has no problem under the recommended rules, warnings included', async () => {
    const problems = await lintOpenApi(text);
    assert.deepEqual(problems.map(describeProblem), []);
  });

  test('every operation has a unique operationId, a declared security (empty when public) and a 4XX answer; the licence is Apache-2.0', () => {
    const doc = JSON.parse(text);
    assert.deepEqual(doc.info.license, { name: 'Apache-2.0', identifier: 'Apache-2.0' });
    const ops = operations(doc);
    assert.ok(ops.length > 20);
    assert.equal(new Set(ops.map((o) => o.op.operationId)).size, ops.length, 'operationIds are unique');
    for (const { where, op } of ops) {
      assert.match(op.operationId ?? '', /^[a-z][A-Za-z0-9]+$/, where);
      assert.ok(Array.isArray(op.security), `${where} declares its security`);
      assert.ok(
        Object.keys(op.responses).some((s) => /^4(\d\d|XX)$/.test(s)),
        `${where} declares a 4XX`,
      );
    }
    const byId = new Map(ops.map((o) => [o.where, o.op]));
    assert.deepEqual(byId.get('GET /prices')!.security, []);
    assert.deepEqual(byId.get('POST /prices')!.security, [{ bearerToken: [] }, { sessionCookie: [] }]);
    assert.equal(byId.get('GET /prices.csv')!.operationId, 'getPricesCsv');
  });

  test('the lint is not vacuous: an operation without an operationId, security or 4XX is reported', async () => {
    const doc = JSON.parse(text);
    const op = doc.paths['/units'].get;
    delete op.operationId;
    delete op.security;
    for (const status of Object.keys(op.responses)) if (status.startsWith('4')) delete op.responses[status];
    const rules = new Set((await lintOpenApi(JSON.stringify(doc))).map((p) => p.ruleId));
    for (const rule of ['operation-operationId', 'security-defined', 'operation-4xx-response'])
      assert.ok(rules.has(rule), rule);
  });
});

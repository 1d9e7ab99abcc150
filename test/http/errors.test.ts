import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { createApp } from '#http/app.ts';
import { jsonOf } from '#test/support/json.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('errors and limits', () => {
  test('unknown API route → 404 problem+json with a stable code', async () => {
    const res = await stack.app.request('/api/v1/nothing-here?lang=en');
    assert.equal(res.status, 404);
    assert.match(res.headers.get('content-type')!, /^application\/problem\+json/);
    const body = await jsonOf(res);
    assert.equal(body.code, 'route_not_found');
    assert.equal(body.status, 404);
    assert.equal(body.type, 'tag:zhingdrok.org,2026:problem:route_not_found');
    assert.equal(body.instance, '/api/v1/nothing-here');
  });

  test('malformed JSON → 400 problem naming the problem', async () => {
    const res = await stack.app.request('/api/v1/commodities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': 'en' },
      body: '{"name": "barley",}',
    });
    assert.equal(res.status, 400);
    const body = await jsonOf(res);
    assert.equal(body.code, 'invalid_json');
    assert.match(body.detail, /not valid JSON: .*(position|JSON)/i);
  });

  test('a body over 1 MB → 413 problem, by header or by streamed size', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const res = await stack.app.request('/api/v1/commodities', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: big,
    });
    assert.equal(res.status, 413);
    assert.equal((await jsonOf(res)).code, 'payload_too_large');
    const stream = new ReadableStream({
      start(c) {
        for (let i = 0; i < 17; i++) c.enqueue(new Uint8Array(64 * 1024));
        c.close();
      },
    });
    const streamed = await stack.app.request('/api/v1/commodities', {
      method: 'POST',
      body: stream,
      headers: { 'Content-Type': 'text/csv' },
      duplex: 'half',
    } as RequestInit);
    assert.equal(streamed.status, 413);
  });

  test('every response carries a request id; a client-sent id is echoed', async () => {
    const a = await stack.app.request('/health');
    assert.match(a.headers.get('x-request-id') ?? '', /^[\w-]{8,}$/);
    const b = await stack.app.request('/health', { headers: { 'X-Request-Id': 'trace-abc-123' } });
    assert.equal(b.headers.get('x-request-id'), 'trace-abc-123');
  });

  test('health is 200 when the store answers, 503 problem when it does not', async () => {
    assert.deepEqual(await jsonOf(await stack.app.request('/health')), { status: 'ok' });
    const down = createApp({
      ...createDeps(
        { ...storageSettingsFrom(loadConfig({})), tableName: 't', dynamoEndpoint: 'http://127.0.0.1:9' },
        composeHere,
      ),
      log: () => {},
    });
    const res = await down.request('/health');
    assert.equal(res.status, 503);
    assert.equal((await jsonOf(res)).code, 'unavailable');
  });

  test('an unknown error is a plain 500 that leaks nothing, logged with its request id', async () => {
    const logs: Record<string, unknown>[] = [];
    // A real adapter against a table that does not exist: the SDK throws ResourceNotFoundException.
    const deps = createDeps(
      { ...storageSettingsFrom(loadConfig({})), tableName: 'no-such-table', dynamoEndpoint: stack.dynamoEndpoint },
      composeHere,
    );
    const app = createApp({ ...deps, log: (e) => logs.push(e) });
    const res = await app.request('/api/v1/commodities?lang=en');
    assert.equal(res.status, 500);
    const text = await res.text();
    assert.doesNotMatch(text, /ResourceNotFound|no-such-table|stack|at \//i);
    const body = JSON.parse(text);
    assert.equal(body.code, 'internal');
    assert.equal(logs.length, 1);
    assert.equal(logs[0]!.requestId, body.requestId);
    assert.match(String(logs[0]!.error), /ResourceNotFound|non-existent table|Cannot do operations/i);

    const page = await app.request('/commodities?lang=zh');
    assert.equal(page.status, 500);
    const html = await page.text();
    assert.match(html, /出错了/);
    assert.doesNotMatch(html, /ResourceNotFound|no-such-table/);
  });

  test('OpenAPI document is generated from the route schemas', async () => {
    const doc = await jsonOf(await stack.app.request('/api/v1/openapi.json'));
    assert.equal(doc.openapi, '3.1.0');
    for (const path of [
      '/commodities',
      '/commodities/{id}',
      '/regions',
      '/regions/{id}',
      '/markets',
      '/markets/{id}',
      '/units',
    ]) {
      assert.ok(doc.paths[path]?.get, path);
    }
    for (const name of ['Commodity', 'Region', 'Market', 'Unit', 'Problem'])
      assert.ok(doc.components.schemas[name], name);
    assert.deepEqual(
      doc.components.schemas.Commodity.required.sort(),
      ['aliases', 'confidence', 'defaultUnit', 'group', 'id', 'names', 'source', 'wylie'].sort(),
    );
  });
});

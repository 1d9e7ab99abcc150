/** The price-import Lambda entry with API Gateway HTTP API (payload 2.0) events as the service sends them. */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createPriceImportHandler } from '#handlers/price-import.ts';
import { apiGatewayV2Event, lambdaContext } from '#test/fixtures/apigw-v2.ts';
import { day } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, signIn } from '#test/support/staff.ts';
import { encodeGb18030 } from '#test/unit/prices/csv/gb18030.ts';

let stack: TestStack;
let invoke: ReturnType<typeof createPriceImportHandler>;
let token: string;
beforeAll(async () => {
  stack = await startTestStack();
  invoke = createPriceImportHandler(stack.deps);
  token = (await signIn(stack, ADMIN)).token;
});
afterAll(() => stack.close());

describe('price-import Lambda with API Gateway v2 events', () => {
  test('GET /api/v1/openapi.json: the document of every route, the import included', async () => {
    const res = await invoke(apiGatewayV2Event({ path: '/api/v1/openapi.json' }), lambdaContext);
    assert.equal(res.statusCode, 200);
    const doc = JSON.parse(res.body);
    assert.match(doc.openapi, /^3\./);
    assert.deepEqual(doc.servers, [{ url: '/api/v1' }]);
    for (const path of ['/prices/import', '/prices/latest', '/prices/summary', '/commodities'])
      assert.ok(doc.paths[path], path);
  });

  test('a GB18030 CSV body, base64-encoded by API Gateway → 201 with the rows imported', async () => {
    const csv = `品名,市场,日期,本期价格,单位\r\n青稞,八廓街,${day(stack, -1)},4.50,斤\r\n`;
    const event = apiGatewayV2Event({
      method: 'POST',
      path: '/api/v1/prices/import',
      headers: { 'content-type': 'text/csv', authorization: `Bearer ${token}` },
      body: Buffer.from(encodeGb18030(csv)).toString('base64'),
      base64: true,
    });
    const res = await invoke(event, lambdaContext);
    assert.equal(res.statusCode, 201, res.body);
    const body = JSON.parse(res.body);
    assert.equal(body.encoding, 'gb18030');
    assert.deepEqual(
      body.rows.map((r: Record<string, unknown>) => [r.commodityId, r.marketId, r.price, r.verdict, r.status]),
      [['barley_qingke', 'mkt_lhasa_barkhor', '4.50', 'new', 'approved']],
    );
    assert.ok(await stack.files.get(body.file.key), 'the upload is kept');
  });

  test('a multipart form body (dry run) and the invalid-file problem come back through the event too', async () => {
    const boundary = '----zhingdrok1234';
    const part = (csv: string) =>
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="prices.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${boundary}--\r\n`,
      ).toString('base64');
    const event = (csv: string) =>
      apiGatewayV2Event({
        method: 'POST',
        path: '/api/v1/prices/import',
        query: 'dryRun=true&lang=en',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, authorization: `Bearer ${token}` },
        body: part(csv),
        base64: true,
      });
    const ok = await invoke(
      event(`commodity,market,date,price,unit\r\nwheat,mkt_lhasa_dongga,${day(stack, -1)},3.10,jin\r\n`),
      lambdaContext,
    );
    assert.equal(ok.statusCode, 200, ok.body);
    assert.equal(JSON.parse(ok.body).rows[0].verdict, 'new');

    const bad = await invoke(
      event(`commodity,market,date,price,unit\r\nwheat,nowhere,${day(stack, -1)},3.10,jin\r\n`),
      lambdaContext,
    );
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.headers['content-type'], 'application/problem+json; charset=utf-8');
    const problem = JSON.parse(bad.body);
    assert.deepEqual(
      problem.errors.map((e: Record<string, unknown>) => [e.line, e.column, e.reason]),
      [[2, 'market', 'csv.unknown_market']],
    );
  });

  test('the same app answers the rest (an unknown route is the usual 404 problem)', async () => {
    const res = await invoke(apiGatewayV2Event({ path: '/api/v1/prices/nothing-here' }), lambdaContext);
    assert.equal(res.statusCode, 404);
    assert.equal(JSON.parse(res.body).code, 'route_not_found');
  });
});

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createHttpHandler, handler } from '#handlers/http.ts';
import { handler as seedHandler } from '#handlers/seed.ts';
import { apiGatewayV2Event, lambdaContext } from '#test/fixtures/apigw-v2.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let invoke: ReturnType<typeof createHttpHandler>;
beforeAll(async () => {
  stack = await startTestStack();
  invoke = createHttpHandler(stack.deps);
});
afterAll(() => stack.close());

describe('http Lambda with API Gateway v2 events', () => {
  test('GET an API list → 200 JSON', async () => {
    const res = await invoke(apiGatewayV2Event({ path: '/api/v1/regions', query: 'parent=pref_ngari' }), lambdaContext);
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers['content-type']), /application\/json/);
    const body = JSON.parse(res.body);
    assert.deepEqual(
      body.items.map((r: { id: string }) => r.id),
      [
        'cty_ngari_burang',
        'cty_ngari_coqen',
        'cty_ngari_gar',
        'cty_ngari_gegyai',
        'cty_ngari_gerze',
        'cty_ngari_rutog',
        'cty_ngari_zanda',
      ],
    );
  });

  test('cookies from the v2 cookies array choose the language; ?lang= returns a cookie', async () => {
    const zh = await invoke(apiGatewayV2Event({ path: '/markets', cookies: ['lang=zh'] }), lambdaContext);
    assert.equal(zh.statusCode, 200);
    assert.match(zh.body, /<html lang="zh">/);
    const en = await invoke(apiGatewayV2Event({ path: '/', query: 'lang=en' }), lambdaContext);
    assert.match(en.body, /<html lang="en">/);
    assert.ok(
      en.cookies?.some((c: string) => /^lang=en;/.test(c)),
      JSON.stringify(en.cookies),
    );
  });

  test('a base64-encoded malformed JSON body → 400 problem', async () => {
    const res = await invoke(
      apiGatewayV2Event({
        method: 'POST',
        path: '/api/v1/commodities',
        headers: { 'content-type': 'application/json' },
        body: Buffer.from('{oops').toString('base64'),
        base64: true,
      }),
      lambdaContext,
    );
    assert.equal(res.statusCode, 400);
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(JSON.parse(res.body).code, 'invalid_json');
  });

  test('unknown route → 404 problem; unknown page → 404 HTML', async () => {
    const api = await invoke(apiGatewayV2Event({ path: '/api/v2/anything' }), lambdaContext);
    assert.equal(api.statusCode, 404);
    assert.equal(JSON.parse(api.body).code, 'route_not_found');
    const page = await invoke(
      apiGatewayV2Event({ path: '/nowhere', headers: { 'accept-language': 'en' } }),
      lambdaContext,
    );
    assert.equal(page.statusCode, 404);
    assert.match(page.body, /Page not found/);
  });

  test('the OpenAPI document is not served here: API Gateway sends that path to the import Lambda', async () => {
    const res = await invoke(apiGatewayV2Event({ path: '/api/v1/openapi.json' }), lambdaContext);
    assert.equal(res.statusCode, 404);
    assert.equal(JSON.parse(res.body).code, 'route_not_found');
  });
});

describe('Lambda entry files read their config on first use', () => {
  const saved = { ...process.env };
  afterAll(() => {
    process.env = saved;
  });

  test('missing settings fail the invocation naming the variable; then the entry works once set', async () => {
    for (const k of ['TABLE_NAME', 'BUCKET_NAME', 'DYNAMODB_ENDPOINT']) delete process.env[k];
    process.env.AWS_LAMBDA_FUNCTION_NAME = 'Zhingdrok-HttpFunction';
    process.env.AWS_REGION = 'ap-east-1';
    await assert.rejects(async () => handler(apiGatewayV2Event({ path: '/health' }), lambdaContext), /TABLE_NAME/);

    process.env.TABLE_NAME = stack.tableName;
    // The http Lambda's capabilities (functions/handlers/capabilities.ts): the SMS queue, sign-in, behind the API …
    process.env.SMS_QUEUE_URL = 'https://sqs.ap-east-1.amazonaws.com/123456789012/outbound';
    process.env.AUTH_SECRET = 'test-secret-'.padEnd(40, 'x');
    process.env.DYNAMODB_ENDPOINT = stack.dynamoEndpoint;
    process.env.ORIGIN_SECRET = 'origin-secret-'.padEnd(40, 'y');
    // … and the one-time schedules that start broadcasts.
    process.env.BROADCAST_SCHEDULE_GROUP = 'zhingdrok-broadcasts';
    process.env.BROADCAST_SCHEDULER_ROLE_ARN = 'arn:aws:iam::123456789012:role/scheduler';
    process.env.JOBS_FUNCTION_ARN = 'arn:aws:lambda:ap-east-1:123456789012:function:zhingdrok-jobs';
    // … and the knowledge library's attachments: the files bucket and where CloudFront serves them.
    process.env.BUCKET_NAME = 'zhingdrok-files';
    process.env.FILES_BASE_URL = 'https://d111111abcdef8.cloudfront.net/files';
    assert.equal(
      (await handler(apiGatewayV2Event({ path: '/health' }), lambdaContext)).statusCode,
      403,
      'not through CloudFront: refused',
    );
    const res = await handler(
      apiGatewayV2Event({ path: '/health', headers: { 'x-origin-verify': process.env.ORIGIN_SECRET } }),
      lambdaContext,
    );
    assert.equal(res.statusCode, 200);
    assert.match(String(res.headers?.['strict-transport-security'] ?? ''), /max-age=31536000/, 'aws mode sends HSTS');

    const seeded = await seedHandler();
    assert.equal(seeded.written > 0, true);
  });
});

/**
 * AUTH_SECRET read at run time: the http Lambda's entry, built from the environment the stack
 * gives it (AUTH_SECRET_ARN, no value), reads the secret through the real Secrets Manager client
 * from a loopback stand-in of its JSON protocol: once for many invocations; a failed read fails
 * that invocation only and is read again on the next. The value read is the one that signs the
 * pages' CSRF tokens.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { secretsManagerReader, withRunTimeSecrets } from '#adapters/secrets.ts';
import { loadConfig } from '#config';
import { handler } from '#handlers/http.ts';
import { apiGatewayV2Event, lambdaContext } from '#test/fixtures/apigw-v2.ts';
import { type SecretsStandIn, startSecretsStandIn } from '#test/support/secrets-stand-in.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const ARN = 'arn:aws:secretsmanager:ap-east-1:123456789012:secret:AuthSecret-AbCdEf';
const SECRET = 'read-at-run-time-'.padEnd(48, 'z');
const ORIGIN = 'origin-secret-'.padEnd(40, 'y');

let stack: TestStack;
let secrets: SecretsStandIn;
const saved = { ...process.env };
beforeAll(async () => {
  stack = await startTestStack();
  secrets = await startSecretsStandIn({ [ARN]: SECRET });
  delete process.env.AUTH_SECRET;
  Object.assign(process.env, {
    AWS_LAMBDA_FUNCTION_NAME: 'Zhingdrok-HttpFunction',
    AWS_REGION: 'ap-east-1',
    TABLE_NAME: stack.tableName,
    DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
    SMS_QUEUE_URL: 'https://sqs.ap-east-1.amazonaws.com/123456789012/outbound',
    ORIGIN_SECRET: ORIGIN,
    BROADCAST_SCHEDULE_GROUP: 'zhingdrok-broadcasts',
    BROADCAST_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
    JOBS_FUNCTION_ARN: 'arn:aws:lambda:ap-east-1:123456789012:function:zhingdrok-jobs',
    BUCKET_NAME: 'zhingdrok-files',
    FILES_BASE_URL: 'https://d111111abcdef8.cloudfront.net/files',
    // What the stack gives: the secret's ARN, not its value; the endpoint is the stand-in's.
    AUTH_SECRET_ARN: ARN,
    SECRETS_MANAGER_ENDPOINT: secrets.url,
  });
});
afterAll(async () => {
  process.env = saved;
  await secrets?.close();
  await stack?.close();
});

const get = (path: string) =>
  handler(apiGatewayV2Event({ path, headers: { 'x-origin-verify': ORIGIN, 'accept-language': 'en' } }), lambdaContext);

describe('AUTH_SECRET from Secrets Manager, once per container', () => {
  test('a failed read fails the invocation and is not kept; the next reads it, and later ones read nothing', async () => {
    secrets.failing = true;
    await assert.rejects(get('/health'), /stand-in outage/);
    const failedReads = secrets.requests.length;
    assert.ok(failedReads >= 1, 'the outage was met at Secrets Manager');

    secrets.failing = false;
    assert.equal((await get('/health')).statusCode, 200);
    assert.deepEqual(secrets.requests.at(-1), { operation: 'GetSecretValue', secretId: ARN });
    assert.equal(secrets.requests.length, failedReads + 1, 'read once after the outage');

    for (let i = 0; i < 5; i++) assert.equal((await get('/health')).statusCode, 200);
    const page = await get('/sign-in');
    assert.equal(page.statusCode, 200);
    assert.equal(secrets.requests.length, failedReads + 1, 'six invocations more, no read more');

    // The value read is the one the pages sign with: the form's token is HMAC(secret, nonce).
    const nonce = page.cookies?.map((c) => /^__Host-csrf=([^;]+)/.exec(c)?.[1]).find(Boolean);
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    assert.ok(nonce && token, 'the sign-in form carries a CSRF token and its cookie');
    const expected = createHmac('sha256', SECRET).update(`csrf\n${nonce}\n`).digest('base64url');
    assert.equal(token, expected);
  });

  test('a value given outright is used as it is, with no read; a short secret is refused, named', async () => {
    const before = secrets.requests.length;
    const given = loadConfig({ ...process.env, AUTH_SECRET: 'g'.repeat(32) }, ['signIn']);
    assert.equal((await withRunTimeSecrets(given)).AUTH_SECRET, 'g'.repeat(32));
    assert.equal(secrets.requests.length, before);

    const short = await startSecretsStandIn({ [ARN]: 'too short' });
    try {
      const config = loadConfig({ ...process.env, SECRETS_MANAGER_ENDPOINT: short.url }, ['signIn']);
      await assert.rejects(withRunTimeSecrets(config), /AUTH_SECRET_ARN: the secret holds fewer than 32 characters/);
      // An unknown secret: the SDK's own error, named by Secrets Manager.
      const read = secretsManagerReader({ region: 'ap-east-1', endpoint: short.url });
      await assert.rejects(read(`${ARN}-gone`), /can't find the secret/);
    } finally {
      await short.close();
    }
  });

  test('in AWS, sign-in needs AUTH_SECRET or AUTH_SECRET_ARN, named when both are missing', () => {
    const { AUTH_SECRET_ARN: _, ...env } = process.env;
    assert.throws(() => loadConfig(env, ['signIn']), /AUTH_SECRET_ARN: required where sign-in is/);
    assert.throws(() => loadConfig({ ...env, AUTH_SECRET_ARN: 'not-an-arn' }, ['signIn']), /AUTH_SECRET_ARN/);
    assert.equal(loadConfig(env, []).APP_MODE, 'aws', 'a function without sign-in needs neither');
  });
});

/**
 * Through the execute-api URL anyone could forge X-Forwarded-For and so escape the per-address
 * limits, so only CloudFront is answered. The http Lambda, fed real API Gateway v2 events: without
 * CloudFront's secret header it answers nothing but a 403; with it, the address is the one
 * CloudFront vouches for, whatever X-Forwarded-For says.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { createHttpHandler } from '#handlers/http.ts';
import { apiGatewayV2Event, lambdaContext } from '#test/fixtures/apigw-v2.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { nextHour, smsCount } from '#test/support/staff.ts';

const SECRET = 'origin-secret-origin-secret-origin-secret';
let stack: TestStack;
let invoke: ReturnType<typeof createHttpHandler>;
beforeAll(async () => {
  stack = await startTestStack();
  invoke = createHttpHandler({ ...stack.deps, mode: 'aws', originSecret: SECRET, log: () => {} });
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

const askCode = (phone: string, headers: Record<string, string>) =>
  invoke(
    apiGatewayV2Event({
      method: 'POST',
      path: '/api/v1/auth/code',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ phone }),
    }),
    lambdaContext,
  );

describe('the http Lambda answers only CloudFront, and believes only the address CloudFront gives', () => {
  test('straight from execute-api (no X-Origin-Verify, or a wrong one): a 403 problem, and nothing is done', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'x-origin-verify': 'guess' },
      { 'x-origin-verify': `${SECRET}x` },
      { 'x-origin-verify': SECRET.slice(1) },
    ]) {
      const res = await askCode('+8613900000931', headers);
      assert.equal(res.statusCode, 403, JSON.stringify(headers));
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      assert.equal(JSON.parse(res.body).code, 'forbidden');
    }
    assert.equal((await invoke(apiGatewayV2Event({ path: '/health' }), lambdaContext)).statusCode, 403);
    assert.equal(await stack.deps.signInCodes.get('+8613900000931'), undefined, 'no code was made');
    assert.equal(await smsCount(stack, '+8613900000931'), 0);
    assert.throws(
      () => createHttpHandler({ ...stack.deps, mode: 'aws', originSecret: undefined }),
      /ORIGIN_SECRET/,
      'without the secret the app does not start in AWS',
    );
  });

  test('through CloudFront, a forged X-Forwarded-For changes nothing: the limit counts CloudFront-Viewer-Address', async () => {
    const via = (viewer: string, forged: string) => ({
      'x-origin-verify': SECRET,
      'cloudfront-viewer-address': `${viewer}:51234`,
      'x-forwarded-for': `${forged}, ${viewer}, 130.176.0.7`,
    });
    for (let i = 0; i < 20; i++)
      assert.equal(
        (await askCode(`+86139000009${String(i).padStart(2, '0')}`, via('203.0.113.50', `192.0.2.${i}`))).statusCode,
        202,
        `request ${i + 1}`,
      );
    const refused = await askCode('+8613900000990', via('203.0.113.50', '192.0.2.200'));
    assert.equal(refused.statusCode, 429);
    assert.equal(JSON.parse(refused.body).code, 'rate_limited');
    assert.ok(Number(refused.headers['retry-after']) > 0, 'with Retry-After');
    assert.equal(
      (await askCode('+8613900000991', via('203.0.113.51', '203.0.113.50'))).statusCode,
      202,
      'another viewer is not held back',
    );
  });

  test('IPv6 viewers are counted by their /64; without CloudFront-Viewer-Address the viewer-request function’s True-Client-IP is used', async () => {
    for (let i = 0; i < 20; i++) {
      const headers = {
        'x-origin-verify': SECRET,
        'cloudfront-viewer-address': `2001:db8:77:1::${(i + 1).toString(16)}:443`,
      };
      assert.equal((await askCode(`+86139000007${String(i).padStart(2, '0')}`, headers)).statusCode, 202);
    }
    assert.equal(
      (
        await askCode('+8613900000790', {
          'x-origin-verify': SECRET,
          'cloudfront-viewer-address': '2001:db8:77:1:ffff::1:443',
        })
      ).statusCode,
      429,
      'the same /64',
    );
    for (let i = 0; i < 20; i++) {
      assert.equal(
        (
          await askCode(`+86139000006${String(i).padStart(2, '0')}`, {
            'x-origin-verify': SECRET,
            'true-client-ip': '198.51.100.60',
            'x-forwarded-for': `192.0.2.${i}`,
          })
        ).statusCode,
        202,
      );
    }
    assert.equal(
      (await askCode('+8613900000690', { 'x-origin-verify': SECRET, 'true-client-ip': '198.51.100.60' })).statusCode,
      429,
    );
  });
});

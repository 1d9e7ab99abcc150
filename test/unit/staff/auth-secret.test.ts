import assert from 'node:assert/strict';
import { test } from 'vitest';
import { ConfigError, loadConfig } from '#config';

const aws = { AWS_LAMBDA_FUNCTION_NAME: 'fn', AWS_REGION: 'ap-east-1', TABLE_NAME: 'tbl', BUCKET_NAME: 'bkt' };

test('AUTH_SECRET: required in AWS (named when missing), optional locally, at least 32 characters', () => {
  assert.throws(
    () => loadConfig(aws),
    (e: unknown) => e instanceof ConfigError && /AUTH_SECRET/.test(e.message),
  );
  assert.equal(loadConfig({ ...aws, AUTH_SECRET: 's'.repeat(32) }).AUTH_SECRET, 's'.repeat(32));
  assert.equal(loadConfig({}).AUTH_SECRET, undefined);
  assert.equal(loadConfig({ AUTH_SECRET: '' }).AUTH_SECRET, undefined);
  assert.throws(() => loadConfig({ AUTH_SECRET: 'short' }), /AUTH_SECRET/);
});

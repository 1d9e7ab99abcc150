/**
 * Test harness: the real local stack (dynalite in memory + s3rver in a temp dir, or the
 * DynamoDB endpoint in DYNAMODB_ENDPOINT) with a table of its own, seeded.
 */

import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '#config';
import { createApp } from '#http/app.ts';
import { openApiDocument } from '#http/openapi.ts';
import { localRoutes } from '#local/server.ts';
import { type LocalStack, startLocalStack } from '#local/stack.ts';

export interface TestStack extends LocalStack {
  app: ReturnType<typeof createApp>;
  tableName: string;
  logs: Record<string, unknown>[];
}

/** `env` overrides settings, as the environment would (e.g. SMS_DAILY_SEGMENT_LIMIT). */
export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-test-'));
  const tableName = `test-${randomUUID().slice(0, 8)}`;
  const config = loadConfig({
    APP_MODE: 'local',
    TABLE_NAME: tableName,
    BUCKET_NAME: 'zhingdrok-test',
    DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
    ADMIN_PHONES: '+8613800000000',
    ...env,
  });
  if (config.APP_MODE !== 'local') throw new Error('test stacks are local');
  const stack = await startLocalStack(config, { inMemory: true, s3Dir: join(dir, 's3') });
  const logs: Record<string, unknown>[] = [];
  stack.deps.log = (entry) => logs.push(entry);
  return {
    ...stack,
    tableName,
    logs,
    app: createApp(stack.deps, { extraRoutes: localRoutes(stack.deps, { devTools: true }), openApi: openApiDocument }),
    async close() {
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

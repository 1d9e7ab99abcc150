/**
 * Lints /api/v1/openapi.json with Redocly's recommended rules (what `redocly lint` runs), from
 * an in-memory local stack, offline. Every problem, warning or error, fails: the document is
 * what API clients generate code from. Run by CI before the tests and by `npm run lint:openapi`.
 *
 * @example npx tsx functions/local/lint-openapi.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { loadConfig } from '#config';
import { createApp } from '#http/app.ts';
import { openApiDocument } from '#http/openapi.ts';
import { localRoutes } from './server.ts';
import { startLocalStack } from './stack.ts';

/** The problems Redocly's `recommended` ruleset finds in an OpenAPI document (JSON text). */
export async function lintOpenApi(documentText: string): Promise<NormalizedProblem[]> {
  const config = await createConfig({ extends: ['recommended'] });
  return lintFromString({ source: documentText, absoluteRef: 'openapi.json', config });
}

/** One line per problem: severity, rule, where, what. */
export const describeProblem = (p: NormalizedProblem) =>
  `${p.severity} ${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`;

/** The document as the running app serves it (the import route included), from a throwaway in-memory stack. */
export async function servedOpenApi(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-openapi-'));
  const config = loadConfig({
    APP_MODE: 'local',
    TABLE_NAME: 'openapi-lint',
    BUCKET_NAME: 'openapi-lint',
    LOG_LEVEL: 'silent',
  });
  if (config.APP_MODE !== 'local') throw new Error('the lint runs on a local stack');
  const stack = await startLocalStack(config, { inMemory: true, s3Dir: join(dir, 's3') });
  try {
    const res = await createApp(stack.deps, {
      extraRoutes: localRoutes(stack.deps, { devTools: false }),
      openApi: openApiDocument,
    }).request('/api/v1/openapi.json');
    if (res.status !== 200) throw new Error(`GET /api/v1/openapi.json answered ${res.status}`);
    return await res.text();
  } finally {
    await stack.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = await lintOpenApi(await servedOpenApi());
  for (const p of problems) console.log(describeProblem(p));
  console.log(
    problems.length
      ? `openapi.json: ${problems.length} problems`
      : 'openapi.json: no problems (redocly recommended rules)',
  );
  process.exit(problems.length ? 1 : 0);
}

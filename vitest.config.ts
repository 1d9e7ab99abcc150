/**
 * One vitest project per test layer (a folder under test/): `npm test` runs them all,
 * `npm test -- --project http` one. See docs/testing.md.
 */
import { defineConfig } from 'vitest/config';

const LAYERS = ['unit', 'integration', 'http', 'lambda', 'infra', 'browser'] as const;

/**
 * node:test had no time limits. Integration, http and browser tests start real servers (dynalite,
 * s3rver, the app, Chromium), spawn `npm start` or kill imports mid-way, and the property tests
 * run 10,000 cases: on a 2-core machine shared with other work each can take minutes. So the limit
 * only catches a hung test or hook; speed is measured in `npm run bench`, never asserted here.
 */
const TIMEOUT_MS = 600_000;

export default defineConfig({
  test: {
    // Each file in its own child process, two at a time, as node:test ran them
    // (--test-concurrency=2 on a 2-core machine).
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: TIMEOUT_MS,
    hookTimeout: TIMEOUT_MS,
    teardownTimeout: TIMEOUT_MS,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: LAYERS.map((layer) => ({
      extends: true,
      test: {
        name: layer,
        include: [`test/${layer}/**/*.test.{ts,tsx}`],
      },
    })),
  },
});

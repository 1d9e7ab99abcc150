/**
 * `npm start` start-up: the real local entry in a child process, timed from spawn to the
 * first 200 on /health. The first start on an empty DATA_DIR seeds it; later starts find
 * the data there. Children are always stopped, and the data dir removed.
 */
import { request } from 'node:http';
import { repoRoot } from './bundle.ts';
import { exited, freePort, makeTempDir, removeTempDir, runToEnd, spawnTracked, stop } from './processes.ts';
import { median } from './stats.ts';

const entry = 'functions/local/main.ts';

function healthOk(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/health', timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
    req.end();
  });
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // The caller's own settings must not leak into the measured start (a DYNAMODB_ENDPOINT
  // from CI, say): the child gets node's basics and the bench's settings only.
  const { PATH, HOME, TMPDIR } = process.env;
  return { PATH, HOME, TMPDIR, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', LOG_LEVEL: 'warn', ...extra };
}

/** Spawn → first 200 on /health, in ms; then SIGTERM and wait for a clean exit. */
async function startOnce(dataDir: string, timeoutMs: number): Promise<{ ms: number; exitCode: number | null }> {
  const port = await freePort();
  const t0 = performance.now();
  const child = spawnTracked(process.execPath, ['--import', 'tsx', entry], {
    cwd: repoRoot,
    env: childEnv({ PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, APP_MODE: 'local' }),
  });
  try {
    let ms: number | undefined;
    while (performance.now() - t0 < timeoutMs) {
      if (child.exitCode !== null || child.signalCode !== null)
        throw new Error(
          `npm start exited early (${child.exitCode ?? child.signalCode}):\n${child.output().slice(-2000)}`,
        );
      if (await healthOk(port)) {
        ms = performance.now() - t0;
        break;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    if (ms === undefined) throw new Error(`no 200 on /health within ${timeoutMs} ms:\n${child.output().slice(-2000)}`);
    const { code, killed } = await stop(child, 10_000);
    if (killed) throw new Error(`npm start did not stop on SIGTERM within 10 s:\n${child.output().slice(-2000)}`);
    return { ms, exitCode: code };
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
}

export interface StartupResult {
  firstMs: number;
  existingMs: number;
  existingSamples: number[];
  bareNodeTsxMs: number;
  exitCodes: (number | null)[];
}

export async function measureStartup(existingRuns: number, timeoutMs = 30_000): Promise<StartupResult> {
  const dataDir = makeTempDir('zhingdrok-bench-start-');
  try {
    // Baseline: what node + tsx cost before any of our code runs.
    const bare: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      await runToEnd(process.execPath, ['--import', 'tsx', '-e', ''], {
        cwd: repoRoot,
        env: childEnv({}),
        timeoutMs: 30_000,
      });
      bare.push(performance.now() - t0);
    }
    const first = await startOnce(dataDir, timeoutMs);
    const existing: number[] = [];
    const exitCodes = [first.exitCode];
    for (let i = 0; i < existingRuns; i++) {
      const run = await startOnce(dataDir, timeoutMs);
      existing.push(run.ms);
      exitCodes.push(run.exitCode);
    }
    return {
      firstMs: first.ms,
      existingMs: median(existing),
      existingSamples: existing,
      bareNodeTsxMs: median(bare),
      exitCodes,
    };
  } finally {
    removeTempDir(dataDir);
  }
}

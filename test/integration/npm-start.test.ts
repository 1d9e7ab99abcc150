/** The real `npm start` entry as a child process: banner, health, clean stop, refusals. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort } from '#test/support/net.ts';

const root = new URL('../../', import.meta.url).pathname;

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'functions/local/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

async function waitForHealth(url: string, run: Run, ms = 20_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (run.child.exitCode !== null) throw new Error(`exited early:\n${run.output()}`);
    try {
      if ((await fetch(`${url}/health`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no health within ${ms} ms:\n${run.output()}`);
}

describe('npm start', { skip: Boolean(process.env.DYNAMODB_ENDPOINT) && 'runs the embedded store' }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhingdrok-start-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  test('serves, refuses a second start on the same DATA_DIR, stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const first = start({ PORT: String(port), DATA_DIR: dir, ADMIN_PHONES: '+8613800000000' });
    try {
      await waitForHealth(`http://127.0.0.1:${port}`, first);
      assert.match(first.output(), new RegExp(`http://127\\.0\\.0\\.1:${port}`));
      assert.match(first.output(), /\+8613800000000/);
      assert.match(first.output(), /reference data seeded/);
      const res = await fetch(`http://127.0.0.1:${port}/api/v1/markets/mkt_lhasa_barkhor`);
      assert.equal(((await res.json()) as { names: { zh: string } }).names.zh, '八廓街');

      const second = start({ PORT: String(await freePort()), DATA_DIR: dir });
      assert.notEqual(await second.exited, 0);
      assert.match(second.output(), /already running on .*\(process \d+\)/);
      assert.equal((await fetch(`http://127.0.0.1:${port}/health`)).status, 200, 'the first keeps serving');
    } finally {
      first.child.kill('SIGTERM');
    }
    assert.equal(await first.exited, 0);
    assert.equal(existsSync(join(dir, 'zhingdrok.lock')), false, 'lock released');

    const again = start({ PORT: String(port), DATA_DIR: dir });
    try {
      await waitForHealth(`http://127.0.0.1:${port}`, again);
      assert.doesNotMatch(again.output(), /seeded/, 'existing data is kept, not re-seeded');
    } finally {
      again.child.kill('SIGINT');
    }
    assert.equal(await again.exited, 0);
  });

  test('an invalid setting exits non-zero naming the variable', async () => {
    const run = start({ PORT: 'eighty', DATA_DIR: dir });
    assert.notEqual(await run.exited, 0);
    assert.match(run.output(), /PORT/);
    const bad = start({ ADMIN_PHONES: '13800000000', DATA_DIR: dir });
    assert.notEqual(await bad.exited, 0);
    assert.match(bad.output(), /ADMIN_PHONES/);
  });
});

/**
 * The data-dir lock against real processes: a live owner refuses a second start; a zombie (an
 * exited child its parent never reaped) and a pid that now names another process do not.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { AlreadyRunningError, lockDataDir, processStat } from '#local/lock.ts';

const lockFile = (dir: string) => join(dir, 'zhingdrok.lock');

/** Polls (a bounded wait for the kernel, not a timing assertion) until `ok` holds. */
async function until(ok: () => boolean, what: string) {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
  assert.ok(ok(), what);
}

describe.skipIf(!existsSync('/proc/self/stat') && 'needs /proc (Linux)')('data-dir lock', () => {
  let dir: string;
  /** `sh` forks `sleep 0` and then becomes `sleep 30`, which never reaps it: the child stays a zombie. */
  let parent: ChildProcess;
  let zombie = 0;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zhingdrok-lock-'));
    parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const printed = await new Promise<string>((resolve) => parent.stdout!.once('data', (d) => resolve(String(d))));
    zombie = Number(printed.trim());
    assert.ok(zombie > 0, `the zombie's pid: ${printed}`);
    await until(() => processStat(zombie)?.state === 'Z', `process ${zombie} became a zombie`);
  });
  afterAll(async () => {
    parent.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  test('the lock file names this process and its start time', () => {
    const unlock = lockDataDir(dir);
    try {
      assert.equal(readFileSync(lockFile(dir), 'utf8').trim(), `${process.pid} ${processStat(process.pid)!.started}`);
    } finally {
      unlock();
    }
    assert.equal(existsSync(lockFile(dir)), false);
  });

  test('a lock held by a zombie is taken over (the zombie still answers kill -0)', () => {
    assert.doesNotThrow(() => process.kill(zombie, 0), 'the kernel still lists the zombie');
    for (const content of [String(zombie), `${zombie} ${processStat(zombie)!.started}`]) {
      writeFileSync(lockFile(dir), content);
      const unlock = lockDataDir(dir);
      assert.match(readFileSync(lockFile(dir), 'utf8'), new RegExp(`^${process.pid} `), content);
      unlock();
    }
  });

  test('a live owner refuses; the same pid with another start time is another process and does not', () => {
    const live = parent.pid!;
    const started = processStat(live)!.started;
    for (const content of [String(live), `${live} ${started}`]) {
      writeFileSync(lockFile(dir), content);
      assert.throws(
        () => lockDataDir(dir),
        (e: unknown) => e instanceof AlreadyRunningError && e.pid === live,
        content,
      );
      assert.equal(readFileSync(lockFile(dir), 'utf8'), content, 'the live owner keeps its lock');
    }
    writeFileSync(lockFile(dir), `${live} ${Number(started) + 1}`);
    const unlock = lockDataDir(dir);
    assert.match(readFileSync(lockFile(dir), 'utf8'), new RegExp(`^${process.pid} `));
    unlock();
  });
});

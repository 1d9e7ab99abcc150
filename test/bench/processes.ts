/**
 * Child processes for the bench: every child is tracked and ended when the bench ends,
 * however it ends, so that no server outlives a run.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const live = new Set<ChildProcess>();

function forget(child: ChildProcess) {
  live.delete(child);
}

/** Tracks a child started elsewhere (e.g. fork) so that it is ended with the bench. */
export function track<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => forget(child));
  child.once('error', () => forget(child));
  return child;
}

/** Spawns a tracked child. Its output is collected (bounded) for error messages. */
export function spawnTracked(
  command: string,
  args: string[],
  options: SpawnOptions,
): ChildProcess & { output: () => string } {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  let output = '';
  const collect = (chunk: Buffer) => {
    if (output.length < 64_000) output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.once('exit', () => forget(child));
  child.once('error', () => forget(child));
  return Object.assign(child, { output: () => output });
}

export function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** SIGTERM, then SIGKILL after `graceMs` if the child is still there. */
export async function stop(
  child: ChildProcess,
  graceMs = 5000,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return { code: child.exitCode, signal: child.signalCode, killed: false };
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const result = await Promise.race([exited(child), timeout]);
  clearTimeout(timer);
  if (result !== 'timeout') return { ...result, killed: false };
  child.kill('SIGKILL');
  return { ...(await exited(child)), killed: true };
}

/** Last resort, synchronous: used on process exit and on signals. */
export function killAllNow() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
  live.clear();
}

process.once('exit', killAllNow);

const tempDirs = new Set<string>();

/** A temporary directory that is removed by `removeTempDir`, or by `removeTempDirsNow` on a signal. */
export function makeTempDir(prefix: string, parent = tmpdir()): string {
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string) {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

export function removeTempDirsNow() {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

/** A port that was free a moment ago on loopback (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Runs a child to completion and returns its stdout; rejects on a non-zero exit or timeout. */
export async function runToEnd(
  command: string,
  args: string[],
  options: SpawnOptions & { timeoutMs: number },
): Promise<string> {
  const child = spawnTracked(command, args, options);
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
  try {
    const { code, signal } = await exited(child);
    if (code !== 0)
      throw new Error(
        `${command} ${args.join(' ')} ended with ${signal ?? `code ${code}`}:\n${child.output().slice(-2000)}`,
      );
    return stdout;
  } finally {
    clearTimeout(timer);
  }
}

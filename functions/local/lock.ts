import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class AlreadyRunningError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Zhingdrok is already running on ${dataDir} (process ${pid}). Stop it first, or start this one with another DATA_DIR.`,
    );
    this.name = 'AlreadyRunningError';
  }
}

/**
 * One process per data directory: LevelDB (under dynalite) must never be opened twice.
 * The lock file holds the owner's pid and, where /proc exists, its start time
 * (`<pid> <start>`); a lock is taken over when its owner is gone: no such process, a zombie
 * (exited, not yet reaped by its parent), or a pid that now names another process (its start
 * time differs). A lock of the older form (the pid alone) is judged by the pid.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, 'zhingdrok.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      const started = processStat(process.pid)?.started;
      writeSync(fd, started ? `${process.pid} ${started}\n` : String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, started] = readFileSync(path, 'utf8').trim().split(/\s+/);
      const pid = Number(pidText);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && ownerRuns(pid, started))
        throw new AlreadyRunningError(dataDir, pid);
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not lock ${dataDir}`);
}

/**
 * A process's state letter and start time (clock ticks after boot) from /proc/<pid>/stat
 * (proc(5)); undefined where it cannot be read (no such process, no /proc, a hidden pid).
 * The command name (field 2) may hold spaces and parentheses, so fields are counted from
 * the last `)`.
 */
export function processStat(pid: number): { state: string; started: string } | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After the name: state is field 3, starttime field 22.
  const [state, started] = [fields[0], fields[19]];
  return state && started && /^\d+$/.test(started) ? { state, started } : undefined;
}

function ownerRuns(pid: number, started: string | undefined): boolean {
  const stat = processStat(pid);
  // Unreadable: no /proc (macOS), or a pid /proc hides from us; ask the kernel whether it exists.
  if (!stat) return isAlive(pid);
  // Z: exited, waiting for its parent to reap it; X: being torn down. Neither holds the store.
  if (stat.state === 'Z' || stat.state === 'X') return false;
  return started === undefined || started === stat.started;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

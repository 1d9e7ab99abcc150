/** API latency and throughput on the real local stack, measured from a separate process. */
import { fork } from 'node:child_process';
import type { LoadJob, LoadResult } from './load-client.ts';
import { exited, track } from './processes.ts';
import { percentile } from './stats.ts';

export interface LatencySummary {
  path: string;
  requests: number;
  p50: number;
  p99: number;
  reqPerSec: number;
  errors: number;
  timedOut: boolean;
}

type Reply = { ok: true; results: LoadResult[] } | { ok: false; error: string };

async function inChild(job: LoadJob): Promise<LoadResult[]> {
  const child = track(
    fork(new URL('./load-client.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      // Its stdout goes to our stderr: stdout carries the report (and JSON) only.
      stdio: ['ignore', 2, 2, 'ipc'],
    }),
  );
  try {
    const reply = new Promise<LoadResult[]>((resolve, reject) => {
      child.once('message', (msg: Reply) => (msg.ok ? resolve(msg.results) : reject(new Error(msg.error))));
      child.once('exit', (code, signal) =>
        reject(new Error(`load client exited (${signal ?? code}) before answering`)),
      );
      child.once('error', reject);
    });
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('load did not finish in time')),
        job.maxMs * (job.urls.length + 1) + 60_000,
      );
    });
    child.send(job);
    try {
      return await Promise.race([reply, guard]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      // It disconnects and exits by itself once it has answered; allow it a moment.
      const done = await Promise.race([exited(child), new Promise<'late'>((r) => setTimeout(() => r('late'), 2000))]);
      if (done === 'late') child.kill('SIGKILL');
    }
  }
}

/** Loads every path (interleaved rounds, see load-client.ts) and summarises each. */
export async function measureLatency(
  baseUrl: string,
  paths: string[],
  opts: Omit<LoadJob, 'urls'>,
): Promise<LatencySummary[]> {
  const results = await inChild({ ...opts, urls: paths.map((p) => new URL(p, baseUrl).href) });
  return results.map((r, i) => ({
    path: paths[i] ?? r.url,
    requests: r.latenciesMs.length,
    p50: percentile(r.latenciesMs, 50),
    p99: percentile(r.latenciesMs, 99),
    reqPerSec: r.latenciesMs.length / (r.elapsedMs / 1000),
    errors: r.errors,
    timedOut: r.timedOut,
  }));
}

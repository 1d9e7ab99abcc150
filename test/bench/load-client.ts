/**
 * Closed-loop HTTP load, run in a child process (forked with IPC) so that the client does
 * not share an event loop, nor a thread, with the server it measures.
 *
 * `concurrency` loops each send one request, read the whole body, then send the next, over
 * keep-alive connections (or, with `ratePerSecond`, at fixed times: an open loop). Every target is warmed up first; then the targets are measured
 * in interleaved rounds (a, b, c, a, b, c, …) so that a server still warming up (JIT,
 * caches) or a noisy neighbour weighs on every target alike, not on whichever came first.
 * Bounded in count (`requests` per target) and in time (`maxMs` per target). Loopback only.
 */
import { Agent, request } from 'node:http';

export interface LoadJob {
  urls: string[];
  /** Measured requests per target, over all rounds. */
  requests: number;
  /** Unmeasured requests per target before measuring. */
  warmup: number;
  rounds: number;
  concurrency: number;
  /** Time cap per target, over all measured rounds (warm-up gets a quarter of it on top). */
  maxMs: number;
  /**
   * Open loop: requests per second over all connections, on a fixed schedule (each connection
   * sends every concurrency/rate seconds, the connections staggered). Latency then counts from
   * the scheduled time, so a request that had to wait for a slow one counts its wait
   * (no coordinated omission). Absent: closed loop, each connection sends as soon as it may.
   */
  ratePerSecond?: number;
}

export interface LoadResult {
  url: string;
  latenciesMs: number[];
  elapsedMs: number;
  errors: number;
  statuses: Record<string, number>;
  timedOut: boolean;
}

function assertLoopback(url: URL) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`load is only sent to loopback, not ${url.hostname}`);
}

async function run(job: LoadJob): Promise<LoadResult[]> {
  const targets = job.urls.map((u) => new URL(u));
  targets.forEach(assertLoopback);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const once = (target: URL) =>
    new Promise<number>((resolve, reject) => {
      const req = request(target, { agent, headers: { accept: 'application/json' } }, (res) => {
        res.on('data', () => {});
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.setTimeout(10_000, () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end();
    });

  const results: LoadResult[] = targets.map((t) => ({
    url: t.href,
    latenciesMs: [],
    elapsedMs: 0,
    errors: 0,
    statuses: {},
    timedOut: false,
  }));

  /** `requests` requests to one target from `concurrency` loops; returns false if cut by the deadline. */
  const phase = async (target: URL, requests: number, maxMs: number, into?: LoadResult) => {
    let left = requests;
    let cut = false;
    const deadline = performance.now() + maxMs;
    const started = performance.now();
    const interval = job.ratePerSecond ? (1000 * job.concurrency) / job.ratePerSecond : 0;
    const loop = async (_: unknown, index: number) => {
      for (let k = 0; left > 0; k++) {
        if (performance.now() > deadline) {
          cut = true;
          return;
        }
        left--;
        const scheduled = started + (k + index / job.concurrency) * interval;
        const ahead = scheduled - performance.now();
        if (interval && ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
        const t0 = interval ? scheduled : performance.now();
        try {
          const status = await once(target);
          if (into) {
            into.latenciesMs.push(performance.now() - t0);
            into.statuses[status] = (into.statuses[status] ?? 0) + 1;
            if (status !== 200) into.errors++;
          }
        } catch {
          if (into) into.errors++;
        }
      }
    };
    await Promise.all(Array.from({ length: job.concurrency }, loop));
    if (into) {
      into.elapsedMs += performance.now() - started;
      into.timedOut ||= cut;
    }
  };

  // Warm-up is bounded too: a quarter of the per-target time cap.
  for (const target of targets) await phase(target, job.warmup, job.maxMs / 4);
  const perRound = Math.ceil(job.requests / job.rounds);
  for (let round = 0; round < job.rounds; round++) {
    for (const [i, target] of targets.entries()) {
      const result = results[i] as LoadResult;
      const count = Math.min(perRound, job.requests - round * perRound);
      // A round cut short by its time slice still leaves the later rounds their own slices.
      if (count > 0) await phase(target, count, job.maxMs / job.rounds, result);
    }
  }
  agent.destroy();
  return results;
}

if (process.send) {
  const send = process.send.bind(process);
  process.once('message', (job: LoadJob) => {
    run(job).then(
      (results) => send({ ok: true, results }, () => process.disconnect()),
      (err: unknown) => send({ ok: false, error: String(err) }, () => process.disconnect()),
    );
  });
}

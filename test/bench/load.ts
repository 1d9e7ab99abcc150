/**
 * `npm run bench -- --only=load`: a bounded mixed load on the local stack (the server `npm start`
 * runs: the same local app, dynalite in memory and s3rver, in this process), open loop, from a
 * client in a child process (open-loop-client.ts):
 *
 * - public pages (home, prices, a commodity's prices, the market), the price and listing JSON
 *   APIs, and inbound SMS (`POST /dev/sms`, unique ids, a few commands in three languages), in
 *   the proportions of MIX, at one stated rate, for 60 seconds (`--quick`: 15);
 * - `GET /health` alone at the same rate before and after: the baseline each route is stated
 *   beside (what the stack costs a request that does one GetItem, under the same arrivals);
 * - errors (any status outside 2xx/3xx, a network error, a 10 s timeout), which must be 0;
 * - the server's memory (RSS and V8 heap) before the load, after it, and after a full GC.
 *
 * Seeded first so that the pages are not empty: a year of weekly prices at Lhasa's markets (the
 * page section's data) and 300 open offers.
 */
import { fork } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startTestServer } from '#test/support/server.ts';
import { randomOffer, seed as seedOffers, universe } from './exchange.ts';
import type { LoadPhase, MixRoute, OpenLoopJob, PhaseResult, RouteResult } from './open-loop-client.ts';
import { exited, track } from './processes.ts';
import { type Figure, figure } from './report.ts';
import { type SectionResult, seedPagePrices } from './sections.ts';
import { percentile, seededRandom } from './stats.ts';

export interface LoadBenchOptions {
  /** Requests per second, open loop, for the mixed load and for the /health baseline alike. */
  ratePerSecond: number;
  /** The mixed load's length. */
  seconds: number;
  /** Unmeasured mixed load first (JIT, caches), and each /health baseline's length. */
  warmupSeconds: number;
  baselineSeconds: number;
}

const html = 'text/html';
const json = 'application/json';
const langs = (path: string) => ['bo', 'zh', 'en'].map((l) => `${path}${path.includes('?') ? '&' : '?'}lang=${l}`);

/**
 * The mix, by weight out of 100: what a village information point, the API's clients and
 * farmers' phones send. Pages 40 %, JSON API 35 %, inbound SMS 25 % (each SMS runs the whole
 * pipeline: claim, counters, subscriber, reply, outbox — the heaviest request here).
 */
const MIX: MixRoute[] = [
  { name: 'GET / (home)', weight: 12, method: 'GET', paths: langs('/'), accept: html },
  { name: 'GET /prices', weight: 10, method: 'GET', paths: langs('/prices'), accept: html },
  { name: 'GET /prices/barley_qingke', weight: 8, method: 'GET', paths: langs('/prices/barley_qingke'), accept: html },
  { name: 'GET /market', weight: 10, method: 'GET', paths: langs('/market'), accept: html },
  {
    name: 'GET /api/v1/prices/latest',
    weight: 15,
    method: 'GET',
    paths: ['/api/v1/prices/latest?commodity=barley_qingke', '/api/v1/prices/latest?commodity=yak_butter'],
    accept: json,
  },
  {
    name: 'GET /api/v1/prices',
    weight: 8,
    method: 'GET',
    paths: ['/api/v1/prices?commodity=barley_qingke&limit=50', '/api/v1/prices?market=mkt_lhasa_dongga&limit=50'],
    accept: json,
  },
  {
    name: 'GET /api/v1/listings',
    weight: 12,
    method: 'GET',
    paths: [
      '/api/v1/listings?limit=20',
      '/api/v1/listings?side=sell&limit=20',
      '/api/v1/listings?commodity=barley_qingke',
    ],
    accept: json,
  },
  {
    name: 'POST /dev/sms',
    weight: 25,
    method: 'POST',
    paths: ['/dev/sms'],
    accept: json,
    sms: {
      // Commands every number may send more than once: the pool is small enough that numbers repeat.
      texts: [
        'PRICE BARLEY',
        '价格 青稞',
        'JOIN Gyantse',
        'ཐོ་འགོད རྒྱལ་རྩེ',
        'SUB PRICE BARLEY',
        'HELP',
        'FIND BARLEY',
        '帮助',
      ],
      phones: 1_000,
    },
  },
];

const HEALTH: MixRoute[] = [{ name: 'GET /health', weight: 1, method: 'GET', paths: ['/health'], accept: json }];

type Reply = { ok: true; results: PhaseResult[] } | { ok: false; error: string };

async function inChild(job: OpenLoopJob): Promise<PhaseResult[]> {
  const child = track(
    fork(new URL('./open-loop-client.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 2, 2, 'ipc'],
    }),
  );
  const seconds = job.phases.reduce((s, p) => s + p.seconds, 0);
  try {
    const reply = new Promise<PhaseResult[]>((resolve, reject) => {
      child.once('message', (msg: Reply) => (msg.ok ? resolve(msg.results) : reject(new Error(msg.error))));
      child.once('exit', (code, signal) =>
        reject(new Error(`load client exited (${signal ?? code}) before answering`)),
      );
      child.once('error', reject);
    });
    let timer: NodeJS.Timeout | undefined;
    const guard = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('load did not finish in time')), (seconds + 60) * 1000);
    });
    child.send(job);
    try {
      return await Promise.race([reply, guard]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const done = await Promise.race([exited(child), new Promise<'late'>((r) => setTimeout(() => r('late'), 2000))]);
      if (done === 'late') child.kill('SIGKILL');
    }
  }
}

/** A full GC on demand: the flag can be set at run time, and a new context then exposes `gc`. */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

const mb = (bytes: number) => bytes / 1024 / 1024;
const memory = () => {
  const m = process.memoryUsage();
  return { rss: mb(m.rss), heap: mb(m.heapUsed) };
};

async function seedData(stack: Awaited<ReturnType<typeof startTestServer>>['stack']) {
  await seedPagePrices(stack);
  const catalog = await stack.deps.catalog();
  const u = universe(catalog);
  const rnd = seededRandom(300);
  const now = Date.now();
  const db = (stack.deps.subscribers as unknown as { db: Parameters<typeof seedOffers>[0] }).db;
  await seedOffers(
    db,
    stack.tableName,
    Array.from({ length: 300 }, (_, i) => randomOffer(u, catalog, rnd, i, now)),
  );
}

export async function loadSection(opts: LoadBenchOptions, log: (m: string) => void): Promise<SectionResult> {
  const server = await startTestServer();
  const gc = collector();
  try {
    await seedData(server.stack);
    const job = (phases: LoadPhase[], tag: string): OpenLoopJob => ({
      baseUrl: server.url,
      ratePerSecond: opts.ratePerSecond,
      phases,
      runTag: `${Date.now().toString(36)}-${tag}`,
    });
    const [warm, healthBefore] = await inChild(
      job(
        [
          { name: 'warm-up', seconds: opts.warmupSeconds, routes: MIX, measured: true },
          { name: 'health before', seconds: opts.baselineSeconds, routes: HEALTH, measured: true },
        ],
        'a',
      ),
    );
    gc();
    const before = memory();
    log(`load: ${opts.seconds} s of mixed load at ${opts.ratePerSecond} req/s…`);
    // The server's event loop during the load: a stall of the whole process shows here, not in one route.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    const [mixed] = await inChild(job([{ name: 'mixed', seconds: opts.seconds, routes: MIX, measured: true }], 'b'));
    loopDelay.disable();
    const after = memory();
    gc();
    const afterGc = memory();
    const [healthAfter] = await inChild(
      job([{ name: 'health after', seconds: opts.baselineSeconds, routes: HEALTH, measured: true }], 'c'),
    );
    if (!warm || !healthBefore || !mixed || !healthAfter) throw new Error('the load client answered too few phases');

    const all = (p: PhaseResult) => p.routes.flatMap((r) => r.latenciesMs);
    const health = [...all(healthBefore), ...all(healthAfter)];
    const hp50 = percentile(health, 50);
    const hp99 = percentile(health, 99);
    const base50 = { name: 'GET /health p50, same rate', value: hp50 };
    const base99 = { name: 'GET /health p99, same rate', value: hp99 };
    const errors = mixed.routes.reduce((n, r) => n + r.errors, 0);
    const baselineErrors = [...healthBefore.routes, ...healthAfter.routes].reduce((n, r) => n + r.errors, 0);
    const achieved = mixed.completed / (mixed.elapsedMs / 1000);
    const rate = `${opts.ratePerSecond} req/s open loop`;
    const statuses = (r: RouteResult) =>
      [...Object.entries(r.statuses), ...Object.entries(r.errorKinds).filter(([k]) => !(k in r.statuses))]
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
    const figures: Figure[] = [
      figure({
        group: 'load',
        name: `errors (non-2xx/3xx, network, timeout) of ${mixed.scheduled} mixed requests, ${rate}`,
        value: errors,
        unit: 'count',
        baseline: { name: 'GET /health errors', value: baselineErrors },
        target: { of: 'value', op: '<=', limit: 0 },
      }),
      figure({
        group: 'load',
        name: `throughput achieved, mixed, ${opts.seconds} s`,
        value: achieved,
        unit: 'req/s',
        baseline: { name: 'rate scheduled', value: opts.ratePerSecond },
        target: { of: 'ratio', op: '>=', limit: 0.95 },
      }),
      figure({
        group: 'load',
        name: 'mixed, all routes p50',
        value: percentile(all(mixed), 50),
        unit: 'ms',
        baseline: base50,
      }),
      figure({
        group: 'load',
        name: 'mixed, all routes p99',
        value: percentile(all(mixed), 99),
        unit: 'ms',
        baseline: base99,
      }),
      ...mixed.routes.flatMap((r) => [
        figure({
          group: 'load',
          name: `${r.name} p50 (${r.latenciesMs.length} req)`,
          value: percentile(r.latenciesMs, 50),
          unit: 'ms',
          baseline: base50,
        }),
        figure({
          group: 'load',
          name: `${r.name} p99`,
          value: percentile(r.latenciesMs, 99),
          unit: 'ms',
          baseline: base99,
          note: `statuses ${statuses(r)}`,
        }),
      ]),
      figure({
        group: 'load',
        name: "server's event loop delay during the load, p99",
        value: loopDelay.percentile(99) / 1e6,
        unit: 'ms',
        note: `max ${(loopDelay.max / 1e6).toFixed(0)} ms, mean ${(loopDelay.mean / 1e6).toFixed(1)} ms (sampled every 10 ms)`,
      }),
      figure({
        group: 'load',
        name: 'server RSS after the load',
        value: after.rss,
        unit: 'MB',
        baseline: { name: 'before, after a GC', value: before.rss },
      }),
      figure({
        group: 'load',
        name: 'server RSS after the load and a GC',
        value: afterGc.rss,
        unit: 'MB',
        baseline: { name: 'before, after a GC', value: before.rss },
      }),
      figure({
        group: 'load',
        name: 'server heap used after the load',
        value: after.heap,
        unit: 'MB',
        baseline: { name: 'before, after a GC', value: before.heap },
      }),
      figure({
        group: 'load',
        name: 'server heap used after the load and a GC',
        value: afterGc.heap,
        unit: 'MB',
        baseline: { name: 'before, after a GC', value: before.heap },
        // Retained growth from 60 s of load (caches fill, then hold): a leak would grow with every run.
        target: { of: 'ratio', op: '<=', limit: 1.5 },
      }),
    ];
    const sms = mixed.routes.find((r) => r.name === 'POST /dev/sms');
    const mixShare = MIX.map((r) => `${r.name} ${r.weight} %`).join(', ');
    const notes = [
      `load: open loop at ${opts.ratePerSecond} req/s for ${opts.seconds} s${opts.seconds < 60 ? ' (--quick: shortened from 60 s)' : ''} ` +
        `after ${opts.warmupSeconds} s of unmeasured warm-up; /health alone at the same rate for ${opts.baselineSeconds} s before and ${opts.baselineSeconds} s after (its p50/p99 pooled as the baseline: ` +
        `before ${percentile(all(healthBefore), 50).toFixed(2)}/${percentile(all(healthBefore), 99).toFixed(2)} ms, after ${percentile(all(healthAfter), 50).toFixed(2)}/${percentile(all(healthAfter), 99).toFixed(2)} ms); ` +
        `latency from each request's scheduled start (no coordinated omission); client in its own process, started at worst ${mixed.maxStartLagMs.toFixed(1)} ms late`,
      `load: mix by weight — ${mixShare}; pages rotate bo/zh/en; SMS from a pool of 1,000 numbers, each with a unique id, ` +
        `${sms?.smsWithoutReply ?? 0} of ${sms?.latenciesMs.length ?? 0} answered without an SMS reply (not an error: the rate limit or budget held it back)`,
      `load: server memory is this process's (the app, dynalite in memory and s3rver, as under npm start, plus the bench's own code): RSS and V8 heap used, in MB; "before" is after the warm-up and a full GC`,
      `load: seeded first — a year of weekly prices at Lhasa's markets (every commodity at the first market) and 300 open offers`,
    ];
    return { figures, notes };
  } finally {
    await server.close();
  }
}

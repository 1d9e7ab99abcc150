/**
 * Open-loop mixed HTTP load, run in a child process (forked with IPC) so that the client does
 * not share an event loop, nor a thread, with the server it measures.
 *
 * Requests start on a fixed schedule (`ratePerSecond`, request i at start + i / rate), whether
 * or not earlier ones have finished, and each latency counts from its scheduled time: a request
 * that waited behind a slow one counts its wait (no coordinated omission). Each phase picks its
 * routes by weight with a seeded generator, so two runs send the same sequence. A response
 * other than 2xx/3xx, a network error or a timeout is an error. Loopback only.
 */
import { Agent, request } from 'node:http';
import { seededRandom } from './stats.ts';

export interface MixRoute {
  /** The label figures are reported under, e.g. `GET /prices`. */
  name: string;
  weight: number;
  method: 'GET' | 'POST';
  /** Paths to rotate through (e.g. the same page in three languages). */
  paths: string[];
  /** POST bodies: each request gets the next text, from a number of the pool, with a unique id. */
  sms?: { texts: string[]; phones: number };
  accept: string;
}

export interface LoadPhase {
  name: string;
  seconds: number;
  routes: MixRoute[];
  /** Whether results are kept (a warm-up phase's are not). */
  measured: boolean;
}

export interface OpenLoopJob {
  baseUrl: string;
  ratePerSecond: number;
  phases: LoadPhase[];
  /** Distinguishes message ids between runs on one store. */
  runTag: string;
}

export interface RouteResult {
  name: string;
  latenciesMs: number[];
  statuses: Record<string, number>;
  errors: number;
  /** Errors by what they were: a status, or the network error's code (ECONNRESET, timeout…). */
  errorKinds: Record<string, number>;
  /** POST /dev/sms answered 2xx with no reply in it (rate-limited, budget spent…): counted apart from errors. */
  smsWithoutReply: number;
}

export interface PhaseResult {
  name: string;
  scheduled: number;
  completed: number;
  elapsedMs: number;
  /** How late, at worst, the client itself started a request after its scheduled time. */
  maxStartLagMs: number;
  routes: RouteResult[];
}

const TIMEOUT_MS = 10_000;

function assertLoopback(url: URL) {
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    throw new Error(`load is only sent to loopback, not ${url.hostname}`);
}

async function run(job: OpenLoopJob): Promise<PhaseResult[]> {
  const base = new URL(job.baseUrl);
  assertLoopback(base);
  // No socket cap: an open loop opens more connections when the server slows, as clients would.
  const agent = new Agent({ keepAlive: true });
  const rnd = seededRandom(20_260_101);
  let smsCounter = 0;

  const send = (route: MixRoute, index: number) =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const path = route.paths[index % route.paths.length] ?? '/';
      let payload: string | undefined;
      if (route.sms) {
        const n = smsCounter++;
        payload = JSON.stringify({
          from: `+86139${String(50_000_000 + (n % route.sms.phones)).padStart(8, '0')}`,
          text: route.sms.texts[n % route.sms.texts.length],
          id: `load-${job.runTag}-${n}`,
        });
      }
      const req = request(
        new URL(path, base),
        {
          agent,
          method: route.method,
          headers: {
            accept: route.accept,
            ...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          // Only the SMS answer is read; pages are drained.
          res.on('data', (c: Buffer) => route.sms && chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
          res.on('error', reject);
        },
      );
      req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error('request timed out')));
      req.on('error', reject);
      req.end(payload);
    });

  const pick = (routes: MixRoute[]) => {
    const total = routes.reduce((s, r) => s + r.weight, 0);
    let x = rnd() * total;
    for (const r of routes) {
      x -= r.weight;
      if (x < 0) return r;
    }
    return routes[routes.length - 1] as MixRoute;
  };

  const phase = async (p: LoadPhase): Promise<PhaseResult> => {
    const results = new Map<MixRoute, RouteResult>(
      p.routes.map((r) => [
        r,
        { name: r.name, latenciesMs: [], statuses: {}, errors: 0, errorKinds: {}, smsWithoutReply: 0 },
      ]),
    );
    const uses = new Map<MixRoute, number>();
    const total = Math.round(p.seconds * job.ratePerSecond);
    const interval = 1000 / job.ratePerSecond;
    const started = performance.now();
    let maxStartLagMs = 0;
    let completed = 0;
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const scheduled = started + i * interval;
      const ahead = scheduled - performance.now();
      if (ahead > 0) await new Promise((resolve) => setTimeout(resolve, ahead));
      maxStartLagMs = Math.max(maxStartLagMs, performance.now() - scheduled);
      const route = pick(p.routes);
      const use = uses.get(route) ?? 0;
      uses.set(route, use + 1);
      const into = results.get(route) as RouteResult;
      inFlight.push(
        send(route, use).then(
          ({ status, body }) => {
            completed++;
            into.latenciesMs.push(performance.now() - scheduled);
            into.statuses[status] = (into.statuses[status] ?? 0) + 1;
            if (status < 200 || status >= 400) {
              into.errors++;
              into.errorKinds[status] = (into.errorKinds[status] ?? 0) + 1;
            } else if (route.sms) {
              const replies = (JSON.parse(body) as { replies?: unknown[] }).replies ?? [];
              if (!replies.length) into.smsWithoutReply++;
            }
          },
          (err: NodeJS.ErrnoException) => {
            completed++;
            into.latenciesMs.push(performance.now() - scheduled);
            into.errors++;
            const kind = err.code ?? err.message;
            into.errorKinds[kind] = (into.errorKinds[kind] ?? 0) + 1;
          },
        ),
      );
    }
    await Promise.all(inFlight);
    return {
      name: p.name,
      scheduled: total,
      completed,
      elapsedMs: performance.now() - started,
      maxStartLagMs,
      routes: [...results.values()],
    };
  };

  const out: PhaseResult[] = [];
  for (const p of job.phases) {
    const r = await phase(p);
    if (p.measured) out.push(r);
  }
  agent.destroy();
  return out;
}

if (process.send) {
  const send = process.send.bind(process);
  process.once('message', (job: OpenLoopJob) => {
    run(job).then(
      (results) => send({ ok: true, results }, () => process.disconnect()),
      (err: unknown) => send({ ok: false, error: String(err) }, () => process.disconnect()),
    );
  });
}

/**
 * Does the answer time of `POST /api/v1/auth/code` tell who is staff?
 *
 * The local server (real HTTP on loopback, dynalite in memory) gets many single requests from
 * a client in another process (sign-in-client.ts: as an attacker's would, it shares no event
 * loop with the server), one at a time, half for staff phones and half for phones that are not staff, in a random order;
 * each phone is asked for once and the app's clock moves on an hour between requests, so no
 * rate limit or cooldown is ever met (every answer is the 202 the attacker sees). Before each
 * request the bench waits until the server has finished whatever the previous one left running
 * in the background, as an attacker spacing their requests would.
 *
 * Then an attacker's best single-threshold rule ("slower than t ms → staff", or faster) is
 * fitted on one half of the requests and judged on the other half: how many of those it tells
 * apart, beside the half a coin would get.
 */
import { fork } from 'node:child_process';
import { startTestServer } from '#test/support/server.ts';
import type { TestStack } from '#test/support/stack.ts';
import { advanceClock } from '#test/support/staff.ts';
import { exited, track } from './processes.ts';
import { type Figure, figure } from './report.ts';
import { median, percentile, seededRandom } from './stats.ts';

export interface SignInBenchOptions {
  /** Requests per half (training, judging), each half evenly staff and not staff. */
  perHalf: number;
  warmup: number;
}

type Label = 'staff' | 'other';
interface Sample {
  label: Label;
  ms: number;
}

function shuffledLabels(count: number, random: () => number): Label[] {
  const labels: Label[] = Array.from({ length: count }, (_, i) => (i % 2 ? 'staff' : 'other'));
  for (let i = labels.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [labels[i], labels[j]] = [labels[j]!, labels[i]!];
  }
  return labels;
}

/** Waits until the server has nothing of an earlier request still running (sign-in code deliveries). */
async function settled(stack: TestStack) {
  const queue = (stack.deps as { signInCodeQueue?: { settled?: () => Promise<void> } }).signInCodeQueue;
  await queue?.settled?.();
  await new Promise((r) => setTimeout(r, 5));
}

/**
 * The attacker's best threshold on `train`: every midpoint between neighbouring latencies, in
 * both directions; returns the rule that classifies the most training samples right.
 */
export function fitThreshold(train: readonly Sample[]): { threshold: number; slowIsStaff: boolean } {
  const sorted = [...train].sort((a, b) => a.ms - b.ms);
  let best = { threshold: Number.NEGATIVE_INFINITY, slowIsStaff: true, right: -1 };
  const candidates = [Number.NEGATIVE_INFINITY, ...sorted.slice(1).map((s, i) => (s.ms + sorted[i]!.ms) / 2)];
  for (const threshold of candidates) {
    for (const slowIsStaff of [true, false]) {
      const right = train.filter((s) => (s.ms > threshold === slowIsStaff ? 'staff' : 'other') === s.label).length;
      if (right > best.right) best = { threshold, slowIsStaff, right };
    }
  }
  return { threshold: best.threshold, slowIsStaff: best.slowIsStaff };
}

export const toldApart = (rule: { threshold: number; slowIsStaff: boolean }, samples: readonly Sample[]) =>
  samples.filter((s) => (s.ms > rule.threshold === rule.slowIsStaff ? 'staff' : 'other') === s.label).length;

/** The client process: one request per call, answered over IPC. */
function attacker() {
  const child = track(
    fork(new URL('./sign-in-client.ts', import.meta.url).pathname, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 2, 2, 'ipc'],
    }),
  );
  const ask = (url: string, phone: string) =>
    new Promise<{ status: number; ms: number }>((resolve, reject) => {
      child.once('message', (m: { ok: true; status: number; ms: number } | { ok: false; error: string }) =>
        m.ok ? resolve(m) : reject(new Error(m.error)),
      );
      child.send({ url, phone });
    });
  const close = async () => {
    if (child.connected) child.send('done');
    await Promise.race([exited(child), new Promise((r) => setTimeout(r, 2000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  return { ask, close };
}

export async function signInSection(opts: SignInBenchOptions): Promise<{ figures: Figure[]; notes: string[] }> {
  const server = await startTestServer();
  const { stack } = server;
  const client = attacker();
  try {
    const total = opts.warmup + 2 * opts.perHalf;
    const now = stack.deps.now().toISOString();
    const staffPhone = (i: number) => `+86137${String(i).padStart(8, '0')}`;
    const otherPhone = (i: number) => `+86136${String(i).padStart(8, '0')}`;
    for (let i = 0; i < total; i++) {
      await stack.deps.staff.create({
        phone: staffPhone(i),
        grants: [{ role: 'collector', regions: ['pref_lhasa'] }],
        invitedBy: 'bench',
        createdAt: now,
        updatedAt: now,
        version: 1,
      });
    }
    const labels = shuffledLabels(total, seededRandom(8));
    const samples: Sample[] = [];
    for (let i = 0; i < total; i++) {
      const label = labels[i]!;
      advanceClock(stack, 3600);
      await settled(stack);
      const phone = label === 'staff' ? staffPhone(i) : otherPhone(i);
      const { status, ms } = await client.ask(`${server.url}/api/v1/auth/code`, phone);
      if (status !== 202) throw new Error(`request ${i} (${label}) answered ${status}`);
      if (i >= opts.warmup) samples.push({ label, ms });
    }
    await settled(stack);
    const train = samples.slice(0, opts.perHalf);
    const judged = samples.slice(opts.perHalf);
    const rule = fitThreshold(train);
    const right = toldApart(rule, judged);
    const of = (label: Label) => samples.filter((s) => s.label === label).map((s) => s.ms);
    const [staff, other] = [of('staff'), of('other')];
    const ruleText = `${rule.slowIsStaff ? 'slower' : 'faster'} than ${rule.threshold.toFixed(2)} ms → staff`;
    return {
      figures: [
        figure({
          group: 'signin',
          name: 'POST /auth/code p50, staff phones (single requests)',
          value: median(staff),
          unit: 'ms',
          baseline: { name: 'phones not staff', value: median(other) },
        }),
        figure({
          group: 'signin',
          name: 'POST /auth/code p90, staff phones (single requests)',
          value: percentile(staff, 90),
          unit: 'ms',
          baseline: { name: 'phones not staff', value: percentile(other, 90) },
        }),
        figure({
          group: 'signin',
          name: `single requests told apart by the best threshold (of ${judged.length})`,
          value: right,
          unit: 'count',
          baseline: { name: 'a coin', value: judged.length / 2 },
          // A coin's 95% band on this many requests: a rule that does better has found a signal.
          target: {
            of: 'value',
            op: '<=',
            limit: Math.ceil(judged.length / 2 + (1.96 * Math.sqrt(judged.length)) / 2),
          },
          note: `threshold fitted on ${train.length} other requests (${ruleText}); ${staff.length} staff and ${other.length} other requests measured after ${opts.warmup} warm-up ones`,
        }),
      ],
      notes: [],
    };
  } finally {
    await client.close();
    await server.close();
  }
}

/**
 * The parent side of the chaos runs: it keeps the stores (dynalite and s3rver, through the same
 * startLocalStack as `npm start`) and the End User Messaging stand-in, runs each scenario's
 * application side in a child process (test/chaos/child-main.ts), kills it with SIGKILL at a
 * drawn DynamoDB request, reruns what was not acknowledged, and counts the outcome from the
 * stores and the stand-in's record of what was sent.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { outboundKey } from '#adapters/dynamodb/keys.ts';
import { type LocalConfig, loadConfig } from '#config';
import { type LocalStack, startLocalStack } from '#local/stack.ts';
import { type EumStandIn, startEumStandIn } from '#test/support/eum-stand-in.ts';
import { addCounts, noCounts } from './faults.ts';
import type { ChildJob, ChildReport, DeadLetter, FaultKind, ScenarioName, ScenarioRow } from './types.ts';

const root = new URL('../../', import.meta.url).pathname;

export interface ChaosContext {
  config: LocalConfig;
  env: Record<string, string>;
  stack: LocalStack;
  eum: EumStandIn;
  /** A document client without faults: the harness's own reads of the table. */
  db: ReturnType<typeof createDocumentClient>;
  close(): Promise<void>;
}

/** A fresh table and bucket on embedded stores, seeded, and a gateway stand-in: one per scenario run. */
export async function startChaosStack(): Promise<ChaosContext> {
  const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-chaos-'));
  const env: Record<string, string> = {
    APP_MODE: 'local',
    TABLE_NAME: `chaos-${randomUUID().slice(0, 8)}`,
    BUCKET_NAME: 'zhingdrok-chaos',
    ADMIN_PHONES: '+8613800000000',
    LOG_LEVEL: 'silent',
    // A burst is the point: no hourly cap per phone, no daily budget, no quiet hours in the way.
    SMS_INBOUND_PER_HOUR: '100000',
    SMS_DAILY_SEGMENT_LIMIT: '1000000',
    QUIET_HOURS_START: '00:00',
    QUIET_HOURS_END: '00:00',
    SMS_SEND_RATE: '1000',
    EXCHANGE_MAX_POSTS_PER_DAY: '1000',
    EXCHANGE_MAX_OPEN: '1000',
    EXCHANGE_MATCH_NOTICES_PER_DAY: '1000',
  };
  const config = loadConfig(env);
  if (config.APP_MODE !== 'local') throw new Error('local only');
  const stack = await startLocalStack(config, { inMemory: true, s3Dir: join(dir, 's3'), log: () => {} });
  stack.deps.log = () => {};
  const eum = await startEumStandIn();
  const db = createDocumentClient({ region: config.AWS_REGION, endpoint: stack.dynamoEndpoint });
  return {
    config,
    env: { ...env, DYNAMODB_ENDPOINT: stack.dynamoEndpoint },
    stack,
    eum,
    db,
    async close() {
      db.destroy();
      await eum.close();
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * How many times a rerun is tried when it fails outright: under injected faults a rerun's own
 * request can exhaust the SDK's retries too, and AWS would then redeliver the same work again
 * (SQS, Lambda's async retries, the next tick). Each try redoes all of the rerun's work, so a
 * second delivery of what the failed try had already done is part of what is checked.
 */
const RERUN_TRIES = 5;

/**
 * Runs one child to its end, or until it reports its kill point and is killed with SIGKILL. A
 * rerun that fails is delivered again (RERUN_TRIES); the reports of every try are added up.
 */
export async function runChild(
  ctx: ChaosContext,
  job: Omit<ChildJob, 'env' | 's3Endpoint' | 'eumUrl'>,
): Promise<ChildReport> {
  if (job.phase !== 'rerun') return runChildOnce(ctx, job);
  let total: ChildReport | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      const report = await runChildOnce(ctx, job);
      return total ? mergeReports(total, report) : report;
    } catch (err) {
      if (attempt >= RERUN_TRIES) throw err;
      const failed = (err as { report?: ChildReport }).report;
      if (failed) total = total ? mergeReports(total, failed) : failed;
      if (total) total.redeliveries++;
    }
  }
}

function mergeReports(a: ChildReport, b: ChildReport): ChildReport {
  return {
    acked: [...a.acked, ...b.acked],
    dead: [...a.dead, ...b.dead],
    redeliveries: a.redeliveries + b.redeliveries,
    counts: addCounts(a.counts, b.counts),
    finished: b.finished,
    ...(b.killedAt !== undefined ? { killedAt: b.killedAt } : a.killedAt !== undefined ? { killedAt: a.killedAt } : {}),
    stderr: b.stderr,
  };
}

async function runChildOnce(
  ctx: ChaosContext,
  job: Omit<ChildJob, 'env' | 's3Endpoint' | 'eumUrl'>,
): Promise<ChildReport> {
  const full: ChildJob = { ...job, env: ctx.env, s3Endpoint: ctx.stack.s3Endpoint, eumUrl: ctx.eum.url };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/chaos/child-main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...(process.env.CHAOS_DEBUG_LOG ? { CHAOS_DEBUG_LOG: process.env.CHAOS_DEBUG_LOG } : {}),
    },
    // The job on stdin, not in the environment: a rerun's work (hundreds of events) is past what
    // an environment may hold (spawn fails with E2BIG).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdin!.end(JSON.stringify(full));
  const report: ChildReport = {
    acked: [],
    dead: [],
    redeliveries: 0,
    counts: noCounts(),
    finished: false,
    stderr: '',
  };
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let nl = pending.indexOf('\n');
    while (nl >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      nl = pending.indexOf('\n');
      const [word, ...rest] = line.split(' ');
      if (word === 'ack') report.acked.push(rest.join(' '));
      else if (word === 'redelivered') report.redeliveries++;
      else if (word === 'dead') {
        const [key, ...json] = rest;
        report.dead.push({ key: key!, record: JSON.parse(json.join(' ')) as DeadLetter });
      } else if (word === 'kill') {
        report.killedAt = Number(rest[0]);
        report.gatewayAtKill = ctx.eum.requests.length;
        child.kill('SIGKILL');
      } else if (word === 'counts') {
        const c = JSON.parse(rest.join(' '));
        report.counts = addCounts(c.dynamodb, c.gateway);
      } else if (word === 'clock') report.clock = Number(rest[0]);
      else if (word === 'done') report.finished = true;
    }
  });
  child.stderr!.on('data', (d: Buffer) => {
    report.stderr = (report.stderr + d.toString('utf8')).slice(-4000);
  });
  await new Promise<void>((resolve) => child.on('exit', () => resolve()));
  if (child.signalCode !== 'SIGKILL' && !report.finished)
    throw Object.assign(new Error(`the ${job.scenario} child (${job.phase}) failed:\n${report.stderr}`), { report });
  return report;
}

/** How many times the gateway stand-in was asked to send each of our message ids (Context.zhingdrokId). */
export function gatewaySends(eum: EumStandIn): Map<string, number> {
  const sends = new Map<string, number>();
  for (const r of eum.requests) {
    if (r.operation !== 'SendTextMessage') continue;
    const id = r.body?.Context?.zhingdrokId as string | undefined;
    if (id) sends.set(id, (sends.get(id) ?? 0) + 1);
  }
  return sends;
}

/**
 * Sends of each message id before and after a kill (`boundary`: the stand-in's request count
 * when the kill was reported). One send on each side is a send the kill cut off between the
 * gateway and its record, sent again by the rerun (ScenarioRow.cutOff); two on one side is a
 * duplicate.
 */
export function gatewaySendsAround(eum: EumStandIn, boundary: number | undefined) {
  const sides = new Map<string, { before: number; after: number }>();
  eum.requests.forEach((r, i) => {
    if (r.operation !== 'SendTextMessage') return;
    const id = r.body?.Context?.zhingdrokId as string | undefined;
    if (!id) return;
    const side = sides.get(id) ?? { before: 0, after: 0 };
    if (boundary !== undefined && i < boundary) side.before++;
    else side.after++;
    sides.set(id, side);
  });
  let cutOff = 0;
  let duplicated = 0;
  for (const { before, after } of sides.values()) {
    duplicated += Math.max(0, before - 1) + Math.max(0, after - 1);
    if (before && after) cutOff++;
  }
  return { sides, cutOff, duplicated };
}

/** An outbound SMS as the table holds it (status, broadcast), read consistently. */
export async function outboundItem(ctx: ChaosContext, id: string) {
  const res = await ctx.db.send(
    new GetCommand({ TableName: ctx.config.TABLE_NAME, Key: outboundKey(id), ConsistentRead: true }),
  );
  return res.Item as { status: string; to: string; broadcastId?: string; error?: string } | undefined;
}

/** What each scenario module gives the runner. */
export interface Scenario {
  name: ScenarioName;
  title: string;
  /** Seeds what the scenario needs and runs it: the first child (killed), the rerun, a replay of dead letters; returns the row. */
  run(ctx: ChaosContext, options: ScenarioOptions): Promise<ScenarioRow>;
}

export interface ScenarioOptions {
  faults: FaultKind;
  rate: number;
  seed: number;
  random: () => number;
  /** Smaller inputs (the quick tests in `npm test`, `npm run chaos -- --quick`). */
  quick: boolean;
}

/** A kill point: the n-th DynamoDB request, drawn between `lo` and `hi` (a scenario's rough request count). */
export const killPoint = (random: () => number, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo));

export function emptyRow(scenario: string, faults: FaultKind): ScenarioRow {
  return {
    scenario,
    faults,
    tried: 0,
    completed: 0,
    retried: 0,
    deadLettered: 0,
    duplicated: 0,
    lost: 0,
    cutOff: 0,
    cutOffUnsent: 0,
    unfinished: false,
    injected: 0,
    killedAt: '-',
    replayed: 0,
    notes: [],
  };
}

/** Retries from the children's reports: the SDK's (attempts beyond the first) and redeliveries. */
export function retriesOf(...reports: ChildReport[]) {
  let counts = noCounts();
  let redeliveries = 0;
  for (const r of reports) {
    counts = addCounts(counts, r.counts);
    redeliveries += r.redeliveries;
  }
  return { retried: counts.retries + redeliveries, injected: counts.injected, counts };
}

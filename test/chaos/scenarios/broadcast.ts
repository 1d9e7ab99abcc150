/**
 * (c) A broadcast fan-out: an operator sends a broadcast to a prefecture's subscribers (the
 * staff use-case the http Lambda runs); the fan-out records each recipient's SMS and queues it
 * to the bulk queue, and the sender sends it through the gateway. Killed mid-way, then the next
 * `broadcast-tick` of the jobs handler (a minute later) fans out what is left and queues again
 * what was recorded and never sent.
 *
 * Counted from the table and the gateway stand-in, per subscriber: one SMS of the broadcast
 * recorded and sent once is completed; two records or two sends is duplicated; an SMS whose
 * sending was cut off is `unknown` (never sent again: at most once) and counts as completed when
 * the gateway has it, lost when it has not.
 */
import type { BroadcastInput } from '#core/broadcasts/service.ts';
import type { Acting } from '#core/staff/guard.ts';
import { createJobsHandler } from '#handlers/jobs.ts';
import { type ChildDeps, invokeAsync, io } from '../child.ts';
import { emptyRow, gatewaySends, killPoint, retriesOf, runChild, type Scenario } from '../harness.ts';
import type { ChildJob, ChildReport } from '../types.ts';
import { REDELIVERY_AFTER_MS, replayChild } from './inbound.ts';

const SHIGATSE = 'pref_shigatse';
const operator = (phone: string): Acting => ({
  actor: { phone, grants: [{ role: 'operator', regions: [SHIGATSE] }], configAdmin: false },
});
const author = operator('+8613900000001');
const TEXTS = { bo: 'སང་ཉིན་ཁ་བ་འབབ།', zh: '明天有雪。', en: 'Snow tomorrow.' };

export async function broadcastChild(job: ChildJob, deps: ChildDeps) {
  const input = job.input as { id: string; dead?: [] };
  const jobs = createJobsHandler(deps);
  const tick = (key: string) =>
    invokeAsync('jobs', jobs, { job: 'broadcast-tick', scheduledTime: deps.now().toISOString() }, key);
  // The harness's own look at the broadcast goes through the faults too: tried until it answers,
  // since it is no part of what AWS runs.
  const finished = async (): Promise<boolean> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return (await deps.broadcasts.get(author, input.id)).broadcast.status === 'finished';
      } catch (err) {
        if (attempt >= 10) throw err;
      }
    }
  };
  /** The clocks of the fan-out and the sender move on together, as a minute passes in AWS. */
  const advance = (ms: number) => {
    const now = deps.now;
    deps.now = () => new Date(now().getTime() + ms);
    const senderNow = deps.sender.now;
    deps.sender.now = () => new Date(senderNow().getTime() + ms);
    io.clock(deps.now());
  };
  // Time does not go back for the next child: it starts where the killed one's clock had got to
  // (a window saved at a later simulated minute would otherwise never look stale to it).
  const behind = (job.clockFrom ?? 0) - deps.now().getTime();
  if (behind > 0) advance(behind);
  const settle = async (phase: string) => {
    // The tick every minute until the broadcast is finished; the paced queue drained after each.
    // The clock moves a minute a tick, so a window whose queue entries a crash lost is queued
    // again once it is stale (STALE_WINDOW_MS), as the minute schedule would in AWS.
    for (let n = 1; n <= SETTLE_TICKS && !(await finished()); n++) {
      await deps.broadcastRuntime.bulkQueue.drain?.();
      if (!(await finished())) await tick(`${phase}-tick-${n}`);
      advance(60_000);
    }
    await deps.broadcastRuntime.bulkQueue.drain?.();
  };
  if (job.phase === 'replay') {
    await replayChild(
      input.dead ?? [],
      (event, key) => invokeAsync('jobs', jobs, event, key),
      async () => ({
        batchItemFailures: [],
      }),
    );
    await settle('replay');
    return;
  }
  if (job.phase === 'first') {
    // The operator's "send now" (the http Lambda): queues the first window at once.
    for (let attempt = 1; attempt <= 3; attempt++) {
      try {
        await deps.broadcasts.send(author, input.id);
        io.ack('send');
        break;
      } catch {
        io.redelivered();
      }
    }
    await settle('first');
    return;
  }
  // The next tick comes a minute later: the dead sender's leases (60 s) have passed.
  advance(REDELIVERY_AFTER_MS);
  await settle('rerun');
}

/**
 * Minute ticks a child runs at most before it stops waiting for the broadcast to finish: an
 * hour. In AWS the tick comes every minute for as long as the broadcast is active; a replay
 * under sustained throttling may take several five-minute rounds.
 */
const SETTLE_TICKS = 60;

export const broadcastFanOut: Scenario = {
  name: 'broadcast',
  title: 'broadcast fan-out',
  async run(ctx, o) {
    const count = o.quick ? 20 : 100;
    const phones = Array.from(
      { length: count },
      (_, i) => `+86137${String(o.seed % 1000).padStart(3, '0')}${String(i).padStart(5, '0')}`,
    );
    // The audience: subscribers of Gyantse (in Shigatse), registered through the inbound pipeline.
    for (const [i, from] of phones.entries())
      await ctx.stack.deps.handleInbound({
        gateway: 'setup',
        messageId: `join-${i}`,
        from,
        text: i % 2 ? '注册 江孜' : 'JOIN Gyantse',
        receivedAt: new Date().toISOString(),
      });
    const input: BroadcastInput = { audience: { regions: [SHIGATSE], topics: [], languages: [] }, texts: TEXTS };
    const b = await ctx.stack.deps.broadcasts.create(author, input);
    const row = emptyRow(this.title, o.faults);
    const job = { scenario: 'broadcast' as const, faults: o.faults, rate: o.rate, seed: o.seed };
    // Several table requests per recipient (record, lease, gate, admit, mark): the kill lands mid-way.
    const first = await runChild(ctx, {
      ...job,
      phase: 'first',
      killAt: killPoint(o.random, 20, count * 5),
      input: { id: b.id },
    });
    const rerun = await runChild(ctx, {
      ...job,
      phase: 'rerun',
      input: { id: b.id },
      ...(first.clock ? { clockFrom: first.clock } : {}),
    });
    const reports: ChildReport[] = [first, rerun];
    const dead = [...first.dead, ...rerun.dead];

    const sends = gatewaySends(ctx.eum);
    let completed = 0;
    let duplicated = 0;
    let deadLettered = 0;
    let unsent = 0;
    const lost: string[] = [];
    for (const phone of phones) {
      const mine = (await ctx.stack.deps.outbound.listTo(phone, 20)).filter((m) => m.broadcastId === b.id);
      duplicated += Math.max(0, mine.length - 1);
      const m = mine[0];
      const sent = m ? (sends.get(m.id) ?? 0) : 0;
      duplicated += Math.max(0, sent - 1);
      if (m && sent >= 1 && ['sent', 'delivered', 'unknown'].includes(m.status)) completed++;
      else if (m?.status === 'failed') deadLettered++;
      // Cut off by the kill between marking it and the gateway: at most once, never sent again.
      else if (m?.status === 'unknown' && first.killedAt !== undefined) unsent++;
      else lost.push(`${phone}: ${m ? m.status : 'no SMS recorded'}`);
    }
    Object.assign(row, {
      tried: count,
      completed,
      deadLettered,
      duplicated,
      lost: lost.length,
      cutOffUnsent: unsent,
      killedAt: first.killedAt ? `request ${first.killedAt}` : '-',
      ...retriesOf(...reports),
    });
    const after = await ctx.stack.deps.broadcasts.get(author, b.id);
    // Every recipient moved on: the broadcast must know it and be finished (its counters agree).
    row.unfinished = after.broadcast.status !== 'finished';
    if (lost.length || row.unfinished) {
      if (lost.length) row.notes.push(`lost: ${lost.slice(0, 4).join(', ')}`);
      // What the broadcast itself believed when it stopped: its status, counts and progress.
      row.notes.push(
        `broadcast ${after.broadcast.status}, progress ${JSON.stringify(after.broadcast.progress)}, counts ${JSON.stringify(after.counts)}`,
      );
    }
    if (dead.length) {
      await runChild(ctx, {
        ...job,
        faults: 'none',
        phase: 'replay',
        input: { id: b.id, dead },
        ...(rerun.clock ? { clockFrom: rerun.clock } : {}),
      });
      row.replayed = dead.length;
    }
    return row;
  },
};

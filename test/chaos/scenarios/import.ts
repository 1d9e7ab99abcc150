/**
 * (b) A CSV price import: the import use-case the price-import Lambda runs (importPriceCsv, as
 * an admin: rows approved and published), killed mid-import, then what AWS would do next: the
 * uploader, who got no answer, sends the file again (the same import id, as the upload page's
 * confirm token makes it), and the next price sweep (the jobs Lambda's `price-sweep`, invoked as
 * EventBridge Scheduler invokes it) finishes an import a crash interrupted.
 *
 * Counted from the table: a row is completed when its approved price is the file's; duplicated
 * when a series' history holds the same observation twice; the file is all-or-nothing, so a
 * row neither published nor dead-lettered is lost.
 */
import { shanghaiDay } from '#core/dates.ts';
import { importPriceCsv, isAlreadyImported } from '#core/prices/import.ts';
import { formatFen } from '#core/prices/money.ts';
import { type ObservationIdentityFields, observationIdentity } from '#core/prices/observation.ts';
import seedData from '#core/reference/seed-data.json' with { type: 'json' };
import { globalAdmin } from '#core/staff/roles.ts';
import { createJobsHandler } from '#handlers/jobs.ts';
import { type ChildDeps, invokeAsync, io } from '../child.ts';
import { emptyRow, killPoint, retriesOf, runChild, type Scenario } from '../harness.ts';
import type { ChildJob, ChildReport } from '../types.ts';
import { replayChild } from './inbound.ts';

interface Row extends ObservationIdentityFields {
  kind: 'retail';
  unit: 'jin';
  priceFen: number;
}

const MARKETS = seedData.markets.filter((m) => m.regionId).map((m) => m.id);
const admin = { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true };

/** The price sweep runs every 15 minutes: the next one finds an interrupted import abandoned (older than 2). */
const NEXT_SWEEP_MS = 15 * 60_000;

function rowsOf(commodities: number, days: number, seed: number): Row[] {
  const today = shanghaiDay(new Date());
  const rows: Row[] = [];
  for (let d = 1; d <= days; d++) {
    const date = shanghaiDay(new Date(Date.parse(`${today}T12:00:00+08:00`) - d * 86_400_000));
    for (const c of seedData.commodities.slice(0, commodities))
      for (const marketId of MARKETS)
        rows.push({
          commodityId: c.id,
          marketId,
          date,
          kind: 'retail',
          unit: 'jin',
          priceFen: 300 + ((rows.length * 7 + seed) % 200),
        });
  }
  return rows;
}

const csvOf = (rows: Row[]) =>
  `commodity,market,date,price,unit,grade,kind\n${rows.map((r) => [r.commodityId, r.marketId, r.date, formatFen(r.priceFen), r.unit, '', r.kind].join(',')).join('\n')}\n`;

/** The uploader: sends the file; no answer (a 5xx) → sends it again, three tries in all, as a person would. */
async function upload(deps: ChildDeps, csv: string, importId: string): Promise<void> {
  const bytes = new TextEncoder().encode(csv);
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (attempt > 1) io.redelivered();
    try {
      const result = await importPriceCsv(deps, { actor: admin }, bytes, { dryRun: false, importId });
      if (!result.ok) throw new Error(`the file was refused: ${JSON.stringify(result.errors.slice(0, 2))}`);
      io.ack('import');
      return;
    } catch (err) {
      // The same import id again: the first try's write plan is kept, and the sweep finishes it.
      if (isAlreadyImported(err)) {
        io.ack('import');
        return;
      }
    }
  }
}

export async function importChild(job: ChildJob, deps: ChildDeps) {
  const input = job.input as { csv: string; importId: string; acked: boolean; dead?: [] };
  const jobs = createJobsHandler(deps);
  const sweep = (n = 1) =>
    invokeAsync('jobs', jobs, { job: 'price-sweep', scheduledTime: deps.now().toISOString() }, `sweep-${n}`);
  if (job.phase === 'replay') {
    await replayChild(
      input.dead ?? [],
      (event, key) => invokeAsync('jobs', jobs, event, key),
      async () => ({
        batchItemFailures: [],
      }),
    );
    return;
  }
  if (job.phase === 'first') {
    await upload(deps, input.csv, input.importId);
    return;
  }
  const now = deps.now;
  deps.now = () => new Date(now().getTime() + NEXT_SWEEP_MS);
  if (!input.acked) await upload(deps, input.csv, input.importId);
  // The sweep runs every 15 minutes for ever: a sweep that finds the import touched less than
  // IMPORT_ABANDONED_AFTER_MS ago (the upload above, failing again) leaves it to the next one.
  for (let n = 1; n <= SWEEPS; n++) {
    await sweep(n);
    const at = deps.now;
    deps.now = () => new Date(at().getTime() + NEXT_SWEEP_MS);
  }
}

/** Sweeps the rerun runs, 15 minutes apart: an hour of the schedule. */
const SWEEPS = 4;

export const csvImport: Scenario = {
  name: 'import',
  title: 'CSV price import',
  async run(ctx, o) {
    const rows = rowsOf(o.quick ? 3 : 20, o.quick ? 2 : 4, o.seed);
    const row = emptyRow(this.title, o.faults);
    const input = { csv: csvOf(rows), importId: `chaos-${o.seed}-${o.faults}` };
    const job = { scenario: 'import' as const, faults: o.faults, rate: o.rate, seed: o.seed };
    // An import sends a few requests per 25 rows and a handful per file: the kill lands inside it.
    const first = await runChild(ctx, {
      ...job,
      phase: 'first',
      killAt: killPoint(o.random, 5, 10 + Math.ceil(rows.length / 6)),
      input: { ...input, acked: false },
    });
    const rerun = await runChild(ctx, {
      ...job,
      phase: 'rerun',
      input: { ...input, acked: first.acked.includes('import') },
    });
    const reports: ChildReport[] = [first, rerun];
    const dead = [...first.dead, ...rerun.dead];

    const state = await ctx.stack.deps.priceImport.load(rows);
    let completed = 0;
    for (const r of rows) if (state.approved.get(observationIdentity(r))?.priceFen === r.priceFen) completed++;
    // A price stored twice: the same observation more than once in its series' history.
    let duplicated = 0;
    for (const series of new Map(rows.map((r) => [`${r.commodityId}|${r.marketId}`, r])).values()) {
      const page = await ctx.stack.deps.prices.history(
        series.commodityId,
        series.marketId,
        { kind: 'retail', unit: 'jin' },
        { limit: 100 },
      );
      const seen = new Set<string>();
      for (const p of page.items) {
        const id = observationIdentity(p);
        if (seen.has(id)) duplicated++;
        seen.add(id);
      }
    }
    const deadLettered = completed < rows.length && dead.length ? rows.length - completed : 0;
    Object.assign(row, {
      tried: rows.length,
      completed,
      duplicated,
      deadLettered,
      lost: rows.length - completed - deadLettered,
      killedAt: first.killedAt ? `request ${first.killedAt}` : '-',
      ...retriesOf(...reports),
    });
    row.notes.push(
      first.acked.includes('import') ? 'answered before the kill' : 'killed before the answer: sent again',
    );
    if (completed !== 0 && completed !== rows.length)
      row.notes.push(`part of the file is public: ${completed} of ${rows.length}`);
    if (dead.length) {
      await runChild(ctx, { ...job, faults: 'none', phase: 'replay', input: { ...input, acked: true, dead } });
      const after = await ctx.stack.deps.priceImport.load(rows);
      row.replayed = rows.filter((r) => after.approved.get(observationIdentity(r))?.priceFen === r.priceFen).length;
    }
    return row;
  },
};

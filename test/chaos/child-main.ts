/** The chaos child's entry (see child.ts): builds the deps, injects the faults, runs its scenario's phase. */
import { buildChildDeps, reportCounts } from './child.ts';
import { broadcastChild } from './scenarios/broadcast.ts';
import { importChild } from './scenarios/import.ts';
import { inboundChild } from './scenarios/inbound.ts';
import type { ChildJob, ScenarioName } from './types.ts';

// The job comes on stdin (harness.ts): JSON, the whole of it.
let input = '';
for await (const chunk of process.stdin) input += chunk;
const job = JSON.parse(input) as ChildJob;
const { deps, counts } = buildChildDeps(job);
const work: Record<ScenarioName, (job: ChildJob, d: typeof deps) => Promise<void>> = {
  inbound: inboundChild,
  import: importChild,
  broadcast: broadcastChild,
  // The offers come by SMS: the same handler, the same redeliveries.
  exchange: inboundChild,
};
// The counts now and then: a killed child's last ones are at most this old.
const ticker = setInterval(() => reportCounts(counts), 250);
// The reference data is read on a container's first invocation and kept (cached-reference.ts);
// a read that exhausts its retries fails that invocation only, and the next one reads again, so
// the child tries again as the next invocation would.
for (let attempt = 1; ; attempt++) {
  try {
    await deps.catalog();
    break;
  } catch (err) {
    if (attempt >= 10) throw err;
  }
}
await work[job.scenario](job, deps);
clearInterval(ticker);
reportCounts(counts);
process.stdout.write('done\n');
deps.broadcastRuntime.stop();
process.exit(0);

/**
 * A process that imports one CSV file into the local stack on DATA_DIR, for the crash test
 * (test/integration/price-import-crash.test.ts), which kills it with SIGKILL.
 *
 *   KILL_AT=<n> node --import tsx test/support/price-import-child.ts <file.csv> <approve|submit>
 *
 * `approve` imports as an admin (rows approved and published), `submit` as a collector of every
 * region (rows pending review). Prints `ready` when the stack is up, just before the import.
 * With KILL_AT, the import's n-th DynamoDB request (counting from 1) and every later one are held
 * back and `kill <n>` is printed: the test kills the process there, while the requests already
 * sent are still being written. Without it, prints `done <counts> <requests>` at the end.
 */
import { readFileSync, writeSync } from 'node:fs';
import { loadConfig } from '#config';
import { importPriceCsv } from '#core/prices/import.ts';
import { ALL_REGIONS, globalAdmin } from '#core/staff/roles.ts';
import { startLocalStack } from '#local/stack.ts';
import { watchedImportDeps } from './price-import.ts';

const [file, mode] = process.argv.slice(2) as [string, 'approve' | 'submit'];
const killAt = process.env.KILL_AT ? Number(process.env.KILL_AT) : undefined;
const config = loadConfig();
if (config.APP_MODE !== 'local') throw new Error('the crash test runs the local stack');
const stack = await startLocalStack(config);
let requests = 0;
const core = watchedImportDeps(stack, config.TABLE_NAME, async (n) => {
  requests = n;
  if (killAt === undefined || n < killAt) return;
  if (n === killAt) writeSync(1, `kill ${n}\n`);
  await new Promise(() => {}); // never sent: the process dies here
});
const actor =
  mode === 'approve'
    ? { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true }
    : { phone: '+8613900000701', grants: [{ role: 'collector' as const, regions: [ALL_REGIONS] }], configAdmin: false };
const bytes = readFileSync(file);
await stack.deps.catalog();
process.stdout.write('ready\n');
const result = await importPriceCsv(core, { actor }, bytes, { dryRun: false, fileName: file.split('/').pop()! });
process.stdout.write(`done ${JSON.stringify(result.ok ? result.counts : result.errors.slice(0, 3))} ${requests}\n`);
await stack.close();

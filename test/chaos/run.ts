/**
 * `npm run chaos [-- --seed N] [--quick] [--only inbound,import]`: every scenario under DynamoDB
 * throttling and, separately, a failing SMS gateway, each killed at a drawn point and rerun; the
 * table of what was tried, completed, retried, dead-lettered, duplicated and lost, counted from
 * the stores afterwards. Exits 1 when anything was duplicated or lost. See docs/resilience.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { seededRandom } from './faults.ts';
import { type Scenario, startChaosStack } from './harness.ts';
import { broadcastFanOut } from './scenarios/broadcast.ts';
import { exchangeBurst } from './scenarios/exchange.ts';
import { csvImport } from './scenarios/import.ts';
import { inboundBurst } from './scenarios/inbound.ts';
import type { FaultKind, ScenarioRow } from './types.ts';

const SCENARIOS: Scenario[] = [inboundBurst, csvImport, broadcastFanOut, exchangeBurst];
export const FAULT_RATE = 0.2;

function parseArgs(argv: string[]) {
  const args = { seed: Math.floor(Math.random() * 2 ** 31), quick: false, only: undefined as string[] | undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a.startsWith('--seed=')) args.seed = Number(a.slice(7));
    else if (a === '--quick') args.quick = true;
    else if (a === '--only') args.only = argv[++i]!.split(',');
    else if (a.startsWith('--only=')) args.only = a.slice(7).split(',');
    else throw new Error(`unknown argument ${a} (--seed N, --quick, --only a,b)`);
  }
  if (!Number.isInteger(args.seed)) throw new Error('--seed needs a whole number');
  return args;
}

/** Runs one scenario under one kind of fault on a fresh stack; the row. */
export async function runScenario(
  scenario: Scenario,
  faults: FaultKind,
  seed: number,
  quick: boolean,
): Promise<ScenarioRow> {
  const ctx = await startChaosStack();
  try {
    return await scenario.run(ctx, { faults, rate: FAULT_RATE, seed, random: seededRandom(seed ^ 0x5eed), quick });
  } finally {
    await ctx.close();
  }
}

const COLUMNS: Array<[string, (r: ScenarioRow) => string | number]> = [
  ['scenario', (r) => r.scenario],
  ['faults', (r) => r.faults],
  ['tried', (r) => r.tried],
  ['completed', (r) => r.completed],
  ['retried', (r) => r.retried],
  ['dead-lettered', (r) => r.deadLettered],
  ['duplicated', (r) => r.duplicated],
  ['lost', (r) => r.lost],
  ['resent after the kill', (r) => r.cutOff],
  ['cut off, not resent', (r) => r.cutOffUnsent],
  ['injected', (r) => r.injected],
  ['killed at', (r) => r.killedAt],
  ['replayed', (r) => r.replayed],
];

export function markdownTable(rows: ScenarioRow[]): string {
  const head = `| ${COLUMNS.map(([c]) => c).join(' | ')} |`;
  const rule = `|${COLUMNS.map(() => '---').join('|')}|`;
  return [head, rule, ...rows.map((r) => `| ${COLUMNS.map(([, f]) => f(r)).join(' | ')} |`)].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = parseArgs(process.argv.slice(2));
  console.log(
    `chaos: seed ${args.seed} (replay: npm run chaos -- --seed ${args.seed}${args.quick ? ' --quick' : ''}), faults on ${FAULT_RATE * 100} % of requests`,
  );
  const rows: ScenarioRow[] = [];
  for (const scenario of SCENARIOS.filter((s) => !args.only || args.only.includes(s.name))) {
    for (const faults of ['dynamodb', 'gateway'] as const) {
      const started = performance.now();
      const row = await runScenario(scenario, faults, args.seed, args.quick);
      rows.push(row);
      console.log(
        `${row.scenario} (${faults}): ${row.completed}/${row.tried} completed, ${row.duplicated} duplicated, ${row.lost} lost (${Math.round(performance.now() - started)} ms)${row.notes.length ? `; ${row.notes.join('; ')}` : ''}`,
      );
    }
  }
  const table = markdownTable(rows);
  console.log(`\n${table}\n`);
  mkdirSync('test-results', { recursive: true });
  writeFileSync(
    'test-results/chaos.json',
    `${JSON.stringify({ seed: args.seed, quick: args.quick, rows }, null, 2)}\n`,
  );
  writeFileSync(
    'test-results/chaos.md',
    `# Chaos run\n\nSeed ${args.seed}${args.quick ? ' (quick)' : ''}, faults on ${FAULT_RATE * 100} % of requests; \`npm run chaos -- --seed ${args.seed}\` replays it.\n\n${table}\n`,
  );
  console.log('written: test-results/chaos.md, test-results/chaos.json');
  const bad = rows.filter((r) => r.duplicated > 0 || r.lost > 0 || r.unfinished);
  if (bad.length) {
    console.error(
      `FAILED: duplicated, lost or unfinished work in ${bad.map((r) => `${r.scenario} (${r.faults})`).join(', ')}`,
    );
    process.exitCode = 1;
  }
}

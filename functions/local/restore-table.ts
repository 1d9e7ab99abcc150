/**
 * `npm run restore -- --source <table> --target <new table> --time <ISO 8601> [--sample N]`:
 * a point-in-time restore of the table into a new one, then a check that the copy holds what
 * the source held (docs/operations.md, "Restore").
 *
 * 1. DescribeContinuousBackups: PITR must be on and --time inside the restorable window;
 * 2. RestoreTableToPointInTime into --target (on-demand, encrypted like the source);
 * 3. wait until the new table is ACTIVE (a large table takes hours);
 * 4. verify: item counts on both (a parallel Scan with Select=COUNT: an operator's script, run
 *    once after a restore, may read whole tables; nothing on a request path does), and N random
 *    items of the source read from the target by key and compared whole.
 *
 * The source keeps changing after --time, so a difference is not always a fault: a sampled item
 * whose differing attributes carry a time after --time, or missing from the copy with every time
 * it carries after --time, was "changed since"; items stamped as created after --time and items
 * whose TTL has passed (the source's TTL deleted them since) account for a count difference.
 * What nothing accounts for is a mismatch: the exit status is 1.
 *
 * Endpoint: DYNAMODB_ENDPOINT or AWS_ENDPOINT_URL when set (a stand-in), else AWS's for the
 * region of AWS_REGION. dynalite has no restore: the verify step is tested against it alone.
 */
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import {
  type AttributeValue,
  DescribeContinuousBackupsCommand,
  DynamoDBClient,
  GetItemCommand,
  RestoreTableToPointInTimeCommand,
  type RestoreTableToPointInTimeCommandInput,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { tableDefinition } from '#adapters/dynamodb/table-definition.ts';

export interface RestoreArgs {
  source: string;
  target: string;
  /** The moment to restore to. */
  time: Date;
  /** Items of the source compared whole with the copy. */
  sample: number;
}

export const DEFAULT_SAMPLE = 200;

/** Reads the command line; throws a message naming what is wrong. */
export function parseRestoreArgs(argv: string[]): RestoreArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      source: { type: 'string' },
      target: { type: 'string' },
      time: { type: 'string' },
      sample: { type: 'string' },
    },
    strict: true,
  });
  const missing = (['source', 'target', 'time'] as const).filter((k) => !values[k]);
  if (missing.length) throw new Error(`missing ${missing.map((k) => `--${k}`).join(', ')}`);
  if (values.source === values.target) throw new Error('--target must be a new table, not the source');
  // A time without a zone would be read in the machine's own: ask for one.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(values.time!))
    throw new Error(`--time: an ISO 8601 time with its zone, e.g. 2026-05-20T03:00:00Z (got ${values.time})`);
  const time = new Date(values.time!);
  if (Number.isNaN(time.getTime())) throw new Error(`--time: not a time (got ${values.time})`);
  const sample = values.sample === undefined ? DEFAULT_SAMPLE : Number(values.sample);
  if (!Number.isInteger(sample) || sample < 0 || sample > 100_000)
    throw new Error(`--sample: a whole number 0–100000 (got ${values.sample})`);
  return { source: values.source!, target: values.target!, time, sample };
}

/**
 * The restore request. On-demand like the source (infra/constructs/single-table.ts) and encrypted
 * with the AWS-managed key like it: a restore otherwise takes the source's billing mode but not
 * its encryption. The indexes come with it; TTL, PITR and deletion protection do not (the runbook
 * switches them on before the copy is used).
 */
export function restoreRequest(args: RestoreArgs): RestoreTableToPointInTimeCommandInput {
  return {
    SourceTableName: args.source,
    TargetTableName: args.target,
    RestoreDateTime: args.time,
    BillingModeOverride: 'PAY_PER_REQUEST',
    SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
  };
}

/** Steps 1–3: checks PITR and the window, asks for the restore, waits for the new table. */
export async function restoreTable(
  client: DynamoDBClient,
  args: RestoreArgs,
  options: { maxWaitSeconds?: number; pollSeconds?: number; say?: (line: string) => void } = {},
): Promise<void> {
  const say = options.say ?? (() => {});
  const backups = await client.send(new DescribeContinuousBackupsCommand({ TableName: args.source }));
  const pitr = backups.ContinuousBackupsDescription?.PointInTimeRecoveryDescription;
  if (pitr?.PointInTimeRecoveryStatus !== 'ENABLED')
    throw new Error(`point-in-time recovery is not on for ${args.source}: nothing to restore from`);
  const earliest = pitr.EarliestRestorableDateTime;
  const latest = pitr.LatestRestorableDateTime;
  if ((earliest && args.time < earliest) || (latest && args.time > latest))
    throw new Error(
      `--time ${args.time.toISOString()} is outside the restorable window ${earliest?.toISOString()} – ${latest?.toISOString()}`,
    );
  say(`PITR on for ${args.source}; restorable ${earliest?.toISOString()} – ${latest?.toISOString()}`);
  await client.send(new RestoreTableToPointInTimeCommand(restoreRequest(args)));
  say(`restoring ${args.source} at ${args.time.toISOString()} into ${args.target}; waiting until it is ACTIVE`);
  const waited = await waitUntilTableExists(
    { client, maxWaitTime: options.maxWaitSeconds ?? 6 * 3600, minDelay: options.pollSeconds ?? 20, maxDelay: 60 },
    { TableName: args.target },
  );
  if (waited.state !== 'SUCCESS') throw new Error(`${args.target} did not become ACTIVE (${waited.state})`);
}

/** Attributes new items are stamped with when created: a count difference they account for is no fault. */
const CREATED_ATTRIBUTES = ['createdAt', 'submittedAt', 'askedAt', 'receivedAt'];
const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Counts a table's items with a parallel Scan (Select=COUNT), optionally only those a filter keeps. */
export async function countItems(
  client: DynamoDBClient,
  table: string,
  options: {
    segments?: number;
    filter?: { expression: string; names: Record<string, string>; values: Record<string, AttributeValue> };
  } = {},
): Promise<number> {
  const segments = options.segments ?? 4;
  const counts = await Promise.all(
    Array.from({ length: segments }, async (_, segment) => {
      let count = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(
          new ScanCommand({
            TableName: table,
            Select: 'COUNT',
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: start,
            ...(options.filter
              ? {
                  FilterExpression: options.filter.expression,
                  ExpressionAttributeNames: options.filter.names,
                  ExpressionAttributeValues: options.filter.values,
                }
              : {}),
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start);
      return count;
    }),
  );
  return counts.reduce((a, b) => a + b, 0);
}

type Key = Record<string, AttributeValue>;
const keyOf = (item: Record<string, AttributeValue>): Key => ({
  [tableDefinition.partitionKey]: item[tableDefinition.partitionKey]!,
  [tableDefinition.sortKey]: item[tableDefinition.sortKey]!,
});

/**
 * Up to `n` distinct random keys of the table. A small table's keys are read whole and shuffled;
 * a large one's from random segments of a fine parallel scan (a few items each), one per segment,
 * so the sample costs about n pages, not a table's read.
 */
export async function sampleKeys(
  client: DynamoDBClient,
  table: string,
  n: number,
  itemCount: number,
  random: () => number = Math.random,
): Promise<Key[]> {
  if (n === 0 || itemCount === 0) return [];
  const projection = { ProjectionExpression: '#pk, #sk', ExpressionAttributeNames: { '#pk': 'pk', '#sk': 'sk' } };
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  if (itemCount <= 5 * n) {
    const keys: Key[] = [];
    let start: Key | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ...projection, ExclusiveStartKey: start }));
      keys.push(...(page.Items ?? []).map(keyOf));
      start = page.LastEvaluatedKey;
    } while (start);
    for (let i = keys.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [keys[i], keys[j]] = [keys[j]!, keys[i]!];
    }
    return keys.slice(0, n);
  }
  const total = Math.min(1_000_000, Math.ceil(itemCount / 5));
  const chosen = new Map<string, Key>();
  for (let tries = 0; chosen.size < n && tries < 4 * n; tries++) {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ...projection,
        Segment: Math.floor(random() * total),
        TotalSegments: total,
        Limit: 20,
      }),
    );
    if (page.Items?.length) {
      const key = keyOf(pick(page.Items));
      chosen.set(JSON.stringify(key), key);
    }
  }
  return [...chosen.values()];
}

export interface SampleFinding {
  key: { pk: string; sk: string };
  /** `missing`: not in the copy; `different`: in it, not the same; `*-since`: explained by a write after --time. */
  outcome: 'missing' | 'different' | 'added-since' | 'changed-since';
  /** The attributes that differ. */
  attributes?: string[];
}

export interface VerifyReport {
  source: string;
  target: string;
  time: string;
  counts: { source: number; target: number; createdSince: number; expiredInTarget: number; explained: boolean };
  sampled: number;
  same: number;
  findings: SampleFinding[];
  /** True when nothing is left unexplained. */
  ok: boolean;
}

const timesIn = (item: Record<string, unknown>) =>
  Object.values(item).filter((v): v is string => typeof v === 'string' && isoTime.test(v));

/** Step 4: counts and a sample compared against the time restored to. Pure reads; dynalite answers them. */
export async function verifyRestore(
  client: DynamoDBClient,
  args: RestoreArgs,
  options: { now?: Date; random?: () => number } = {},
): Promise<VerifyReport> {
  const at = args.time.toISOString();
  const now = options.now ?? new Date();
  const createdFilter = {
    expression: CREATED_ATTRIBUTES.map((_, i) => `#c${i} > :t`).join(' OR '),
    names: Object.fromEntries(CREATED_ATTRIBUTES.map((name, i) => [`#c${i}`, name])),
    values: { ':t': { S: at } },
  };
  const expiredFilter = {
    expression: '#ttl <= :now',
    names: { '#ttl': tableDefinition.ttlAttribute },
    values: { ':now': { N: String(Math.floor(now.getTime() / 1000)) } },
  };
  const [source, target, createdSince, expiredInTarget] = await Promise.all([
    countItems(client, args.source),
    countItems(client, args.target),
    countItems(client, args.source, { filter: createdFilter }),
    countItems(client, args.target, { filter: expiredFilter }),
  ]);
  // The source may have gained what was created since, and lost what its TTL has deleted since.
  const explained = source - target <= createdSince && target - source <= expiredInTarget;

  const keys = await sampleKeys(client, args.source, args.sample, source, options.random);
  const findings: SampleFinding[] = [];
  let same = 0;
  for (const key of keys) {
    const [fromSource, fromTarget] = await Promise.all(
      [args.source, args.target].map((TableName) =>
        client.send(new GetItemCommand({ TableName, Key: key, ConsistentRead: true })),
      ),
    );
    if (!fromSource!.Item) continue; // deleted from the source since it was sampled
    const a = unmarshall(fromSource!.Item);
    const id = { pk: String(a.pk), sk: String(a.sk) };
    if (!fromTarget!.Item) {
      // Created after --time: every time it carries is later (an older item carries its creation).
      const times = timesIn(a);
      findings.push({ key: id, outcome: times.length && times.every((t) => t > at) ? 'added-since' : 'missing' });
      continue;
    }
    const b = unmarshall(fromTarget!.Item);
    const differing = [...new Set([...Object.keys(a), ...Object.keys(b)])]
      .filter((name) => !isDeepStrictEqual(a[name], b[name]))
      .sort();
    if (!differing.length) {
      same++;
      continue;
    }
    // A write after --time stamps the item it changes: a differing time later than --time says so.
    const stampedSince = differing.some((name) => typeof a[name] === 'string' && isoTime.test(a[name]) && a[name] > at);
    findings.push({ key: id, outcome: stampedSince ? 'changed-since' : 'different', attributes: differing });
  }
  const faults = findings.filter((f) => f.outcome === 'missing' || f.outcome === 'different');
  return {
    source: args.source,
    target: args.target,
    time: at,
    counts: { source, target, createdSince, expiredInTarget, explained },
    sampled: keys.length,
    same,
    findings,
    ok: explained && faults.length === 0,
  };
}

/** The summary an operator reads. */
export function formatReport(r: VerifyReport): string {
  const c = r.counts;
  const by = (o: SampleFinding['outcome']) => r.findings.filter((f) => f.outcome === o);
  const lines = [
    `restore of ${r.source} at ${r.time} into ${r.target}`,
    `items: source ${c.source}, copy ${c.target}` +
      (c.source === c.target
        ? ' — the same'
        : ` — ${c.explained ? 'the difference is accounted for' : 'MISMATCH'}: ${c.createdSince} source items created since, ${c.expiredInTarget} copy items past their TTL`),
    `sample: ${r.sampled} items of the source; ${r.same} the same, ${by('changed-since').length} changed since, ${by('added-since').length} added since, ${by('different').length} different, ${by('missing').length} missing`,
  ];
  for (const f of r.findings.filter((x) => x.outcome === 'different' || x.outcome === 'missing'))
    lines.push(
      `  ${f.outcome.toUpperCase()} ${f.key.pk} | ${f.key.sk}${f.attributes ? ` (${f.attributes.join(', ')})` : ''}`,
    );
  lines.push(r.ok ? 'OK: the copy holds what the source held at that time' : 'FAILED: see the lines above');
  return lines.join('\n');
}

async function main() {
  let args: RestoreArgs;
  try {
    args = parseRestoreArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message}\nusage: npm run restore -- --source <table> --target <new table> --time <ISO 8601> [--sample N]\n`,
    );
    process.exit(2);
  }
  const endpoint = process.env.DYNAMODB_ENDPOINT || process.env.AWS_ENDPOINT_URL || undefined;
  const client = new DynamoDBClient({
    ...(process.env.AWS_REGION ? { region: process.env.AWS_REGION } : {}),
    ...(endpoint ? { endpoint } : {}),
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  await restoreTable(client, args, { say });
  const report = await verifyRestore(client, args);
  say(formatReport(report));
  process.exitCode = report.ok ? 0 : 1;
}

// Run as a script (npm run restore), not when a test imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    process.stderr.write(`restore failed: ${(err as Error).message}\n`);
    process.exit(1);
  });
}

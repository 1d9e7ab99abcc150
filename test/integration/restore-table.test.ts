/**
 * The restore script (functions/local/restore-table.ts). dynalite has no point-in-time restore,
 * so the verify step runs against dynalite (a faithful copy passes; a copy with an item missing
 * or changed is caught, while one changed in the source after the time restored to is not a
 * fault), and the restore itself goes through the real SDK client to a loopback stand-in of the
 * DynamoDB JSON protocol, which checks what it is sent.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { ensureTable } from '#local/ensure-table.ts';
import { formatReport, parseRestoreArgs, type RestoreArgs, restoreTable, verifyRestore } from '#local/restore-table.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let client: DynamoDBClient;
const T = '2026-05-20T03:00:00.000Z';
const before = '2026-05-19T10:00:00.000Z';
const after = '2026-05-21T08:00:00.000Z';

/** What the source held at T: reference rows (no times), prices, an offer, a sign-in code past its TTL. */
const itemsAtT = [
  ...Array.from({ length: 30 }, (_, i) => ({
    pk: 'REF#commodity',
    sk: `c${String(i).padStart(2, '0')}`,
    name: `c${i}`,
  })),
  ...Array.from({ length: 20 }, (_, i) => ({
    pk: `PRICE#m${i % 4}`,
    sk: `2026-05-1${i % 10}#${i}`,
    price: 400 + i,
    unit: 'jin',
    submittedAt: before,
    status: 'approved',
  })),
  { pk: 'OFFER#o1', sk: 'OFFER', status: 'open', createdAt: before, updatedAt: before, tags: ['barley', 'lhasa'] },
];

async function fill(table: string, items: Record<string, unknown>[]) {
  await ensureTable(client, table);
  for (const item of items) await client.send(new PutItemCommand({ TableName: table, Item: marshall(item) }));
}
const args = (source: string, target: string, sample = 100): RestoreArgs => ({
  source,
  target,
  time: new Date(T),
  sample,
});

beforeAll(async () => {
  stack = await startTestStack();
  client = new DynamoDBClient({
    region: 'local',
    endpoint: stack.dynamoEndpoint,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  // The source as it is now: written to after T (a new price, the offer sold), a code gone by TTL.
  await fill('source', [
    ...itemsAtT,
    { pk: 'PRICE#m9', sk: '2026-05-21#99', price: 999, submittedAt: after, status: 'approved' },
  ]);
  await client.send(
    new PutItemCommand({
      TableName: 'source',
      Item: marshall({ ...itemsAtT.at(-1)!, status: 'sold', updatedAt: after }),
    }),
  );
  const expired = { pk: 'CODE#+8613800000000', sk: 'CODE', hash: 'h', expiresAt: 1_700_000_000, createdAt: before };
  // The faithful copy: the source at T, the code its TTL has since deleted in the source included.
  await fill('copy', [...itemsAtT, expired]);
  // A bad copy: one price missing, one reference row changed, with no later write to explain either.
  await fill('bad', [...itemsAtT.filter((i) => i.sk !== '2026-05-13#3'), expired]);
  await client.send(
    new PutItemCommand({ TableName: 'bad', Item: marshall({ pk: 'REF#commodity', sk: 'c07', name: 'corrupted' }) }),
  );
});
afterAll(async () => {
  client?.destroy();
  await stack?.close();
});

describe('verify a restored table (dynalite)', () => {
  test('a faithful copy: counts accounted for by writes and TTL since, every sampled item the same or changed since', async () => {
    const report = await verifyRestore(client, args('source', 'copy'), { now: new Date(after) });
    assert.equal(report.ok, true, formatReport(report));
    assert.deepEqual(report.counts, {
      source: itemsAtT.length + 1,
      target: itemsAtT.length + 1,
      createdSince: 1,
      expiredInTarget: 1,
      explained: true,
    });
    assert.equal(report.sampled, itemsAtT.length + 1, 'a small table is sampled whole');
    assert.deepEqual(
      report.findings.map((f) => [f.outcome, f.key.pk, f.attributes]).sort(),
      [
        ['added-since', 'PRICE#m9', undefined],
        ['changed-since', 'OFFER#o1', ['status', 'updatedAt']],
      ].sort(),
    );
    assert.equal(report.same, itemsAtT.length - 1);
    assert.match(formatReport(report), /^OK: /m);
  });

  test('a copy with an item missing and one changed: both named, the run fails', async () => {
    const report = await verifyRestore(client, args('source', 'bad'), { now: new Date(after) });
    assert.equal(report.ok, false);
    const faults = report.findings.filter((f) => f.outcome === 'missing' || f.outcome === 'different');
    assert.deepEqual(
      faults.map((f) => [f.outcome, f.key.sk, f.attributes]).sort(),
      [
        ['different', 'c07', ['name']],
        ['missing', '2026-05-13#3', undefined],
      ].sort(),
    );
    const text = formatReport(report);
    assert.match(text, /MISSING PRICE#m3 \| 2026-05-13#3/);
    assert.match(text, /DIFFERENT REF#commodity \| c07 \(name\)/);
    assert.match(text, /^FAILED/m);
  });

  test('counts nothing accounts for are a mismatch, even when the sample finds nothing', async () => {
    await fill('short', itemsAtT.slice(0, 10));
    const report = await verifyRestore(client, args('short', 'copy', 0), { now: new Date(after) });
    assert.equal(report.counts.explained, false);
    assert.equal(report.sampled, 0);
    assert.equal(report.ok, false);
    assert.match(formatReport(report), /MISMATCH/);
  });

  test('a larger table is sampled from random segments: n distinct keys, all found the same', async () => {
    const many = Array.from({ length: 400 }, (_, i) => ({ pk: `BIG#${i % 37}`, sk: String(i), v: i }));
    await fill('big', many);
    await fill('big-copy', many);
    const report = await verifyRestore(client, args('big', 'big-copy', 25), { now: new Date(after) });
    assert.equal(report.ok, true, formatReport(report));
    assert.equal(report.sampled, 25);
    assert.equal(report.same, 25);
  });
});

describe('the command line', () => {
  test('reads the four options; refuses what is missing or ambiguous, naming it', () => {
    const parsed = parseRestoreArgs([
      '--source',
      's',
      '--target',
      't',
      '--time',
      '2026-05-20T03:00:00Z',
      '--sample',
      '7',
    ]);
    assert.deepEqual(parsed, { source: 's', target: 't', time: new Date('2026-05-20T03:00:00Z'), sample: 7 });
    assert.equal(
      parseRestoreArgs(['--source', 's', '--target', 't', '--time', '2026-05-20T11:00:00+08:00']).sample,
      200,
    );
    assert.throws(() => parseRestoreArgs(['--source', 's', '--time', T]), /missing --target/);
    assert.throws(() => parseRestoreArgs(['--source', 's', '--target', 's', '--time', T]), /new table/);
    assert.throws(() => parseRestoreArgs(['--source', 's', '--target', 't', '--time', '2026-05-20 03:00']), /--time/);
    assert.throws(
      () => parseRestoreArgs(['--source', 's', '--target', 't', '--time', T, '--sample', '-1']),
      /--sample/,
    );
  });
});

/** A loopback DynamoDB that answers the three operations of a restore, as AWS does, and notes what it got. */
async function restoreStandIn(pitr: 'ENABLED' | 'DISABLED') {
  const requests: { operation: string; body: Record<string, unknown> }[] = [];
  let describes = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const operation = String(req.headers['x-amz-target']).replace('DynamoDB_20120810.', '');
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      requests.push({ operation, body });
      const answer = (status: number, reply: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
        res.end(JSON.stringify(reply));
      };
      if (operation === 'DescribeContinuousBackups')
        return answer(200, {
          ContinuousBackupsDescription: {
            ContinuousBackupsStatus: 'ENABLED',
            PointInTimeRecoveryDescription: {
              PointInTimeRecoveryStatus: pitr,
              EarliestRestorableDateTime: Date.parse('2026-05-01T00:00:00Z') / 1000,
              LatestRestorableDateTime: Date.parse('2026-05-21T00:00:00Z') / 1000,
            },
          },
        });
      if (operation === 'RestoreTableToPointInTime')
        return answer(200, { TableDescription: { TableName: body.TargetTableName, TableStatus: 'CREATING' } });
      if (operation === 'DescribeTable') {
        describes++;
        return answer(200, {
          Table: { TableName: body.TableName, TableStatus: describes < 2 ? 'CREATING' : 'ACTIVE' },
        });
      }
      answer(400, { __type: 'com.amazon.coral.validate#ValidationException', message: operation });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const sdk = new DynamoDBClient({
    region: 'ap-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  return {
    sdk,
    requests,
    close: () => {
      sdk.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the restore request (real SDK client, stand-in endpoint)', () => {
  test('PITR checked, the restore asked for on-demand and encrypted, then waited for until ACTIVE', async () => {
    const aws = await restoreStandIn('ENABLED');
    try {
      await restoreTable(aws.sdk, args('zhingdrok', 'zhingdrok-restored'), { maxWaitSeconds: 120, pollSeconds: 1 });
      const ops = aws.requests.map((r) => r.operation);
      assert.deepEqual(ops.slice(0, 2), ['DescribeContinuousBackups', 'RestoreTableToPointInTime']);
      assert.deepEqual(ops.slice(2), ['DescribeTable', 'DescribeTable'], 'waited until ACTIVE');
      assert.deepEqual(aws.requests[0]!.body, { TableName: 'zhingdrok' });
      assert.deepEqual(aws.requests[1]!.body, {
        SourceTableName: 'zhingdrok',
        TargetTableName: 'zhingdrok-restored',
        RestoreDateTime: Date.parse(T) / 1000,
        BillingModeOverride: 'PAY_PER_REQUEST',
        SSESpecificationOverride: { Enabled: true, SSEType: 'KMS' },
      });
    } finally {
      await aws.close();
    }
  });

  test('PITR off, or a time outside the window: refused before any restore is asked for', async () => {
    const off = await restoreStandIn('DISABLED');
    try {
      await assert.rejects(restoreTable(off.sdk, args('zhingdrok', 'r')), /point-in-time recovery is not on/);
      assert.deepEqual(
        off.requests.map((r) => r.operation),
        ['DescribeContinuousBackups'],
      );
    } finally {
      await off.close();
    }
    const on = await restoreStandIn('ENABLED');
    try {
      const late = { ...args('zhingdrok', 'r'), time: new Date('2026-06-01T00:00:00Z') };
      await assert.rejects(restoreTable(on.sdk, late), /outside the restorable window/);
      assert.equal(on.requests.length, 1);
    } finally {
      await on.close();
    }
  });
});

import {
  type AttributeValue,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  GetItemCommand,
  ResourceNotFoundException,
  ScanCommand,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition as def, keyAttributes } from '#adapters/dynamodb/table-definition.ts';

/**
 * Creates the table from the shared definition, or brings an existing one up to it
 * (missing GSIs are added one at a time, as DynamoDB requires; TTL is switched on).
 * Safe to call on every start. Used by the local stack and the storage tests; in AWS the
 * CDK stack creates the same table from the same definition.
 *
 * dynalite cannot add an index to a table (UpdateTable refuses a new index without provisioned
 * throughput, and ignores it with), so a local store made before an index existed is rebuilt
 * instead when `rebuild` allows it — the embedded store only: rebuilding deletes the table.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
  options: { rebuild?: boolean } = {},
): Promise<'created' | 'updated' | 'unchanged'> {
  const finished = options.rebuild ? await finishRebuild(client, tableName) : false;
  const attributeDefinitions = keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));
  const gsiSpec = (g: (typeof def.globalSecondaryIndexes)[number]) => ({
    IndexName: g.indexName,
    KeySchema: [
      { AttributeName: g.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: g.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });

  let outcome: 'created' | 'updated' | 'unchanged' = finished ? 'updated' : 'unchanged';
  let existing: TableDescription | undefined;
  try {
    existing = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException)) throw err;
  }
  if (!existing) {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: attributeDefinitions,
        KeySchema: [
          { AttributeName: def.partitionKey, KeyType: 'HASH' },
          { AttributeName: def.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: def.globalSecondaryIndexes.map(gsiSpec),
      }),
    );
    outcome = 'created';
  } else {
    const have = new Set((existing.GlobalSecondaryIndexes ?? []).map((g) => g.IndexName));
    const missing = def.globalSecondaryIndexes.filter((g) => !have.has(g.indexName));
    if (options.rebuild && missing.length) {
      await rebuild(client, tableName, () => ensureTable(client, tableName));
      outcome = 'updated';
    } else
      for (const g of missing) {
        await waitActive(client, tableName);
        await client.send(
          new UpdateTableCommand({
            TableName: tableName,
            AttributeDefinitions: attributeDefinitions,
            GlobalSecondaryIndexUpdates: [{ Create: gsiSpec(g) }],
          }),
        );
        outcome = 'updated';
      }
  }
  await waitActive(client, tableName);
  const ttl = await client.send(new DescribeTimeToLiveCommand({ TableName: tableName }));
  if (ttl.TimeToLiveDescription?.TimeToLiveStatus !== 'ENABLED') {
    try {
      await client.send(
        new UpdateTimeToLiveCommand({
          TableName: tableName,
          TimeToLiveSpecification: { AttributeName: def.ttlAttribute, Enabled: true },
        }),
      );
      if (outcome === 'unchanged') outcome = 'updated';
    } catch (err) {
      // dynalite does not implement TTL updates; the attribute is still honoured by readers.
      if ((err as Error).name !== 'UnknownOperationException' && !/UnknownOperation|not supported/i.test(String(err)))
        throw err;
    }
  }
  return outcome;
}

async function waitActive(client: DynamoDBClient, tableName: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const t = (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
    const indexesReady = (t?.GlobalSecondaryIndexes ?? []).every((g) => g.IndexStatus === 'ACTIVE');
    if (t?.TableStatus === 'ACTIVE' && indexesReady) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
}

/** Where a rebuild keeps the items while the table is made again; `META`/`rebuild#copied` marks a full copy. */
const rebuildName = (tableName: string) => `${tableName}-rebuild`;
const copiedMarker = { pk: { S: 'META' }, sk: { S: 'rebuild#copied' } };

/**
 * Makes the table again from the definition, keeping every item: copy out (then mark the
 * copy complete), delete, create, copy back, drop the copy. A crash at any step is finished
 * by the next start (`finishRebuild`): before the mark the table is untouched and the copy is
 * dropped; after it the copy is the truth and is copied back again.
 */
async function rebuild(client: DynamoDBClient, tableName: string, create: () => Promise<unknown>): Promise<void> {
  const spare = rebuildName(tableName);
  await dropTable(client, spare);
  await ensureTable(client, spare);
  await copyItems(client, tableName, spare);
  await writeItems(client, spare, [copiedMarker]);
  await dropTable(client, tableName);
  await create();
  await finishRebuild(client, tableName);
}

/** A rebuild a crash interrupted: copied back if its copy was complete, else dropped. True when there was one. */
async function finishRebuild(client: DynamoDBClient, tableName: string): Promise<boolean> {
  const spare = rebuildName(tableName);
  if (!(await describe(client, spare))) return false;
  const complete = (
    await client.send(new GetItemCommand({ TableName: spare, Key: copiedMarker, ConsistentRead: true }))
  ).Item;
  if (complete) {
    if (!(await describe(client, tableName))) await ensureTable(client, tableName);
    await copyItems(client, spare, tableName, (i) => !(i.pk?.S === copiedMarker.pk.S && i.sk?.S === copiedMarker.sk.S));
  }
  await dropTable(client, spare);
  return true;
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (err) {
    if (err instanceof ResourceNotFoundException) return undefined;
    throw err;
  }
}

async function dropTable(client: DynamoDBClient, tableName: string): Promise<void> {
  if (!(await describe(client, tableName))) return;
  await waitActive(client, tableName);
  await client.send(new DeleteTableCommand({ TableName: tableName }));
  for (let i = 0; i < 600 && (await describe(client, tableName)); i++) await new Promise((r) => setTimeout(r, 100));
}

type RawItem = Record<string, AttributeValue>;

/** Scans page by page: this runs once, at a local start, on the embedded store; never on a request path. */
async function copyItems(
  client: DynamoDBClient,
  from: string,
  to: string,
  keep: (item: RawItem) => boolean = () => true,
): Promise<void> {
  let start: RawItem | undefined;
  do {
    const res = await client.send(new ScanCommand({ TableName: from, ExclusiveStartKey: start }));
    await writeItems(client, to, (res.Items ?? []).filter(keep));
    start = res.LastEvaluatedKey;
  } while (start);
}

async function writeItems(client: DynamoDBClient, tableName: string, items: RawItem[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let pending = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt >= 10) throw new Error(`rebuilding ${tableName}: items left unwritten`);
      if (attempt) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
      const res = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: pending } }));
      pending = (res.UnprocessedItems?.[tableName] as typeof pending | undefined) ?? [];
    }
  }
}

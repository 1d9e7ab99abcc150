import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { tableDefinition as def, keyAttributes } from './table-definition.ts';

/**
 * Creates the table from the shared definition, or brings an existing one up to it
 * (missing GSIs are added one at a time, as DynamoDB requires; TTL is switched on).
 * Safe to call on every start. Used by the local stack and the storage tests; in AWS the
 * CDK stack creates the same table from the same definition.
 */
export async function ensureTable(
  client: DynamoDBClient,
  tableName: string,
): Promise<'created' | 'updated' | 'unchanged'> {
  const attributeDefinitions = keyAttributes.map((name) => ({ AttributeName: name, AttributeType: 'S' as const }));
  const gsiSpec = (g: (typeof def.globalSecondaryIndexes)[number]) => ({
    IndexName: g.indexName,
    KeySchema: [
      { AttributeName: g.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: g.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: { ProjectionType: 'ALL' as const },
  });

  let outcome: 'created' | 'updated' | 'unchanged' = 'unchanged';
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
    for (const g of def.globalSecondaryIndexes) {
      if (have.has(g.indexName)) continue;
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

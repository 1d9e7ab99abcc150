import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PutCommand, GetCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient, createDynamoClient } from '#adapters/dynamodb/client.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { referenceKey } from '#adapters/dynamodb/keys.ts';
import { DynamoReferenceRepository } from '#adapters/dynamodb/reference-repository.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(() => stack.close());

describe('reference repository (DynamoDB protocol)', () => {
  test('the harness seeded an empty store once', async () => {
    assert.equal(stack.seeded, true);
    assert.equal(await stack.deps.reference.isEmpty(), false);
  });

  test('get by id and list by kind return the seeded entities exactly', async () => {
    const seed = referenceSeed();
    const butter = await stack.deps.reference.getCommodity('butter');
    assert.deepEqual(butter, seed.commodities.find((c) => c.id === 'butter'));
    assert.equal(await stack.deps.reference.getCommodity('nope'), undefined);
    const regions = await stack.deps.reference.listRegions({ limit: 200 });
    assert.equal(regions.items.length, seed.regions.length);
    assert.deepEqual(
      regions.items.map((r) => r.id),
      [...seed.regions.map((r) => r.id)].sort(),
      'a kind lists in id order',
    );
  });

  test('seeding again is idempotent and never overwrites an item a person edited', async () => {
    const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
    const key = referenceKey('commodity', 'wheat');
    const current = (await db.send(new GetCommand({ TableName: stack.tableName, Key: key }))).Item!;
    await db.send(new PutCommand({ TableName: stack.tableName, Item: { ...current, names: { ...current.names, en: 'wheat (edited)' }, origin: 'staff' } }));
    const again = await stack.deps.reference.seed(referenceSeed());
    assert.equal(again.written, referenceSeed().commodities.length + referenceSeed().regions.length + referenceSeed().markets.length + referenceSeed().units.length - 1);
    assert.equal((await stack.deps.reference.getCommodity('wheat'))?.names.en, 'wheat (edited)');
    const all = await stack.deps.reference.listCommodities({ limit: 200 });
    assert.equal(all.items.length, referenceSeed().commodities.length, 'no duplicates');
    db.destroy();
  });

  test('ensureTable is idempotent on an existing table', async () => {
    const client = createDynamoClient({ region: 'local', endpoint: stack.dynamoEndpoint });
    assert.equal(await ensureTable(client, stack.tableName), 'unchanged');
    client.destroy();
  });

  test('a fresh table is created with both GSIs and answers index queries', async () => {
    const client = createDynamoClient({ region: 'local', endpoint: stack.dynamoEndpoint });
    const name = `${stack.tableName}-b`;
    assert.equal(await ensureTable(client, name), 'created');
    const repo = new DynamoReferenceRepository(createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint }), name);
    assert.equal(await repo.isEmpty(), true);
    await repo.seed(referenceSeed());
    const kids = await repo.listRegions({ limit: 50, parentId: 'pref_nagqu' });
    assert.deepEqual(kids.items.map((r) => r.id).sort(), ['cty_nagqu_amdo', 'cty_nagqu_baingoin', 'cty_nagqu_seni']);
    client.destroy();
  });
});

describe('file store (S3 protocol)', () => {
  test('put, get, overwrite and delete a file', async () => {
    const files = stack.files;
    await files.put('exports/prices.csv', 'commodity,price\n青稞,4.50\n', 'text/csv; charset=utf-8');
    const got = await files.get('exports/prices.csv');
    assert.equal(new TextDecoder().decode(got!.body), 'commodity,price\n青稞,4.50\n');
    assert.match(got!.contentType, /^text\/csv/);
    await files.put('exports/prices.csv', 'x', 'text/plain');
    assert.equal(new TextDecoder().decode((await files.get('exports/prices.csv'))!.body), 'x');
    await files.delete('exports/prices.csv');
    assert.equal(await files.get('exports/prices.csv'), undefined);
  });
});

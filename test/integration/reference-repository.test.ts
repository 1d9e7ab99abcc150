import assert from 'node:assert/strict';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient, createDynamoClient } from '#adapters/dynamodb/client.ts';
import { referenceKey } from '#adapters/dynamodb/keys.ts';
import { DynamoReferenceRepository } from '#adapters/dynamodb/reference-repository.ts';
import type { ReferenceData } from '#core/reference/schemas.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { ensureTable } from '#local/ensure-table.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

/**
 * The reference data as the first seed had it: the 27 regions before the county list was
 * completed, no GB/T 2260 codes, and four markets placed only in their prefecture.
 */
function oldSeed(seed: ReferenceData): ReferenceData {
  const firstRegions = new Set([
    'pref_lhasa',
    'pref_shigatse',
    'pref_chamdo',
    'pref_nyingchi',
    'pref_shannan',
    'pref_nagqu',
    'pref_ngari',
    'cty_lhasa_chengguan',
    'cty_lhasa_doilungdeqen',
    'cty_lhasa_lhunzhub',
    'cty_shigatse_samzhubze',
    'cty_shigatse_gyantse',
    'cty_shigatse_lhatse',
    'cty_shigatse_tingri',
    'cty_shigatse_bainang',
    'cty_shigatse_nyalam',
    'cty_shannan_nedong',
    'cty_shannan_gonggar',
    'cty_nyingchi_bayi',
    'cty_nyingchi_mainling',
    'cty_nyingchi_gongbogyamda',
    'cty_chamdo_karub',
    'cty_nagqu_seni',
    'cty_nagqu_amdo',
    'cty_nagqu_baingoin',
    'cty_ngari_gar',
    'town_ngari_shiquanhe',
  ]);
  const oldMarketRegions: Record<string, string> = {
    mkt_nagqu_biru_cordyceps: 'pref_nagqu',
    mkt_ngari_purang_tangga: 'pref_ngari',
    mkt_shigatse_gyirong_port: 'pref_shigatse',
    mkt_shigatse_yadong_renqinggang: 'pref_shigatse',
  };
  return {
    ...seed,
    regions: seed.regions.filter((r) => firstRegions.has(r.id)).map(({ gbcode: _, ...r }) => r),
    markets: seed.markets.map((m) => ({ ...m, regionId: oldMarketRegions[m.id] ?? m.regionId })),
  };
}

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

describe('reference repository (DynamoDB protocol)', () => {
  test('the harness seeded an empty store once', async () => {
    assert.equal(stack.seeded, true);
    assert.equal(await stack.deps.reference.isEmpty(), false);
  });

  test('get by id and list by kind return the seeded entities exactly', async () => {
    const seed = referenceSeed();
    const butter = await stack.deps.reference.getCommodity('butter');
    assert.deepEqual(
      butter,
      seed.commodities.find((c) => c.id === 'butter'),
    );
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
    await db.send(
      new PutCommand({
        TableName: stack.tableName,
        Item: { ...current, names: { ...current.names, en: 'wheat (edited)' }, origin: 'staff' },
      }),
    );
    const again = await stack.deps.reference.seed(referenceSeed());
    assert.equal(
      again.written,
      referenceSeed().commodities.length +
        referenceSeed().regions.length +
        referenceSeed().markets.length +
        referenceSeed().units.length -
        1,
    );
    assert.equal((await stack.deps.reference.getCommodity('wheat'))?.names.en, 'wheat (edited)');
    const all = await stack.deps.reference.listCommodities({ limit: 200 });
    assert.equal(all.items.length, referenceSeed().commodities.length, 'no duplicates');
    db.destroy();
  });

  test('a store seeded with the old data (27 regions, no gbcode) gets the new counties and codes; a person’s edit stays whole', async () => {
    const client = createDynamoClient({ region: 'local', endpoint: stack.dynamoEndpoint });
    const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
    const name = `${stack.tableName}-old`;
    await ensureTable(client, name);
    const repo = new DynamoReferenceRepository(db, name);
    const seed = referenceSeed();
    const old = oldSeed(seed);
    await repo.seed(old);
    assert.equal(await repo.seedState(old), 'current');
    assert.equal(await repo.seedState(seed), 'outdated', 'the shipped seed differs from what the store holds');
    assert.equal((await repo.listRegions({ limit: 200 })).items.length, 27);
    assert.equal((await repo.getRegion('cty_lhasa_chengguan'))?.gbcode, undefined);
    // A person edits Gyantse (origin staff), as an admin edit would.
    const key = referenceKey('region', 'cty_shigatse_gyantse');
    const stored = (await db.send(new GetCommand({ TableName: name, Key: key }))).Item!;
    await db.send(
      new PutCommand({
        TableName: name,
        Item: { ...stored, names: { ...stored.names, en: 'Gyantse (edited)' }, origin: 'staff', version: 2 },
      }),
    );

    const { written } = await repo.seed(seed);
    assert.equal(
      written,
      seed.commodities.length + seed.regions.length + seed.markets.length + seed.units.length - 1,
      'all but the edited item',
    );
    assert.equal(await repo.seedState(seed), 'current');
    const regions = (await repo.listRegions({ limit: 200 })).items;
    assert.equal(regions.length, 82);
    assert.equal(regions.filter((r) => r.level === 'county').length, 74);
    assert.equal(
      (await repo.getRegion('cty_lhasa_chengguan'))?.gbcode,
      '540102',
      'an unedited item gets the new field',
    );
    assert.deepEqual(
      await repo.getRegion('cty_lhasa_maizhokunggar'),
      seed.regions.find((r) => r.id === 'cty_lhasa_maizhokunggar'),
      'a new county',
    );
    const gyantse = await repo.getRegion('cty_shigatse_gyantse');
    assert.equal(gyantse?.names.en, 'Gyantse (edited)', 'an edited region is never overwritten');
    assert.equal(gyantse?.gbcode, undefined);
    const lhasa = (await repo.listRegions({ limit: 50, parentId: 'pref_lhasa' })).items.map((r) => r.id);
    assert.equal(lhasa.length, 8, 'the children index holds the new counties');
    // A market the new seed places in a county moves there (its index entry with it).
    assert.deepEqual(
      (await repo.listMarkets({ limit: 50, regionId: 'cty_nagqu_biru' })).items.map((m) => m.id),
      ['mkt_nagqu_biru_cordyceps'],
    );
    assert.deepEqual((await repo.listMarkets({ limit: 50, regionId: 'pref_nagqu' })).items, []);
    client.destroy();
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
    const repo = new DynamoReferenceRepository(
      createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint }),
      name,
    );
    assert.equal(await repo.isEmpty(), true);
    await repo.seed(referenceSeed());
    const kids = await repo.listRegions({ limit: 50, parentId: 'pref_nagqu' });
    assert.deepEqual(
      kids.items.map((r) => r.id).sort(),
      referenceSeed()
        .regions.filter((r) => r.parentId === 'pref_nagqu')
        .map((r) => r.id)
        .sort(),
    );
    assert.equal(kids.items.length, 11);
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

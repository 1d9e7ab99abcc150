import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { referenceKey, seedMarkerKey } from '#adapters/dynamodb/keys.ts';
import { loadConfig } from '#config';
import { AlreadyRunningError } from '#local/lock.ts';
import { type LocalStack, startLocalStack } from '#local/stack.ts';

const settings = (dataDir: string) => {
  const config = loadConfig({ APP_MODE: 'local', DATA_DIR: dataDir });
  if (config.APP_MODE !== 'local') throw new Error('local');
  return config;
};

describe.skipIf(Boolean(process.env.DYNAMODB_ENDPOINT) && 'persistence is about the embedded store')(
  'local stack on a data directory',
  () => {
    test('data survives a restart and is seeded only into an empty store', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-data-'));
      try {
        const first = await startLocalStack(settings(dir));
        assert.equal(first.seeded, true);
        await first.files.put('kept.txt', 'still here', 'text/plain');
        await first.close();

        const second = await startLocalStack(settings(dir));
        assert.equal(second.seeded, false, 'an existing store is not re-seeded');
        assert.equal((await second.deps.reference.getCommodity('butter'))?.names.zh, '酥油');
        assert.equal(new TextDecoder().decode((await second.files.get('kept.txt'))!.body), 'still here');
        await second.close();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a store seeded from an older glossary gets the shipped seed on the next start; edits are kept; a current one is left alone', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-data-'));
      let open: LocalStack | undefined;
      try {
        open = await startLocalStack(settings(dir));
        // Make the store what an older version left: its marker without this seed's fingerprint,
        // a county it did not have, a region without its code, and a person's edit.
        const db = createDocumentClient({ region: 'local', endpoint: open.dynamoEndpoint });
        const table = settings(dir).TABLE_NAME;
        const item = async (key: { pk: string; sk: string }) =>
          (await db.send(new GetCommand({ TableName: table, Key: key }))).Item!;
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...(await item(seedMarkerKey('reference'))), fingerprint: undefined },
          }),
        );
        await db.send(new DeleteCommand({ TableName: table, Key: referenceKey('region', 'cty_lhasa_nyemo') }));
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...(await item(referenceKey('region', 'cty_lhasa_chengguan'))), gbcode: undefined },
          }),
        );
        const gyantse = await item(referenceKey('region', 'cty_shigatse_gyantse'));
        await db.send(
          new PutCommand({
            TableName: table,
            Item: { ...gyantse, names: { ...gyantse.names, en: 'Gyantse (edited)' }, origin: 'staff' },
          }),
        );
        db.destroy();
        await open.close();
        open = undefined;

        open = await startLocalStack(settings(dir));
        assert.deepEqual([open.seeded, open.reseeded], [false, true]);
        assert.equal(
          (await open.deps.reference.getRegion('cty_lhasa_nyemo'))?.gbcode,
          '540123',
          'the missing county arrives',
        );
        assert.equal(
          (await open.deps.reference.getRegion('cty_lhasa_chengguan'))?.gbcode,
          '540102',
          'the new field is filled',
        );
        assert.equal(
          (await open.deps.reference.getRegion('cty_shigatse_gyantse'))?.names.en,
          'Gyantse (edited)',
          'the edit is kept',
        );
        await open.close();
        open = undefined;

        open = await startLocalStack(settings(dir));
        assert.deepEqual(
          [open.seeded, open.reseeded],
          [false, false],
          'a store with the shipped seed is not seeded again',
        );
      } finally {
        await open?.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a second start on the same data directory is refused with a clear message, and the first keeps working', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-data-'));
      const first = await startLocalStack(settings(dir));
      try {
        // The lock holds the pid of a live process; simulate a second process by faking the pid check.
        const { writeFileSync } = await import('node:fs');
        writeFileSync(join(dir, 'zhingdrok.lock'), String(process.ppid));
        await assert.rejects(
          startLocalStack(settings(dir)),
          (e: unknown) =>
            e instanceof AlreadyRunningError && /already running/.test(e.message) && e.message.includes(dir),
        );
        assert.equal((await first.deps.reference.getCommodity('wheat'))?.id, 'wheat');
      } finally {
        await first.close();
        await rm(dir, { recursive: true, force: true });
      }
    });

    test('a stale lock from a dead process is taken over', async () => {
      const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-data-'));
      const { writeFileSync, mkdirSync } = await import('node:fs');
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'zhingdrok.lock'), '999999999');
      const stack = await startLocalStack(settings(dir));
      assert.equal(stack.seeded, true);
      await stack.close();
      await rm(dir, { recursive: true, force: true });
    });
  },
);

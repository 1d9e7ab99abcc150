import { join, resolve } from 'node:path';
import { withInboundSms } from '#adapters/inbound-wiring.ts';
import { withPriceImport, type PriceImportWiring } from '#adapters/import-wiring.ts';
import { createDeps, storageSettingsFrom, type Deps } from '#adapters/wiring.ts';
import { createDynamoClient } from '#adapters/dynamodb/client.ts';
import { ensureTable } from '#adapters/dynamodb/ensure-table.ts';
import { createS3Client } from '#adapters/s3/client.ts';
import { ensureBucket, S3FileStore } from '#adapters/s3/file-store.ts';
import type { LocalConfig } from '#config';
import type { FileStore } from '#core/ports.ts';
import { backfillIndexes } from '#core/prices/index-backfill.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { lockDataDir } from './lock.ts';
import { startLocalStores } from './stores.ts';

export interface LocalStack {
  deps: Deps & PriceImportWiring;
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** Files in the embedded S3 (attachments and exports will use this store). */
  files: FileStore;
  seeded: boolean;
  close(): Promise<void>;
}

/**
 * Everything `npm start` and the tests need below the HTTP app: the data-dir lock, the
 * embedded stores (or an external DynamoDB endpoint), the table, the bucket, and the
 * reference data seeded into an empty store.
 */
export async function startLocalStack(
  config: LocalConfig,
  options: { inMemory?: boolean; s3Dir?: string; print?: (line: string) => void } = {},
): Promise<LocalStack> {
  const dataDir = options.inMemory ? undefined : resolve(config.DATA_DIR);
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  try {
    const stores = await startLocalStores({
      dataDir: config.DYNAMODB_ENDPOINT ? undefined : dataDir,
      s3Dir: options.s3Dir ?? join(dataDir ?? '.', 's3'),
    });
    const dynamoEndpoint = config.DYNAMODB_ENDPOINT ?? stores.dynamoEndpoint;
    const region = config.AWS_REGION;
    const raw = createDynamoClient({ region, endpoint: dynamoEndpoint });
    await ensureTable(raw, config.TABLE_NAME);
    raw.destroy();
    const s3 = createS3Client({ region, endpoint: stores.s3Endpoint });
    await ensureBucket(s3, config.BUCKET_NAME);

    const settings = { ...storageSettingsFrom(config), dynamoEndpoint, s3Endpoint: stores.s3Endpoint, print: options.print };
    const files = new S3FileStore(s3, config.BUCKET_NAME);
    // CSV imports (POST /api/v1/prices/import) run in-process locally, as a Lambda of their own in AWS.
    const deps = withPriceImport(withInboundSms(createDeps(settings)), settings, files);
    const seeded = await deps.reference.isEmpty();
    if (seeded) await deps.reference.seed(referenceSeed());
    // One-off: approved prices stored before the commodity index existed get it (open data).
    await backfillIndexes(deps, Number.POSITIVE_INFINITY);
    return {
      deps,
      dynamoEndpoint,
      s3Endpoint: stores.s3Endpoint,
      files,
      seeded,
      async close() {
        s3.destroy();
        await stores.close();
        unlock();
      },
    };
  } catch (err) {
    unlock();
    throw err;
  }
}

import type { FileStore } from '#core/ports.ts';
import { createDocumentClient } from './dynamodb/client.ts';
import { DynamoPriceImportStore } from './dynamodb/price-import.ts';
import { createS3Client } from './s3/client.ts';
import { S3FileStore } from './s3/file-store.ts';
import type { StorageSettings } from './wiring.ts';

/**
 * Adds what the CSV price import needs to the deps: the batch store and the file store where
 * uploads and write plans are kept. For the price-import Lambda, the jobs Lambda (the sweep
 * finishes imports a crash interrupted) and the local stack only; kept apart from
 * createDeps (like withInboundSms) so that the http Lambda carries neither the S3 client nor
 * the CSV reader.
 *
 * @example const deps = withPriceImport(createDeps(settings), settings)
 */
export function withPriceImport<D extends object>(deps: D, settings: StorageSettings, files?: FileStore) {
  const db = createDocumentClient({ region: settings.region, endpoint: settings.dynamoEndpoint });
  // What an import publishes, this process's cache of latest prices must not keep serving.
  const latestCache = (deps as { prices?: { latestCache?: { invalidate(commodityId?: string): void } } }).prices
    ?.latestCache;
  if (!files && !settings.bucketName)
    throw new Error('BUCKET_NAME is not set: the price import needs the files bucket');
  const store =
    files ??
    new S3FileStore(createS3Client({ region: settings.region, endpoint: settings.s3Endpoint }), settings.bucketName!);
  // The import keeps its write plan in the same store, so that a crash mid-import can be finished.
  return Object.assign(deps, {
    priceImport: new DynamoPriceImportStore(db, settings.tableName, store, latestCache),
    files: store,
  });
}

export type PriceImportWiring = ReturnType<typeof withPriceImport<object>>;

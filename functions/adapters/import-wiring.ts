import type { FileStore } from '#core/platform-ports.ts';
import { DynamoPriceImportStore } from './dynamodb/price-import.ts';
import { createS3Client } from './s3/client.ts';
import { S3FileStore } from './s3/file-store.ts';
import type { RootParts, StorageSettings } from './wiring.ts';

/**
 * What the CSV price import needs: the batch store and the file store where uploads and write
 * plans are kept. For the price-import Lambda, the jobs Lambda (the sweep finishes imports a
 * crash interrupted) and the local stack only; kept apart from createDeps (like
 * inboundSmsParts) so that the http Lambda carries neither the S3 client nor the CSV reader.
 * Handed to createDeps, which builds the import's stores with its own document client.
 *
 * @example const deps = createDeps(settings, composeHere, priceImportParts(settings))
 */
export function priceImportParts(settings: StorageSettings, files?: FileStore) {
  return ({ db, prices }: RootParts) => {
    if (!files && !settings.bucketName)
      throw new Error('BUCKET_NAME is not set: the price import needs the files bucket');
    const store =
      files ??
      new S3FileStore(createS3Client({ region: settings.region, endpoint: settings.s3Endpoint }), settings.bucketName!);
    // The import keeps its write plan in the same store, so that a crash mid-import can be finished;
    // what it publishes, this process's cache of latest prices must not keep serving.
    return {
      priceImport: new DynamoPriceImportStore(db, settings.tableName, store, prices.latestCache),
      files: store,
    };
  };
}

export type PriceImportWiring = ReturnType<ReturnType<typeof priceImportParts>>;

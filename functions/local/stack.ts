import { join, resolve } from 'node:path';
import { createDocumentClient, createDynamoClient } from '#adapters/dynamodb/client.ts';
import { type PriceImportWiring, priceImportParts } from '#adapters/import-wiring.ts';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { inboundSmsParts } from '#adapters/inbound-wiring.ts';
import { createS3Client } from '#adapters/s3/client.ts';
import { ensureBucket, S3FileStore } from '#adapters/s3/file-store.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { localVoiceLineParts } from '#adapters/voice/local-line.ts';
import { voiceSettingsFrom } from '#adapters/voice/wiring.ts';
import { voiceStudioParts } from '#adapters/voice-studio-wiring.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import type { LocalConfig } from '#config';
import type { FileStore } from '#core/platform-ports.ts';
import { finishPriceImports } from '#core/prices/import-recovery.ts';
import { backfillIndexes } from '#core/prices/index-backfill.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { backfillAudience } from '#local/audience-rebuild.ts';
import { ensureTable } from '#local/ensure-table.ts';
import { lockDataDir } from './lock.ts';
import { startLocalStores } from './stores.ts';

export interface LocalStack {
  deps: Deps & PriceImportWiring;
  dynamoEndpoint: string;
  s3Endpoint: string;
  /** Files in the embedded S3 (attachments and exports will use this store). */
  files: FileStore;
  seeded: boolean;
  /** The store held reference data from another seed (an older glossary): it was seeded again, keeping people's edits. */
  reseeded: boolean;
  /** Inbound SMS that a crash of an earlier run left unfinished, run again at this start. */
  unfinishedInbound: { finished: number; failed: number };
  /** CSV imports a crash had interrupted, finished at start (before anything is served). */
  importsFinished: number;
  close(): Promise<void>;
}

/**
 * Everything `npm start` and the tests need below the HTTP app: the data-dir lock, the
 * embedded stores (or an external DynamoDB endpoint), the table, the bucket, the reference
 * data seeded into an empty store (or seeded again when the shipped seed changed), and the
 * inbound SMS and CSV imports a crash interrupted, finished.
 */
export async function startLocalStack(
  config: LocalConfig,
  options: {
    inMemory?: boolean;
    s3Dir?: string;
    print?: (line: string) => void;
    log?: (entry: Record<string, unknown>) => void;
  } = {},
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
    // The embedded store cannot add an index to a table: it rebuilds one made before an index.
    await ensureTable(raw, config.TABLE_NAME, { rebuild: !config.DYNAMODB_ENDPOINT });
    raw.destroy();
    const s3 = createS3Client({ region, endpoint: stores.s3Endpoint });
    await ensureBucket(s3, config.BUCKET_NAME);
    // The public bucket (the static bucket in AWS): open-data snapshots, served at /open-data/*.
    await ensureBucket(s3, config.PUBLIC_BUCKET_NAME);

    const settings = {
      ...storageSettingsFrom(config),
      dynamoEndpoint,
      s3Endpoint: stores.s3Endpoint,
      print: options.print,
      log: options.log,
    };
    const files = new S3FileStore(s3, config.BUCKET_NAME);
    // CSV imports (POST /api/v1/prices/import) run in-process locally, as a Lambda of their own in AWS.
    const importParts = priceImportParts(settings, files);
    const smsParts = inboundSmsParts();
    // The voice line (the TwiML webhook and /dev/voice): placeholders stand in for clips not recorded yet.
    const voiceParts = localVoiceLineParts({
      settings: voiceSettingsFrom(config, true),
      tableName: config.TABLE_NAME,
      recordingHosts: config.VOICE_RECORDING_HOSTS,
      authToken: config.VOICE_TWILIO_AUTH_TOKEN,
      publicUrl: config.VOICE_PUBLIC_URL,
    });
    // The prompt studio and call records: in AWS the voice-studio Lambda's alone.
    const studioParts = voiceStudioParts(voiceSettingsFrom(config, true));
    const deps = createDeps(settings, composeHere, (parts, self) => ({
      ...importParts(parts),
      ...smsParts(parts, self),
      ...voiceParts(parts, self),
      ...studioParts(parts, self),
    }));
    // An empty store, or one seeded from an older glossary (new counties, new fields), gets
    // the shipped seed; items a person edited are kept (DynamoReferenceRepository.seed).
    const seedState = await deps.reference.seedState(referenceSeed());
    if (seedState !== 'current') await deps.reference.seed(referenceSeed());
    // Nothing redelivers a local message: finish what a crash interrupted (we hold the lock,
    // so every claim still `processing` belongs to a process that is gone).
    const unfinishedInbound = await deps.finishUnfinishedInbound();
    // Imports a crash interrupted (kill -9, power cut) are finished before the app serves: the
    // data-dir lock says no other process uses this store (an external DYNAMODB_ENDPOINT may be
    // shared, so there the writes stay conditional), so every unfinished one is abandoned. A
    // failure is logged and does not stop the start (the sweep tries again every 15 minutes).
    const importsFinished = await finishPriceImports(deps, {
      all: true,
      limit: 1000,
      exclusive: !config.DYNAMODB_ENDPOINT,
    }).catch((err: Error) => {
      deps.log({ level: 'error', msg: 'unfinished price imports could not be finished at start', error: err.message });
      return 0;
    });
    // One-off: approved prices stored before the commodity index existed get it (open data).
    await backfillIndexes(deps, Number.POSITIVE_INFINITY);
    // One-off: subscribers stored before the broadcasts' audience index existed get their
    // entries (a Scan, once per store: only where we hold the data-dir lock, before any message
    // is taken; later starts read its marker).
    if (!config.DYNAMODB_ENDPOINT) {
      const db = createDocumentClient({ region, endpoint: dynamoEndpoint });
      await backfillAudience(db, config.TABLE_NAME, (id) => deps.authz.regionPath(id), new Date());
      db.destroy();
    }
    return {
      importsFinished,
      deps,
      dynamoEndpoint,
      s3Endpoint: stores.s3Endpoint,
      files,
      seeded: seedState === 'empty',
      reseeded: seedState === 'outdated',
      unfinishedInbound,
      async close() {
        deps.broadcastRuntime.stop();
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

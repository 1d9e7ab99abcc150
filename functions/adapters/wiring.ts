/**
 * The one place that chooses adapters. Handlers and the local server call this with
 * validated config (plus the endpoints of the embedded stand-ins, when local); domain and
 * route code never know which runtime they are in.
 */
import type { Config } from '#config';
import type { AppDeps } from '#http/env.ts';
import { createDocumentClient } from './dynamodb/client.ts';
import { DynamoHealthProbe } from './dynamodb/health.ts';
import { DynamoReferenceRepository } from './dynamodb/reference-repository.ts';
import { createS3Client } from './s3/client.ts';
import { S3FileStore } from './s3/file-store.ts';

export interface StorageSettings {
  mode: 'local' | 'aws';
  region: string;
  tableName: string;
  /** DynamoDB-protocol endpoint (dynalite, DynamoDB Local); unset in AWS. */
  dynamoEndpoint?: string;
  bucketName: string;
  /** S3-protocol endpoint (s3rver); unset in AWS. */
  s3Endpoint?: string;
}

export function createDeps(settings: StorageSettings): AppDeps {
  const db = createDocumentClient({ region: settings.region, endpoint: settings.dynamoEndpoint });
  return {
    mode: settings.mode,
    reference: new DynamoReferenceRepository(db, settings.tableName),
    health: new DynamoHealthProbe(db, settings.tableName),
    files: new S3FileStore(createS3Client({ region: settings.region, endpoint: settings.s3Endpoint }), settings.bucketName),
  };
}

/** Storage settings from validated config (AWS: the Lambda's own region and the stack's resources). */
export function storageSettingsFrom(config: Config): StorageSettings {
  return {
    mode: config.APP_MODE,
    region: config.AWS_REGION,
    tableName: config.TABLE_NAME,
    dynamoEndpoint: config.DYNAMODB_ENDPOINT,
    bucketName: config.BUCKET_NAME,
  };
}

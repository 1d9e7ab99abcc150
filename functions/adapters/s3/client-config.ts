/**
 * The S3 client's settings, with no import of the SDK: shared by createS3Client (client.ts) and
 * the voice Lambda, which loads the SDK only when a turn first needs audio (lazy-client.ts).
 */
import type { S3ClientConfig } from '@aws-sdk/client-s3';

export const s3HandlerOptions = { connectionTimeout: 1000, requestTimeout: 10_000 };

/** Path-style addressing for local endpoints (s3rver has no virtual-host DNS). */
export const s3ClientConfig = (
  { region, endpoint }: { region: string; endpoint?: string },
  requestHandler: S3ClientConfig['requestHandler'],
): S3ClientConfig => ({
  region,
  endpoint,
  forcePathStyle: Boolean(endpoint),
  maxAttempts: 3,
  requestHandler,
  ...(endpoint ? { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } } : {}),
});

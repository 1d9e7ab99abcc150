import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Path-style addressing for local endpoints (s3rver has no virtual-host DNS). */
export function createS3Client({ region, endpoint }: { region: string; endpoint?: string }): S3Client {
  return new S3Client({
    region,
    endpoint,
    forcePathStyle: Boolean(endpoint),
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 10_000 }),
    ...(endpoint ? { credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } } : {}),
  });
}

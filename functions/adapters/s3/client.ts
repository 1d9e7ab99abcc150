import { S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { s3ClientConfig, s3HandlerOptions } from './client-config.ts';

/** The files bucket's client (client-config.ts: path-style for local endpoints). */
export function createS3Client({ region, endpoint }: { region: string; endpoint?: string }): S3Client {
  return new S3Client(s3ClientConfig({ region, endpoint }, new NodeHttpHandler(s3HandlerOptions)));
}

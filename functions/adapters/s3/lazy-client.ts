/**
 * The S3 SDK loaded on first use, for the voice Lambda: a caller waits on its cold start, most
 * turns only name clips' URLs, and importing @aws-sdk/client-s3 is the largest part of that
 * start after DynamoDB's. Only dynamic imports here: a static one would be hoisted into the
 * bundle's start.
 */

import { s3ClientConfig, s3HandlerOptions } from './client-config.ts';
import type { S3Parts } from './voice-audio.ts';

export const loadS3Parts = (input: { region: string; endpoint?: string }) => async (): Promise<S3Parts> => {
  const [sdk, { NodeHttpHandler }] = await Promise.all([
    import('@aws-sdk/client-s3'),
    import('@smithy/node-http-handler'),
  ]);
  return {
    client: new sdk.S3Client(s3ClientConfig(input, new NodeHttpHandler(s3HandlerOptions))),
    PutObjectCommand: sdk.PutObjectCommand,
    GetObjectCommand: sdk.GetObjectCommand,
    DeleteObjectCommand: sdk.DeleteObjectCommand,
  };
};

/**
 * The S3 SDK loaded on first use. A cold start a caller or a reader waits on need not pay for
 * @aws-sdk/client-s3 (after DynamoDB's, the largest import of a function's start) when most
 * requests touch no file: a TwiML turn only names clips' URLs, a page only links attachments.
 * Only dynamic imports and type imports here: a static import would be hoisted into the
 * bundle's start. The loader is made once per process; a failed load is tried again.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { s3ClientConfig, s3HandlerOptions } from './client-config.ts';

export interface S3Sdk {
  client: S3Client;
  sdk: typeof import('@aws-sdk/client-s3');
  createPresignedPost: typeof createPresignedPost;
}

/** What the files adapters take: the SDK when they first need it. */
export type S3Loader = () => Promise<S3Sdk>;

export function loadS3Sdk(input: { region: string; endpoint?: string }): S3Loader {
  let loaded: Promise<S3Sdk> | undefined;
  const load = async (): Promise<S3Sdk> => {
    const [sdk, presign, { NodeHttpHandler }] = await Promise.all([
      import('@aws-sdk/client-s3'),
      import('@aws-sdk/s3-presigned-post'),
      import('@smithy/node-http-handler'),
    ]);
    const client = new sdk.S3Client(s3ClientConfig(input, new NodeHttpHandler(s3HandlerOptions)));
    return { client, sdk, createPresignedPost: presign.createPresignedPost };
  };
  return () => {
    loaded ??= load().catch((err) => {
      loaded = undefined;
      throw err;
    });
    return loaded;
  };
}

/** An already-made client as a loader (tests, and code that holds one). */
export const s3SdkOf =
  (client: S3Client): S3Loader =>
  async () => ({
    client,
    sdk: await import('@aws-sdk/client-s3'),
    createPresignedPost: (await import('@aws-sdk/s3-presigned-post')).createPresignedPost,
  });

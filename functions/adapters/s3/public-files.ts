/**
 * The public bucket (the static bucket in AWS, which CloudFront serves; a bucket of its own in
 * s3rver locally): the open-data job writes its snapshots here, and locally the server reads them
 * back for GET /open-data/* as CloudFront does in AWS. Only keys under open-data/ of the snapshot
 * files are read or written (isOpenDataKey): nothing else of the bucket is reachable this way.
 */
import { isOpenDataKey } from '#core/prices/open-data-export.ts';
import type { OpenDataFiles, PublicFileMeta } from '#core/prices/open-data-publish.ts';
import type { S3Loader } from './lazy-client.ts';

export interface PublicFile extends PublicFileMeta {
  body: Uint8Array;
  etag?: string;
}

const missing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

export class S3PublicFiles implements OpenDataFiles {
  constructor(
    /** The SDK when first needed (lazy-client.ts). */
    private readonly s3: S3Loader,
    private readonly bucket: string,
  ) {}

  async put(key: string, body: Uint8Array, meta: PublicFileMeta): Promise<void> {
    if (!isOpenDataKey(key)) throw new Error(`not an open-data key: ${key}`);
    const { client, sdk } = await this.s3();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: meta.contentType,
        CacheControl: meta.cacheControl,
        ...(meta.contentDisposition ? { ContentDisposition: meta.contentDisposition } : {}),
      }),
    );
  }

  /** Local serving (AWS: CloudFront reads the bucket itself). Undefined for a key that is not an open-data file or is not there. */
  async get(key: string): Promise<PublicFile | undefined> {
    if (!isOpenDataKey(key)) return undefined;
    const { client, sdk } = await this.s3();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return {
        body: await res.Body!.transformToByteArray(),
        contentType: res.ContentType ?? 'application/octet-stream',
        cacheControl: res.CacheControl ?? 'no-cache',
        ...(res.ContentDisposition ? { contentDisposition: res.ContentDisposition } : {}),
        ...(res.ETag ? { etag: res.ETag } : {}),
      };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }
}

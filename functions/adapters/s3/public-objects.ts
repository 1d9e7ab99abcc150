/**
 * Objects read by key for the public-files Lambda (aws-cn, where no CloudFront reads the buckets):
 * the object's stored metadata, its bytes when they fit a Lambda response, and a presigned GET
 * (the SDK's s3-request-presigner) when they do not. Read-only, and the function may read only
 * the prefixes it serves, with no s3:ListBucket: S3 then answers a missing key with 403, which
 * is "not there" here too.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

export interface PublicObjectMeta {
  contentType?: string;
  cacheControl?: string;
  contentDisposition?: string;
  contentEncoding?: string;
  etag?: string;
  lastModified?: Date;
  bytes: number;
}

export type PublicObjectRead =
  | { found: false }
  /** Meta only: a HEAD, a 304, or bytes over `maxBytes` (never read). */
  | { found: true; meta: PublicObjectMeta; body?: Uint8Array };

/** What the public-files app reads through (functions/http/public-files.ts). */
export interface PublicObjects {
  /** `ifNoneMatch` given and matched, or `headOnly`, or over `maxBytes`: no body. */
  read(
    bucket: string,
    key: string,
    options: { maxBytes: number; headOnly?: boolean; matches?: (etag: string) => boolean },
  ): Promise<PublicObjectRead>;
  /** A GET URL of the object, signed for `seconds`. */
  presignGet(bucket: string, key: string, seconds: number): Promise<string>;
}

/** A key that is not there, or (no s3:ListBucket) one the function may not know is not there. */
const missing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  const status = e?.$metadata?.httpStatusCode;
  return (
    e?.name === 'NoSuchKey' ||
    e?.name === 'NotFound' ||
    e?.name === 'AccessDenied' ||
    e?.name === 'Forbidden' ||
    status === 404 ||
    status === 403
  );
};

export class S3PublicObjects implements PublicObjects {
  constructor(private readonly s3: S3Client) {}

  async read(
    bucket: string,
    key: string,
    options: { maxBytes: number; headOnly?: boolean; matches?: (etag: string) => boolean },
  ): Promise<PublicObjectRead> {
    try {
      if (options.headOnly) {
        const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return { found: true, meta: metaOf(head) };
      }
      const res = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      const meta = metaOf(res);
      // Not modified, or too large to answer: the body is left unread (and its connection let go).
      if ((meta.etag && options.matches?.(meta.etag)) || meta.bytes > options.maxBytes) {
        (res.Body as { destroy?: () => void } | undefined)?.destroy?.();
        return { found: true, meta };
      }
      return { found: true, meta, body: await res.Body!.transformToByteArray() };
    } catch (err) {
      if (missing(err)) return { found: false };
      throw err;
    }
  }

  presignGet(bucket: string, key: string, seconds: number): Promise<string> {
    return getSignedUrl(this.s3, new GetObjectCommand({ Bucket: bucket, Key: key }), { expiresIn: seconds });
  }
}

function metaOf(res: {
  ContentType?: string;
  CacheControl?: string;
  ContentDisposition?: string;
  ContentEncoding?: string;
  ETag?: string;
  LastModified?: Date;
  ContentLength?: number;
}): PublicObjectMeta {
  return {
    bytes: Number(res.ContentLength ?? 0),
    ...(res.ContentType ? { contentType: res.ContentType } : {}),
    ...(res.CacheControl ? { cacheControl: res.CacheControl } : {}),
    ...(res.ContentDisposition ? { contentDisposition: res.ContentDisposition } : {}),
    ...(res.ContentEncoding ? { contentEncoding: res.ContentEncoding } : {}),
    ...(res.ETag ? { etag: res.ETag } : {}),
    ...(res.LastModified ? { lastModified: res.LastModified } : {}),
  };
}

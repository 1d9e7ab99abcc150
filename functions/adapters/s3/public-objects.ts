/**
 * Objects read by key for the public-files Lambda (aws-cn, where no CloudFront reads the buckets):
 * the object's stored metadata, its bytes when they fit a Lambda response, and a presigned GET
 * when they do not. Read-only, and the function may read only the prefixes it serves, with no
 * s3:ListBucket: S3 then answers a missing key with 403, which is "not there" here too.
 *
 * Presigning: @aws-sdk/s3-request-presigner is not a dependency of the project, and npm is not
 * run to add one. Its work for a GET is small: the bucket's URL from the client's own endpoint
 * rules (the same that every command uses, China's amazonaws.com.cn included), then SigV4 query
 * signing with UNSIGNED-PAYLOAD by @smithy/signature-v4, which the S3 client and
 * @aws-sdk/s3-presigned-post already bring (and the Lambda runtime provides, as it provides the
 * SDK: infra/bundling.ts). So presignGet does exactly that, with the client's credentials.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';

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

/** Each path segment of a key percent-encoded, the slashes kept (as S3 signs them). */
const encodeKey = (key: string) =>
  key
    .split('/')
    .map((s) => encodeURIComponent(s).replace(/[!'()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/');

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

  async presignGet(bucket: string, key: string, seconds: number): Promise<string> {
    const { config } = this.s3;
    const region = await config.region();
    const endpoint = config.endpoint ? await config.endpoint() : undefined;
    const base = config.endpointProvider({
      Bucket: bucket,
      Region: region,
      UseFIPS: false,
      UseDualStack: false,
      Accelerate: false,
      ForcePathStyle: config.forcePathStyle ?? false,
      ...(endpoint
        ? { Endpoint: `${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}` }
        : {}),
    } as Parameters<typeof config.endpointProvider>[0]).url;
    const signer = new SignatureV4({
      credentials: config.credentials,
      region,
      service: 's3',
      sha256: config.sha256,
      // S3 signs the path as sent: no second encoding.
      uriEscapePath: false,
      applyChecksum: false,
    });
    const signed = await signer.presign(
      {
        method: 'GET',
        protocol: base.protocol,
        hostname: base.hostname,
        ...(base.port ? { port: Number(base.port) } : {}),
        path: `${base.pathname.replace(/\/$/, '')}/${encodeKey(key)}`,
        query: {},
        headers: { host: base.host, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
      },
      { expiresIn: seconds },
    );
    const query = Object.entries(signed.query ?? {})
      .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
      .join('&');
    return `${signed.protocol}//${base.host}${signed.path}?${query}`;
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

/**
 * Attachments in the files bucket (S3 in AWS, s3rver locally). A browser uploads straight to
 * the bucket with a presigned POST (a plain HTML form: no JavaScript, and the file never passes
 * through a Lambda) under `uploads/<uploadId>`; the service then inspects the first bytes,
 * keeps a good file under `attachments/…` and deletes a bad one. Uploads nobody finished are
 * found by `staleUploads` (and, in AWS, expire by the bucket's lifecycle rule as well).
 *
 * s3rver (the local stand-in) accepts the same multipart POST and answers with the same 303 to
 * `success_action_redirect`, but does not check the policy: its signature, expiry and
 * content-length-range are enforced by S3 only. The service's own size and type check after
 * the upload (inspect) is what refuses a bad file in both.
 */
import type { AttachmentType } from '#core/knowledge/item.ts';
import type { AttachmentFiles } from '#core/knowledge/ports.ts';
import type { S3Loader } from './lazy-client.ts';

/** Where uploads land until they are kept or deleted. */
export const UPLOAD_PREFIX = 'uploads/';
/** Upload ids become object keys: our own ids, nothing a client could steer into another prefix. */
const UPLOAD_ID = /^[A-Za-z0-9_-]{1,100}$/;
/** Kept attachments never change (a new file gets a new id), so caches may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

const missing = (err: unknown) => {
  const name = (err as { name?: string; $metadata?: { httpStatusCode?: number } })?.name;
  return (
    name === 'NoSuchKey' ||
    name === 'NotFound' ||
    (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404
  );
};

/**
 * S3 answers 403, not 404, for a missing key to a role without s3:ListBucket (the http
 * function has none: it needs no listing). Under uploads/ — keys our ids name, that the
 * function may read — a 403 can only mean the upload never arrived.
 */
const missingUpload = (key: string, err: unknown) =>
  missing(err) ||
  (key.startsWith(UPLOAD_PREFIX) &&
    ((err as { name?: string })?.name === 'Forbidden' ||
      (err as { name?: string })?.name === 'AccessDenied' ||
      (err as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 403));

/** Each path segment of a key percent-encoded, the slashes kept. */
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

export class S3AttachmentFiles implements AttachmentFiles {
  /**
   * @param publicBaseUrl where the public fetches files: the CloudFront `/files` origin in AWS
   *   (FILES_BASE_URL), the app's own `/files` locally; `publicUrl(key)` is `<base>/<key>`.
   */
  constructor(
    /** The SDK when first needed (lazy-client.ts): a page that only links attachments loads none. */
    private readonly s3: S3Loader,
    private readonly bucket: string,
    private readonly publicBaseUrl: string,
  ) {}

  async presignUpload(input: {
    uploadId: string;
    maxBytes: number;
    expiresSeconds: number;
    redirect: string;
  }): Promise<{ url: string; fields: Record<string, string>; key: string }> {
    if (!UPLOAD_ID.test(input.uploadId)) throw new Error(`invalid upload id: ${input.uploadId}`);
    const key = `${UPLOAD_PREFIX}${input.uploadId}`;
    const { client, createPresignedPost } = await this.s3();
    const { url, fields } = await createPresignedPost(client, {
      Bucket: this.bucket,
      Key: key,
      // Every form field is in the policy (createPresignedPost adds them): S3 refuses a form
      // that changes the key or the redirect, a file outside 1…maxBytes, or a post after expiry.
      Conditions: [['content-length-range', 1, input.maxBytes]],
      Fields: { success_action_redirect: input.redirect },
      Expires: input.expiresSeconds,
    });
    return { url, fields, key };
  }

  async inspect(key: string, firstBytes: number): Promise<{ bytes: number; head: Uint8Array } | undefined> {
    const { client, sdk } = await this.s3();
    // HEAD first: its size is the object's, and an empty object has no byte 0 to ask for (S3
    // answers such a range with 416; s3rver drops the connection).
    let bytes: number;
    try {
      const head = await client.send(new sdk.HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      bytes = Number(head.ContentLength ?? 0);
    } catch (err) {
      if (missingUpload(key, err)) return undefined;
      throw err;
    }
    if (bytes === 0 || firstBytes <= 0) return { bytes, head: new Uint8Array() };
    try {
      const res = await client.send(
        new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${firstBytes - 1}` }),
      );
      return { bytes, head: await res.Body!.transformToByteArray() };
    } catch (err) {
      if (missingUpload(key, err)) return undefined; // deleted between the two requests
      throw err;
    }
  }

  async keep(fromKey: string, toKey: string, type: AttachmentType): Promise<void> {
    const { client, sdk } = await this.s3();
    // Copy first, delete after: a crash between them leaves the upload, which the cleanup removes.
    await client.send(
      new sdk.CopyObjectCommand({
        Bucket: this.bucket,
        Key: toKey,
        CopySource: `${this.bucket}/${encodeKey(fromKey)}`,
        MetadataDirective: 'REPLACE',
        ContentType: type,
        CacheControl: IMMUTABLE,
      }),
    );
    await this.delete(fromKey);
  }

  async delete(key: string): Promise<void> {
    const { client, sdk } = await this.s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async staleUploads(olderThan: Date): Promise<string[]> {
    const { client, sdk } = await this.s3();
    const stale: string[] = [];
    let token: string | undefined;
    do {
      const res = await client.send(
        new sdk.ListObjectsV2Command({ Bucket: this.bucket, Prefix: UPLOAD_PREFIX, ContinuationToken: token }),
      );
      for (const object of res.Contents ?? [])
        if (object.Key && object.LastModified && object.LastModified < olderThan) stale.push(object.Key);
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return stale;
  }

  publicUrl(key: string): string {
    return `${this.publicBaseUrl.replace(/\/+$/, '')}/${encodeKey(key)}`;
  }

  async read(key: string): Promise<{ body: Uint8Array; type: string } | undefined> {
    const { client, sdk } = await this.s3();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return { body: await res.Body!.transformToByteArray(), type: res.ContentType ?? 'application/octet-stream' };
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }
}

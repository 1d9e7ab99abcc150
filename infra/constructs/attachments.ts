import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { acknowledgeObjectPrefix } from './acknowledge.ts';
import type { ServiceFunction } from './service-function.ts';

/**
 * The knowledge library's attachments in the files bucket (functions/adapters/s3/attachments.ts):
 * the browser POSTs a file straight to `uploads/<id>` with a presigned POST the http function
 * signs; the http function checks it and keeps it at `attachments/<item>/<id>.<ext>`, which
 * CloudFront serves at `/files/attachments/*` (web-distribution.ts). Uploads never finished are
 * deleted by the jobs function's `upload-cleanup` hourly and by a lifecycle rule after a day.
 */
export const UPLOADS_PREFIX = 'uploads/';
export const ATTACHMENTS_PREFIX = 'attachments/';

/** Expires unfinished uploads (and their old versions: the bucket is versioned) after a day. */
export function expireUploads(bucket: Bucket): void {
  bucket.addLifecycleRule({
    id: 'expire-unfinished-attachment-uploads',
    prefix: UPLOADS_PREFIX,
    expiration: Duration.days(1),
    noncurrentVersionExpiration: Duration.days(1),
  });
}

/**
 * The http function: PutObject on uploads/* (a presigned POST is the function's own request,
 * signed with its role, so the role must allow it), GetObject (the type check reads the first
 * bytes; the copy reads the object) and DeleteObject (a refused or kept upload goes) on
 * uploads/*; PutObject (the copy's destination) and DeleteObject (an attachment removed from a
 * draft) on attachments/*. No GetObject there: in AWS CloudFront serves attachments straight from
 * the bucket (only the local server reads them through the app). Nothing else in the bucket.
 */
export function allowAttachmentUploads(bucket: Bucket, fn: ServiceFunction): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)],
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects(`${ATTACHMENTS_PREFIX}*`)],
    }),
  );
  for (const prefix of [UPLOADS_PREFIX, ATTACHMENTS_PREFIX])
    acknowledgeObjectPrefix(
      fn,
      bucket,
      prefix,
      `attachment objects under ${prefix} (ids the function makes), no others`,
    );
  fn.addEnvironment('BUCKET_NAME', bucket.bucketName);
}

/** The jobs function's upload cleanup: list the uploads, delete the stale ones; nothing else. */
export function allowUploadCleanup(bucket: Bucket, fn: ServiceFunction): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${UPLOADS_PREFIX}*`] } },
    }),
  );
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [bucket.arnForObjects(`${UPLOADS_PREFIX}*`)] }),
  );
  acknowledgeObjectPrefix(fn, bucket, UPLOADS_PREFIX, 'stale attachment uploads under uploads/, no other objects');
}

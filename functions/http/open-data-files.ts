/**
 * Local only: GET /open-data/<YYYY-MM-DD or latest>/<file> from the public bucket in s3rver, as
 * CloudFront serves it from S3 in AWS (infra/constructs/web-distribution.ts), with the headers
 * the job stored on each object. Like /static/*, it stands in for CloudFront, not for a Lambda, so
 * the local server mounts it in front of the app (functions/local/server.ts). Only the snapshot
 * files answer (isOpenDataKey): any other path — another name or folder, `..`, an encoded slash —
 * is left to the app, whose answer is its 404.
 */
import type { Context, Next } from 'hono';
import { isOpenDataKey, OPEN_DATA_PREFIX } from '#core/prices/open-data-export.ts';
import type { AppDeps } from './env.ts';

export const OPEN_DATA_ROUTE = '/open-data/:folder/:file';

export function serveOpenDataFiles(deps: Pick<AppDeps, 'openDataFiles'>) {
  return async (c: Context, next: Next) => {
    const key = `${OPEN_DATA_PREFIX}${c.req.param('folder')}/${c.req.param('file')}`;
    const file = isOpenDataKey(key) ? await deps.openDataFiles?.get(key) : undefined;
    if (!file) return next();
    const etag = file.etag;
    if (etag && c.req.header('If-None-Match') === etag) return c.body(null, 304);
    c.header('Content-Type', file.contentType);
    c.header('Cache-Control', file.cacheControl);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Access-Control-Allow-Origin', '*');
    if (file.contentDisposition) c.header('Content-Disposition', file.contentDisposition);
    if (etag) c.header('ETag', etag);
    return c.body(file.body as Uint8Array<ArrayBuffer>);
  };
}

/**
 * Local only: GET /open-data/<YYYY-MM-DD or latest>/<file> from the public bucket in s3rver, as
 * CloudFront serves it from S3 in AWS (infra/constructs/web-distribution.ts), with the headers
 * the job stored on each object. Only the snapshot files answer (isOpenDataKey): any other path —
 * another folder, `..`, an encoded slash — is a 404, never a read of something else.
 */
import { Hono } from 'hono';
import { notFound } from '#core/errors.ts';
import { isOpenDataKey, OPEN_DATA_PREFIX } from '#core/prices/open-data-export.ts';
import type { AppDeps, AppEnv } from './env.ts';

export function openDataFileRoutes(deps: Pick<AppDeps, 'openDataFiles'>) {
  const routes = new Hono<AppEnv>();
  routes.get('/:folder/:file', async (c) => {
    const key = `${OPEN_DATA_PREFIX}${c.req.param('folder')}/${c.req.param('file')}`;
    const file = isOpenDataKey(key) ? await deps.openDataFiles?.get(key) : undefined;
    if (!file) throw notFound('file', key);
    const etag = file.etag;
    if (etag && c.req.header('If-None-Match') === etag) return c.body(null, 304);
    c.header('Content-Type', file.contentType);
    c.header('Cache-Control', file.cacheControl);
    c.header('X-Content-Type-Options', 'nosniff');
    if (file.contentDisposition) c.header('Content-Disposition', file.contentDisposition);
    if (etag) c.header('ETag', etag);
    return c.body(file.body as Uint8Array<ArrayBuffer>);
  });
  return routes;
}

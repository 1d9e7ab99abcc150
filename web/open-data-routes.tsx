/**
 * /open-data: the newest open-data snapshot's files (served from the public bucket at
 * /open-data/latest/* — by CloudFront in AWS, by the local server locally) with their sizes and
 * checksums, read from the one item the job writes (no access to the bucket here).
 */
import { Hono } from 'hono';
import type { OpenDataSnapshots } from '#core/prices/open-data-publish.ts';
import type { PageEnv } from './kit.ts';
import { OpenDataPage } from './pages/open-data.tsx';
import { sendPage } from './render.tsx';
import { pageContext } from './routes.tsx';

export function openDataWebRoutes(deps: { openDataSnapshots: OpenDataSnapshots }) {
  const web = new Hono<PageEnv>();
  web.get('/open-data', async (c) => {
    const snapshot = await deps.openDataSnapshots.latest();
    c.header('Cache-Control', 'public, max-age=300');
    return sendPage(c, <OpenDataPage ctx={pageContext(c)} snapshot={snapshot} />);
  });
  return web;
}

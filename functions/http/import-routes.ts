/**
 * Routes that need the CSV reader (csv-parse and the import code): mounted by the price-import
 * Lambda (functions/handlers/price-import.ts) and by the local server, never by the http Lambda,
 * whose bundle has no room for them. Which paths API Gateway sends to the import Lambda is the
 * route manifest's (functions/http/routes.ts).
 */
import type { Hono } from 'hono';
import { priceUploadWebRoutes } from '#web/price-upload-routes.tsx';
import { type ImportRouteDeps, priceImportRoutes } from './api/price-import.ts';
import type { AppEnv } from './env.ts';
import { pageKit } from './page-kit.ts';

export type { ImportRouteDeps };

/**
 * `[mount path, router]` pairs for createApp's extra routes.
 *
 * @example createApp(deps, { extraRoutes: importRoutes(deps) })
 */
export function importRoutes(deps: ImportRouteDeps): Array<[string, Hono<AppEnv>]> {
  return [
    ['/api/v1', priceImportRoutes(deps).app],
    // The web upload pages: /staff/prices/upload, …/preview, …/confirm.
    ['/', priceUploadWebRoutes(deps, pageKit)],
  ];
}

/**
 * Lambda entry for CSV price imports (API Gateway HTTP API, payload 2.0): the same app as the
 * http Lambda plus the import routes, with more memory and time. API Gateway routes only
 * POST /api/v1/prices/import and /staff/prices/upload here (infra/stack.ts).
 */
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { withPriceImport } from '#adapters/import-wiring.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { createApp } from '#http/app.ts';
import { importRoutes, type ImportRouteDeps } from '#http/import-routes.ts';

export const createPriceImportHandler = (deps: ImportRouteDeps) => handle(createApp(deps, importRoutes(deps)));

// Built on first invocation, not at import (see handlers/http.ts).
let cached: ReturnType<typeof createPriceImportHandler> | undefined;
export const handler = (event: LambdaEvent, context?: LambdaContext) => {
  if (!cached) {
    const settings = storageSettingsFrom(loadConfig());
    cached = createPriceImportHandler(withPriceImport(createDeps(settings), settings));
  }
  return cached(event, context);
};

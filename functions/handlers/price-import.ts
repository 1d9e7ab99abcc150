/**
 * Lambda entry for CSV price imports (API Gateway HTTP API, payload 2.0): the same app as the
 * http Lambda plus the import routes and the OpenAPI document, with more memory and time. API
 * Gateway routes only POST /api/v1/prices/import, /staff/prices/upload and GET
 * /api/v1/openapi.json here (infra/constructs/price-import.ts): the code each needs (csv-parse,
 * zod's JSON Schema) is more than the http Lambda's bundle budget allows.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { priceImportParts } from '#adapters/import-wiring.ts';
import { builtOnce, withRunTimeSecrets } from '#adapters/secrets.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import { createApp } from '#http/app.ts';
import { type ImportRouteDeps, importRoutes } from '#http/import-routes.ts';
import { openApiDocument } from '#http/openapi.ts';
import { type ApiGatewayHandler, apiGatewayHandler } from './api-gateway.ts';
import { lambdaCapabilities } from './capabilities.ts';

export const createPriceImportHandler = (deps: ImportRouteDeps): ApiGatewayHandler =>
  apiGatewayHandler(createApp(deps, { extraRoutes: importRoutes(deps), openApi: openApiDocument }));

// Built on first invocation, not at import, AUTH_SECRET read then (see handlers/http.ts).
const built = builtOnce(async () => {
  const settings = storageSettingsFrom(
    await withRunTimeSecrets(loadConfig(process.env, lambdaCapabilities['price-import'])),
  );
  return createPriceImportHandler(createDeps(settings, composeHere, priceImportParts(settings)));
});
export const handler = async (event: APIGatewayProxyEventV2, context?: Context) => {
  beginInvocation(context);
  return (await built())(event, context);
};

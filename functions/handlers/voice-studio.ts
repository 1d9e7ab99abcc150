/**
 * Lambda entry for the voice line's staff pages and audio (API Gateway HTTP API, payload 2.0):
 * the same app as the http Lambda plus the studio routes. API Gateway routes only /staff/voice,
 * /staff/voice/* and GET /files/voice/* here (functions/http/routes.ts): the studio's scripts
 * and number tables are more than the http Lambda's bundle budget allows.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { builtOnce, withRunTimeSecrets } from '#adapters/secrets.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { voiceSettingsFrom } from '#adapters/voice/wiring.ts';
import { voiceStudioParts } from '#adapters/voice-studio-wiring.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import { createApp } from '#http/app.ts';
import { voiceStudioRoutes } from '#http/voice-studio-routes.ts';
import { type ApiGatewayHandler, apiGatewayHandler } from './api-gateway.ts';
import { lambdaCapabilities } from './capabilities.ts';

// Built on first invocation, not at import, AUTH_SECRET read then (see handlers/http.ts).
const built = builtOnce(async (): Promise<ApiGatewayHandler> => {
  const config = await withRunTimeSecrets(loadConfig(process.env, lambdaCapabilities['voice-studio']));
  const deps = createDeps(storageSettingsFrom(config), composeHere, voiceStudioParts(voiceSettingsFrom(config, false)));
  return apiGatewayHandler(createApp(deps, { extraRoutes: voiceStudioRoutes(deps) }));
});
export const handler = async (event: APIGatewayProxyEventV2, context?: Context) => {
  beginInvocation(context);
  return (await built())(event, context);
};

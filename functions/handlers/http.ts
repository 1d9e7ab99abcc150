/** Lambda entry for the HTTP API (API Gateway HTTP API, payload 2.0) — the same app as local. */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { handOverMessages } from '#adapters/queue/message-jobs.ts';
import { missingQueue, SqsJobQueue } from '#adapters/queue/sqs-queue.ts';
import { builtOnce, withRunTimeSecrets } from '#adapters/secrets.ts';
import { createDeps, type StorageSettings, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import type { MessageJob } from '#core/sms/ports.ts';
import { createApp } from '#http/app.ts';
import type { AppDeps } from '#http/env.ts';
import { type ApiGatewayHandler, apiGatewayHandler } from './api-gateway.ts';
import { lambdaCapabilities } from './capabilities.ts';

export const createHttpHandler = (deps: AppDeps): ApiGatewayHandler => apiGatewayHandler(createApp(deps));

/**
 * This function composes no SMS: what it sends (a rejected price's SMS to its collector) goes
 * whole to the sms-send Lambda (core/sms/message-jobs.ts), so the composer stays out of its bundle.
 */
function httpDeps(settings: StorageSettings) {
  const queue = settings.sms.queueUrl
    ? new SqsJobQueue<MessageJob>(settings.region, settings.sms.queueUrl)
    : missingQueue('hand over SMS');
  // The broadcast preview renders each version as the phone shows it, Wylie included: the
  // transliterator is loaded on the first preview, not at cold start.
  return createDeps(settings, {
    ...handOverMessages(queue),
    toWylie: () => import('#core/text/wylie.ts').then((m) => m.toWylie),
  });
}

// Built on first invocation, not at import, so config errors surface as a failed
// invocation with the variable's name and tests can import this file freely. AUTH_SECRET is
// read from Secrets Manager then (adapters/secrets.ts); a failed read fails this invocation only.
const built = builtOnce(async () =>
  createHttpHandler(
    httpDeps(storageSettingsFrom(await withRunTimeSecrets(loadConfig(process.env, lambdaCapabilities.http)))),
  ),
);
export const handler = async (event: APIGatewayProxyEventV2, context?: Context) => {
  beginInvocation(context);
  return (await built())(event, context);
};

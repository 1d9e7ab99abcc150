/** Lambda entry for the HTTP API (API Gateway HTTP API, payload 2.0) — the same app as local. */
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { handOverMessages, SqsMessageJobQueue } from '#adapters/queue/message-jobs.ts';
import { createDeps, type StorageSettings, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { createApp } from '#http/app.ts';
import type { AppDeps } from '#http/env.ts';

export const createHttpHandler = (deps: AppDeps) => handle(createApp(deps));

/**
 * This function composes no SMS: what it sends (a rejected price's SMS to its collector) goes
 * whole to the sms-send Lambda (core/sms/message-jobs.ts), so the composer stays out of its bundle.
 */
export function httpDeps(settings: StorageSettings) {
  const queue = settings.sms.queueUrl
    ? new SqsMessageJobQueue(settings.region, settings.sms.queueUrl)
    : {
        enqueue: () =>
          Promise.reject(new Error('SMS_QUEUE_URL is not set on this function, so it cannot hand over SMS')),
      };
  return createDeps(settings, handOverMessages(queue));
}

// Built on first invocation, not at import, so config errors surface as a failed
// invocation with the variable's name and tests can import this file freely.
let cached: ReturnType<typeof createHttpHandler> | undefined;
export const handler = (event: LambdaEvent, context?: LambdaContext) => {
  cached ??= createHttpHandler(httpDeps(storageSettingsFrom(loadConfig())));
  return cached(event, context);
};

/** Lambda entry for the HTTP API (API Gateway HTTP API, payload 2.0) — the same app as local. */
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { createApp } from '#http/app.ts';
import type { AppDeps } from '#http/env.ts';

export const createHttpHandler = (deps: AppDeps) => handle(createApp(deps));

// Built on first invocation, not at import, so config errors surface as a failed
// invocation with the variable's name and tests can import this file freely.
let cached: ReturnType<typeof createHttpHandler> | undefined;
export const handler = (event: LambdaEvent, context?: LambdaContext) => {
  cached ??= createHttpHandler(createDeps(storageSettingsFrom(loadConfig())));
  return cached(event, context);
};

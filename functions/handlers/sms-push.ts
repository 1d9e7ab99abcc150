/**
 * Lambda entry for Alibaba Cloud SMS pushes (POST /sms/aliyun/<token>/report and /up;
 * adapters/sms/aliyun-push.ts): delivery reports into the table, replies from phones through the
 * inbound pipeline, whose replies go to the queue (the settings of sms-inbound, which does the same for End User Messaging). Apart from the http Lambda because a reply
 * needs the SMS parser and commands, which the page bundle does not carry. The token in the path
 * is the push's proof (no X-Origin-Verify: the provider calls the API's own domain).
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { Hono } from 'hono';
import { inboundSmsParts } from '#adapters/inbound-wiring.ts';
import { type AliyunPushDeps, aliyunPushRoutes } from '#adapters/sms/aliyun-push.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import { type ApiGatewayHandler, apiGatewayHandler } from './api-gateway.ts';
import { lambdaCapabilities } from './capabilities.ts';

/** The push deps from the finished createDeps object (the local server and this Lambda). */
export function aliyunPushDeps(deps: {
  outbound: AliyunPushDeps['outbound'];
  handleInbound?: AliyunPushDeps['handleInbound'];
  aliyunPushToken?: AliyunPushDeps['pushToken'];
  now: () => Date;
  log?: (entry: Record<string, unknown>) => void;
}): AliyunPushDeps {
  return {
    outbound: deps.outbound,
    ...(deps.handleInbound ? { handleInbound: deps.handleInbound } : {}),
    // Without the Alibaba gateway wired there is no token, and every push is a 404.
    pushToken: deps.aliyunPushToken ?? (async () => undefined),
    now: () => deps.now(),
    log: (entry) => deps.log?.(entry),
  };
}

export function createSmsPushApp(deps: AliyunPushDeps) {
  return new Hono().route('/', aliyunPushRoutes(deps));
}

// Built on first invocation (see http.ts): config errors name the variable, tests import freely.
let cached: ApiGatewayHandler | undefined;
export const handler = (event: APIGatewayProxyEventV2, context?: Context) => {
  beginInvocation(context);
  cached ??= apiGatewayHandler(
    createSmsPushApp(
      aliyunPushDeps(
        createDeps(
          storageSettingsFrom(loadConfig(process.env, lambdaCapabilities['sms-inbound'])),
          composeHere,
          inboundSmsParts(),
        ),
      ),
    ),
  );
  return cached(event, context);
};

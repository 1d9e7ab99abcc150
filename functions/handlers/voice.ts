/**
 * Lambda entry for the voice line (声讯), both providers in one function:
 * - an API Gateway HTTP API (payload 2.0) event: the TwiML webhook (POST /voice/twiml and
 *   /voice/twiml/status; functions/http/voice/twiml.ts): the provider's signature is its proof
 *   (no X-Origin-Verify check: the signed URL is VOICE_PUBLIC_URL whichever way the request came);
 * - `Name: 'ContactFlowEvent'`: an Amazon Connect contact flow's "Invoke AWS Lambda function"
 *   (functions/adapters/voice/connect.ts), invoked directly with Connect's permission.
 *
 * Its wiring is its own (functions/adapters/voice/wiring.ts), not createDeps: a caller waits on
 * every cold start, so the bundle carries the line and its stores and none of the pages.
 */
import type { APIGatewayProxyEventV2, ConnectContactFlowEvent, ConnectContactFlowResult, Context } from 'aws-lambda';
import { Hono } from 'hono';
import {
  type ConnectReplyDeps,
  connectEventOf,
  createConnectReplies,
  isConnectEvent,
} from '#adapters/voice/connect.ts';
import { voiceHandlerDeps } from '#adapters/voice/wiring.ts';
import { loadConfig } from '#config';
import { beginInvocation } from '#core/log.ts';
import { type VoiceRouteDeps, voiceRoutes } from '#http/voice/twiml.ts';
import { type ApiGatewayHandler, type ApiGatewayResult, apiGatewayHandler } from './api-gateway.ts';
import { lambdaCapabilities } from './capabilities.ts';

export interface VoiceHandlerDeps {
  mode: 'local' | 'aws';
  twiml: VoiceRouteDeps;
  connect: ConnectReplyDeps;
}

export type VoiceHandler = {
  (event: ConnectContactFlowEvent, context?: Context): Promise<ConnectContactFlowResult>;
  (event: APIGatewayProxyEventV2, context?: Context): Promise<ApiGatewayResult>;
};

export function createVoiceHandler(deps: VoiceHandlerDeps): VoiceHandler {
  const app = new Hono();
  app.route('/', voiceRoutes(deps.twiml));
  const http: ApiGatewayHandler = apiGatewayHandler(app);
  const reply = createConnectReplies(deps.connect);
  const log = deps.twiml.log;

  // One function, two event kinds: the overloads say which answer goes with which event.
  return (async (event: APIGatewayProxyEventV2 | ConnectContactFlowEvent, context?: Context) => {
    if (!isConnectEvent(event)) return http(event, context);
    const call = connectEventOf(event);
    if (!call) {
      // Not a call (a test invocation from the console, a chat contact): the flow hangs up.
      log({ level: 'warn', msg: 'connect event without a contact id' });
      return { action: 'hangup', seq: '0', prompt: '', maxDigits: '0', timeout: '0', maxSeconds: '0' };
    }
    return reply(await deps.twiml.line.turn(call));
  }) as VoiceHandler;
}

// Built on first invocation, not at import (see handlers/http.ts).
let cached: VoiceHandler | undefined;
export const handler = ((event: APIGatewayProxyEventV2 | ConnectContactFlowEvent, context?: Context) => {
  beginInvocation(context);
  if (!cached) {
    cached = createVoiceHandler(voiceHandlerDeps(loadConfig(process.env, lambdaCapabilities.voice)));
  }
  return (cached as (e: typeof event, c?: Context) => Promise<unknown>)(event, context);
}) as VoiceHandler;

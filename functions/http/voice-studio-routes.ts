/**
 * The voice line's staff pages (the prompt studio, the call records) and its audio under
 * `/files/voice/*`: mounted by the voice-studio Lambda (functions/handlers/voice-studio.ts) and by
 * the local server, never by the http Lambda. The studio lists every clip with its script
 * (every phrase in three languages, the number tables), which the http bundle has no room for;
 * and all voice audio is read and written by one function holding the grant on `voice/*`.
 * Which paths API Gateway sends there is the route manifest's (functions/http/routes.ts).
 */
import type { Hono } from 'hono';
import type { AppDeps } from '#adapters/app-deps.ts';
import { voiceWebRoutes } from '#web/voice-routes.tsx';
import type { AppEnv } from './env.ts';
import { pageKit } from './page-kit.ts';

/**
 * `[mount path, router]` pairs for createApp's extra routes.
 *
 * @example createApp(deps, { extraRoutes: voiceStudioRoutes(deps) })
 */
export function voiceStudioRoutes(deps: AppDeps): Array<[string, Hono<AppEnv>]> {
  return [['/', voiceWebRoutes(deps, pageKit) as unknown as Hono<AppEnv>]];
}

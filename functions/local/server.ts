import { type ServerType, serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import type { LocalVoiceParts } from '#adapters/voice/local-line.ts';
import { clipUrlFrom } from '#adapters/voice/wiring.ts';
import { aliyunPushDeps, createSmsPushApp } from '#handlers/sms-push.ts';
import { createApp } from '#http/app.ts';
import { devRoutes } from '#http/dev.tsx';
import type { AppEnv } from '#http/env.ts';
import { type ImportRouteDeps, importRoutes } from '#http/import-routes.ts';
import { OPEN_DATA_ROUTE, serveOpenDataFiles } from '#http/open-data-files.ts';
import { openApiDocument } from '#http/openapi.ts';
import type { ApiLambdaName } from '#http/routes.ts';
import { voiceRoutes } from '#http/voice/twiml.ts';
import { voiceStudioRoutes } from '#http/voice-studio-routes.ts';

export interface LocalAppOptions {
  /**
   * Mount the developer tools (/dev/sms, /dev/outbox, /dev/phone, /dev/jobs). Only for a server
   * that listens on loopback alone (functions/local/dev-tools.ts decides); without them /dev/*
   * is a plain 404.
   */
  devTools: boolean;
}

/**
 * The routes that in AWS are a Lambda of their own, by their name in the route manifest
 * (functions/http/routes.ts): a Lambda added there without a line here does not compile, so
 * `npm start` serves every path AWS does. The OpenAPI document (the import Lambda's too) is
 * createApp's, given `openApi`.
 */
const otherLambdasRoutes: Record<
  Exclude<ApiLambdaName, 'http'>,
  (deps: ImportRouteDeps) => Array<[string, Hono<AppEnv>]>
> = {
  'price-import': importRoutes,
  'voice-studio': voiceStudioRoutes,
  // Alibaba Cloud SMS pushes: answered with SMS_GATEWAY=aliyun and a push token, else a 404.
  'sms-push': (deps: ImportRouteDeps) => [['/', createSmsPushApp(aliyunPushDeps(deps)) as unknown as Hono<AppEnv>]],
  // Served in front of the app (static/ from disk, open data from s3rver) and by the app's own
  // /files route, as CloudFront serves them in `aws`: the public-files Lambda is aws-cn's stand-in for both.
  'public-files': () => [],
  // The TwiML webhook, on the local line (adapters/voice/local-line.ts) and the local files.
  voice: (deps: ImportRouteDeps & Partial<LocalVoiceParts>) => {
    if (!deps.voiceLine) return [];
    const routes = voiceRoutes({
      line: deps.voiceLine,
      ...(deps.voiceRecordings ? { recordings: deps.voiceRecordings } : {}),
      clipUrl: clipUrlFrom(deps.voiceStores?.audio),
      ...deps.voiceTwiml,
      // Locally an unsigned line is answered (a developer's curl); with VOICE_TWILIO_AUTH_TOKEN set, only signed requests.
      requireSignature: false,
      log: (entry) => deps.log?.(entry),
    });
    return [['/', new Hono<AppEnv>().route('/', routes)]];
  },
};

/**
 * The routes only a local run has: the developer tools when asked for; and the routes that in
 * AWS are a Lambda of their own (the CSV price import).
 */
export function localRoutes(deps: ImportRouteDeps, options: LocalAppOptions): Array<[string, Hono<AppEnv>]> {
  return [
    ...(options.devTools ? ([['/dev', devRoutes(deps)]] as Array<[string, Hono<AppEnv>]>) : []),
    ...Object.values(otherLambdasRoutes).flatMap((routes) => routes(deps)),
  ];
}

/**
 * The app as it runs locally: static files and open-data snapshots (CloudFront serves them from S3
 * in AWS) in front of the same Hono app as Lambda.
 */
export function localApp(deps: ImportRouteDeps, options: LocalAppOptions) {
  const root = new Hono();
  // Compressed when the browser accepts it, as the app's own responses are (in AWS, CloudFront compresses what it serves from S3).
  root.use('/static/*', compress());
  root.use('/static/*', async (c, next) => {
    await next();
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=86400');
  });
  root.use('/static/*', serveStatic({ root: new URL('../../web', import.meta.url).pathname }));
  // Open-data snapshots from the public bucket in s3rver (CloudFront's /open-data/* from S3 in AWS).
  root.get(OPEN_DATA_ROUTE, serveOpenDataFiles(deps));
  const app = createApp(deps, { extraRoutes: localRoutes(deps, options), openApi: openApiDocument });
  // Delegate whole requests (not route()), so the app's own not-found and error pages apply.
  root.all('*', (c) => app.fetch(c.req.raw, c.env));
  return root;
}

export function listen(
  app: { fetch: (req: Request) => Response | Promise<Response> },
  port: number,
  hostname: string,
): Promise<{ server: ServerType; port: number }> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname }, (info) => resolve({ server, port: info.port }));
    server.once('error', reject);
  });
}

/**
 * Which Lambda serves which path: the one place that says it. API Gateway (infra/stack.ts,
 * infra/constructs/price-import.ts) creates a route for each path listed here and sends
 * everything else to the http Lambda; createApp takes the paths it treats specially from here;
 * the local server, which serves every Lambda's routes in one process, mounts the routes of each
 * Lambda listed here (functions/local/server.ts). test/lambda/routes.test.ts checks that the
 * template, this manifest and the apps' registered routes agree.
 *
 * Pure data, no imports: the CDK app and every Lambda bundle read it.
 */

/** An API Gateway HTTP API route: `ANY` matches every method; `{proxy+}` one or more path segments. */
export interface ApiRoute {
  readonly method: 'ANY' | 'GET' | 'HEAD' | 'POST';
  readonly path: string;
}

/** The CSV price import API (its body limit is larger: BODY_LIMITS in functions/http/app.ts). */
export const PRICE_IMPORT_PATH = '/api/v1/prices/import';
/** The web upload pages (form, preview, confirm). */
export const PRICE_UPLOAD_PATH = '/staff/prices/upload';
/** The OpenAPI document, built from every route's zod schemas. */
export const OPENAPI_PATH = '/api/v1/openapi.json';
/** The voice line's TwiML webhook, and its status callback (functions/http/voice/twiml.ts). */
export const TWIML_PATH = '/voice/twiml';
export const TWIML_STATUS_PATH = '/voice/twiml/status';
/** Alibaba Cloud SMS pushes: `${ALIYUN_PUSH_PATH}/<token>/report` and `/up` (adapters/sms/aliyun-push.ts). */
export const ALIYUN_PUSH_PATH = '/sms/aliyun';
/** The voice line's staff pages: the prompt studio and the call records (web/voice-routes.tsx). */
export const VOICE_STAFF_PATH = '/staff/voice';
/** Voice audio from the files bucket: clips and answers for the providers, spoken questions for staff. */
export const VOICE_FILES_PATH = '/files/voice';
/**
 * What CloudFront serves from the buckets in `aws` and the public-files Lambda in aws-cn: the
 * static assets, the open-data snapshots, the knowledge library's attachments.
 */
export const PUBLIC_FILE_PATHS = ['/static', '/open-data', '/files/attachments'] as const;

/**
 * The Lambdas behind the HTTP API. `routes: '$default'` is the one that gets every path no
 * other Lambda claims.
 */
export const apiLambdas = {
  /** Web pages, /api/v1, /health: everything not listed below. */
  http: { entry: 'functions/handlers/http.ts', routes: '$default' },
  /**
   * CSV price imports, and the OpenAPI document: apart because the CSV reader, the batch writer
   * and zod's JSON Schema code would push the http bundle past its budget, and an import of
   * 10,000+ rows wants more memory and time than a page.
   */
  'price-import': {
    entry: 'functions/handlers/price-import.ts',
    routes: [
      { method: 'POST', path: PRICE_IMPORT_PATH },
      { method: 'ANY', path: PRICE_UPLOAD_PATH },
      { method: 'ANY', path: `${PRICE_UPLOAD_PATH}/{proxy+}` },
      { method: 'GET', path: OPENAPI_PATH },
    ],
  },
  /**
   * The voice line (声讯): the TwiML webhook. Apart because a caller waits on its cold start, so
   * its bundle carries the line and its stores and none of the pages; Amazon Connect invokes the
   * same function directly (functions/handlers/voice.ts).
   */
  /**
   * The voice line's staff pages and audio: apart because the studio lists every clip's script
   * (the phrases in three languages, the number tables), which would push the http bundle past
   * its budget, and because one function holds the files bucket's voice/ prefix.
   */
  'voice-studio': {
    entry: 'functions/handlers/voice-studio.ts',
    routes: [
      { method: 'ANY', path: VOICE_STAFF_PATH },
      { method: 'ANY', path: `${VOICE_STAFF_PATH}/{proxy+}` },
      { method: 'GET', path: `${VOICE_FILES_PATH}/{proxy+}` },
    ],
  },
  /**
   * Alibaba Cloud SMS pushes (delivery reports and replies from phones): apart because a reply
   * runs the inbound pipeline (the parser and the commands), which the page bundle does not carry.
   */
  'sms-push': {
    entry: 'functions/handlers/sms-push.ts',
    routes: [{ method: 'POST', path: `${ALIYUN_PUSH_PATH}/{proxy+}` }],
  },
  /**
   * aws-cn only (infra/constructs/public-files.ts): the bucket paths CloudFront serves elsewhere.
   * API Gateway matches HEAD to no GET route, so each path has both. Locally the server serves
   * these paths itself (functions/local/server.ts), as CloudFront does in `aws`.
   */
  'public-files': {
    entry: 'functions/handlers/public-files.ts',
    routes: PUBLIC_FILE_PATHS.flatMap((path) =>
      (['GET', 'HEAD'] as const).map((method) => ({ method, path: `${path}/{proxy+}` })),
    ),
  },
  voice: {
    entry: 'functions/handlers/voice.ts',
    routes: [
      { method: 'POST', path: TWIML_PATH },
      { method: 'POST', path: TWIML_STATUS_PATH },
    ],
  },
} as const satisfies Record<string, { entry: string; routes: '$default' | readonly ApiRoute[] }>;

export type ApiLambdaName = keyof typeof apiLambdas;

/** Whether an API Gateway route matches a request, as the service matches them. */
export function routeMatches(route: ApiRoute, method: string, path: string): boolean {
  if (route.method !== 'ANY' && route.method !== method.toUpperCase()) return false;
  const greedy = route.path.endsWith('/{proxy+}');
  if (!greedy) return route.path === path;
  const prefix = route.path.slice(0, -'{proxy+}'.length);
  return path.startsWith(prefix) && path.length > prefix.length;
}

/**
 * The Lambda API Gateway invokes for a request.
 *
 * @example lambdaOf('POST', '/api/v1/prices/import') === 'price-import'; lambdaOf('GET', '/') === 'http'
 */
export function lambdaOf(method: string, path: string): ApiLambdaName {
  for (const [name, lambda] of Object.entries(apiLambdas) as [ApiLambdaName, (typeof apiLambdas)[ApiLambdaName]][]) {
    if (lambda.routes !== '$default' && lambda.routes.some((r) => routeMatches(r, method, path))) return name;
  }
  return 'http';
}

import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { compress } from 'hono/compress';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { AppError } from '#core/errors.ts';
import { jsonLogger } from '#core/log.ts';
import { lambdaOf, OPENAPI_PATH, PRICE_IMPORT_PATH, PRICE_UPLOAD_PATH } from '#http/routes.ts';
import { exchangeWebRoutes } from '#web/exchange-routes.tsx';
import { UPLOAD_FORM_BYTES } from '#web/kit.ts';
import { knowledgeWebRoutes, uploadFormTarget } from '#web/knowledge-routes.tsx';
import { openDataWebRoutes } from '#web/open-data-routes.tsx';
import { priceWebRoutes } from '#web/price-routes.tsx';
import { renderCsrfFailure, renderError, renderNotFound, renderProblemPage, webRoutes } from '#web/routes.tsx';
import { staffWebRoutes } from '#web/staff-routes.tsx';
import { authRoutes } from './api/auth.ts';
import { broadcastRoutes } from './api/broadcasts.ts';
import { exchangeRoutes } from './api/exchange.ts';
import { knowledgeRoutes } from './api/knowledge.ts';
import { priceExportRoutes } from './api/price-export.ts';
import { priceSummaryRoutes } from './api/price-summary.ts';
import { priceRoutes } from './api/prices.ts';
import { questionRoutes } from './api/questions.ts';
import { referenceRoutes } from './api/reference.ts';
import { staffRoutes } from './api/staff.ts';
import type { AppDeps, AppEnv } from './env.ts';
import { feedRoutes } from './feeds.ts';
import { authenticate, cookieName, SESSION_COOKIE } from './middleware/auth.ts';
import { csrfProtection } from './middleware/csrf.ts';
import { formBody } from './middleware/form-body.ts';
import { jsonBody } from './middleware/json-body.ts';
import { language } from './middleware/language.ts';
import { noStoreOnStaffPages } from './middleware/no-store.ts';
import { requireCloudFront } from './middleware/origin.ts';
import type { openApiDocument } from './openapi.ts';
import { pageKit } from './page-kit.ts';
import { fromAppError, problemResponse, retryAfter } from './problem.ts';
import { signInPageRoutes } from './sign-in-pages.tsx';

export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Paths allowed a bigger body than MAX_BODY_BYTES: the CSV price import (a bureau's season of
 * prices; API Gateway itself stops at 10 MB). Each path gets exactly one limit: a second,
 * smaller one would count the same body again and refuse it.
 */
export const BODY_LIMITS: Readonly<Record<string, number>> = { [PRICE_IMPORT_PATH]: 5 * 1024 * 1024 };
/**
 * The import as a multipart form: API Gateway hands a form to Lambda base64-encoded (a third
 * larger) and a Lambda request stops at 6 MB, so a form over 4 MB would never arrive whole. It is
 * refused here, before it is read, naming both figures (the same file as text/csv may be 5 MB).
 * Forms much larger still are refused by Lambda before the app sees them (docs/prices-csv.md).
 */
export const FORM_BODY_LIMITS: Readonly<Record<string, number>> = { [PRICE_IMPORT_PATH]: UPLOAD_FORM_BYTES };
/** Web forms allowed more than 1 MB: the CSV upload (its page states the same figure: web/kit.ts). */
export const FORM_LIMITS: Readonly<Record<string, number>> = { [`${PRICE_UPLOAD_PATH}/preview`]: UPLOAD_FORM_BYTES };
const isApi = (path: string) =>
  path === '/api' || path.startsWith('/api/') || path.startsWith('/dev/sms') || path.startsWith('/dev/outbox');

export interface AppOptions {
  /** Routes some runs add: /dev locally, the CSV import in its Lambda. */
  extraRoutes?: Array<[path: string, routes: Hono<AppEnv>]>;
  /**
   * Serves GET /api/v1/openapi.json with this builder (`openApiDocument`). Given locally and by
   * the import Lambda, where API Gateway sends that path; the http Lambda leaves it out, since
   * building the document takes zod's JSON Schema code (20 KB) no request needs.
   */
  openApi?: typeof openApiDocument;
}

/**
 * The one Hono app: API under /api/v1, web pages, /health. The same object runs on
 * @hono/node-server locally and on Lambda through hono/aws-lambda.
 *
 * @example const res = await createApp(deps, { openApi: openApiDocument }).request('/api/v1/commodities')
 */
export function createApp(deps: AppDeps, options: AppOptions = {}) {
  const { extraRoutes = [], openApi } = options;
  const log = deps.log ?? jsonLogger();
  const app = new Hono<AppEnv>();

  // Compressed here, not at the edge: CloudFront does not compress uncached responses.
  app.use(compress());
  app.use(noStoreOnStaffPages());
  app.use(requestId({ limitLength: 64 }));
  app.use(language());
  // AWS: nothing but CloudFront may call (its secret origin header); before anything reads the store.
  app.use(requireCloudFront(deps));
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        scriptSrc: ["'self'"],
        // The attachment upload page's form posts straight to the files bucket (a presigned POST).
        formAction: ["'self'", (c) => uploadFormTarget(c.req.path)],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
      strictTransportSecurity: deps.mode === 'aws' ? 'max-age=31536000; includeSubDomains' : false,
      // Not no-referrer: under it a browser sends `Origin: null` on every form post, and over plain
      // HTTP on a LAN (no Sec-Fetch-Site there) the CSRF check could not tell our own forms from a
      // forgery. same-origin sends our origin (and Referer) to ourselves only, nothing to other sites.
      referrerPolicy: 'same-origin',
    }),
  );
  // An unreadable form body is a 400 wherever it is read (the CSRF check reads page forms first).
  app.use(formBody(log));
  // Staff identity: who is calling (session cookie or bearer), then CSRF checks that may depend on it.
  app.use(authenticate(deps));
  // POST /dev/sms is a local-only JSON tool for curl and the CLI; the phone simulator's form is guarded like any other.
  // Without the developer tools (AWS, a LAN server) /dev/* is nothing but a 404.
  const devTools = extraRoutes.some(([path]) => path === '/dev');
  app.use(
    csrfProtection(deps, {
      onWebReject: renderCsrfFailure,
      // The voice line's webhook (mounted here locally) is a provider's, not a browser's: its signature is its check.
      // So are the SMS provider's pushes (their token in the path is their check).
      exempt: (path) =>
        (devTools && path === '/dev/sms') ||
        lambdaOf('POST', path) === 'voice' ||
        lambdaOf('POST', path) === 'sms-push',
      formLimits: FORM_LIMITS,
    }),
  );
  const limitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) => problemResponse(c, 'payload_too_large', { limit: `${maxSize / (1024 * 1024)} MB` }),
    });
  const apiLimit = limitOf(MAX_BODY_BYTES);
  const ownLimits = new Map(Object.entries(BODY_LIMITS).map(([path, max]) => [path, limitOf(max)]));
  const formLimits = new Map(
    Object.entries(FORM_BODY_LIMITS).map(([path, max]) => {
      const limit = `${max / (1024 * 1024)} MB`;
      const csvLimit = `${(BODY_LIMITS[path] ?? MAX_BODY_BYTES) / (1024 * 1024)} MB`;
      const message = `A file sent as a form may be at most ${limit}; send a larger CSV file as text/csv (up to ${csvLimit}).`;
      return [
        path,
        bodyLimit({
          maxSize: max,
          onError: (c) =>
            problemResponse(c, 'payload_too_large', { limit }, [
              { path: 'file', message, key: 'errors:import_form_too_large', params: { limit, csvLimit } },
            ]),
        }),
      ];
    }),
  );
  const isForm = (contentType: string | undefined) => /^multipart\/form-data\b/i.test(contentType ?? '');
  app.use('/api/*', (c, next) =>
    (
      (isForm(c.req.header('content-type')) ? formLimits.get(c.req.path) : undefined) ??
      ownLimits.get(c.req.path) ??
      apiLimit
    )(c, next),
  );
  app.use('/api/*', jsonBody());
  // (/dev/phone's form body is read, and limited, by the CSRF check: a second limit would find it consumed.)
  if (devTools) {
    app.use(
      '/dev/sms',
      bodyLimit({
        maxSize: MAX_BODY_BYTES,
        onError: (c) => problemResponse(c, 'payload_too_large', { limit: '1 MB' }),
      }),
    );
    app.use('/dev/sms', jsonBody());
  }

  app.get('/health', async (c) => {
    try {
      await deps.health.check();
      return c.json({ status: 'ok' }, 200, { 'Cache-Control': 'no-store' });
    } catch (err) {
      log({ level: 'error', msg: 'health check failed', requestId: c.get('requestId'), error: String(err) });
      return problemResponse(c, 'unavailable');
    }
  });

  const routers = [
    referenceRoutes(deps),
    authRoutes(deps),
    staffRoutes(deps),
    priceRoutes(deps),
    priceExportRoutes(deps),
    priceSummaryRoutes(deps),
    exchangeRoutes(deps),
    broadcastRoutes(deps),
    knowledgeRoutes(deps),
    questionRoutes(deps),
  ];
  const api = new Hono<AppEnv>();
  for (const router of routers) api.route('/', router.app);
  const info = {
    title: 'Zhingdrok API',
    version: '1.0.0',
    description:
      'Open agricultural reference data, prices and offers to buy and sell for Tibet, in Tibetan, Chinese and English. Errors are RFC 9457 problem+json with a stable `code`. Every approved price is also published daily as open data (CSV and JSON Lines, gzip, with a data dictionary and SHA-256 checksums, CC BY 4.0) at /open-data/latest/: see /open-data.',
  };
  if (openApi) {
    let document: ReturnType<typeof openApiDocument> | undefined;
    // The route manifest names the path, and the Lambda API Gateway sends it to.
    app.get(OPENAPI_PATH, (c) => {
      // Built on first request: the routes are fixed once the app exists.
      document ??= openApi(
        [{ prefix: '', specs: routers.flatMap((r) => r.specs) }],
        info,
        '/api/v1',
        cookieName(deps.mode, SESSION_COOKIE),
      );
      c.header('Cache-Control', 'public, max-age=300');
      return c.json(document);
    });
  }
  app.route('/api/v1', api);
  // Local-only tools (/dev) come from the local server, so they are not in the Lambda bundle.
  for (const [path, routes] of extraRoutes) app.route(path, routes);
  app.route('/', feedRoutes(deps));
  app.route('/', signInPageRoutes(deps));
  app.route('/', staffWebRoutes(deps, pageKit));
  app.route('/', priceWebRoutes(deps));
  app.route('/', openDataWebRoutes(deps));
  app.route('/', exchangeWebRoutes(deps));
  app.route('/', knowledgeWebRoutes(deps));
  app.route('/', webRoutes(deps.reference));

  app.notFound((c) =>
    isApi(c.req.path) ? problemResponse(c, 'route_not_found', { path: c.req.path }) : renderNotFound(c),
  );

  app.onError((err, c) => {
    // A page gets its answer as a page (e.g. an upload over the limit), the API as problem+json.
    // A 429 page says when to come back, as the API's problem does.
    if (err instanceof AppError)
      return isApi(c.req.path) ? fromAppError(c, err) : renderProblemPage(c, err, retryAfter(err.status, err.params));
    if (err instanceof HTTPException && err.status === 400 && /json/i.test(err.message)) {
      return problemResponse(c, 'invalid_json', { reason: err.message });
    }
    if (err instanceof HTTPException && err.status < 500) {
      return problemResponse(c, err.status === 413 ? 'payload_too_large' : 'bad_request', { limit: '1 MB' });
    }
    // Unknown: log with the request id, answer without internals.
    log({
      level: 'error',
      msg: 'unhandled error',
      requestId: c.get('requestId'),
      // Some staff paths name a phone (DELETE /api/v1/vouches/{phone}): never a number in the log.
      path: c.req.path.replace(/(?:\+|%2B)?\d{7,15}/giu, '<phone>'),
      error: (err as Error).stack ?? String(err),
    });
    return isApi(c.req.path) ? problemResponse(c, 'internal') : renderError(c);
  });

  return app;
}

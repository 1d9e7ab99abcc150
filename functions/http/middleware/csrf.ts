/**
 * CSRF defence in two layers:
 * 1. hono/csrf's Origin / Sec-Fetch-Site check on every unsafe browser-style request (a browser
 *    without either: its Referer);
 * 2. a token on every HTML form: HMAC(AUTH_SECRET, nonce + session), where the nonce lives in
 *    an HttpOnly cookie (signed double-submit) and the session is the signed-in session, so a
 *    token dies with its session and a token from before sign-in is useless after it.
 * JSON APIs need no token: a cross-site page cannot send JSON without a CORS preflight, which
 * we never grant, and bearer tokens are not sent by browsers on their own.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { AppError } from '#core/errors.ts';
import { CSRF_FIELD } from '#web/kit.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { readCookie, SESSION_COOKIE, writeCookie } from './auth.ts';

export const CSRF_COOKIE = 'csrf';
/** The hidden form field that carries the token (named where the pages' forms are: web/kit.ts). */

const MAX_FORM_BYTES = 1024 * 1024;
const isUnsafe = (method: string) => !/^(GET|HEAD|OPTIONS)$/.test(method);
const isForm = (type: string | undefined) =>
  /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(type ?? '');
const isApi = (path: string) => path === '/api' || path.startsWith('/api/');
const nonceShape = /^[A-Za-z0-9_-]{32}$/;

const tokenFor = (secret: string, nonce: string, sessionHash: string | undefined) =>
  createHmac('sha256', secret)
    .update(`csrf\n${nonce}\n${sessionHash ?? ''}`)
    .digest('base64url');

/**
 * Behind CloudFront the app sees the API Gateway host; the public host arrives in
 * X-Forwarded-Host, which the distribution's viewer function always overwrites.
 */
function allowedOrigin(mode: AppDeps['mode']) {
  return (origin: string, c: Context) => {
    if (origin === new URL(c.req.url).origin) return true;
    const forwarded = c.req.header('x-forwarded-host');
    return mode === 'aws' && !!forwarded && origin === `https://${forwarded}`;
  };
}

/**
 * A browser that sends no Origin (older ones) or `Origin: null`, on a plain-HTTP LAN address
 * (where browsers send no Sec-Fetch-Site), is judged by its Referer: our Referrer-Policy
 * (same-origin) sends it to us from our own pages, and no other site can make a browser send
 * one that names us. No Referer, or another site's: refused as before.
 */
function refererIsOurs(c: Context, allowed: (origin: string, c: Context) => boolean): boolean {
  const origin = c.req.header('origin');
  if ((origin !== undefined && origin !== 'null') || c.req.header('sec-fetch-site') !== undefined) return false;
  try {
    return allowed(new URL(c.req.header('referer') ?? '').origin, c);
  } catch {
    return false; // none, or not a URL
  }
}

export interface CsrfOptions {
  /** The answer for a refused web form (an HTML page); API requests get a csrf_failed problem. */
  onWebReject: (c: Context<AppEnv>) => Response | Promise<Response>;
  /** Paths this middleware leaves alone (they must defend themselves). */
  exempt?: (path: string) => boolean;
  /** Form paths allowed a bigger body than 1 MB (a CSV upload), in bytes. */
  formLimits?: Readonly<Record<string, number>>;
}

export function csrfProtection(deps: AppDeps, options: CsrfOptions): MiddlewareHandler<AppEnv> {
  const ownOrigin = allowedOrigin(deps.mode);
  const originCheck = csrf({ origin: ownOrigin });
  const limitOf = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: () => {
        throw new AppError('payload_too_large', { limit: `${maxSize / (1024 * 1024)} MB` });
      },
    });
  const formLimit = limitOf(MAX_FORM_BYTES);
  const ownLimits = new Map(Object.entries(options.formLimits ?? {}).map(([path, max]) => [path, limitOf(max)]));

  return async (c, next) => {
    let issued: string | undefined;
    c.set('csrfToken', () => {
      if (issued) return issued;
      let nonce = readCookie(c, deps.mode, CSRF_COOKIE);
      if (!nonce || !nonceShape.test(nonce)) {
        nonce = randomBytes(24).toString('base64url');
        writeCookie(c, deps.mode, CSRF_COOKIE, nonce);
      }
      issued = tokenFor(deps.authSecret, nonce, c.get('session')?.tokenHash);
      return issued;
    });
    if (!isUnsafe(c.req.method) || options.exempt?.(c.req.path)) return next();

    const api = isApi(c.req.path);
    // The API is open to non-browser clients; only a request riding on a browser's session
    // cookie (not a bearer token) could be forged, so only that is checked.
    if (api && (c.req.header('authorization') || !readCookie(c, deps.mode, SESSION_COOKIE))) return next();
    const reject = () => (api ? Promise.reject(new AppError('csrf_failed')) : options.onWebReject(c));

    try {
      await originCheck(c, async () => {});
    } catch (err) {
      if (!(err instanceof HTTPException && err.status === 403)) throw err;
      if (!refererIsOurs(c, ownOrigin)) return reject();
    }
    if (api || !isForm(c.req.header('content-type'))) return next();

    let valid = false;
    await (ownLimits.get(c.req.path) ?? formLimit)(c, async () => {
      const sent = (await c.req.parseBody())[CSRF_FIELD];
      const nonce = readCookie(c, deps.mode, CSRF_COOKIE);
      if (typeof sent !== 'string' || !nonce || !nonceShape.test(nonce)) return;
      const expected = Buffer.from(tokenFor(deps.authSecret, nonce, c.get('session')?.tokenHash));
      const given = Buffer.from(sent);
      valid = given.length === expected.length && timingSafeEqual(given, expected);
    });
    if (!valid) return reject();
    return next();
  };
}

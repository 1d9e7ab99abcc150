/**
 * Who is calling: a bearer token (API clients) or the session cookie (browsers), resolved to
 * the staff member with their current grants on every request, so a removed member or a
 * changed role takes effect at once. Permission checks go through `requirePermission`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { AppError } from '#core/errors.ts';
import type { Permission } from '#core/staff/authz.ts';
import { guard } from '#core/staff/guard.ts';
import { actorFrom } from '#core/staff/roles.ts';
import { plausibleToken, sessionSeconds, tokenHash } from '#core/staff/sessions.ts';
import type { AppDeps, AppEnv } from '../env.ts';

type Mode = AppDeps['mode'];

/**
 * Cookie names: in production `__Host-` (the browser then insists on Secure, Path=/ and no
 * Domain, so no subdomain can plant or read it); locally over plain http the bare name.
 */
export const SESSION_COOKIE = 'session';
export const cookieName = (mode: Mode, name: string) => (mode === 'aws' ? `__Host-${name}` : name);

export const readCookie = (c: Context, mode: Mode, name: string) =>
  getCookie(c, name, mode === 'aws' ? 'host' : undefined);

/** HttpOnly, SameSite=Lax; Secure with the __Host- prefix in production. `maxAge` undefined: until the browser closes. */
export function writeCookie(c: Context, mode: Mode, name: string, value: string, maxAge?: number) {
  setCookie(c, name, value, {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    ...(maxAge !== undefined ? { maxAge } : {}),
    ...(mode === 'aws' ? { prefix: 'host' as const, secure: true } : {}),
  });
}

export function clearCookie(c: Context, mode: Mode, name: string) {
  deleteCookie(c, name, { path: '/', ...(mode === 'aws' ? { prefix: 'host' as const, secure: true } : {}) });
}

export const setSessionCookie = (c: Context, mode: Mode, token: string) =>
  writeCookie(c, mode, SESSION_COOKIE, token, sessionSeconds.web);

/** The hash of whatever session cookie came in, valid or not: sign-in deletes it (rotation). */
export function presentedSessionHash(c: Context, mode: Mode): string | undefined {
  const token = readCookie(c, mode, SESSION_COOKIE);
  return plausibleToken(token) ? tokenHash(token) : undefined;
}

const bearerOf = (header: string | undefined) => /^Bearer\s+([A-Za-z0-9_-]+)\s*$/i.exec(header ?? '')?.[1];

export function authenticate(deps: AppDeps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('actor', undefined);
    c.set('session', undefined);
    const bearer = bearerOf(c.req.header('authorization'));
    const token = bearer ?? readCookie(c, deps.mode, SESSION_COOKIE);
    if (c.req.path !== '/health' && plausibleToken(token)) {
      const session = await deps.sessions.get(tokenHash(token), deps.now());
      // A bearer must be an API token and a cookie a web session: a token is good only where it was given.
      if (session && session.kind === (bearer ? 'api' : 'web')) {
        const actor = actorFrom(session.phone, await deps.staff.get(session.phone), deps.adminPhones);
        if (actor) {
          c.set('actor', actor);
          c.set('session', session);
        }
      }
    }
    await next();
  };
}

/** The acting staff member for use-cases, or 401. */
export function actingOf(c: Context<AppEnv>) {
  const actor = c.get('actor');
  if (!actor) throw new AppError('unauthorized');
  return { actor, requestId: c.get('requestId'), target: `${c.req.method} ${c.req.path}` };
}

/**
 * 401 without a signed-in staff member; 403 (audit-logged) when their grants do not give
 * `permission` in the region `regionOf` names (none: in any region; '*': in every region).
 *
 * @example app.post('/prices/:regionId', requirePermission(deps, 'price.submit', (c) => c.req.param('regionId')), …)
 */
export function requirePermission(
  deps: AppDeps,
  permission: Permission,
  regionOf?: (c: Context<AppEnv>) => string | undefined | Promise<string | undefined>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const acting = actingOf(c);
    const region = regionOf ? await regionOf(c) : undefined;
    await guard(deps, acting, permission, region ? [region] : []);
    await next();
  };
}

/**
 * The caller's address for per-address limits (strangers at sign-in). Locally the socket's
 * peer. In AWS only what CloudFront vouches for, believed because requireCloudFront
 * (middleware/origin.ts) has already refused every request that did not come through
 * CloudFront: CloudFront-Viewer-Address (`ip:port`, IPv6 unbracketed) when the origin request
 * policy passes it on, else True-Client-IP, which the distribution's viewer-request function
 * writes from the viewer's address over anything the client sent
 * (infra/constructs/web-distribution.ts). X-Forwarded-For is never read: a client writes what
 * it likes there. Without either, API Gateway's own sourceIp (a CloudFront edge: coarse, but
 * nobody's invention).
 */
export function clientAddress(c: Context): string {
  const env = c.env as
    | { incoming?: { socket?: { remoteAddress?: string } }; requestContext?: { http?: { sourceIp?: string } } }
    | undefined;
  const local = env?.incoming?.socket?.remoteAddress;
  if (local) return local;
  const viewer = c.req.header('cloudfront-viewer-address')?.trim();
  const colon = viewer?.lastIndexOf(':') ?? -1;
  const candidates = [viewer && colon > 0 ? viewer.slice(0, colon) : undefined, c.req.header('true-client-ip')?.trim()];
  for (const ip of candidates) if (ip && /^[0-9a-fA-F.:]{2,45}$/.test(ip) && /[.:]/.test(ip)) return ip;
  return env?.requestContext?.http?.sourceIp ?? 'unknown';
}

/**
 * Where device tokens (core/staff/devices.ts) travel: browsers keep theirs in an HttpOnly
 * cookie, several at once for a computer that colleagues share; API clients get one in the
 * `Device-Token` header of POST /api/v1/auth/token and send it back in the same header.
 */
import type { Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { devicePolicy, keptTokens } from '#core/staff/devices.ts';
import type { AppDeps } from '../env.ts';
import { readCookie } from './auth.ts';

export const DEVICE_COOKIE = 'device';
export const DEVICE_HEADER = 'Device-Token';
const SEPARATOR = '~';

const cookieTokens = (c: Context, mode: AppDeps['mode']) =>
  (readCookie(c, mode, DEVICE_COOKIE) ?? '').split(SEPARATOR).filter(Boolean).slice(0, devicePolicy.perCookie);

/** The tokens a request presents: the header's first, then the cookie's. */
export function presentedDeviceTokens(c: Context, mode: AppDeps['mode']): string[] {
  const header = c.req.header(DEVICE_HEADER)?.trim();
  return [...(header ? [header.slice(0, 200)] : []), ...cookieTokens(c, mode)];
}

/**
 * After a sign-in: the new token in the cookie (first, replacing the one it renews) and in the
 * `Device-Token` header. SameSite=Strict: it is only ever needed by our own sign-in forms.
 */
export function keepDeviceToken(c: Context, mode: AppDeps['mode'], fresh: string, replaced?: string) {
  setCookie(c, DEVICE_COOKIE, keptTokens(cookieTokens(c, mode), fresh, replaced).join(SEPARATOR), {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    maxAge: devicePolicy.validSeconds,
    ...(mode === 'aws' ? { prefix: 'host' as const, secure: true } : {}),
  });
  c.header(DEVICE_HEADER, fresh);
}

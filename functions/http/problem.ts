import type { Context } from 'hono';
import { type AppError, type ErrorCode, type ErrorDetail, errorStatus } from '#core/errors.ts';
import type { AppEnv } from './env.ts';

export const PROBLEM_TYPE_BASE = 'tag:zhingdrok.org,2026:problem:';

/** A detail as the reader sees it: its message translated when it has a key; the key itself is not sent. */
function translatedDetail({ key, params, ...rest }: ErrorDetail, t: AppEnv['Variables']['t'] | undefined) {
  return key && t ? { ...rest, message: t(key, params ?? {}) } : rest;
}

/**
 * An RFC 9457 problem document with our stable `code` and the `requestId`, its title and
 * detail translated into the request's language.
 */
export function problemResponse(
  c: Context<AppEnv>,
  code: ErrorCode,
  params: Record<string, string | number> = {},
  details: ErrorDetail[] = [],
): Response {
  const t = c.get('t');
  const status = errorStatus[code];
  const body = {
    type: `${PROBLEM_TYPE_BASE}${code}`,
    title: t ? t(`errors:${code}.title`) : code,
    status,
    detail: t ? t(`errors:${code}.detail`, params) : code,
    code,
    requestId: c.get('requestId'),
    instance: c.req.path,
    ...(details.length ? { errors: details.map((d) => translatedDetail(d, t)) } : {}),
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'X-Request-Id': c.get('requestId') ?? '',
      ...retryAfter(status, params),
    },
  });
}

/**
 * Every 429 says when to come back (RFC 9110 Retry-After, in seconds): from the error's
 * `seconds` where it has one, else a minute. Pages carry it too (the app's onError hands it to web/routes.tsx).
 */
export function retryAfter(status: number, params: Record<string, string | number> = {}): Record<string, string> {
  if (status !== 429) return {};
  const seconds = Number(params.seconds);
  return { 'Retry-After': String(Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : 60) };
}

export const fromAppError = (c: Context<AppEnv>, err: AppError) =>
  problemResponse(c, err.code, err.params, err.details);

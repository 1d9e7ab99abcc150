/**
 * In AWS the app answers only requests that came through CloudFront. The
 * distribution adds a secret header to every request it sends the API (an origin custom
 * header; a viewer's own header of that name is overwritten), and this check, first of all
 * middleware, refuses anything without it: so the execute-api URL, which anyone could call
 * with a forged X-Forwarded-For, serves nothing, and CloudFront's CloudFront-Viewer-Address
 * (middleware/auth.ts clientAddress) can be believed. Locally there is no CloudFront and no
 * check: the socket's peer is the address.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppDeps, AppEnv } from '../env.ts';
import { problemResponse } from '../problem.ts';

/** The header CloudFront adds (infra/constructs/web-distribution.ts). */
export const ORIGIN_HEADER = 'X-Origin-Verify';

/** Both sides hashed to one length first, so the comparison takes the same time whatever is sent. */
const digest = (value: string) => createHash('sha256').update(value).digest();

export function requireCloudFront(deps: Pick<AppDeps, 'mode' | 'originSecret'>): MiddlewareHandler<AppEnv> {
  if (deps.mode !== 'aws') return (_c, next) => next();
  if (!deps.originSecret)
    throw new Error(
      'ORIGIN_SECRET is not set: in aws mode the app refuses to start without it, since it could not tell CloudFront from anyone else',
    );
  const expected = digest(deps.originSecret);
  return async (c, next) => {
    if (!timingSafeEqual(digest(c.req.header(ORIGIN_HEADER) ?? ''), expected)) return problemResponse(c, 'forbidden');
    await next();
  };
}

import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.ts';

/** The staff pages and sign-in: a member's roles, phone numbers, queues, codes and CSRF tokens. */
export const isStaffPage = (path: string) => /^\/(staff|sign-in|sign-out)(\/|$)/.test(path);

/**
 * Every answer on a staff or sign-in path, pages, redirects and error pages alike, is
 * `Cache-Control: no-store`: nothing a member saw stays in a shared village computer's cache
 * or history for the next person (public pages keep `private, no-cache`).
 */
export function noStoreOnStaffPages(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (isStaffPage(c.req.path)) c.res.headers.set('Cache-Control', 'no-store');
  };
}

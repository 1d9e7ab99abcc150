import type { MiddlewareHandler } from 'hono';
import { AppError } from '#core/errors.ts';
import type { AppEnv } from '../env.ts';

/**
 * Parses JSON bodies once, up front, so a malformed body is a 400 that names the problem
 * (JSON.parse's own message, e.g. the position) on every route alike. Hono caches the
 * parsed body, so route validators read it again for free.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const type = c.req.header('content-type') ?? '';
    if (
      !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(c.req.method) &&
      /^application\/([\w.+-]*\+)?json\b/i.test(type)
    ) {
      const text = await c.req.text();
      if (text.trim() === '') throw new AppError('invalid_json', { reason: 'empty body' });
      try {
        JSON.parse(text);
      } catch (err) {
        throw new AppError('invalid_json', { reason: (err as Error).message });
      }
    }
    await next();
  };
}

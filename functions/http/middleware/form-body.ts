import type { MiddlewareHandler } from 'hono';
import { AppError } from '#core/errors.ts';
import type { AppEnv } from '../env.ts';

const isForm = (type: string | undefined) =>
  /^\s*(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type ?? '');

/**
 * A form body that cannot be parsed — a missing or wrong multipart boundary, a truncated part,
 * garbage — is the sender's mistake: `invalid_form` (400, a translated page or problem), never
 * an unknown error (500 with a stack trace in the log). Hono's parseBody rejects with the
 * platform's TypeError ("Failed to parse body as FormData.") and caches that rejection, so
 * whoever reads the form first (the CSRF check on pages, the import route on the API) and
 * every later reader see the same answer. Wrapping c.req.parseBody here, before any middleware
 * reads the body, covers every form route, present and future, in one place. Other failures
 * (the body limits' own errors) pass through unchanged.
 */
export function formBody(log: (entry: Record<string, unknown>) => void): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!/^(GET|HEAD|OPTIONS)$/.test(c.req.method) && isForm(c.req.header('content-type'))) {
      const parse = c.req.parseBody.bind(c.req);
      c.req.parseBody = (async (options?: Parameters<typeof parse>[0]) => {
        try {
          return await parse(options);
        } catch (err) {
          if (!(err instanceof TypeError)) throw err;
          log({
            level: 'warn',
            msg: 'unreadable form body',
            requestId: c.get('requestId'),
            path: c.req.path,
            reason: err.message,
          });
          throw new AppError('invalid_form');
        }
      }) as typeof c.req.parseBody;
    }
    await next();
  };
}

/**
 * Plain POST forms answered by a redirect (POST-redirect-GET): reading their fields, and the
 * outcome key or error code the redirect carries back to the page in its query. Shared by the
 * sign-in pages (sign-in-pages.tsx, in the HTTP layer) and the staff pages.
 */
import type { Context } from 'hono';
import { AppError, errorStatus } from '#core/errors.ts';
import type { PageEnv } from './kit.ts';
import type { Flash } from './pages/sign-in.tsx';

const FLASH_PARAMS = ['tries', 'minutes', 'seconds'] as const;
const DONE = new Set(['signIn.signedOut', 'done.invited', 'done.updated', 'done.removed']);

export type Form = Record<string, string | File | (string | File)[]>;
export const field = (form: Form, name: string) => {
  const v = form[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
};
/** A record's version as a form carries it back (optimistic concurrency), if it is a number. */
export const formVersion = (form: Form) =>
  /^\d{1,9}$/.test(field(form, 'version')) ? Number(field(form, 'version')) : undefined;
export const fields = (form: Form, name: string) =>
  [form[name] ?? []].flat().filter((v): v is string => typeof v === 'string');

/** Only local paths: never an open redirect. */
export const safeNext = (value: string | undefined) =>
  value && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : undefined;

export function withQuery(path: string, query: Record<string, string | number | undefined>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export const errorQuery = (err: AppError) => ({
  error: err.code,
  ...Object.fromEntries(
    FLASH_PARAMS.filter((k) => typeof err.params[k] === 'number').map((k) => [k, err.params[k] as number]),
  ),
});

export function flashOf(c: Context<PageEnv>): Flash {
  const code = c.req.query('error');
  if (code && code in errorStatus) {
    const params = Object.fromEntries(
      FLASH_PARAMS.flatMap((k) => (/^\d{1,6}$/.test(c.req.query(k) ?? '') ? [[k, Number(c.req.query(k))]] : [])),
    );
    return { error: { code, params } };
  }
  const done = c.req.query('done');
  return done && DONE.has(done) ? { done } : {};
}

/**
 * A reviewer's or moderator's decision the store refused, as the queue page says it after the
 * redirect: someone changed the item first (`changed`), it is gone (`gone`), the reason was
 * missing (`reason`). Undefined for anything else, which the caller rethrows.
 */
export function decisionRefusal(err: unknown): 'changed' | 'gone' | 'reason' | undefined {
  if (!(err instanceof AppError)) return undefined;
  if (err.code === 'conflict') return 'changed';
  if (err.code === 'not_found') return 'gone';
  if (err.code === 'validation_failed') return 'reason';
  return undefined;
}

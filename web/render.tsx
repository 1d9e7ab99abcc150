import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { PageEnv } from './kit.ts';

/**
 * The one way a page is sent: its doctype (standards mode), its status (a form re-shown with
 * its errors is a 400, a refusal a 403) and no caching of personalised HTML.
 */
export function sendPage(c: Context<PageEnv>, page: JSX.Element, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'private, no-cache');
  return c.html(`<!DOCTYPE html>${page}`, status);
}

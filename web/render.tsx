import type { Context } from 'hono';
import type { JSX } from 'hono/jsx/jsx-runtime';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '#http/env.ts';

/** Sends a page with its doctype (standards mode) and no caching of personalised HTML. */
export function sendPage(c: Context<AppEnv>, page: JSX.Element, status: ContentfulStatusCode = 200) {
  c.header('Cache-Control', 'private, no-cache');
  return c.html(`<!DOCTYPE html>${page}`, status);
}

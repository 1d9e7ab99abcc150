/** Helpers for the staff price pages: a signed-in browser (cookie jar) for a staff member, and reading forms off a page. */
import type { Grant } from '#core/staff/roles.ts';
import type { TestStack } from './stack.ts';
import { CookieJar, csrfOf, form, from, type Send, signIn } from './staff.ts';

/** Creates the member (unless it is the configured admin) and returns a jar holding their web session. */
export async function staffBrowser(stack: TestStack, phone: string, grants: Grant[] = []) {
  if (grants.length && !(await stack.deps.staff.get(phone))) {
    await stack.deps.staff.create({
      phone,
      grants,
      invitedBy: '+8613800000000',
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    });
  }
  const send: Send = from(stack, `203.0.113.${Math.floor(Math.random() * 250) + 1}`);
  const { cookie } = await signIn(stack, phone, send);
  const jar = new CookieJar();
  const at = cookie.indexOf('=');
  jar.cookies.set(cookie.slice(0, at), cookie.slice(at + 1));
  return {
    jar,
    get: (path: string) => jar.send(send, path),
    /** Posts a form with the CSRF token of `page` (the HTML the form came from). */
    post: (path: string, page: string, fields: Record<string, string | string[]>) =>
      jar.send(send, path, form({ _csrf: csrfOf(page), ...fields })),
    raw: (path: string, init: RequestInit) => jar.send(send, path, init),
  };
}

const unescapeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

/** The hidden fields (but the CSRF token: `post` adds the page's own) of every form posting to `action`, in page order. */
export function formsTo(html: string, action: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  for (const m of html.matchAll(/<form\b[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/g)) {
    if (unescapeHtml(m[1]!) !== action) continue;
    const fields: Record<string, string> = {};
    for (const i of m[2]!.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
      const name = /name="([^"]*)"/.exec(i[0])?.[1];
      const value = /value="([^"]*)"/.exec(i[0])?.[1];
      if (name && name !== '_csrf') fields[name] = unescapeHtml(value ?? '');
    }
    out.push(fields);
  }
  return out;
}

/** The options of a select, as [value, label]. */
export function optionsOf(html: string, id: string): Array<[string, string]> {
  const select = new RegExp(`<select\\b[^>]*id="${id}"[^>]*>([\\s\\S]*?)</select>`).exec(html)?.[1] ?? '';
  return [...select.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [
    unescapeHtml(m[1]!),
    unescapeHtml(m[2]!),
  ]);
}

/** The text of the error shown beside a field, if any. */
export const fieldError = (html: string, field: string) =>
  new RegExp(`id="${field}-error"[^>]*>([^<]*)<`).exec(html)?.[1];

/** Posts a CSV file as the upload form does (multipart), with the CSRF token of `page`. */
export function upload(page: string, csv: string | Uint8Array, name = 'prices.csv') {
  const body = new FormData();
  body.set('_csrf', /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? '');
  body.set('file', new File([csv], name, { type: 'text/csv' }));
  return { method: 'POST', body } satisfies RequestInit;
}

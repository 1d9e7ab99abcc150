/**
 * CSV upload pages, served by the import Lambda: choose a file → a preview of every
 * row's verdict (a dry run, nothing written) → Confirm → the import → its counts.
 *
 * Confirm imports exactly the previewed bytes: the preview keeps the file in the file store
 * under its SHA-256, and the confirm form carries only that hash, signed (HMAC with
 * AUTH_SECRET) together with the member's phone, the file name and the time of the preview.
 * Nothing the browser sends back can change what is imported; a forged, altered, foreign or
 * stale token is a 400 and writes nothing.
 *
 * A token imports once, even when Confirm is sent several times at once (a double click, a
 * retrying proxy): the import's id is derived from the token, and the import's journal is
 * created conditionally on that id before any price is written, so exactly one request imports
 * and the others are answered "already imported" (409) having written nothing.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { importPriceCsv, isAlreadyImported } from '#core/prices/import.ts';
import { type Acting, mayEnterPrices, namer, staffPage } from './components/price-bits.tsx';
import { type Form, field } from './forms.ts';
import { type PageEnv, type PageKit, UPLOAD_FORM_BYTES, type UploadPageDeps } from './kit.ts';
import {
  countKeys,
  type PreviewView,
  PricePreviewPage,
  PriceUploadPage,
  type UploadView,
} from './pages/price-upload.tsx';
import { sendPage } from './render.tsx';
import { pageContext } from './routes.tsx';

/** How long a preview may wait for its Confirm. */
export const PREVIEW_VALID_SECONDS = 60 * 60;
/** Where previewed files wait for their Confirm (a lifecycle rule may expire them after a day). */
export const stagedKey = (sha: string) => `staged/prices/${sha}.csv`;
/** What the page says the form may send: the limit the CSRF check enforces on the preview post (as its 413 page words it). */
export const uploadLimit = `${UPLOAD_FORM_BYTES / (1024 * 1024)} MB`;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** The import id of a confirm token: one token, one import. */
export const uploadImportId = (token: string) => `upload-${sha256(new TextEncoder().encode(token))}`;
const mac = (secret: string, sha: string, issued: number, phone: string, fileName: string) =>
  createHmac('sha256', secret).update(`price-upload\n${sha}\n${issued}\n${phone}\n${fileName}`).digest('base64url');

/** `<sha256>.<issued seconds>.<mac>`: names the staged file; only this server can make one. */
export function uploadToken(secret: string, sha: string, issued: number, phone: string, fileName: string) {
  return `${sha}.${issued}.${mac(secret, sha, issued, phone, fileName)}`;
}

/** The file hash a token names, or why it cannot be used. */
export function readUploadToken(
  secret: string,
  token: string,
  phone: string,
  fileName: string,
  nowSeconds: number,
): { sha: string } | { refused: 'tampered' | 'expired' } {
  const m = /^([0-9a-f]{64})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return { refused: 'tampered' };
  const [, sha, issuedText, given] = m as unknown as [string, string, string, string];
  const expected = Buffer.from(mac(secret, sha, Number(issuedText), phone, fileName));
  if (!timingSafeEqual(Buffer.from(given), expected)) return { refused: 'tampered' };
  return nowSeconds - Number(issuedText) > PREVIEW_VALID_SECONDS ? { refused: 'expired' } : { sha };
}

const one = (form: Form, name: string) =>
  Array.isArray(form[name]) ? (form[name] as (string | File)[])[0] : form[name];

export function priceUploadWebRoutes(deps: UploadPageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();
  const nowSeconds = () => Math.floor(deps.now().getTime() / 1000);

  const uploadPage = (c: Context<PageEnv>, view: Omit<UploadView, 'csrf' | 'limit'>, status: 200 | 400 | 409) =>
    sendPage(
      c,
      <PriceUploadPage ctx={pageContext(c)} view={{ csrf: c.get('csrfToken')(), limit: uploadLimit, ...view }} />,
      status,
    );

  async function preview(
    c: Context<PageEnv>,
    acting: Acting,
    bytes: Uint8Array,
    fileName: string,
    dryRun: boolean,
    importId?: string,
  ) {
    const ctx = pageContext(c);
    const result = await importPriceCsv(deps, acting, bytes, {
      dryRun,
      fileName,
      language: ctx.lang,
      ...(importId ? { importId } : {}),
    });
    const base = {
      csrf: c.get('csrfToken')(),
      fileName,
      encoding: result.encoding,
      names: namer(await deps.catalog(), ctx.lang),
    };
    return { result, base };
  }

  web.get(
    '/staff/prices/upload',
    staffPage(kit, async (c, acting) => {
      await mayEnterPrices(deps, acting);
      // After a confirmed import (POST-redirect-GET): its counts, from the query.
      const done = c.req.query('done')
        ? Object.fromEntries(
            countKeys.flatMap((k) => (/^\d{1,6}$/.test(c.req.query(k) ?? '') ? [[k, Number(c.req.query(k))]] : [])),
          )
        : undefined;
      return uploadPage(c, done ? { done } : {}, 200);
    }),
  );

  web.post(
    '/staff/prices/upload/preview',
    staffPage(kit, async (c, acting) => {
      await mayEnterPrices(deps, acting);
      const file = one((await c.req.parseBody()) as Form, 'file');
      if (typeof file === 'string' || !file || file.size === 0) return uploadPage(c, { error: 'noFile' }, 400);
      const bytes = new Uint8Array(await file.arrayBuffer());
      const fileName = file.name.replace(/[^\p{L}\p{N} ._()-]/gu, '_').slice(0, 120);
      const { result, base } = await preview(c, acting, bytes, fileName, true);
      if (!result.ok)
        return sendPage(c, <PricePreviewPage ctx={pageContext(c)} view={{ ...base, errors: result.errors }} />, 400);
      const sha = sha256(bytes);
      await deps.files.put(stagedKey(sha), bytes, 'text/csv');
      const token = uploadToken(deps.authSecret, sha, nowSeconds(), acting.actor.phone, fileName);
      const view: PreviewView = { ...base, rows: result.rows, counts: result.counts, token };
      return sendPage(c, <PricePreviewPage ctx={pageContext(c)} view={view} />, 200);
    }),
  );

  web.post(
    '/staff/prices/upload/confirm',
    staffPage(kit, async (c, acting) => {
      await mayEnterPrices(deps, acting);
      const form = (await c.req.parseBody()) as Form;
      const fileName = field(form, 'fileName').slice(0, 120);
      const token = field(form, 'token');
      const read = readUploadToken(deps.authSecret, token, acting.actor.phone, fileName, nowSeconds());
      if ('refused' in read) return uploadPage(c, { error: read.refused }, 400);
      const importId = uploadImportId(token);
      if (await deps.priceImport.started(importId)) return uploadPage(c, { error: 'alreadyImported' }, 409);
      const staged = await deps.files.get(stagedKey(read.sha));
      // The store must give back the very bytes that were previewed.
      if (!staged || sha256(staged.body) !== read.sha) return uploadPage(c, { error: 'expired' }, 400);
      let imported: Awaited<ReturnType<typeof preview>>;
      try {
        imported = await preview(c, acting, staged.body, fileName, false, importId);
      } catch (err) {
        // The same token confirmed at the same moment by another request, which imported it.
        if (isAlreadyImported(err)) return uploadPage(c, { error: 'alreadyImported' }, 409);
        throw err;
      }
      const { result, base } = imported;
      // Prices may have changed since the preview (e.g. a row approved meanwhile): show why, write nothing.
      if (!result.ok)
        return sendPage(c, <PricePreviewPage ctx={pageContext(c)} view={{ ...base, errors: result.errors }} />, 400);
      await deps.files.delete(stagedKey(read.sha));
      const query = new URLSearchParams({
        done: '1',
        ...Object.fromEntries(countKeys.map((k) => [k, String(result.counts[k])])),
      });
      return c.redirect(`/staff/prices/upload?${query}`, 303);
    }),
  );

  return web;
}

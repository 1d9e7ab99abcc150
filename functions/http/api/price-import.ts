/**
 * POST /api/v1/prices/import: a price CSV as the request body (text/csv) or as the `file` field
 * of a multipart form. Mounted only by the price-import Lambda and the local server
 * (functions/http/import-routes.ts): the CSV reader stays out of the http Lambda.
 */
import type { Context } from 'hono';
import { AppError, type ErrorDetail } from '#core/errors.ts';
import { type ImportError, importPriceCsv, type PriceImportDeps } from '#core/prices/import.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf } from '../middleware/auth.ts';
import { ApiRouter } from '../openapi.ts';
import { problemResponse } from '../problem.ts';
import { priceImportSpec } from './price-import-spec.ts';

/** Path of the import; the app's 1 MB body limit gives way to IMPORT_BODY_LIMIT here (app.ts `bodyLimits`). */
export const IMPORT_PATH = '/api/v1/prices/import';

const csvTypes = /^(text\/csv|application\/csv|text\/plain|application\/vnd\.ms-excel|text\/tab-separated-values)\b/i;
const multipart = /^multipart\/form-data\b/i;

/** The uploaded bytes and file name, or 415 for any other content type. */
async function uploadOf(c: Context<AppEnv>): Promise<{ bytes: Uint8Array; fileName?: string }> {
  const type = c.req.header('content-type') ?? '';
  if (csvTypes.test(type)) return { bytes: new Uint8Array(await c.req.arrayBuffer()) };
  if (multipart.test(type)) {
    const file = (await c.req.parseBody()).file;
    if (file instanceof File)
      return { bytes: new Uint8Array(await file.arrayBuffer()), ...(file.name ? { fileName: file.name } : {}) };
    throw new AppError('validation_failed', {}, [
      { path: 'file', message: 'Send the CSV file in the form field "file"' },
    ]);
  }
  throw new AppError('unsupported_media_type', { expected: 'text/csv, or multipart/form-data with a "file" field' });
}

/** One bad cell or row as a problem detail: its place, the translated message, and the reason key. */
export const importErrorDetail = (e: ImportError): ErrorDetail => {
  const detail = {
    path: `line ${e.line}${e.column ? `, ${e.header ?? e.column}` : ''}`,
    message: e.message,
    line: e.line,
    column: e.column,
    ...(e.header ? { header: e.header } : {}),
    reason: e.reason,
    params: e.params,
  };
  return detail;
};

/** What the import route needs beyond the app's deps (functions/adapters/import-wiring.ts adds them). */
export type ImportRouteDeps = AppDeps & Pick<PriceImportDeps, 'priceImport' | 'files'>;

export function priceImportRoutes(deps: ImportRouteDeps) {
  const api = new ApiRouter<AppEnv>();

  api.route(priceImportSpec, async (c, { query }) => {
    const acting = actingOf(c);
    const { bytes, fileName } = await uploadOf(c);
    const dryRun = query.dryRun === 'true' || query.dryRun === '1';
    const result = await importPriceCsv(deps, acting, bytes, {
      dryRun,
      language: c.get('language'),
      ...(fileName ? { fileName } : {}),
    });
    if (!result.ok) return problemResponse(c, 'validation_failed', {}, result.errors.map(importErrorDetail));
    const { ok: _ok, ...body } = result;
    return c.json(body, dryRun ? 200 : 201);
  });
  return api;
}

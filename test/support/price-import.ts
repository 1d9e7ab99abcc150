/** Helpers for the CSV import tests: upload a file through the real route, as text/csv or as a multipart form. */
import type { Api } from './prices.ts';

export const csvText = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** POST /prices/import with the file as the body (text/csv). */
export function postCsv(api: Api, body: string | Uint8Array, token: string, query: Record<string, string> = {}, headers: Record<string, string> = {}) {
  const qs = new URLSearchParams(query).toString();
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return api(`/prices/import${qs ? `?${qs}` : ''}`, { method: 'POST', headers: { 'Content-Type': 'text/csv', ...headers }, body: bytes }, token);
}

/** POST /prices/import as a browser form would send a file: multipart/form-data, field `file`. */
export function postCsvForm(api: Api, body: string | Uint8Array, token: string, fileName = 'prices.csv', query: Record<string, string> = {}) {
  const form = new FormData();
  form.append('file', new Blob([typeof body === 'string' ? new TextEncoder().encode(body) : body], { type: 'text/csv' }), fileName);
  const qs = new URLSearchParams(query).toString();
  return api(`/prices/import${qs ? `?${qs}` : ''}`, { method: 'POST', body: form }, token);
}

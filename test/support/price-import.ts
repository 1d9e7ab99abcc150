/** Helpers for the CSV import tests: upload a file through the real route, as text/csv or as a multipart form; an import store that dies mid-import. */
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoPriceImportStore } from '#adapters/dynamodb/price-import.ts';
import { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import type { PriceImportDeps } from '#core/prices/import.ts';
import type { LocalStack } from '#local/stack.ts';
import type { Api } from './prices.ts';
import type { TestStack } from './stack.ts';

export const csvText = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** POST /prices/import with the file as the body (text/csv). */
export function postCsv(
  api: Api,
  body: string | Uint8Array,
  token: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const qs = new URLSearchParams(query).toString();
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return api(
    `/prices/import${qs ? `?${qs}` : ''}`,
    { method: 'POST', headers: { 'Content-Type': 'text/csv', ...headers }, body: bytes },
    token,
  );
}

/** POST /prices/import as a browser form would send a file: multipart/form-data, field `file`. */
export function postCsvForm(
  api: Api,
  body: string | Uint8Array,
  token: string,
  fileName = 'prices.csv',
  query: Record<string, string> = {},
) {
  const form = new FormData();
  form.append(
    'file',
    new Blob([typeof body === 'string' ? new TextEncoder().encode(body) : body], { type: 'text/csv' }),
    fileName,
  );
  const qs = new URLSearchParams(query).toString();
  return api(`/prices/import${qs ? `?${qs}` : ''}`, { method: 'POST', body: form }, token);
}

/**
 * The import store over a document client that dies after `batchWrites` BatchWriteItem requests:
 * that request and every later one fail, as when the process is killed mid-import (the store
 * underneath is the real one; a middleware on the client's stack, not a mock). `settled()`
 * waits for the requests that went out before it died (batches run in parallel).
 */
export function dyingImportStore(stack: TestStack, batchWrites: number) {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  let seen = 0;
  let dead = false;
  const sent = new Set<Promise<unknown>>();
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'BatchWriteItemCommand' && ++seen > batchWrites) dead = true;
      if (dead) throw new Error('simulated crash');
      const request = next(args);
      sent.add(request);
      return request;
    },
    { step: 'initialize', name: 'dieMidImport' },
  );
  return Object.assign(new DynamoPriceImportStore(db, stack.tableName, stack.files), {
    settled: () => Promise.allSettled([...sent]),
  });
}

/**
 * What importPriceCsv needs, on the stack's stores, through document clients that see every
 * DynamoDB request the import sends (a middleware on the SDK's stack, not a mock): `onRequest`
 * is awaited before each one goes out, with its number.
 */
export function watchedImportDeps(
  stack: LocalStack,
  tableName: string,
  onRequest: (n: number) => Promise<void> | void,
): PriceImportDeps {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  let sent = 0;
  db.middlewareStack.add(
    (next) => async (args) => {
      await onRequest(++sent);
      return next(args);
    },
    { step: 'initialize', name: 'watchImport' },
  );
  const deps = stack.deps;
  const prices = new DynamoPriceRepository(db, tableName);
  return {
    authz: deps.authz,
    now: () => deps.now(),
    prices,
    catalog: deps.catalog,
    audit: deps.audit,
    priceImport: new DynamoPriceImportStore(db, tableName, stack.files),
    files: stack.files,
  };
}

/**
 * The description of POST /api/v1/prices/import, apart from its handler: the http app lists it
 * in /api/v1/openapi.json (price-export.ts) without bundling the CSV reader, and the import
 * routes (price-import.ts) serve it.
 */

import * as z from '#core/zod.ts';
import { component, type RouteSpec } from '../openapi.ts';
import { priceWireShape } from './prices.ts';
import { describe, json, problem } from './schemas.ts';

const ImportRow = component(
  'PriceImportRow',
  z.object({
    line: z.number().check(z.int()),
    commodityId: z.string(),
    ...priceWireShape,
    verdict: describe(
      z.enum(['new', 'replaces_pending', 'unchanged', 'correction', 'held']),
      'What the row does to what is stored',
    ),
    current: describe(z.optional(z.string()), 'The stored value it replaces or repeats'),
    holdReason: z.optional(z.string()),
    status: z.enum(['pending', 'approved']),
  }),
);

const ImportResult = component(
  'PriceImportResult',
  z.object({
    dryRun: z.boolean(),
    encoding: describe(z.string(), 'How the file was read: utf-8, utf-8-bom, gb18030, utf-16le, utf-16be'),
    counts: z.record(z.string(), z.number()),
    rows: z.array(ImportRow),
    file: z.optional(z.object({ key: z.string(), name: z.optional(z.string()) })),
  }),
);

const query = z.object({
  dryRun: describe(z.optional(z.enum(['true', 'false', '1', '0'])), 'Check and preview only'),
  lang: describe(z.optional(z.enum(['bo', 'zh', 'en'])), 'Language of messages'),
});

export const priceImportSpec: RouteSpec<undefined, typeof query, undefined> = {
  method: 'post',
  path: '/prices/import',
  tags: ['prices'],
  auth: true,
  summary: 'Import a price CSV (our template or a bureau file; UTF-8 or GB18030), all rows or none',
  description:
    'Body: the CSV as text/csv, or multipart/form-data with the file in `file`; at most 5 MB. Every row is checked before anything is written. ' +
    "`?dryRun=true` answers each row's verdict and writes nothing. Collectors' rows wait for review; reviewers' and admins' are approved unless held as absurd. " +
    'Served by the price-import function.',
  query,
  responses: {
    200: json(ImportResult, 'Dry run: what each row would do'),
    201: json(ImportResult, 'Imported'),
    400: problem('Invalid rows, each with line, column and message'),
    401: problem('Not signed in'),
    403: problem('A row is outside your role or regions (logged); nothing written'),
    413: problem('Over 5 MB'),
    415: problem('Not CSV or multipart'),
  },
};

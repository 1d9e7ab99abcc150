/**
 * CSV import of price observations: a bureau's file, or our template, checked as a
 * whole before anything is written — every bad row reported, every row's region authorised,
 * absurd prices held — then written in batches. A preview (`dryRun`) shows each row's verdict
 * and writes nothing. Importing the same file again writes nothing new: a row's identity is
 * (commodity, market, date, kind, grade, unit), and a value already in place is 'unchanged'.
 */
import { createHash, randomUUID } from 'node:crypto';
import { pricesResources } from '#locales/prices.ts';
import { shanghaiDay } from '../dates.ts';
import { AppError } from '../errors.ts';
import { addNamespace, type Language, translatorFor } from '../i18n.ts';
import { mapLimited } from '../limited.ts';
import type { FileStore } from '../platform-ports.ts';
import { nameIn } from '../reference/catalog.ts';
import { auditEntry } from '../staff/audit.ts';
import { type Acting, guard } from '../staff/guard.ts';
import { absurdHoldReason } from './absurd.ts';
import { describeHold } from './change.ts';
import type { CsvEncoding } from './csv/decode.ts';
import {
  type PriceCsvError,
  type PriceCsvReason,
  type PriceCsvRow,
  type PriceCsvSuggestion,
  parsePriceCsv,
} from './csv/rows.ts';
import type { PriceDeps } from './deps.ts';
import { formatFen } from './money.ts';
import { observationIdentity, type PriceKind, priceWire } from './observation.ts';
import {
  LATEST_ROWS_PER_COMMODITY,
  type PriceImportEntry,
  type PriceImportState,
  type PriceImportStore,
  type PriceRecord,
  type PriceSubmission,
} from './ports.ts';
import { MEDIAN_WINDOW, regionOfMarket } from './submit.ts';

export interface PriceImportDeps extends PriceDeps {
  priceImport: PriceImportStore;
  /** Where uploaded files are kept (S3). */
  files: FileStore;
}

/** More rows than this in one file are refused (about 2 MB of CSV; a Lambda imports it well inside its timeout). */
export const MAX_IMPORT_ROWS = 20_000;
/** History reads (for the absurd-price check) in flight at once. */
const HISTORY_PARALLEL = 16;

export type ImportVerdict = 'new' | 'replaces_pending' | 'unchanged' | 'correction' | 'held';
export type ImportReason = PriceCsvReason | 'csv.already_approved' | 'csv.too_many_rows' | 'csv.too_long';

/** Longest grade and source kept (as POST /prices allows): they are part of keys and items. */
const MAX_LENGTH = { grade: 60, source: 200 } as const;

export interface ImportRow {
  line: number;
  commodityId: string;
  marketId: string;
  date: string;
  /** Yuan, two decimals: '4.50'. */
  price: string;
  priceFen: number;
  unit: string;
  grade?: string;
  kind: PriceKind;
  verdict: ImportVerdict;
  /** The value this row replaces or repeats (pending or approved), when there is one. */
  current?: string;
  /** Why the row waits for a reviewer although its author may approve (in the caller's language). */
  holdReason?: string;
  /** What the row is (or, in a preview, will be) once imported. */
  status: 'pending' | 'approved';
}

export interface ImportCounts {
  rows: number;
  new: number;
  replaces_pending: number;
  unchanged: number;
  correction: number;
  held: number;
  pending: number;
  approved: number;
}

export interface ImportError {
  line: number;
  /** Our field name (commodity, market, date, price, unit, grade, kind, source); null for the whole row or file. */
  column: string | null;
  /** The file's own header of that column, e.g. 品名. */
  header?: string;
  /** Message key in the prices namespace, e.g. csv.unknown_market. */
  reason: ImportReason;
  /** In the caller's language. */
  message: string;
  params: Record<string, string | number>;
  suggestions?: PriceCsvSuggestion[];
}

export type PriceImportResult =
  | {
      ok: true;
      dryRun: boolean;
      encoding: CsvEncoding;
      rows: ImportRow[];
      counts: ImportCounts;
      file?: { key: string; name?: string };
    }
  | { ok: false; encoding: CsvEncoding; errors: ImportError[] };

export interface ImportOptions {
  dryRun: boolean;
  fileName?: string;
  /** Language of messages and hold reasons in the result (default English). */
  language?: Language;
  /**
   * Names this import: a second import with the same id writes nothing and fails with
   * `conflict` (`already_imported`). The upload page passes one derived from its confirm
   * token, so a token imports once even when it is sent several times at once. Random when absent.
   */
  importId?: string;
}

/** Whether an error says that an import with the same id was already started (it wrote nothing). */
export const isAlreadyImported = (err: unknown) =>
  err instanceof AppError && err.code === 'conflict' && err.params.reason === 'already_imported';

/** Where an uploaded file is kept: by the SHA-256 of its bytes, so the same file is stored once. */
export const importFileKey = (bytes: Uint8Array) =>
  `imports/prices/${createHash('sha256').update(bytes).digest('hex')}.csv`;

// The CSV problems are bundled only where files are imported.
addNamespace('prices', pricesResources);

type Translate = (key: string, params?: Record<string, string | number>) => string;

type RawError = Omit<ImportError, 'message' | 'params'> & {
  params: Omit<PriceCsvError['params'], 'limit'> & { approved?: string; limit?: string | number };
};

function translateError(t: Translate, language: Language, e: RawError): ImportError {
  const { suggestions, ...rest } = e.params;
  const params: Record<string, string | number> = Object.fromEntries(
    Object.entries(rest).filter(([, v]) => v !== undefined),
  ) as Record<string, string | number>;
  const names = (suggestions ?? []).map((s) => nameIn(s.names, language));
  let message = t(`prices:${e.reason}`, params);
  // Chinese runs sentences on without a space; Tibetan and English separate them with one.
  if (names.length)
    message += `${language === 'zh' ? '' : ' '}${t('prices:csv.did_you_mean', { names: names.join(language === 'zh' ? '、' : ', ') })}`;
  return {
    line: e.line,
    column: e.column,
    ...(e.header ? { header: e.header } : {}),
    reason: e.reason,
    message,
    params,
    ...(suggestions?.length ? { suggestions } : {}),
  };
}

const itemOf = (r: PriceCsvRow) => observationIdentity({ ...r, date: '' });

/**
 * The absurd-price check of submitPrice (`absurdHoldReason`), for many rows: per item one
 * history Query (newest first, up to the item's latest date in the file), and only for items
 * that have an approved price at all (the latest prices were just read); a row whose item has
 * no history of its own is compared with its commodity's latest prices elsewhere (one Query per
 * commodity, shared by its rows), so a first import costs one Query per commodity.
 * Returns, per row line, the hold reason as stored (English, as holdReasonFor writes it).
 */
async function absurdRows(deps: PriceImportDeps, rows: PriceCsvRow[], state: PriceImportState) {
  const catalog = await deps.catalog();
  const byItem = new Map<string, PriceCsvRow[]>();
  for (const r of rows) {
    const list = byItem.get(itemOf(r)) ?? [];
    list.push(r);
    byItem.set(itemOf(r), list);
  }
  const latestByCommodity = new Map<string, Promise<PriceRecord[]>>();
  const commodityLatest = (commodityId: string) => () => {
    if (!latestByCommodity.has(commodityId))
      latestByCommodity.set(commodityId, deps.prices.latestForCommodity(commodityId, LATEST_ROWS_PER_COMMODITY));
    return latestByCommodity.get(commodityId)!;
  };
  const held = new Map<number, string>();
  await mapLimited([...byItem.values()], HISTORY_PARALLEL, async (list) => {
    const first = list[0]!;
    const values: PriceRecord[] = [];
    if (state.latest.has(itemOf(first))) {
      const dates = list.map((r) => r.date).sort();
      const item = { kind: first.kind, unit: first.unit, ...(first.grade ? { grade: first.grade } : {}) };
      // Enough values that each row finds MEDIAN_WINDOW of its own date or earlier, in one page as a rule.
      let cursor: string | undefined;
      do {
        const page = await deps.prices.history(first.commodityId, first.marketId, item, {
          limit: MEDIAN_WINDOW + list.length,
          newestFirst: true,
          to: dates[dates.length - 1]!,
          ...(cursor ? { cursor } : {}),
        });
        values.push(...page.items);
        cursor = page.cursor;
      } while (cursor && values.filter((v) => v.date <= dates[0]!).length < MEDIAN_WINDOW);
    }
    for (const r of list) {
      const recent = values.filter((v) => v.date <= r.date).slice(0, MEDIAN_WINDOW);
      const reason = await absurdHoldReason({
        priceFen: r.priceFen,
        unit: r.unit,
        own: recent.map((v) => v.priceFen),
        commodityLatest: commodityLatest(r.commodityId),
        units: catalog.units,
      });
      if (reason) held.set(r.line, reason);
    }
  });
  return held;
}

/**
 * Validates, authorises and (unless `dryRun`) imports a price CSV for the acting staff member.
 * Invalid files come back as `{ ok: false, errors }` with every problem (nothing written); a
 * row in a region where the caller may neither submit nor review throws `forbidden` (logged).
 * Reviewers' and admins' rows are approved at once unless held as absurd; collectors' wait.
 *
 * @example await importPriceCsv(deps, acting, bytes, { dryRun: true, language: 'zh' })
 */
export async function importPriceCsv(
  deps: PriceImportDeps,
  acting: Acting,
  bytes: Uint8Array,
  options: ImportOptions,
): Promise<PriceImportResult> {
  const language = options.language ?? 'en';
  const t: Translate = translatorFor(language);
  const catalog = await deps.catalog();
  const today = shanghaiDay(deps.now());
  const parsed = parsePriceCsv(bytes, {
    matcher: catalog.matcher,
    today,
    ids: { commodities: catalog.commodities, markets: catalog.markets },
    units: catalog.units,
  });
  const { encoding } = parsed;
  if (!parsed.ok) return { ok: false, encoding, errors: parsed.errors.map((e) => translateError(t, language, e)) };
  if (parsed.rows.length > MAX_IMPORT_ROWS) {
    const e = {
      line: 1,
      column: null,
      reason: 'csv.too_many_rows' as const,
      params: { value: String(parsed.rows.length), limit: MAX_IMPORT_ROWS },
    };
    return { ok: false, encoding, errors: [translateError(t, language, e)] };
  }
  const tooLong = parsed.rows.flatMap((r) =>
    (['grade', 'source'] as const)
      .filter((field) => (r[field]?.length ?? 0) > MAX_LENGTH[field])
      .map((field) =>
        translateError(t, language, {
          line: r.line,
          column: field,
          reason: 'csv.too_long',
          params: { value: r[field]!, limit: MAX_LENGTH[field] },
        }),
      ),
  );
  if (tooLong.length) return { ok: false, encoding, errors: tooLong };

  // Who decides each region: reviewers approve, collectors submit; anyone else is refused for the whole file.
  const regionOfRow = (r: PriceCsvRow) =>
    regionOfMarket({ regionId: catalog.markets.get(r.marketId)?.regionId ?? null });
  const regions = [...new Set(parsed.rows.map(regionOfRow))];
  const approves = new Map<string, boolean>();
  for (const region of regions) approves.set(region, await deps.authz.can(acting.actor, 'price.review', region));
  // One region at a time, so that a refusal logs the region that was refused.
  for (const region of regions) if (!approves.get(region)) await guard(deps, acting, 'price.submit', [region]);

  const state = await deps.priceImport.load(parsed.rows);
  const absurd = await absurdRows(deps, parsed.rows, state);
  const submittedAt = deps.now().toISOString();
  const rows: ImportRow[] = [];
  const entries: PriceImportEntry[] = [];
  const errors: ImportError[] = [];

  for (const r of parsed.rows) {
    const identity = observationIdentity(r);
    const stored = state.submissions.get(identity);
    const approvedNow = state.approved.get(identity) ?? (stored?.status === 'approved' ? stored : undefined);
    const pendingNow = stored?.status === 'pending' ? stored : undefined;
    const hold = absurd.get(r.line);
    const mayApprove = approves.get(regionOfRow(r)) === true;
    const status: ImportRow['status'] = mayApprove && !hold ? 'approved' : 'pending';
    // In place: for an approval, the submission and the approved value both hold it (an import
    // that crashed between its writes is finished by importing the file again); for a pending
    // row, the approved value already is it, or the pending one is.
    const inPlace =
      status === 'approved'
        ? state.approved.get(identity)?.priceFen === r.priceFen &&
          stored?.status === 'approved' &&
          stored.priceFen === r.priceFen
        : approvedNow
          ? approvedNow.priceFen === r.priceFen
          : pendingNow?.priceFen === r.priceFen;

    let verdict: ImportVerdict;
    if (inPlace) verdict = 'unchanged';
    else if (approvedNow && !mayApprove) {
      // As with POST /prices: a collector cannot change an approved value; a reviewer corrects it.
      const e = {
        line: r.line,
        column: 'price',
        reason: 'csv.already_approved' as const,
        params: { value: r.priceText, approved: formatFen(approvedNow.priceFen) },
      };
      errors.push(translateError(t, language, e));
      continue;
    } else if (hold) verdict = 'held';
    else if (approvedNow) verdict = 'correction';
    else if (pendingNow) verdict = 'replaces_pending';
    else verdict = 'new';

    const current = approvedNow ?? pendingNow;
    const holdText = hold && describeHold(hold);
    rows.push({
      line: r.line,
      commodityId: r.commodityId,
      ...priceWire(r),
      verdict,
      ...(current ? { current: formatFen(current.priceFen) } : {}),
      ...(hold ? { holdReason: holdText ? t(holdText.key, holdText.params) : hold } : {}),
      status: verdict === 'unchanged' && approvedNow ? 'approved' : status,
    });
    if (verdict === 'unchanged') continue;
    const submission: PriceSubmission = {
      commodityId: r.commodityId,
      marketId: r.marketId,
      date: r.date,
      priceFen: r.priceFen,
      unit: r.unit,
      ...(r.grade !== undefined ? { grade: r.grade } : {}),
      kind: r.kind,
      source: r.source ?? 'csv',
      collector: acting.actor.phone,
      regionId: regionOfRow(r),
      submittedAt,
      // Stored in English, as submitPrice stores it (describeHold reads it back for display).
      ...(hold ? { holdReason: hold } : {}),
    };
    entries.push({ submission, ...(status === 'approved' ? { reviewer: acting.actor.phone } : {}) });
  }
  if (errors.length) return { ok: false, encoding, errors };

  const counts: ImportCounts = {
    rows: rows.length,
    new: 0,
    replaces_pending: 0,
    unchanged: 0,
    correction: 0,
    held: 0,
    pending: 0,
    approved: 0,
  };
  for (const row of rows) {
    counts[row.verdict] += 1;
    counts[row.status] += 1;
  }
  if (options.dryRun) return { ok: true, dryRun: true, encoding, rows, counts };

  // The file first: what was accepted is kept whatever happens next.
  const key = importFileKey(bytes);
  await deps.files.put(key, bytes, 'text/csv');
  // The store journals the whole write plan before its first price write, so that a crash at
  // any point is finished by the sweep (or the next local start): readers get all of it or none.
  const journal = {
    id: options.importId ?? randomUUID(),
    actor: acting.actor.phone,
    fileKey: key,
    ...(options.fileName ? { fileName: options.fileName.slice(0, 200) } : {}),
    regions,
    counts: { ...counts },
    startedAt: submittedAt,
  };
  const written = await deps.priceImport.write(entries, state, journal);
  if (!written.started) throw new AppError('conflict', { reason: 'already_imported' });
  await deps.audit.record(
    auditEntry(
      {
        actor: acting.actor.phone,
        action: 'price.import',
        target: key,
        regions,
        outcome: 'ok',
        detail: { ...counts, encoding, ...(options.fileName ? { fileName: options.fileName.slice(0, 200) } : {}) },
        ...(acting.requestId ? { requestId: acting.requestId } : {}),
      },
      deps.now(),
    ),
  );
  return {
    ok: true,
    dryRun: false,
    encoding,
    rows,
    counts,
    file: { key, ...(options.fileName ? { name: options.fileName } : {}) },
  };
}

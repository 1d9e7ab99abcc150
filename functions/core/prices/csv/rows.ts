import { parse } from 'csv-parse/sync';
import type { Names } from '#core/reference/schemas.ts';
import type { Matcher, MatchHit } from '#core/text/matcher.ts';
import { normaliseText } from '#core/text/normalise.ts';
import { isCalendarDate } from '../../dates.ts';
import type { PriceKind } from '../observation.ts';
import { acceptedUnits, type PriceUnitId, parseKind, resolveUnit, type UnitList } from '../vocabulary.ts';
import { type CsvEncoding, decodeCsv } from './decode.ts';
import { mapHeaders, type PriceCsvColumns, type PriceCsvField } from './headers.ts';

/** Message keys, one per kind of problem; params carry what the message shows. */
export type PriceCsvReason =
  | 'csv.unreadable'
  | 'csv.malformed'
  | 'csv.empty'
  | 'csv.no_rows'
  | 'csv.missing_columns'
  | 'csv.duplicate_column'
  | 'csv.missing_value'
  | 'csv.unknown_commodity'
  | 'csv.ambiguous_commodity'
  | 'csv.unknown_market'
  | 'csv.ambiguous_market'
  | 'csv.date_invalid'
  | 'csv.date_future'
  | 'csv.date_before_2000'
  | 'csv.price_invalid'
  | 'csv.price_not_positive'
  | 'csv.unit_unknown'
  | 'csv.kind_unknown'
  | 'csv.duplicate_row';

/** A reference item offered instead of an unknown or ambiguous name, with its names for display. */
export interface PriceCsvSuggestion {
  id: string;
  names: Names;
}

export interface PriceCsvError {
  /** 1-based line of the file where the row starts (the header is line 1 in a usual file). */
  line: number;
  /** Our field name of the bad cell; null when the problem is the whole row or file. */
  column: PriceCsvField | null;
  /** The file's own header text of that column, e.g. 品名. */
  header?: string;
  reason: PriceCsvReason;
  params: {
    /** The offending cell as written (or, for file problems, what is wrong: the missing columns, the encoding…). */
    value: string;
    /** Closest names for unknown ones; the candidates for ambiguous ones. */
    suggestions?: PriceCsvSuggestion[];
    /** For csv.date_future: the latest allowed date; for csv.date_before_2000: the earliest. */
    limit?: string;
    /** For csv.duplicate_row: the line of the first row with the same identity. */
    firstLine?: number;
    /** For csv.unit_unknown: the accepted units. */
    allowed?: string;
  };
}

export interface PriceCsvRow {
  line: number;
  commodityId: string;
  marketId: string;
  /** YYYY-MM-DD. */
  date: string;
  /** The price as written, with digits folded to ASCII: "4.5", "12.00". */
  priceText: string;
  /** The same price in integer fen. */
  priceFen: number;
  unit: PriceUnitId;
  grade?: string;
  kind: PriceKind;
  source?: string;
}

export type PriceCsvResult =
  | { ok: true; encoding: CsvEncoding; rows: PriceCsvRow[] }
  | { ok: false; encoding: CsvEncoding; errors: PriceCsvError[] };

export interface ParsePriceCsvOptions {
  /** Built over the reference data (createMatcher(referenceSeed()) in tests). */
  matcher: Matcher;
  /** Today's date in Asia/Shanghai, YYYY-MM-DD (shanghaiDay from core/dates.ts): later dates are rejected. */
  today: string;
  /** Ids that are accepted as they are (our exports write ids, which names may not match): the catalog's maps fit. */
  ids?: { commodities: { has(id: string): boolean }; markets: { has(id: string): boolean } };
  /** The reference units (the catalog's map): their names in every script are read as units too. */
  units?: UnitList;
}

const earliestDate = '2000-01-01';

/** YYYY-MM-DD from 2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日 (full-width or Tibetan digits too); Excel's " 0:00" is ignored. */
export function parseCsvDate(cell: string): string | undefined {
  const text = normaliseText(cell)
    .text.replace(/\s+(?:\d{1,2}:\d{2}(?::\d{2})?)$/u, '')
    .replace(/\s+/gu, '');
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/u.exec(text) ?? /^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$/u.exec(text);
  if (!m) return undefined;
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isCalendarDate(date) ? date : undefined;
}

/** A positive decimal with at most 2 decimals (4, 4.5, ４.５０, ༤.༥, ¥4.50, 4.5元) → its text and fen. */
export function parseCsvPrice(cell: string): { text: string; fen: number } | 'invalid' | 'not_positive' {
  const text = normaliseText(cell).text.replace(/\s+/gu, '').replace(/^¥/u, '').replace(/元$/u, '');
  if (/^-\d*(?:\.\d*)?$/u.test(text) && /\d/u.test(text)) return 'not_positive';
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/u.exec(text);
  if (!m) return 'invalid';
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? { text, fen } : 'not_positive';
}

/** Trimmed, NFKC, one space between words; undefined when empty. */
function freeText(cell: string): string | undefined {
  const text = cell.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  return text || undefined;
}

const suggestionOf = (hit: MatchHit): PriceCsvSuggestion => ({ id: hit.item.id, names: hit.item.names });

type Resolved = { id: string } | { reason: PriceCsvReason; suggestions: PriceCsvSuggestion[] };

function resolver(matcher: Matcher, kind: 'commodity' | 'market', ids?: { has(id: string): boolean }) {
  const cache = new Map<string, Resolved>();
  return (value: string): Resolved => {
    const held = cache.get(value);
    if (held) return held;
    if (ids?.has(value)) return { id: value };
    const hits = matcher.match(value, { kinds: [kind] });
    const first = hits[0];
    let resolved: Resolved;
    if (hits.length === 1 && first) resolved = { id: first.item.id };
    else if (hits.length > 1) resolved = { reason: `csv.ambiguous_${kind}`, suggestions: hits.map(suggestionOf) };
    else
      resolved = {
        reason: `csv.unknown_${kind}`,
        suggestions: matcher.suggest(value, { kinds: [kind], limit: 3 }).map(suggestionOf),
      };
    cache.set(value, resolved);
    return resolved;
  };
}

interface RawRecord {
  record: string[];
  raw: string;
}

/** A cell's text: trimmed, without BOMs, and without the apostrophe our exports put before formula-like text (template.ts csvCell). */
const cellText = (cell: string) =>
  cell
    .replace(/\uFEFF/gu, '')
    .trim()
    .replace(/^'(?='*[=+\-@])/u, '');

/** Comma, or tab for Excel's "Unicode text" and tab-separated exports. */
function delimiterOf(text: string): string {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return first.includes('\t') && !first.includes(',') ? '\t' : ',';
}

function readRecords(text: string): { records: { line: number; cells: string[] }[] } | { error: PriceCsvError } {
  let parsed: RawRecord[];
  try {
    parsed = parse(text, {
      raw: true,
      relax_column_count: true,
      relax_quotes: true,
      // Blank lines never become records: csv-parse spends ~20 µs on each record, so a 4 MB
      // upload of newlines took two minutes to preview; skipped, it takes a fraction of a second.
      skip_empty_lines: true,
      delimiter: delimiterOf(text),
    }) as unknown as RawRecord[];
  } catch (e) {
    const info = e as { lines?: unknown; code?: unknown };
    const line = typeof info.lines === 'number' && info.lines > 0 ? info.lines : 1;
    return {
      error: { line, column: null, reason: 'csv.malformed', params: { value: String(info.code ?? 'CSV_ERROR') } },
    };
  }
  // The raw texts of the records, end to end, are the whole input: count lines through them.
  let line = 1;
  const records: { line: number; cells: string[] }[] = [];
  for (const { record, raw } of parsed) {
    // A record's raw text starts with the blank lines skipped before it.
    const body = raw.replace(/^\n+/u, '');
    line += raw.length - body.length;
    const cells = record.map((c) => String(c ?? ''));
    if (cells.some((c) => c.trim() !== '')) records.push({ line, cells });
    for (const c of body) if (c === '\n') line++;
  }
  return { records };
}

/**
 * Reads and validates a price CSV (our template or a bureau's file, UTF-8 or GB18030), checking
 * every row before anything may be written: either every row, resolved to ids, or every problem
 * of every bad row with its line, column and a message key. Blank lines are skipped; unknown
 * columns are ignored; kind defaults to retail. Never throws on any input bytes.
 *
 * @example
 * parsePriceCsv(bytes, { matcher: createMatcher(referenceSeed()), today: shanghaiDay(new Date()) })
 */
export function parsePriceCsv(bytes: Uint8Array, options: ParsePriceCsvOptions): PriceCsvResult {
  const decoded = decodeCsv(bytes);
  const { encoding } = decoded;
  const fail = (errors: PriceCsvError[]): PriceCsvResult => ({ ok: false, encoding, errors });
  if (decoded.lossy) return fail([{ line: 1, column: null, reason: 'csv.unreadable', params: { value: encoding } }]);

  const read = readRecords(decoded.text.replace(/\r\n?/gu, '\n'));
  if ('error' in read) return fail([read.error]);
  const [headerRecord, ...dataRecords] = read.records;
  if (!headerRecord) return fail([{ line: 1, column: null, reason: 'csv.empty', params: { value: '' } }]);

  const mapping = mapHeaders(headerRecord.cells);
  if (!mapping.ok) {
    return fail(
      mapping.problems.map((p) =>
        p.reason === 'csv.missing_columns'
          ? { line: headerRecord.line, column: null, reason: p.reason, params: { value: p.missing.join(', ') } }
          : {
              line: headerRecord.line,
              column: p.field,
              header: p.headers[1],
              reason: p.reason,
              params: { value: p.headers.join(', ') },
            },
      ),
    );
  }
  if (dataRecords.length === 0)
    return fail([{ line: headerRecord.line, column: null, reason: 'csv.no_rows', params: { value: '' } }]);

  const columns: PriceCsvColumns = mapping.columns;
  const commodityOf = resolver(options.matcher, 'commodity', options.ids?.commodities);
  const marketOf = resolver(options.matcher, 'market', options.ids?.markets);
  const errors: PriceCsvError[] = [];
  const rows: PriceCsvRow[] = [];
  const firstLineByIdentity = new Map<string, number>();

  for (const { line, cells } of dataRecords) {
    const rowErrors: PriceCsvError[] = [];
    const cell = (field: PriceCsvField) => {
      const column = columns[field];
      return column ? cellText(cells[column.index] ?? '') : '';
    };
    const problem = (
      field: PriceCsvField,
      reason: PriceCsvReason,
      extra: Omit<PriceCsvError['params'], 'value'> = {},
    ) =>
      rowErrors.push({
        line,
        column: field,
        header: columns[field]?.header,
        reason,
        params: { value: cell(field), ...extra },
      });
    const required = (field: PriceCsvField) => {
      const value = cell(field);
      if (!value) problem(field, 'csv.missing_value');
      return value;
    };

    const named = (field: 'commodity' | 'market', resolve: (v: string) => Resolved) => {
      const value = required(field);
      if (!value) return undefined;
      const r = resolve(value);
      if ('id' in r) return r.id;
      problem(field, r.reason, { suggestions: r.suggestions });
      return undefined;
    };
    const commodityId = named('commodity', commodityOf);
    const marketId = named('market', marketOf);

    let date: string | undefined;
    const dateText = required('date');
    if (dateText) {
      date = parseCsvDate(dateText);
      if (!date) problem('date', 'csv.date_invalid');
      else if (date < earliestDate) problem('date', 'csv.date_before_2000', { limit: earliestDate });
      else if (date > options.today) problem('date', 'csv.date_future', { limit: options.today });
    }

    let price: { text: string; fen: number } | undefined;
    const priceText = required('price');
    if (priceText) {
      const p = parseCsvPrice(priceText);
      if (p === 'invalid') problem('price', 'csv.price_invalid');
      else if (p === 'not_positive') problem('price', 'csv.price_not_positive');
      else price = p;
    }

    let unit: PriceUnitId | undefined;
    const unitText = required('unit');
    if (unitText) {
      unit = resolveUnit(unitText, options.units);
      if (!unit) problem('unit', 'csv.unit_unknown', { allowed: acceptedUnits(options.units) });
    }

    const kindText = cell('kind');
    const kind = kindText ? parseKind(kindText) : 'retail';
    if (!kind) problem('kind', 'csv.kind_unknown');

    const grade = freeText(cell('grade'));
    const source = freeText(cell('source'));

    if (rowErrors.length > 0 || !commodityId || !marketId || !date || !price || !unit || !kind) {
      errors.push(...rowErrors);
      continue;
    }
    const identity = JSON.stringify([commodityId, marketId, date, kind, grade ?? '', unit]);
    const firstLine = firstLineByIdentity.get(identity);
    if (firstLine !== undefined) {
      errors.push({ line, column: null, reason: 'csv.duplicate_row', params: { value: cells.join(','), firstLine } });
      continue;
    }
    firstLineByIdentity.set(identity, line);
    rows.push({
      line,
      commodityId,
      marketId,
      date,
      priceText: price.text,
      priceFen: price.fen,
      unit,
      ...(grade !== undefined ? { grade } : {}),
      kind,
      ...(source !== undefined ? { source } : {}),
    });
  }
  return errors.length > 0 ? fail(errors) : { ok: true, encoding, rows };
}

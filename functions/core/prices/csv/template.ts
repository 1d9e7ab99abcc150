/**
 * Writing price CSV: the downloadable template and the export of approved prices. Kept apart
 * from rows.ts (the reader) because that one pulls in csv-parse, and writing needs none of it:
 * the http Lambda serves both downloads and must stay small.
 */
import { type PriceCsvField, priceCsvFields } from './headers.ts';

/** A UTF-8 byte-order mark: without it Excel opens a CSV in the system code page (GBK on Chinese Windows). */
export const UTF8_BOM = '\uFEFF';

/**
 * Text a spreadsheet would run as a formula (=, +, -, @ first), or that already starts with our
 * apostrophes before one (so that the apostrophe the reader strips is always ours).
 */
const formulaStart = /^\s*'*[=+\-@]/u;

/**
 * One CSV cell: quoted when it holds a comma, quote or line break (quotes doubled, RFC 4180).
 * Text that would start a formula gets a leading apostrophe, so an exported grade such as
 * "=HYPERLINK(…)" shows as text in Excel instead of running; the reader strips it again
 * (rows.ts `cellText`), so exports round-trip.
 */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  // (Leading spaces go: the reader trims cells anyway, and the apostrophe must come first.)
  if (typeof value === 'string' && formulaStart.test(text)) text = `'${text.trimStart()}`;
  return /[",\r\n]/u.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line in our template's column order, CRLF-terminated (what Excel writes and expects). */
export function csvLine(values: Partial<Record<PriceCsvField, string | number | undefined>>): string {
  return `${priceCsvFields.map((f) => csvCell(values[f])).join(',')}\r\n`;
}

/** The header line of our template and exports. */
export const csvHeaderLine = `${priceCsvFields.join(',')}\r\n`;

/**
 * The downloadable template: our English headers and one example row, CRLF line ends, with a
 * UTF-8 BOM so that Excel opens it as UTF-8 rather than as the system code page.
 *
 * @example templateCsv({ date: '2025-06-01' }).startsWith('\uFEFFcommodity,market,date') // true
 */
export function templateCsv(options: { date?: string } = {}): string {
  return (
    UTF8_BOM +
    csvHeaderLine +
    csvLine({
      commodity: '青稞',
      market: '东嘎批发市场',
      date: options.date ?? '2024-05-01',
      price: '4.50',
      unit: '斤',
      kind: 'wholesale',
    })
  );
}

/**
 * Which column of a price CSV holds which field: our template's English headers, and the
 * bureaus' Chinese ones (品名/品种, 规格/等级, 单位, 价格/本期价格, 市场, 日期). Columns we do not
 * know (上期价格, 涨跌幅, 备注…) are ignored.
 */

export const priceCsvFields = ['commodity', 'market', 'date', 'price', 'unit', 'grade', 'kind', 'source'] as const;
export type PriceCsvField = (typeof priceCsvFields)[number];

/** Columns a file must have; grade, kind and source are optional. */
export const requiredPriceCsvFields = [
  'commodity',
  'market',
  'date',
  'price',
  'unit',
] as const satisfies readonly PriceCsvField[];

/** Header spellings by field, compared after headerKey(). */
const headerNames: Record<PriceCsvField, readonly string[]> = {
  commodity: ['commodity', '品名', '品种', '商品', '商品名称', '品名/品种'],
  market: ['market', '市场', '市场名称', '监测点'],
  date: ['date', '日期', '采价日期', '监测日期'],
  price: ['price', '价格', '本期价格', '本期'],
  unit: ['unit', '单位', '计量单位'],
  grade: ['grade', '规格', '等级', '规格等级', '规格/等级'],
  kind: ['kind', '类型', '价格类型'],
  source: ['source', '来源', '数据来源'],
};

/**
 * The comparable form of a header cell: NFKC (full-width letters and brackets become ASCII),
 * lower case, no BOM or inner spaces, and no trailing note in brackets, so "价格（元）",
 * "Price (yuan)" and "PRICE" all read as the price column.
 */
export function headerKey(cell: string): string {
  return cell
    .replace(/\uFEFF/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/gu, '')
    .replace(/[([【].*[)\]】]$/u, '');
}

// Built on first use, not at import: a bundle that takes only the field list (the http
// Lambda's CSV export) then leaves the spellings out.
let byKey: Map<string, PriceCsvField> | undefined;

/** The field a header cell names, if any. */
export function fieldOfHeader(cell: string): PriceCsvField | undefined {
  byKey ??= new Map(
    priceCsvFields.flatMap((field) => headerNames[field].map((name) => [headerKey(name), field] as const)),
  );
  return byKey.get(headerKey(cell));
}

/** 0-based column index of each field found, and the file's own text of that header. */
export type PriceCsvColumns = Partial<Record<PriceCsvField, { index: number; header: string }>>;

export type HeaderProblem =
  | { reason: 'csv.missing_columns'; missing: PriceCsvField[] }
  | { reason: 'csv.duplicate_column'; field: PriceCsvField; headers: [string, string] };

export type HeaderMapping = { ok: true; columns: PriceCsvColumns } | { ok: false; problems: HeaderProblem[] };

/**
 * Maps a header row to our fields. Fails when a required column is missing (naming every one)
 * or when two columns name the same field (e.g. both 品名 and 品种), since which to trust is unclear.
 *
 * @example mapHeaders(['品名', '市场', '日期', '本期价格', '单位']).ok // true
 */
export function mapHeaders(cells: readonly string[]): HeaderMapping {
  const columns: PriceCsvColumns = {};
  const problems: HeaderProblem[] = [];
  cells.forEach((cell, index) => {
    const field = fieldOfHeader(cell);
    if (!field) return;
    const held = columns[field];
    const header = cell.replace(/\uFEFF/gu, '').trim();
    if (held) problems.push({ reason: 'csv.duplicate_column', field, headers: [held.header, header] });
    else columns[field] = { index, header };
  });
  const missing = requiredPriceCsvFields.filter((f) => !columns[f]);
  if (missing.length > 0) problems.unshift({ reason: 'csv.missing_columns', missing });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, columns };
}

/**
 * The daily open-data snapshot's files, made from approved prices: the CSV (the columns of GET
 * /api/v1/prices.csv, so it imports again), JSON Lines (the fields of GET /api/v1/prices), the
 * data dictionary (JSON and a human README) and SHA256SUMS. Pure but for node:zlib and
 * node:crypto: no store, no clock — what goes in decides every byte that comes out, so a rerun of
 * the same day over the same data makes the same bytes (the job is idempotent by construction).
 */
import { createHash } from 'node:crypto';
import { createGzip, constants as zlib } from 'node:zlib';
import { csvHeaderLine, csvLine, UTF8_BOM } from './csv/template.ts';
import { formatFen } from './money.ts';
import { observationIdentity, priceWire } from './observation.ts';
import type { PriceRecord } from './ports.ts';

/** Every open-data key starts so; nothing else of the public bucket is served under /open-data/. */
export const OPEN_DATA_PREFIX = 'open-data/';
/** The folder rewritten each run with the newest snapshot, beside the dated one. */
export const LATEST = 'latest';

export const openDataFiles = {
  csv: 'prices.csv.gz',
  jsonl: 'prices.jsonl.gz',
  dictionary: 'dictionary.json',
  readme: 'README.md',
  sums: 'SHA256SUMS',
} as const;
export type OpenDataFileName = (typeof openDataFiles)[keyof typeof openDataFiles];

/** The keys a snapshot folder holds: `open-data/<YYYY-MM-DD or latest>/<file>`, nothing else. */
const OPEN_DATA_KEY =
  /^open-data\/(latest|\d{4}-\d{2}-\d{2})\/(prices\.csv\.gz|prices\.jsonl\.gz|dictionary\.json|README\.md|SHA256SUMS)$/;
export const isOpenDataKey = (key: string): boolean => OPEN_DATA_KEY.test(key);

export const openDataKey = (folder: string, file: OpenDataFileName): string => `${OPEN_DATA_PREFIX}${folder}/${file}`;

/** The licence the data is published under: CC BY 4.0, the usual one for open government data. */
export const OPEN_DATA_LICENCE = {
  id: 'CC-BY-4.0',
  name: 'Creative Commons Attribution 4.0 International',
  url: 'https://creativecommons.org/licenses/by/4.0/',
  attribution: 'Zhingdrok (农牧通) market price reports',
} as const;

/** An approved price as the API answers it (GET /api/v1/prices `items[]`): no phone numbers, no reviewer. */
export function openPriceRecord(r: PriceRecord) {
  return {
    identity: observationIdentity(r),
    commodityId: r.commodityId,
    ...priceWire(r),
    source: r.source,
    ...(r.reviewedAt !== undefined ? { approvedAt: r.reviewedAt } : {}),
  };
}

/** One CSV line of an approved price in the template's columns (what GET /prices.csv streams). */
export const openPriceCsvLine = (r: PriceRecord): string =>
  csvLine({
    commodity: r.commodityId,
    market: r.marketId,
    date: r.date,
    price: formatFen(r.priceFen),
    unit: r.unit,
    grade: r.grade,
    kind: r.kind,
    source: r.source,
  });

/** The CSV's first bytes: a BOM (Excel reads it as UTF-8) and the header line, as GET /prices.csv. */
export const openPriceCsvStart = UTF8_BOM + csvHeaderLine;

/** One JSON Lines line: one object, LF-terminated. */
export const openPriceJsonLine = (r: PriceRecord): string => `${JSON.stringify(openPriceRecord(r))}\n`;

export interface GzipFile {
  bytes: Buffer;
  sha256: string;
}

/**
 * A gzip file written a piece at a time, kept compressed (never the text twice). Deterministic:
 * a fixed level and Node's header, which carries no name and a zero mtime (RFC 1952 "no time
 * stamp"), so the same text gives the same bytes however it was cut into pieces.
 */
export function gzipWriter() {
  const gzip = createGzip({ level: 9, memLevel: 8, strategy: zlib.Z_DEFAULT_STRATEGY });
  const chunks: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    gzip.once('end', resolve);
    gzip.once('error', reject);
  });
  return {
    /** Resolves once zlib has taken the text (backpressure: a page at a time). */
    write(text: string): Promise<void> {
      return new Promise((resolve, reject) => gzip.write(text, 'utf8', (err) => (err ? reject(err) : resolve())));
    },
    async finish(): Promise<GzipFile> {
      gzip.end();
      await ended;
      const bytes = Buffer.concat(chunks);
      return { bytes, sha256: sha256(bytes) };
    },
  };
}

export const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

/** `sha256sum` format ("<hex>  <name>", binary mode shown as two spaces), so `sha256sum -c SHA256SUMS` checks a download. */
export const sha256sums = (files: Array<{ name: string; sha256: string }>): string =>
  files.map((f) => `${f.sha256}  ${f.name}\n`).join('');

export interface SnapshotFacts {
  /** The Asia/Shanghai day of the run: the dated folder's name. */
  date: string;
  rows: number;
  /** The latest approval among the rows (ISO), undefined without rows: when the data last changed. */
  dataAsOf: string | undefined;
  /** The first and last business date among the rows. */
  firstDate: string | undefined;
  lastDate: string | undefined;
}

const columns = [
  {
    name: 'commodity',
    type: 'string',
    description: 'Commodity id (e.g. barley_qingke). Names in bo/zh/en: GET /api/v1/commodities/{id}',
  },
  {
    name: 'market',
    type: 'string',
    description: 'Market id (e.g. mkt_lhasa_tromsikhang). Names and region: GET /api/v1/markets/{id}',
  },
  {
    name: 'date',
    type: 'date',
    format: 'YYYY-MM-DD',
    description: 'Business date of the price (Asia/Shanghai calendar day)',
  },
  { name: 'price', type: 'decimal', unit: 'CNY (yuan), two decimals', description: 'Price per unit, e.g. 4.50' },
  {
    name: 'unit',
    type: 'string',
    description: 'Unit id (e.g. jin = 0.5 kg). Names and size in the base unit: GET /api/v1/units',
  },
  { name: 'grade', type: 'string', description: 'Grade or variety as reported; empty when none' },
  { name: 'kind', type: 'enum', values: ['wholesale', 'retail', 'farm_gate'], description: 'Kind of price' },
  { name: 'source', type: 'string', description: 'How the price was reported (e.g. web, csv, sms)' },
] as const;

const jsonFields = [
  {
    name: 'identity',
    type: 'string',
    description: "commodity|market|date|kind|grade|unit, each part URL-encoded: the row's key",
  },
  { name: 'commodityId', type: 'string', description: 'As the CSV column commodity' },
  { name: 'marketId', type: 'string', description: 'As the CSV column market' },
  { name: 'date', type: 'date', description: 'As the CSV column date' },
  { name: 'price', type: 'string', description: 'Yuan as a decimal string, e.g. "4.50"' },
  {
    name: 'priceFen',
    type: 'integer',
    unit: 'fen (0.01 CNY)',
    description: 'The same price as an integer number of fen',
  },
  { name: 'unit', type: 'string', description: 'As the CSV column unit' },
  { name: 'grade', type: 'string', description: 'Absent when none' },
  { name: 'kind', type: 'enum', values: ['wholesale', 'retail', 'farm_gate'], description: 'As the CSV column kind' },
  { name: 'source', type: 'string', description: 'As the CSV column source' },
  { name: 'approvedAt', type: 'date-time', description: 'When a reviewer approved the value (ISO 8601, UTC)' },
] as const;

/**
 * The data dictionary: what each file holds, its columns, types, units and codes, where the
 * codes' names are, the licence. No wall-clock time: `generatedOn` is the run's day and `dataAsOf`
 * the newest approval, so a rerun over the same data writes the same bytes.
 */
export function dataDictionary(facts: SnapshotFacts) {
  return {
    title: 'Zhingdrok approved market prices (Tibet Autonomous Region and neighbouring areas)',
    titleZh: '农牧通 已审核农产品市场价格',
    generatedOn: facts.date,
    dataAsOf: facts.dataAsOf ?? null,
    rows: facts.rows,
    dates: { first: facts.firstDate ?? null, last: facts.lastDate ?? null },
    licence: OPEN_DATA_LICENCE,
    order: 'Commodity by commodity (by id); within one, by date, then market, kind, grade, unit',
    files: {
      [openDataFiles.csv]: {
        format: 'CSV (RFC 4180), UTF-8 with BOM, CRLF line ends, a header row; gzip',
        importable: 'The template of POST /api/v1/prices/import: a file imports again as it is (once unzipped)',
        formulaGuard: 'A text cell starting with = + - or @ gets a leading apostrophe (the importer strips it)',
        columns,
      },
      [openDataFiles.jsonl]: {
        format: 'JSON Lines (one JSON object a line), UTF-8, LF line ends; gzip',
        same: 'The records of GET /api/v1/prices, in the same order as the CSV',
        fields: jsonFields,
      },
      [openDataFiles.sums]: {
        format: 'sha256sum: "<hex>  <file>" a line',
        of: 'The files as served (the .gz files compressed, as downloaded): `sha256sum -c SHA256SUMS`',
      },
    },
    codes: {
      commodity: { list: '/api/v1/commodities', description: 'Ids with names in Tibetan, Chinese and English' },
      market: {
        list: '/api/v1/markets',
        description: 'Ids with names, the region (regionId) and province (XZ, QH, YN, SC)',
      },
      region: {
        list: '/api/v1/regions',
        description:
          'Prefectures and counties; gbcode is the GB/T 2260 administrative division code (prefectures end in 00)',
      },
      unit: {
        list: '/api/v1/units',
        description: 'Ids with names, dimension (mass, volume, count …) and perBase (size in kg, l …)',
      },
      kind: { values: ['wholesale', 'retail', 'farm_gate'] },
    },
    publisher: 'Zhingdrok (ཞིང་འབྲོག 农牧通), open source: the same data is at /api/v1/prices',
    schedule:
      'Daily, an hour after the price digest (19:00 Asia/Shanghai by default): open-data/<YYYY-MM-DD>/ and open-data/latest/',
  };
}

/** The dictionary for people: the same facts as dictionary.json, as Markdown. */
export function readme(facts: SnapshotFacts): string {
  const d = dataDictionary(facts);
  const table = (rows: ReadonlyArray<{ name: string; type: string; description: string; unit?: string }>) =>
    [
      '| column | type | unit | meaning |',
      '|---|---|---|---|',
      ...rows.map((c) => `| ${c.name} | ${c.type} | ${c.unit ?? ''} | ${c.description.replaceAll('|', '\\|')} |`),
    ].join('\n');
  return [
    `# ${d.title}`,
    '',
    `${d.titleZh}`,
    '',
    `Snapshot of ${facts.date} (Asia/Shanghai): ${facts.rows} approved prices${facts.firstDate ? `, dated ${facts.firstDate} to ${facts.lastDate}` : ''}${facts.dataAsOf ? `; the newest approval at ${facts.dataAsOf}` : ''}.`,
    '',
    `Licence: [${OPEN_DATA_LICENCE.name}](${OPEN_DATA_LICENCE.url}) (${OPEN_DATA_LICENCE.id}). Attribution: "${OPEN_DATA_LICENCE.attribution}".`,
    '',
    '## Files',
    '',
    `- \`${openDataFiles.csv}\`: ${d.files[openDataFiles.csv].format}. ${d.files[openDataFiles.csv].importable}.`,
    `- \`${openDataFiles.jsonl}\`: ${d.files[openDataFiles.jsonl].format}. ${d.files[openDataFiles.jsonl].same}.`,
    `- \`${openDataFiles.dictionary}\`: this dictionary as JSON.`,
    `- \`${openDataFiles.sums}\`: SHA-256 of the other files as served (the .gz compressed): \`sha256sum -c ${openDataFiles.sums}\`.`,
    '',
    `Order: ${d.order}.`,
    '',
    '## CSV columns',
    '',
    table(columns),
    '',
    '## JSON Lines fields',
    '',
    table(jsonFields),
    '',
    '## Codes',
    '',
    `- commodity: ${d.codes.commodity.list} — ${d.codes.commodity.description}`,
    `- market: ${d.codes.market.list} — ${d.codes.market.description}`,
    `- region: ${d.codes.region.list} — ${d.codes.region.description}`,
    `- unit: ${d.codes.unit.list} — ${d.codes.unit.description}`,
    '- kind: wholesale, retail, farm_gate',
    '',
    `Schedule: ${d.schedule}.`,
    '',
  ].join('\n');
}

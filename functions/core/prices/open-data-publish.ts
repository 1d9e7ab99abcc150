/**
 * The daily `open-data` job: every approved price, walked commodity by commodity a page at a
 * time (Queries, never a Scan: open-data.ts), compressed as it is read into the CSV and the JSON
 * Lines files, then written with the dictionary and SHA256SUMS to the public bucket under
 * `open-data/<YYYY-MM-DD>/` and again under `open-data/latest/`.
 *
 * Idempotent: the files are a function of the data and the day (open-data-export.ts), so a retry
 * or a rerun of the same day writes the same keys with the same bytes. SHA256SUMS is written
 * last in each folder, and the snapshot's record (what the /open-data page lists) after both
 * folders: a reader never finds sums that name files not yet written.
 */
import { shanghaiDay } from '../dates.ts';
import { everyApprovedPrice, type OpenDataDeps } from './open-data.ts';
import {
  dataDictionary,
  gzipWriter,
  LATEST,
  type OpenDataFileName,
  openDataFiles,
  openDataKey,
  openPriceCsvLine,
  openPriceCsvStart,
  openPriceJsonLine,
  readme,
  type SnapshotFacts,
  sha256,
  sha256sums,
} from './open-data-export.ts';

/** How a file is served: set on the object, so S3 (and CloudFront) answer with it. */
export interface PublicFileMeta {
  contentType: string;
  cacheControl: string;
  /** `attachment; filename=…` for the downloads. */
  contentDisposition?: string;
}

/** The public bucket's open-data/ folder (adapters/s3/public-files.ts). */
export interface OpenDataFiles {
  put(key: string, body: Uint8Array, meta: PublicFileMeta): Promise<void>;
}

export interface OpenDataFileEntry {
  name: OpenDataFileName;
  bytes: number;
  sha256: string;
}

/** The newest snapshot, as the /open-data page lists it. */
export interface OpenDataSnapshot {
  date: string;
  rows: number;
  dataAsOf?: string;
  files: OpenDataFileEntry[];
}

/** Where the newest snapshot's list is kept for the page (one table item: adapters/dynamodb/open-data-snapshots.ts). */
export interface OpenDataSnapshots {
  latest(): Promise<OpenDataSnapshot | undefined>;
  record(snapshot: OpenDataSnapshot): Promise<void>;
}

export interface OpenDataPublishDeps extends Pick<OpenDataDeps, 'catalog' | 'openPrices'> {
  openDataFiles: OpenDataFiles;
  openDataSnapshots: OpenDataSnapshots;
  log: (entry: Record<string, unknown>) => void;
}

/**
 * When the open-data snapshot runs: an hour after the digest (HH:MM, Asia/Shanghai; 18:00 → 19:00),
 * so the day's last approvals the digest announced are in it. EventBridge Scheduler
 * (infra/constructs/scheduled-jobs.ts) and the local timer (functions/local/scheduler.ts) alike.
 */
export function openDataTime(digestTime: string): string {
  const [h, m] = digestTime.split(':').map(Number) as [number, number];
  return `${String((h + 1) % 24).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** Rows read per page of the walk. */
const PAGE = 500;
/** A dated folder is rewritten only by a same-day rerun, with the same data nearly always: caches keep it long. */
const DATED_CACHE = 'public, max-age=2592000';
/** latest/ changes daily: caches revalidate within minutes of a run. */
const LATEST_CACHE = 'public, max-age=300';

/**
 * `.gz` files are served as `application/gzip` downloads, not with Content-Encoding: gzip: a
 * browser or curl would then decode them on the fly, the saved file would not match its
 * SHA256SUMS line, and a `.gz` name would hold plain text.
 */
const typeOf: Record<OpenDataFileName, string> = {
  [openDataFiles.csv]: 'application/gzip',
  [openDataFiles.jsonl]: 'application/gzip',
  [openDataFiles.dictionary]: 'application/json; charset=utf-8',
  [openDataFiles.readme]: 'text/markdown; charset=utf-8',
  [openDataFiles.sums]: 'text/plain; charset=utf-8',
};

export interface OpenDataReport {
  date: string;
  rows: number;
  files: OpenDataFileEntry[];
}

/** Writes the snapshot of the Asia/Shanghai day of `at`. */
export async function publishOpenData(deps: OpenDataPublishDeps, at: Date): Promise<OpenDataReport> {
  const date = shanghaiDay(at);
  const page = await everyApprovedPrice(deps);
  const csv = gzipWriter();
  const jsonl = gzipWriter();
  await csv.write(openPriceCsvStart);
  let rows = 0;
  let dataAsOf: string | undefined;
  let firstDate: string | undefined;
  let lastDate: string | undefined;
  let cursor: string | undefined;
  do {
    const got = await page({ limit: PAGE, ...(cursor ? { cursor } : {}) });
    if (got.items.length) {
      await Promise.all([
        csv.write(got.items.map(openPriceCsvLine).join('')),
        jsonl.write(got.items.map(openPriceJsonLine).join('')),
      ]);
    }
    for (const r of got.items) {
      rows += 1;
      if (r.reviewedAt && (!dataAsOf || r.reviewedAt > dataAsOf)) dataAsOf = r.reviewedAt;
      if (!firstDate || r.date < firstDate) firstDate = r.date;
      if (!lastDate || r.date > lastDate) lastDate = r.date;
    }
    cursor = got.cursor;
  } while (cursor);
  const facts: SnapshotFacts = { date, rows, dataAsOf, firstDate, lastDate };
  const [csvFile, jsonlFile] = await Promise.all([csv.finish(), jsonl.finish()]);
  const text = (s: string) => Buffer.from(s, 'utf8');
  const bodies: Array<[OpenDataFileName, Buffer]> = [
    [openDataFiles.csv, csvFile.bytes],
    [openDataFiles.jsonl, jsonlFile.bytes],
    [openDataFiles.dictionary, text(`${JSON.stringify(dataDictionary(facts), null, 2)}\n`)],
    [openDataFiles.readme, text(readme(facts))],
  ];
  const entries = bodies.map(([name, bytes]) => ({ name, bytes: bytes.length, sha256: sha256(bytes) }));
  const sums = text(sha256sums(entries));
  bodies.push([openDataFiles.sums, sums]);
  entries.push({ name: openDataFiles.sums, bytes: sums.length, sha256: sha256(sums) });

  for (const [folder, cacheControl] of [
    [date, DATED_CACHE],
    [LATEST, LATEST_CACHE],
  ] as const) {
    // SHA256SUMS last (it is last in `bodies`): its lines name files already there.
    for (const [name, bytes] of bodies) {
      await deps.openDataFiles.put(openDataKey(folder, name), bytes, {
        contentType: typeOf[name],
        cacheControl,
        ...(name.endsWith('.gz') ? { contentDisposition: `attachment; filename="zhingdrok-${date}-${name}"` } : {}),
      });
    }
  }
  await deps.openDataSnapshots.record({ date, rows, ...(dataAsOf ? { dataAsOf } : {}), files: entries });
  deps.log({ level: 'info', msg: 'open data published', date, rows });
  return { date, rows, files: entries };
}

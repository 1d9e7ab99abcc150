/**
 * A price history of a given size on a persistent local stack (dynalite on LevelDB), cached
 * between bench runs under `.bench-data/prices-<size>/` (ignored by git). A marker file holding
 * the dataset version and counts is written last, so a rerun with the marker skips loading and
 * an interrupted load is started again from an empty directory.
 *
 * Items are built with the key functions of keys.ts in the shapes DynamoPriceRepository.publish
 * writes (an OBS# item with its gsi2 market·date attributes per observation, one LATEST# row per
 * item carrying its newest value) and written with BatchWriteItem, 25 at a time, several batches
 * in flight, unprocessed items retried. Submission (SUBM#) items are not written: no read path
 * measured here touches them.
 *
 * Spread: every seeded commodity at every seeded market; retail, wholesale and farm-gate for each,
 * plus two grades (retail) for the graded goods; weekly observations going back from a fixed
 * date, as many weeks as the size needs (1,000,000 → about eleven years).
 *
 * CLI (to load ahead of a bench run): `node --import tsx test/bench/price-dataset.ts 10000 1000000`
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { approvedPriceKey, latestPriceKey, marketObservationIndex } from '#adapters/dynamodb/keys.ts';
import type { DynamoPriceRepository } from '#adapters/dynamodb/price-repository.ts';
import { type LocalConfig, loadConfig } from '#config';
import type { PriceKind } from '#core/prices/observation.ts';
import type { PriceRecord } from '#core/prices/ports.ts';
import seedData from '#core/reference/seed-data.json' with { type: 'json' };
import { ALL_REGIONS } from '#core/staff/roles.ts';
import { type LocalStack, startLocalStack } from '#local/stack.ts';

/** Bump when the generated items change: a cached directory of another version is rebuilt. */
export const DATASET_VERSION = 1;
export const DATASET_TABLE = 'zhingdrok-bench-prices';
/** The newest observation date of every item (fixed, so a cached dataset stays the same). */
export const NEWEST_DATE = '2026-11-20';
const COLLECTOR = '+8613900000001';
const REVIEWER = '+8613800000000';

const repoRoot = new URL('../../', import.meta.url).pathname;
export const datasetDir = (size: number) => join(repoRoot, '.bench-data', `prices-${size}`);
const markerPath = (size: number) => join(datasetDir(size), 'dataset.json');

export interface DatasetMarker {
  version: number;
  observations: number;
  items: number;
  latestRows: number;
  loadMs: number;
  itemsPerSec: number;
  loadedAt: string;
}

/** One priced item at one market (an observation identity without its date). */
export interface BenchItem {
  commodityId: string;
  marketId: string;
  regionId: string;
  kind: PriceKind;
  grade?: string;
  unit: string;
  /** Base price in fen. */
  base: number;
  /** How many weekly observations this item gets. */
  dates: number;
}

/** Goods the bureaus quote by grade (two grades each, retail). */
const GRADED = new Set(['butter', 'tsampa', 'cordyceps', 'barley_qingke', 'yak_meat', 'sheep_wool']);
const GRADES = ['一级', '二级'];
const KINDS: PriceKind[] = ['retail', 'wholesale', 'farm_gate'];
const kindFactor: Record<PriceKind, number> = { retail: 1, wholesale: 0.85, farm_gate: 0.7 };

/** A stable small hash, so prices differ by item without randomness between runs. */
function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** The items, in a fixed order, each with its share of `observations`. */
export function benchItems(observations: number): BenchItem[] {
  const items: Omit<BenchItem, 'dates'>[] = [];
  for (const c of seedData.commodities) {
    const base = 200 + (hash(c.id) % 5000) * (c.defaultUnit === 'head' ? 100 : 1);
    for (const m of seedData.markets) {
      const regionId = m.regionId ?? ALL_REGIONS;
      const at = { commodityId: c.id, marketId: m.id, regionId, unit: c.defaultUnit };
      for (const kind of KINDS) items.push({ ...at, kind, base: Math.round(base * kindFactor[kind]) });
      if (GRADED.has(c.id)) {
        for (const [g, grade] of GRADES.entries())
          items.push({ ...at, kind: 'retail', grade, base: Math.round(base * (1.2 - 0.2 * g)) });
      }
    }
  }
  const per = Math.floor(observations / items.length);
  const extra = observations % items.length;
  return items.map((item, j) => ({ ...item, dates: per + (j < extra ? 1 : 0) }));
}

const dayMs = 86_400_000;
const newestDay = Date.parse(`${NEWEST_DATE}T00:00:00Z`) / dayMs;
const dateOf = (weeksBack: number) => new Date((newestDay - 7 * weeksBack) * dayMs).toISOString().slice(0, 10);

/** The approved record of `item`'s observation `weeksBack` weeks before the newest date. */
export function benchRecord(item: BenchItem, weeksBack: number): PriceRecord {
  const date = dateOf(weeksBack);
  // A seasonal wave and a slow drift around the base: plausible, deterministic, never ≤ 0.
  const phase = hash(`${item.commodityId}|${item.marketId}`) % 52;
  const priceFen = Math.max(
    1,
    Math.round(item.base * (1 + 0.15 * Math.sin(((weeksBack + phase) / 52) * 2 * Math.PI) - 0.002 * weeksBack * 0.1)),
  );
  return {
    commodityId: item.commodityId,
    marketId: item.marketId,
    date,
    priceFen,
    unit: item.unit,
    ...(item.grade ? { grade: item.grade } : {}),
    kind: item.kind,
    source: 'bench dataset',
    collector: COLLECTOR,
    regionId: item.regionId,
    submittedAt: `${date}T02:00:00.000Z`,
    status: 'approved',
    reviewedBy: REVIEWER,
    reviewedAt: `${date}T03:00:00.000Z`,
    version: 1,
  };
}

/** The stored domain fields, in the order DynamoPriceRepository writes them. */
const value = (r: PriceRecord) => ({
  commodityId: r.commodityId,
  marketId: r.marketId,
  date: r.date,
  priceFen: r.priceFen,
  unit: r.unit,
  ...(r.grade ? { grade: r.grade } : {}),
  kind: r.kind,
  source: r.source,
  collector: r.collector,
  regionId: r.regionId,
  submittedAt: r.submittedAt,
  status: 'approved',
  reviewedBy: r.reviewedBy,
  reviewedAt: r.reviewedAt,
});

/** An approved value as publish() stores it (OBS#, with the market·date gsi2 attributes). */
export const observationItem = (r: PriceRecord) => ({
  ...approvedPriceKey(r),
  ...marketObservationIndex(r),
  type: 'price',
  ...value(r),
  version: 1,
  submissionVersion: 1,
});

/** The latest row of an item as publish() stores it (LATEST#, no gsi2). */
export const latestItem = (r: PriceRecord) => ({
  ...latestPriceKey(r),
  type: 'latest_price',
  ...value(r),
  version: 1,
  submissionVersion: 1,
});

/** Every item to write: each item's observations, newest first, then its latest row. */
function* allItems(items: BenchItem[]): Generator<Record<string, unknown>> {
  for (const item of items) {
    for (let w = 0; w < item.dates; w++) yield observationItem(benchRecord(item, w));
    if (item.dates > 0) yield latestItem(benchRecord(item, 0));
  }
}

/** BatchWriteItem, 25 items a request, `inFlight` requests at a time, unprocessed items retried. */
async function writeAll(
  db: DynamoDBDocumentClient,
  tableName: string,
  items: Iterable<Record<string, unknown>>,
  total: number,
  progress: (done: number) => void,
  inFlight = 6,
) {
  const source = items[Symbol.iterator]();
  let done = 0;
  let lastReport = 0;
  const nextBatch = () => {
    const batch: Record<string, unknown>[] = [];
    for (let r = source.next(); !r.done; r = source.next()) {
      batch.push(r.value);
      if (batch.length === 25) break;
    }
    return batch;
  };
  const worker = async () => {
    for (let batch = nextBatch(); batch.length; batch = nextBatch()) {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 20 * 2 ** attempt)));
        if (attempt > 12)
          throw new Error(`BatchWriteItem: ${pending.length} items still unprocessed after ${attempt} attempts`);
        const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
        pending = (res.UnprocessedItems?.[tableName] ?? []) as typeof pending;
      }
      done += batch.length;
      if (done - lastReport >= 50_000 || done === total) {
        lastReport = done;
        progress(done);
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
}

export interface PriceDataset {
  size: number;
  stack: LocalStack;
  tableName: string;
  marker: DatasetMarker;
  /** True when this call loaded the data (false: the cached directory was used). */
  loaded: boolean;
  items: BenchItem[];
  close(): Promise<void>;
}

const configFor = (size: number): LocalConfig => {
  const config = loadConfig({
    APP_MODE: 'local',
    DATA_DIR: datasetDir(size),
    TABLE_NAME: DATASET_TABLE,
    BUCKET_NAME: 'zhingdrok-bench',
    ADMIN_PHONES: REVIEWER,
    LOG_LEVEL: 'error',
  });
  if (config.APP_MODE !== 'local') throw new Error('bench datasets are local');
  return config;
};

function readMarker(size: number): DatasetMarker | undefined {
  try {
    const marker = JSON.parse(readFileSync(markerPath(size), 'utf8')) as DatasetMarker;
    return marker.version === DATASET_VERSION && marker.observations === size ? marker : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens the dataset of `size` observations on its persistent stack, loading it first when the
 * directory holds no complete dataset of this version. The caller closes it.
 */
export async function openPriceDataset(size: number, log: (msg: string) => void = () => {}): Promise<PriceDataset> {
  const items = benchItems(size);
  let marker = readMarker(size);
  if (!marker && existsSync(datasetDir(size))) {
    log(`prices: ${datasetDir(size)} holds no complete dataset v${DATASET_VERSION} of ${size}; rebuilding it`);
    rmSync(datasetDir(size), { recursive: true, force: true });
  }
  mkdirSync(datasetDir(size), { recursive: true });
  const stack = await startLocalStack(configFor(size), {});
  // The app's log lines would go to stdout, which carries the bench report.
  stack.deps.log = () => {};
  const db = (stack.deps.prices as unknown as { db: DynamoDBDocumentClient }).db;
  let loaded = false;
  try {
    if (!marker) {
      const latestRows = items.filter((i) => i.dates > 0).length;
      const total = size + latestRows;
      log(`prices: loading ${size} observations (+${latestRows} latest rows) into ${datasetDir(size)}…`);
      const t0 = performance.now();
      await writeAll(db, DATASET_TABLE, allItems(items), total, (done) => {
        const s = (performance.now() - t0) / 1000;
        log(
          `prices: ${done}/${total} items written, ${s.toFixed(0)} s, ${Math.round(done / s)} items/s, rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MB`,
        );
      });
      const loadMs = performance.now() - t0;
      marker = {
        version: DATASET_VERSION,
        observations: size,
        items: items.length,
        latestRows,
        loadMs: Math.round(loadMs),
        itemsPerSec: Math.round(total / (loadMs / 1000)),
        loadedAt: new Date().toISOString(),
      };
      loaded = true;
    }
    await checkRoundTrip(stack, items);
    if (loaded) writeFileSync(markerPath(size), `${JSON.stringify(marker, null, 2)}\n`);
  } catch (err) {
    await stack.close();
    throw err;
  }
  const done = marker;
  return { size, stack, tableName: DATASET_TABLE, marker: done, loaded, items, close: () => stack.close() };
}

/**
 * Shape check: a loaded item reads back through the repository's own history, latest and
 * market·date (gsi2) queries as the record it was built from (so the bench measures the real layout).
 */
export async function checkRoundTrip(stack: LocalStack, items: BenchItem[]): Promise<void> {
  const item = items.find((i) => i.grade && i.dates > 1) ?? items.find((i) => i.dates > 1) ?? items[0]!;
  const repo = stack.deps.prices as DynamoPriceRepository;
  const page = await repo.history(
    item.commodityId,
    item.marketId,
    { kind: item.kind, unit: item.unit, ...(item.grade ? { grade: item.grade } : {}) },
    { limit: 2, newestFirst: true },
  );
  const expected = [benchRecord(item, 0), benchRecord(item, 1)].slice(0, item.dates);
  const strip = (r: PriceRecord) =>
    JSON.stringify(Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b))));
  if (page.items.map(strip).join() !== expected.map(strip).join()) {
    throw new Error(
      `dataset item does not round-trip through DynamoPriceRepository.history: got ${JSON.stringify(page.items)}, expected ${JSON.stringify(expected)}`,
    );
  }
  const latest = await repo.latestForCommodity(item.commodityId, 200);
  const mine = latest.find(
    (r) => r.marketId === item.marketId && r.kind === item.kind && r.grade === item.grade && r.unit === item.unit,
  );
  if (!mine || strip(mine) !== strip(benchRecord(item, 0)))
    throw new Error(`dataset latest row does not round-trip through latestForCommodity: ${JSON.stringify(mine)}`);
  // The gsi2 attributes: the market's bulletin of that day finds the observation.
  const day = await repo.approvedAtMarketOn(item.marketId, NEWEST_DATE);
  const onDay = day.find(
    (r) => r.commodityId === item.commodityId && r.kind === item.kind && r.grade === item.grade && r.unit === item.unit,
  );
  if (!onDay || strip(onDay) !== strip(benchRecord(item, 0)))
    throw new Error(
      `dataset item is not found through the market·date index (approvedAtMarketOn): ${JSON.stringify(onDay)}`,
    );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const sizes = process.argv.slice(2).map(Number);
  if (!sizes.length || sizes.some((n) => !Number.isInteger(n) || n <= 0)) {
    console.error('usage: node --import tsx test/bench/price-dataset.ts <observations>…');
    process.exit(2);
  }
  for (const size of sizes) {
    const ds = await openPriceDataset(size, (msg) => console.error(`[price-dataset] ${msg}`));
    console.error(`[price-dataset] ${size}: ${ds.loaded ? 'loaded' : 'cached'} — ${JSON.stringify(ds.marker)}`);
    await ds.close();
  }
}

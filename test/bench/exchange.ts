/**
 * The exchange's figures, each beside a baseline from the same run:
 *
 * 1. Matching a new offer against N open offers (all commodities, all 74 TAR counties): the
 *    DynamoDB requests that find its matches (counted by a middleware on the store's own
 *    client: real requests to dynalite), and its time in process (p50), at 1,000 and 100,000.
 * 2. FIND: the requests of the service's FIND at both sizes, and of the whole SMS pipeline
 *    answering `FIND BARLEY` (claims, counters, subscriber and replies included) beside PRICE's.
 * 3. The `/market?commodity=…` page at 1,000 open offers of that commodity, HTML gzip, beside
 *    the same page for a commodity with none.
 *
 * Offers are written straight into the table in the store's own item layout (listingItem), in
 * batches: 100,000 through the use-cases would take minutes and measure nothing of matching.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoExchangeStore, listingItem } from '#adapters/dynamodb/exchange-store.ts';
import type { Listing } from '#core/exchange/listing.ts';
import { findMatches } from '#core/exchange/nearest.ts';
import { regionLevels } from '#core/exchange/places.ts';
import { mapLimited } from '#core/limited.ts';
import type { Catalog } from '#core/reference/catalog.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestServer } from '#test/support/server.ts';
import type { TestStack } from '#test/support/stack.ts';
import { getRaw } from './page-weight.ts';
import { type Figure, figure } from './report.ts';
import { percentile, seededRandom } from './stats.ts';

export interface ExchangeBenchOptions {
  sizes: [number, number];
  /** New offers matched per size. */
  samples: number;
}

const DAY_MS = 86_400_000;
const n = (v: number) => v.toLocaleString('en-US');

export interface Universe {
  commodities: Array<{ id: string; unit: string }>;
  counties: string[];
}

export function universe(catalog: Catalog): Universe {
  const commodities = [...catalog.commodities.values()].map((c) => ({
    id: c.id,
    unit: c.defaultUnit && catalog.units?.get(c.defaultUnit)?.dimension !== 'volume' ? c.defaultUnit : 'kg',
  }));
  const counties = [...catalog.regions.values()].filter((r) => r.level === 'county').map((r) => r.id);
  return { commodities, counties };
}

/** One random open offer: any commodity, any county, either side, quantities and prices that often match. */
export function randomOffer(u: Universe, catalog: Catalog, rnd: () => number, i: number, now: number): Listing {
  const commodity = u.commodities[Math.floor(rnd() * u.commodities.length)]!;
  const county = u.counties[Math.floor(rnd() * u.counties.length)]!;
  const side = rnd() < 0.5 ? 'sell' : 'buy';
  const created = new Date(now - Math.floor(rnd() * 13 * DAY_MS)).toISOString();
  return {
    code: `L${100000 + i}`,
    side,
    commodityId: commodity.id,
    quantity: 10 + Math.floor(rnd() * 500),
    unitId: commodity.unit,
    priceFen: rnd() < 0.2 ? null : 300 + Math.floor(rnd() * 300),
    regionId: county,
    ...regionLevels(catalog, county),
    ownerPhone: `+86137${String(10_000_000 + (i % 50_000)).padStart(8, '0')}`,
    status: 'open',
    vouched: true,
    holdReasons: [],
    reports: 0,
    source: `bench:${i}`,
    createdAt: created,
    publishedAt: created,
    expiresAt: new Date(Date.parse(created) + 14 * DAY_MS).toISOString(),
    updatedAt: created,
    version: 1,
  };
}

export async function seed(db: DynamoDBDocumentClient, tableName: string, listings: Listing[]) {
  const batches: Listing[][] = [];
  for (let i = 0; i < listings.length; i += 25) batches.push(listings.slice(i, i + 25));
  await mapLimited(batches, 8, async (batch) => {
    let pending: Array<Record<string, unknown>> = batch.map((l) => ({ PutRequest: { Item: listingItem(l) } }));
    while (pending.length) {
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (res.UnprocessedItems?.[tableName] as Array<Record<string, unknown>> | undefined) ?? [];
    }
  });
}

interface SizeResult {
  size: number;
  matchRequestsMax: number;
  matchP50: number;
  matchP90: number;
  matchesFound: number;
  findRequestsMax: number;
}

async function measureSize(
  stack: TestStack,
  size: number,
  samples: number,
  log: (m: string) => void,
): Promise<SizeResult> {
  const catalog = await stack.deps.catalog();
  const u = universe(catalog);
  const rnd = seededRandom(size);
  const now = Date.now();
  const counting = countingDocumentClient(stack);
  const t0 = performance.now();
  await seed(
    counting.db,
    stack.tableName,
    Array.from({ length: size }, (_, i) => randomOffer(u, catalog, rnd, i, now)),
  );
  log(`exchange: ${n(size)} open offers written in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const store = new DynamoExchangeStore(counting.db, stack.tableName);
  const at = new Date(now);
  const times: number[] = [];
  let matchRequestsMax = 0;
  let matchesFound = 0;
  // Warm-up: the client's connections, dynalite's first reads.
  for (let i = 0; i < 20; i++) await findMatches(store, catalog, randomOffer(u, catalog, rnd, size + i, now), at);
  for (let i = 0; i < samples; i++) {
    const offer = randomOffer(u, catalog, rnd, size + 100 + i, now);
    counting.requests = 0;
    const start = performance.now();
    const found = await findMatches(store, catalog, offer, at);
    times.push(performance.now() - start);
    matchRequestsMax = Math.max(matchRequestsMax, counting.requests);
    matchesFound += found.length;
  }
  // FIND through the service, counted on the stack's own client.
  const stackDb = (stack.deps.prices as unknown as { db: DynamoDBDocumentClient }).db;
  let stackRequests = 0;
  stackDb.middlewareStack.add(
    (next) => async (args) => {
      stackRequests += 1;
      return next(args);
    },
    { step: 'initialize', name: `benchCountExchange${size}` },
  );
  let findRequestsMax = 0;
  for (let i = 0; i < 50; i++) {
    const offer = randomOffer(u, catalog, rnd, size + 10_000 + i, now);
    stackRequests = 0;
    await stack.deps.exchange.find(
      { phone: '+8613600000001', messageId: `bench:find:${i}`, homeRegionId: offer.regionId, language: 'en' },
      { side: offer.side, commodityId: offer.commodityId },
    );
    findRequestsMax = Math.max(findRequestsMax, stackRequests);
  }
  return {
    size,
    matchRequestsMax,
    matchP50: percentile(times, 50),
    matchP90: percentile(times, 90),
    matchesFound,
    findRequestsMax,
  };
}

/** Requests of the whole SMS pipeline for one message (after a first one warmed the number and the catalog). */
async function pipelineRequests(stack: TestStack, text: string): Promise<number> {
  const db = (stack.deps.prices as unknown as { db: DynamoDBDocumentClient }).db;
  let requests = 0;
  const name = `benchPipeline${Math.random()}`;
  db.middlewareStack.add(
    (next) => async (args) => {
      requests += 1;
      return next(args);
    },
    { step: 'initialize', name },
  );
  const phone = '+8613600000002';
  const send = (messageId: string) =>
    stack.deps.handleInbound({ gateway: 'bench', messageId, from: phone, text, receivedAt: new Date().toISOString() });
  await send(`warm-${name}`);
  requests = 0;
  await send(`count-${name}`);
  db.middlewareStack.remove(name);
  return requests;
}

export async function exchangeSection(
  options: ExchangeBenchOptions,
  log: (m: string) => void,
): Promise<{ figures: Figure[]; notes: string[] }> {
  const results: SizeResult[] = [];
  const figures: Figure[] = [];
  const notes: string[] = [];
  let smsFind = 0;
  let smsPrice = 0;
  for (const size of options.sizes) {
    const server = await startTestServer();
    try {
      results.push(await measureSize(server.stack, size, options.samples, log));
      if (size === options.sizes[1]) {
        smsFind = await pipelineRequests(server.stack, 'FIND BARLEY');
        smsPrice = await pipelineRequests(server.stack, 'PRICE BARLEY');
      }
    } finally {
      await server.close();
    }
  }
  const [small, large] = results as [SizeResult, SizeResult];
  const at = (r: SizeResult) => `at ${n(r.size)} open offers`;
  figures.push(
    figure({
      group: 'exchange',
      name: `matching a new offer: DynamoDB requests (max) ${at(large)}`,
      value: large.matchRequestsMax,
      unit: 'count',
      baseline: { name: at(small), value: small.matchRequestsMax },
      target: { of: 'value', op: '<=', limit: 3 },
    }),
    figure({
      group: 'exchange',
      name: `matching a new offer: p50 in process ${at(large)}`,
      value: large.matchP50,
      unit: 'ms',
      baseline: { name: `p50 ${at(small)}`, value: small.matchP50 },
      target: { of: 'value', op: '<=', limit: 15 },
    }),
    figure({
      group: 'exchange',
      name: `matching: p50 ${at(large)} ÷ p50 ${at(small)}`,
      value: large.matchP50,
      unit: 'ms',
      baseline: { name: `p50 ${at(small)}`, value: small.matchP50 },
      target: { of: 'ratio', op: '<=', limit: 1.3 },
    }),
    figure({
      group: 'exchange',
      name: `FIND: DynamoDB requests (max) ${at(large)}`,
      value: large.findRequestsMax,
      unit: 'count',
      baseline: { name: at(small), value: small.findRequestsMax },
      target: { of: 'value', op: '<=', limit: 3 },
    }),
  );
  if (smsFind)
    figures.push(
      figure({
        group: 'exchange',
        name: 'SMS FIND BARLEY, whole pipeline: DynamoDB requests',
        value: smsFind,
        unit: 'count',
        baseline: { name: 'SMS PRICE BARLEY, whole pipeline', value: smsPrice },
        note: 'claims, counters, subscriber and the reply included; the offers themselves are the FIND figure',
      }),
    );
  notes.push(
    `exchange: ${options.samples} new offers matched per size; p90 ${large.matchP90.toFixed(2)} ms ${at(large)} ` +
      `(${small.matchP90.toFixed(2)} ms ${at(small)}); ${large.matchesFound} matches found ${at(large)}`,
  );
  return { figures, notes };
}

/** The market page of one commodity with 1,000 open offers of it, beside a commodity with none. */
export async function marketPageSection(): Promise<{ figures: Figure[]; notes: string[] }> {
  const server = await startTestServer();
  try {
    const stack = server.stack;
    const catalog = await stack.deps.catalog();
    const rnd = seededRandom(7);
    const now = Date.now();
    const u = universe(catalog);
    const offers = Array.from({ length: 1000 }, (_, i) => ({
      ...randomOffer(u, catalog, rnd, i, now),
      commodityId: 'butter',
      unitId: 'jin',
      side: 'sell' as const,
    }));
    const db = (stack.deps.prices as unknown as { db: DynamoDBDocumentClient }).db;
    await seed(db, stack.tableName, offers);
    const weigh = async (path: string) => {
      const page = await getRaw(new URL(path, server.url).href);
      if (page.status !== 200) throw new Error(`${path}: ${page.status}`);
      return page.encoding === 'gzip'
        ? page.wireBytes
        : (await import('node:zlib')).gzipSync(page.body, { level: 9 }).length;
    };
    const figures: Figure[] = [];
    for (const lang of ['bo', 'zh', 'en']) {
      const full = await weigh(`/market?commodity=butter&side=sell&lang=${lang}`);
      const empty = await weigh(`/market?commodity=cordyceps&side=sell&lang=${lang}`);
      figures.push(
        figure({
          group: 'exchange',
          name: `/market?commodity=butter (${lang}), 1,000 open offers: HTML gzip`,
          value: full / 1024,
          unit: 'KB',
          baseline: { name: 'the same page, a commodity with none', value: empty / 1024 },
          target: { of: 'value', op: '<=', limit: 14 },
        }),
      );
    }
    return { figures, notes: [] };
  } finally {
    await server.close();
  }
}

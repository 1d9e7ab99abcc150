/**
 * Open data: approved prices read by commodity, by market, by both, or all of them,
 * in a date range, page by page — what GET /prices and GET /prices.csv answer. Every read is a
 * Query (OpenPriceReader); "everything" walks the commodities one after another.
 *
 * - commodity and market: one item's history, as before (the commodity's usual unit and retail
 *   unless unit, kind or grade say otherwise) — `historyReader`;
 * - commodity only: that commodity at every market, every kind, grade and unit (or the ones asked);
 * - market only: every commodity at that market;
 * - neither: every commodity at every market, commodity by commodity (by id).
 */
import { AppError, priceDetail, validationFailed } from '../errors.ts';
import type { Page, PageRequest } from '../paging.ts';
import type { Catalog } from '../reference/catalog.ts';
import { resolve } from '../reference/resolve.ts';
import type { Commodity, Market } from '../reference/schemas.ts';
import type { PriceKind } from './observation.ts';
import type { OpenPriceReader, OpenPriceRequest, PriceRecord, PriceRepository } from './ports.ts';
import { historyReader } from './reads.ts';

export interface OpenDataDeps {
  catalog: () => Promise<Catalog>;
  prices: PriceRepository;
  openPrices: OpenPriceReader;
}

export interface OpenDataFilters {
  commodity?: string | undefined;
  market?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  unit?: string | undefined;
  kind?: PriceKind | undefined;
  grade?: string | undefined;
}

export interface OpenDataReader {
  commodity: Commodity | undefined;
  market: Market | undefined;
  page(request: PageRequest): Promise<Page<PriceRecord>>;
}

/** Partition reads one page of the walk over every commodity may take. */
const MAX_READS_PER_PAGE = 40;

/** The cursor of the walk over every commodity: the commodity being read and the position in it (the store's own cursor). */
const walkCursor = (commodityId: string, inner: string | undefined) =>
  Buffer.from(JSON.stringify([commodityId, inner ?? null])).toString('base64url');

function readWalkCursor(cursor: string, commodityIds: string[]): { index: number; inner: string | undefined } {
  try {
    if (!/^[A-Za-z0-9_-]{1,1500}$/.test(cursor)) throw new Error('charset');
    const [id, inner] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    const index = commodityIds.indexOf(id as string);
    if (index >= 0 && (inner === null || typeof inner === 'string')) return { index, inner: inner ?? undefined };
  } catch {
    // falls through: not one of ours
  }
  throw new AppError('invalid_cursor');
}

/** Names resolved (400 with the closest names), the range checked, and a reader of pages for whichever filters were given. */
export async function openDataReader(deps: OpenDataDeps, filters: OpenDataFilters): Promise<OpenDataReader> {
  if (filters.commodity !== undefined && filters.market !== undefined) {
    const { commodity, market, page } = await historyReader(deps, {
      ...filters,
      commodity: filters.commodity,
      market: filters.market,
    });
    return { commodity, market, page };
  }
  const catalog = await deps.catalog();
  const commodity = filters.commodity !== undefined ? resolve(catalog, 'commodity', filters.commodity) : undefined;
  const market = filters.market !== undefined ? resolve(catalog, 'market', filters.market) : undefined;
  if (filters.from && filters.to && filters.from > filters.to) {
    throw validationFailed([
      priceDetail('from', 'range_reversed', 'from is after to', { from: filters.from, to: filters.to }),
    ]);
  }
  const item = {
    ...(filters.kind ? { kind: filters.kind } : {}),
    ...(filters.unit ? { unit: filters.unit } : {}),
    ...(filters.grade ? { grade: filters.grade } : {}),
  };
  const base: Omit<OpenPriceRequest, 'limit'> = {
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
    ...(Object.keys(item).length ? { item } : {}),
  };
  const request = (page: PageRequest): OpenPriceRequest => ({
    ...base,
    limit: page.limit,
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });

  if (commodity) return { commodity, market, page: (page) => deps.openPrices.ofCommodity(commodity.id, request(page)) };
  if (market) return { commodity, market, page: (page) => deps.openPrices.atMarket(market.id, request(page)) };

  return { commodity, market, page: walkEveryCommodity(deps, catalog, request) };
}

/**
 * Everything: commodity after commodity (by id), each a Query of its own partition, until the
 * page is full — GET /prices without filters, and the daily open-data snapshot.
 */
export async function everyApprovedPrice(
  deps: Pick<OpenDataDeps, 'catalog' | 'openPrices'>,
): Promise<OpenDataReader['page']> {
  const request = (p: PageRequest): OpenPriceRequest => ({ limit: p.limit, ...(p.cursor ? { cursor: p.cursor } : {}) });
  return walkEveryCommodity(deps, await deps.catalog(), request);
}

function walkEveryCommodity(
  deps: Pick<OpenDataDeps, 'openPrices'>,
  catalog: Catalog,
  request: (page: PageRequest) => OpenPriceRequest,
): OpenDataReader['page'] {
  const ids = [...catalog.commodities.keys()].sort();
  return async (page) => {
    let { index, inner } = page.cursor
      ? readWalkCursor(page.cursor, ids)
      : { index: 0, inner: undefined as string | undefined };
    const items: PriceRecord[] = [];
    // Bounded work per page (an empty commodity costs one Query): a sparse walk answers a short page and a cursor.
    for (let reads = 0; reads < MAX_READS_PER_PAGE && index < ids.length && items.length < page.limit; reads += 1) {
      const got = await deps.openPrices.ofCommodity(
        ids[index]!,
        request({ limit: page.limit - items.length, ...(inner ? { cursor: inner } : {}) }),
      );
      items.push(...got.items);
      if (got.cursor) {
        inner = got.cursor;
        if (items.length < page.limit) continue; // a filter left this page short: read on in the same commodity
      } else {
        index += 1;
        inner = undefined;
      }
    }
    const cursor = index < ids.length ? walkCursor(ids[index]!, inner) : undefined;
    return { items, ...(cursor ? { cursor } : {}) };
  };
}

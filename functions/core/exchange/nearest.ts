/**
 * Open offers nearest a place: the offer's county, then its prefecture, then anywhere — one
 * key-condition Query per level, at most three, stopping as soon as enough are found. Matching
 * a new offer and FIND both read through here, so that neither ever reads all offers.
 */
import type { Catalog } from '../reference/catalog.ts';
import { type Listing, otherSide, type Side } from './listing.ts';
import { byNearness, compatible } from './matching.ts';
import type { ExchangeStore, OpenScope } from './ports.ts';

/** Open offers read per level (one Query each). */
export const CANDIDATES_PER_LEVEL = 50;
/** Matches one new offer may notify. */
export const MATCH_LIMIT = 3;

/** Levels to look through, nearest first. */
export const levelsOf = (l: Pick<Listing, 'countyId' | 'prefectureId'>): OpenScope[] => [
  ...(l.countyId ? [{ level: 'county' as const, regionId: l.countyId }] : []),
  ...(l.prefectureId ? [{ level: 'prefecture' as const, regionId: l.prefectureId }] : []),
  { level: 'all' as const },
];

/** Open and not past its end (the sweep may not have run yet). */
export const isOpenAt = (l: Listing, at: Date): boolean => l.status === 'open' && l.expiresAt > at.toISOString();

/**
 * Up to `limit` open offers of `side` and the commodity nearest `home` that `accept` takes,
 * nearest first, then newest.
 */
export async function nearestOpen(
  store: Pick<ExchangeStore, 'open'>,
  query: { side: Side; commodityId: string; home: Pick<Listing, 'countyId' | 'prefectureId'>; limit: number },
  accept: (l: Listing) => boolean,
  at: Date,
): Promise<Listing[]> {
  const found = new Map<string, Listing>();
  for (const scope of levelsOf(query.home)) {
    const page = await store.open({
      side: query.side,
      commodityId: query.commodityId,
      scope,
      page: { limit: CANDIDATES_PER_LEVEL },
    });
    for (const l of page.items) if (isOpenAt(l, at) && accept(l)) found.set(l.code, l);
    if (found.size >= query.limit) break;
  }
  return [...found.values()].sort(byNearness(query.home)).slice(0, query.limit);
}

/** The open offers that answer `listing` (matching.ts's rules), nearest first: at most three Queries. */
export function findMatches(
  store: Pick<ExchangeStore, 'open'>,
  catalog: Pick<Catalog, 'units'>,
  listing: Listing,
  at: Date,
): Promise<Listing[]> {
  return nearestOpen(
    store,
    { side: otherSide(listing.side), commodityId: listing.commodityId, home: listing, limit: MATCH_LIMIT },
    (other) => compatible(catalog, listing, other),
    at,
  );
}

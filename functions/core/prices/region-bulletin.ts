/**
 * A region's price bulletin (GET /prices/summary?region=): the bulletin of every market in the
 * region and the regions under it (`marketBulletin`, one per market), added up — how many items
 * went up, down or stayed flat across the region, with each market's own counts and date, and
 * every item with its market. For a date, every market's bulletin of that date; without one,
 * each market's latest date with prices (so a market that reports weekly still counts).
 */

import { shanghaiDay } from '../dates.ts';
import { mapLimited } from '../limited.ts';
import { type Catalog, regionsUnder } from '../reference/catalog.ts';
import { resolveRegion } from '../reference/resolve.ts';
import type { Market, Region } from '../reference/schemas.ts';
import { type Bulletin, type BulletinDeps, type Compare, checkDate, marketBulletin } from './bulletin.ts';

/** Markets read at once: each is a few Queries, and a region has a few dozen markets at most. */
const PARALLEL_MARKETS = 4;

export interface RegionBulletin {
  region: Region;
  /** The date asked for; undefined when each market's latest date was used. */
  date: string | undefined;
  compare: Compare;
  up: number;
  down: number;
  flat: number;
  /** Every market in the region and under it, by id, with its own bulletin (date undefined: no price yet). */
  markets: Bulletin[];
}

/** The markets of a region and of every region under it, by id. */
export function marketsUnder(catalog: Catalog, regionId: string): Market[] {
  const regions = new Set(regionsUnder(catalog, regionId));
  return [...catalog.markets.values()]
    .filter((m) => !!m.regionId && regions.has(m.regionId))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
}

export async function regionBulletin(
  deps: BulletinDeps,
  input: { region: string; date?: string | undefined; compare?: Compare | undefined },
): Promise<RegionBulletin> {
  const catalog = await deps.catalog();
  const region = resolveRegion(catalog, input.region);
  if (input.date !== undefined) checkDate(input.date, shanghaiDay(deps.now()));
  const compare = input.compare ?? 'previous';
  const markets = marketsUnder(catalog, region.id);
  const bulletins = await mapLimited(markets, PARALLEL_MARKETS, (m) =>
    marketBulletin(deps, { market: m.id, date: input.date, compare }),
  );
  const total = (k: 'up' | 'down' | 'flat') => bulletins.reduce((n, b) => n + b.summary[k], 0);
  return {
    region,
    date: input.date,
    compare,
    up: total('up'),
    down: total('down'),
    flat: total('flat'),
    markets: bulletins,
  };
}

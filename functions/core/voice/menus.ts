/**
 * The commodity menu: the caller's followed commodities (their `price:<id>` topics) first,
 * then those most asked on the line, then the price sheet's order, up to `menuItems`; key 1 is
 * the first. Any commodity is also reachable by its two-digit number on the village price sheet.
 */
import type { Catalog } from '../reference/catalog.ts';
import type { AskCounters } from './ports.ts';
import { sheetNumbers } from './speech/sheet-numbers.ts';

/** The most-asked counts change slowly; one read per this long serves every call. */
const COUNTS_TTL_MS = 10 * 60_000;

export interface CommodityMenus {
  menu(topics: readonly string[], catalog: Catalog, items: number): Promise<string[]>;
}

export function createCommodityMenus(deps: { counters: Pick<AskCounters, 'all'>; now: () => Date }): CommodityMenus {
  let cached: { at: number; counts: Promise<Record<string, number>> } | undefined;
  const counts = () => {
    const at = deps.now().getTime();
    if (!cached || at - cached.at > COUNTS_TTL_MS || at < cached.at) {
      const read = deps.counters.all();
      cached = { at, counts: read };
      // A failed read is not kept: the next call reads again.
      read.catch(() => {
        if (cached?.counts === read) cached = undefined;
      });
    }
    return cached.counts;
  };
  return {
    async menu(topics, catalog, items) {
      const known = (id: string) => catalog.commodities.has(id);
      const followed = topics.filter((t) => t.startsWith('price:')).map((t) => t.slice('price:'.length));
      const asked = Object.entries(await counts().catch(() => ({}) as Record<string, number>))
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([id]) => id);
      const bySheet = Object.entries(sheetNumbers)
        .sort((a, b) => a[1] - b[1])
        .map(([id]) => id);
      const out: string[] = [];
      for (const id of [...followed, ...asked, ...bySheet]) {
        if (out.length >= items) break;
        if (known(id) && !out.includes(id)) out.push(id);
      }
      return out;
    },
  };
}

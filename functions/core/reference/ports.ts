/** What the reference data (commodities, regions, markets, units) needs from a store. */
import type { Page, PageRequest } from '../paging.ts';
import type { Commodity, Market, ReferenceData, Region, Unit } from './schemas.ts';

export type SeedState = 'empty' | 'outdated' | 'current';

export interface ReferenceRepository {
  listCommodities(page: PageRequest): Promise<Page<Commodity>>;
  getCommodity(id: string): Promise<Commodity | undefined>;
  listRegions(page: PageRequest & { parentId?: string }): Promise<Page<Region>>;
  getRegion(id: string): Promise<Region | undefined>;
  listMarkets(page: PageRequest & { regionId?: string }): Promise<Page<Market>>;
  getMarket(id: string): Promise<Market | undefined>;
  listUnits(): Promise<Unit[]>;
  /** Writes every item; safe to repeat (puts are idempotent, versions only move forward). */
  seed(data: ReferenceData): Promise<{ written: number }>;
  /** True when no reference data has been written yet. */
  isEmpty(): Promise<boolean>;
  /** Whether the store was last seeded with exactly this data ('outdated': another, e.g. before a new glossary). */
  seedState(data: ReferenceData): Promise<SeedState>;
  /**
   * Sets (or, with null, clears) how many days a commodity's latest price stays current. The
   * item becomes a person's edit, so a later seed leaves it alone. Undefined for an unknown id.
   */
  setCommodityStaleDays(id: string, staleDays: number | null, editedBy: string): Promise<Commodity | undefined>;
}

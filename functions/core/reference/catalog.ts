import { createMatcher, type Matcher } from '../text/matcher.ts';
import type { ReferenceRepository } from './ports.ts';
import type { Commodity, Language, Market, Names, Region, Term, Unit } from './schemas.ts';

/** Everything the SMS parser needs to know about names, indexed once. */
export interface Catalog {
  matcher: Matcher;
  regions: Map<string, Region>;
  commodities: Map<string, Commodity>;
  markets: Map<string, Market>;
  terms: Map<string, Term>;
  /** Units by id, for naming a price's unit in a reply (absent in catalogs built without them). */
  units?: Map<string, Unit>;
}

/** Regions nest prefecture → county → town; the cap only stops a corrupt cycle of parent links. */
const MAX_REGION_DEPTH = 10;

/**
 * Whether a region is `ancestor` or lies under it, by the catalog's parent links (no reads).
 *
 * @example isWithin(catalog, 'cty_lhasa_lhunzhub', 'pref_lhasa') // true
 */
export function isWithin(
  catalog: Pick<Catalog, 'regions'>,
  regionId: string | null | undefined,
  ancestor: string,
): boolean {
  for (let id = regionId ?? null, hops = 0; id && hops < MAX_REGION_DEPTH; hops++) {
    if (id === ancestor) return true;
    id = catalog.regions.get(id)?.parentId ?? null;
  }
  return false;
}

/**
 * A region and every region under it (a prefecture's counties and their towns), the region
 * first; just the id when the catalog does not know it.
 */
export function regionsUnder(catalog: Pick<Catalog, 'regions'>, regionId: string): string[] {
  return [regionId, ...[...catalog.regions.keys()].filter((id) => id !== regionId && isWithin(catalog, id, regionId))];
}

/** A name for running text in a language; Tibetan falls back to Chinese when it has none. */
export const nameIn = (names: Names, lang: Language) => names[lang] || names.zh || names.en;

/**
 * The reference data from the store, indexed for matching and cached for a few minutes
 * (it changes rarely; a warm Lambda should not re-read it per SMS). SMS keywords (terms)
 * ship with the code and are given only where SMS are read (`smsTerms()`), so the http Lambda
 * does not carry them.
 */
export function createCatalog(
  reference: ReferenceRepository,
  options: { terms?: readonly Term[]; ttlMs?: number; now?: () => number } = {},
) {
  const { terms = [], ttlMs = 5 * 60_000, now = () => Date.now() } = options;
  let cached: { at: number; catalog: Promise<Catalog> } | undefined;
  const load = async (): Promise<Catalog> => {
    const all = { limit: 200 };
    const [commodities, regions, markets, units] = await Promise.all([
      reference.listCommodities(all),
      reference.listRegions(all),
      reference.listMarkets(all),
      reference.listUnits(),
    ]);
    return {
      // Units too: SELL reads a quantity's unit by its names in every script (20 rgya ma, 20斤).
      matcher: createMatcher({
        commodities: commodities.items,
        regions: regions.items,
        markets: markets.items,
        units,
        terms,
      }),
      regions: new Map(regions.items.map((r) => [r.id, r])),
      commodities: new Map(commodities.items.map((c) => [c.id, c])),
      markets: new Map(markets.items.map((m) => [m.id, m])),
      terms: new Map(terms.map((t) => [t.id, t])),
      units: new Map(units.map((u) => [u.id, u])),
    };
  };
  const get = (): Promise<Catalog> => {
    if (!cached || now() - cached.at > ttlMs) {
      const catalog = load();
      cached = { at: now(), catalog };
      catalog.catch(() => (cached = undefined));
    }
    return cached.catalog;
  };
  /** Drops the cached catalog: the next call reads the reference data again (after an edit). */
  get.invalidate = () => {
    cached = undefined;
  };
  return get;
}

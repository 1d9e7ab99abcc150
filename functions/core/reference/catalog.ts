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
      matcher: createMatcher({ commodities: commodities.items, regions: regions.items, markets: markets.items, terms }),
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

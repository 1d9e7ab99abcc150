/**
 * The catalog the SMS pipeline builds (core/reference/catalog.ts), made straight from the
 * committed seed, for pure tests of replies and digests without a store.
 */
import type { Catalog } from '#core/reference/catalog.ts';
import { referenceSeed } from '#core/reference/seed.ts';
import { createMatcher } from '#core/text/matcher.ts';

export function seedCatalog(): Catalog {
  const { commodities, regions, markets, units, terms } = referenceSeed();
  return {
    matcher: createMatcher({ commodities, regions, markets, units, terms }),
    regions: new Map(regions.map((r) => [r.id, r])),
    commodities: new Map(commodities.map((c) => [c.id, c])),
    markets: new Map(markets.map((m) => [m.id, m])),
    terms: new Map(terms.map((t) => [t.id, t])),
    units: new Map(units.map((u) => [u.id, u])),
  };
}

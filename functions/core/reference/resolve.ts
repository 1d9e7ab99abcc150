/**
 * Names → ids: a commodity, market or region as a person or a form wrote it (its id, or any of
 * its names in any script), found in the catalog; unknown or ambiguous → 400 with a translated
 * detail naming the closest ones.
 */
import { priceDetail, validationFailed } from '../errors.ts';
import { type Catalog, nameIn } from './catalog.ts';
import type { Commodity, Market, Region } from './schemas.ts';

type Kind = 'commodity' | 'market';

/** How a suggested item is named in an error: every script, then the id a form or CSV can use. */
const label = (item: { id: string; names: Commodity['names'] }) =>
  `${item.names.bo} / ${nameIn(item.names, 'zh')} / ${item.names.en} (${item.id})`;

/** A commodity or market by id or any of its names; unknown or ambiguous → 400 with the closest names. */
export function resolve(catalog: Catalog, kind: 'commodity', text: string): Commodity;
export function resolve(catalog: Catalog, kind: 'market', text: string): Market;
export function resolve(catalog: Catalog, kind: Kind, text: string): Commodity | Market {
  const byId = kind === 'commodity' ? catalog.commodities.get(text) : catalog.markets.get(text);
  if (byId) return byId;
  const hits = catalog.matcher.match(text, { kinds: [kind] });
  const ids = [...new Set(hits.map((h) => h.item.id))];
  if (ids.length === 1) return hits[0]!.item as Commodity | Market;
  if (ids.length > 1) {
    const names = ids.map((id) => label(hits.find((h) => h.item.id === id)!.item as Commodity)).join('; ');
    throw validationFailed([
      priceDetail(kind, `ambiguous_${kind}`, `“${text}” names several: ${names}`, { text, names }),
    ]);
  }
  const suggestions = catalog.matcher.suggest(text, { kinds: [kind], limit: 5 });
  const names = [...new Map(suggestions.map((s) => [s.item.id, label(s.item as Commodity)])).values()].join('; ');
  throw validationFailed([
    names
      ? priceDetail(kind, `unknown_${kind}_suggest`, `Unknown ${kind} “${text}”; did you mean: ${names}`, {
          text,
          names,
        })
      : priceDetail(kind, `unknown_${kind}`, `Unknown ${kind} “${text}”`, { text }),
  ]);
}

/** A region by id or by a name that names only it; else 400 with a translated detail. */
export function resolveRegion(catalog: Catalog, text: string): Region {
  const byId = catalog.regions.get(text);
  if (byId) return byId;
  const ids = [...new Set(catalog.matcher.match(text, { kinds: ['region'] }).map((h) => h.item.id))];
  const found = ids.length === 1 ? catalog.regions.get(ids[0]!) : undefined;
  if (found) return found;
  throw validationFailed([priceDetail('region', 'unknown_region', `Unknown region “${text}”`, { text })]);
}

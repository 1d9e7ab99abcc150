/**
 * Where an offer is, at the levels search and matching widen through: its county, then its
 * prefecture, then anywhere (TAR: 7 prefectures, 74 counties; a town lies in a county).
 */
import type { Catalog } from '../reference/catalog.ts';

/** Regions nest prefecture → county → town; the cap only stops a corrupt cycle of parent links. */
const MAX_DEPTH = 10;

export interface RegionLevels {
  countyId?: string;
  prefectureId?: string;
}

/**
 * The county and prefecture a region lies in (or is), by the catalog's parent links.
 *
 * @example regionLevels(catalog, 'cty_lhasa_lhunzhub') // { countyId: 'cty_lhasa_lhunzhub', prefectureId: 'pref_lhasa' }
 */
export function regionLevels(catalog: Pick<Catalog, 'regions'>, regionId: string | undefined): RegionLevels {
  const out: RegionLevels = {};
  for (let id = regionId, hops = 0; id && hops < MAX_DEPTH; hops++) {
    const region = catalog.regions.get(id);
    if (!region) break;
    if (region.level === 'county') out.countyId ??= region.id;
    if (region.level === 'prefecture') out.prefectureId ??= region.id;
    id = region.parentId ?? undefined;
  }
  return out;
}

/**
 * How near a place is to another: 0 the same county, 1 the same prefecture, 2 elsewhere (or
 * unknown). Orders search results and matches.
 */
export function distance(a: RegionLevels, b: RegionLevels): 0 | 1 | 2 {
  if (a.countyId && a.countyId === b.countyId) return 0;
  if (a.prefectureId && a.prefectureId === b.prefectureId) return 1;
  return 2;
}

/**
 * Every key formula of the single table, as pure functions. The README's access-pattern
 * table points here; nothing else builds a key string.
 *
 * @example referenceKey('commodity', 'butter') // { pk: 'REF#commodity', sk: 'butter' }
 */
import type { ReferenceKind } from '#core/reference/schemas.ts';

export interface Key {
  pk: string;
  sk: string;
}

/** One reference item (commodity, region, market, unit). */
export const referenceKey = (kind: ReferenceKind, id: string): Key => ({ pk: referencePartition(kind), sk: id });

/** All items of one reference kind live in one partition: small, read together, cached. */
export const referencePartition = (kind: ReferenceKind): string => `REF#${kind}`;

/** gsi1: the regions directly under a parent region. */
export const regionChildrenIndex = (parentId: string) => ({ gsi1pk: `REGION#${parentId}#CHILDREN` });

/** gsi1: the markets in a region. */
export const marketsInRegionIndex = (regionId: string) => ({ gsi1pk: `REGION#${regionId}#MARKETS` });

/** Written last by a seed run, so its presence means the reference data is complete. */
export const seedMarkerKey = (name: string): Key => ({ pk: 'META', sk: `seed#${name}` });

/**
 * Which offers answer each other: pure rules, so that matching, FIND and the tests agree.
 * Quantities and prices are compared per kilogram (mass units) or per head/piece (count units)
 * through the reference units (core/prices/units.ts); volume units (khal, bre) have no fixed
 * weight and compare only with the same unit.
 */
import { baseUnitOf, fenPerBase, type UnitFacts } from '../prices/units.ts';
import type { Catalog } from '../reference/catalog.ts';
import { type Listing, otherSide } from './listing.ts';
import { distance } from './places.ts';

/**
 * Below this share of the larger quantity an offer is too small to be worth a notice (a
 * buyer of 500 jin hears of a seller of 200 jin, not of one with 2 jin).
 */
export const MIN_QUANTITY_SHARE = 0.1;

type UnitTable = Pick<Catalog, 'units'>;

const unitOf = (catalog: UnitTable, unitId: string): UnitFacts | undefined => catalog.units?.get(unitId);

/** The quantity in base units (kg or head), or undefined when the unit has no fixed size. */
export function baseQuantity(catalog: UnitTable, listing: Pick<Listing, 'quantity' | 'unitId'>): number | undefined {
  const unit = unitOf(catalog, listing.unitId);
  if (!unit || baseUnitOf(unit) === undefined || unit.perBase === null) return undefined;
  return listing.quantity * unit.perBase;
}

/** The price per base unit in fen; undefined when negotiable or not comparable. */
export function basePrice(catalog: UnitTable, listing: Pick<Listing, 'priceFen' | 'unitId'>): number | undefined {
  if (listing.priceFen === null) return undefined;
  return fenPerBase(listing.priceFen, unitOf(catalog, listing.unitId));
}

/** Two offers are in comparable units: the same unit, or units of one dimension with a fixed size. */
export function comparableUnits(catalog: UnitTable, a: string, b: string): boolean {
  if (a === b) return true;
  const ua = baseUnitOf(unitOf(catalog, a));
  return ua !== undefined && ua === baseUnitOf(unitOf(catalog, b));
}

/**
 * Whether `b` answers `a`: the other side, the same commodity, quantities comparable, and the
 * price compatible (the bid at or above the ask, or either negotiable).
 *
 * @example compatible(catalog, buy500jinAt4_5, sell200jinAt4_2) // true
 */
export function compatible(catalog: UnitTable, a: Listing, b: Listing): boolean {
  if (b.side !== otherSide(a.side) || a.commodityId !== b.commodityId || a.ownerPhone === b.ownerPhone) return false;
  if (!comparableUnits(catalog, a.unitId, b.unitId)) return false;
  const same = a.unitId === b.unitId;
  const qa = same ? a.quantity : baseQuantity(catalog, a);
  const qb = same ? b.quantity : baseQuantity(catalog, b);
  if (qa === undefined || qb === undefined || qa <= 0 || qb <= 0) return false;
  if (Math.min(qa, qb) < MIN_QUANTITY_SHARE * Math.max(qa, qb)) return false;
  if (a.priceFen === null || b.priceFen === null) return true;
  const pa = same ? a.priceFen : basePrice(catalog, a);
  const pb = same ? b.priceFen : basePrice(catalog, b);
  if (pa === undefined || pb === undefined) return false;
  const [bid, ask] = a.side === 'buy' ? [pa, pb] : [pb, pa];
  return bid >= ask;
}

/** Nearest first (county, prefecture, anywhere), then newest, then by code: the same order every time. */
export function byNearness(home: Pick<Listing, 'countyId' | 'prefectureId'>) {
  return (a: Listing, b: Listing): number =>
    distance(home, a) - distance(home, b) || b.createdAt.localeCompare(a.createdAt) || a.code.localeCompare(b.code);
}

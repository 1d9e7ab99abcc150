import type { Unit } from '../reference/schemas.ts';

/** The facts of a unit that price comparison needs (from the reference data, never hard-coded). */
export type UnitFacts = Pick<Unit, 'dimension' | 'perBase'>;

/** What a comparable price is per: a kilogram for mass units, one head or piece for count units. */
export type BaseUnit = 'kg' | 'each';

export function baseUnitOf(unit: UnitFacts | undefined): BaseUnit | undefined {
  if (!unit || unit.perBase === null || !(unit.perBase > 0)) return undefined;
  if (unit.dimension === 'mass') return 'kg';
  if (unit.dimension === 'count') return 'each';
  return undefined;
}

/**
 * A positive decimal number (as the reference data writes it: 0.5, 0.05, 1) as an exact
 * fraction of integers, from its shortest decimal spelling, so that 0.05 is 5/100 and not the
 * binary float nearest to it.
 */
function toFraction(x: number): { num: bigint; den: bigint } {
  const match = /^(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/u.exec(String(x));
  if (!match) throw new RangeError(`not a positive decimal: ${x}`);
  const fraction = match[2] ?? '';
  const exponent = Number(match[3] ?? '0') - fraction.length;
  const mantissa = BigInt(`${match[1]}${fraction}`);
  return exponent >= 0
    ? { num: mantissa * 10n ** BigInt(exponent), den: 1n }
    : { num: mantissa, den: 10n ** BigInt(-exponent) };
}

/**
 * The price per kilogram (mass units) or per head/piece (count units) of a price given per
 * `unit`, in integer fen rounded half up; undefined when the unit is unknown or cannot be
 * compared (volume units such as khal and bre have no fixed weight).
 *
 * @example fenPerBase(450, { dimension: 'mass', perBase: 0.5 }) // 900 (4.50 a jin is 9.00 a kg)
 */
export function fenPerBase(fenPerUnit: number, unit: UnitFacts | undefined): number | undefined {
  if (!Number.isSafeInteger(fenPerUnit) || fenPerUnit < 0)
    throw new RangeError(`fen must be a non-negative integer, got ${fenPerUnit}`);
  if (!unit || baseUnitOf(unit) === undefined || unit.perBase === null) return undefined;
  const { num, den } = toFraction(unit.perBase);
  // fen / (num/den) = fen·den / num, rounded half up: floor((2·fen·den + num) / (2·num)).
  const fen = BigInt(fenPerUnit);
  return Number((2n * fen * den + num) / (2n * num));
}

import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { baseUnitOf, fenPerBase, type UnitFacts } from '#core/prices/units.ts';

// Unit facts as the seed data has them (functions/core/reference/seed-data.json).
const jin: UnitFacts = { dimension: 'mass', perBase: 0.5 };
const liang: UnitFacts = { dimension: 'mass', perBase: 0.05 };
const kg: UnitFacts = { dimension: 'mass', perBase: 1 };
const head: UnitFacts = { dimension: 'count', perBase: 1 };
const piece: UnitFacts = { dimension: 'count', perBase: 1 };
const khal: UnitFacts = { dimension: 'volume', perBase: null };
const bre: UnitFacts = { dimension: 'volume', perBase: null };

describe('fenPerBase', () => {
  test('jin = 0.5 kg: 4.50 a jin is 9.00 a kg', () => {
    assert.equal(fenPerBase(450, jin), 900);
    assert.equal(baseUnitOf(jin), 'kg');
  });

  test('liang = 0.05 kg, exactly (no float error)', () => {
    assert.equal(fenPerBase(3, liang), 60);
    assert.equal(fenPerBase(1_000_000_000, liang), 20_000_000_000);
  });

  test('kg, head and piece are their own base', () => {
    assert.equal(fenPerBase(1234, kg), 1234);
    assert.equal(fenPerBase(350_000, head), 350_000);
    assert.equal(fenPerBase(150, piece), 150);
    assert.equal(baseUnitOf(head), 'each');
  });

  test('rounds half up', () => {
    // 5 fen a 2 kg bag → 2.5 fen a kg → 3; 7 fen a 4 kg → 1.75 → 2; 5 fen a 4 kg → 1.25 → 1.
    assert.equal(fenPerBase(5, { dimension: 'mass', perBase: 2 }), 3);
    assert.equal(fenPerBase(7, { dimension: 'mass', perBase: 4 }), 2);
    assert.equal(fenPerBase(5, { dimension: 'mass', perBase: 4 }), 1);
    // A dozen: 100 fen / 12 = 8.33 → 8.
    assert.equal(fenPerBase(100, { dimension: 'count', perBase: 12 }), 8);
  });

  test('volume and unknown units are not comparable', () => {
    assert.equal(fenPerBase(450, khal), undefined);
    assert.equal(fenPerBase(450, bre), undefined);
    assert.equal(fenPerBase(450, undefined), undefined);
    assert.equal(baseUnitOf(khal), undefined);
    assert.equal(fenPerBase(450, { dimension: 'mass', perBase: null }), undefined);
  });

  test('rejects a non-integer price', () => {
    assert.throws(() => fenPerBase(4.5, kg), RangeError);
  });

  test('jin is always exactly twice, liang twenty times', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), (f) => {
        assert.equal(fenPerBase(f, jin), 2 * f);
        assert.equal(fenPerBase(f, liang), 20 * f);
      }),
    );
  });
});

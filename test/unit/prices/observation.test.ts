import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { shanghaiDay } from '#core/dates.ts';
import { checkObservationDate, observationIdentity, priceObservationSchema } from '#core/prices/observation.ts';

const valid = {
  commodityId: 'barley',
  marketId: 'lhasa',
  date: '2025-03-01',
  priceFen: 450,
  unit: 'jin',
  source: 'Lhasa price bureau',
  collector: '+8613800000000',
  status: 'pending',
  version: 1,
};

describe('priceObservationSchema', () => {
  test('accepts an observation and defaults kind to retail', () => {
    const parsed = priceObservationSchema.parse(valid);
    assert.equal(parsed.kind, 'retail');
    assert.equal(parsed.grade, undefined);
    assert.equal(priceObservationSchema.parse({ ...valid, kind: 'farm_gate', grade: ' 一级 ' }).grade, '一级');
  });

  test('rejects bad fields', () => {
    for (const bad of [
      { priceFen: 4.5 },
      { priceFen: 0 },
      { priceFen: -1 },
      { date: '2025-02-29' },
      { date: '2025-3-1' },
      { kind: 'black_market' },
      { status: 'maybe' },
      { collector: '13800000000' },
      { commodityId: '' },
      { grade: '  ' },
      { version: 0 },
    ]) {
      assert.equal(priceObservationSchema.safeParse({ ...valid, ...bad }).success, false, JSON.stringify(bad));
    }
  });
});

describe('observationIdentity', () => {
  const base = { commodityId: 'barley', marketId: 'lhasa', date: '2025-03-01', unit: 'jin' };

  test('is the same for a resubmission of the same item', () => {
    const key = observationIdentity(base);
    assert.equal(key, 'barley|lhasa|2025-03-01|retail||jin');
    assert.equal(observationIdentity({ ...base, kind: 'retail' }), key);
    assert.equal(observationIdentity({ ...base, grade: '' }), key);
    assert.equal(observationIdentity({ ...base, grade: '一级' }), observationIdentity({ ...base, grade: ' 一级 ' }));
  });

  test('differs when any part of the identity differs', () => {
    const keys = new Set([
      observationIdentity(base),
      observationIdentity({ ...base, commodityId: 'wheat' }),
      observationIdentity({ ...base, marketId: 'shigatse' }),
      observationIdentity({ ...base, date: '2025-03-02' }),
      observationIdentity({ ...base, kind: 'wholesale' }),
      observationIdentity({ ...base, grade: '一级' }),
      observationIdentity({ ...base, unit: 'kg' }),
      observationIdentity({ ...base, grade: 'a|b' }),
      observationIdentity({ ...base, grade: 'a', unit: 'b' }),
    ]);
    assert.equal(keys.size, 9);
  });

  test('a grade cannot forge the separator', () => {
    assert.notEqual(
      observationIdentity({ ...base, grade: 'x|jin' }),
      observationIdentity({ ...base, grade: 'x', unit: 'jin' }),
    );
  });
});

describe('checkObservationDate', () => {
  test('accepts today, the past and 2000-01-01', () => {
    assert.deepEqual(checkObservationDate('2025-03-01', '2025-03-01'), { ok: true });
    assert.deepEqual(checkObservationDate('2024-02-29', '2025-03-01'), { ok: true });
    assert.deepEqual(checkObservationDate('2000-01-01', '2025-03-01'), { ok: true });
  });

  test('rejects a future date, a date before 2000 and a non-date', () => {
    assert.deepEqual(checkObservationDate('2025-03-02', '2025-03-01'), { ok: false, reason: 'in_future' });
    assert.deepEqual(checkObservationDate('1999-12-31', '2025-03-01'), { ok: false, reason: 'before_2000' });
    assert.deepEqual(checkObservationDate('2025-02-29', '2025-03-01'), { ok: false, reason: 'invalid_date' });
    assert.deepEqual(checkObservationDate('01/03/2025', '2025-03-01'), { ok: false, reason: 'invalid_date' });
  });

  test('today is the Asia/Shanghai business date', () => {
    // 17:00 UTC on 27 November is already 28 November in Lhasa's official time.
    const today = shanghaiDay(new Date('2026-11-27T17:00:00Z'));
    assert.deepEqual(checkObservationDate('2026-11-28', today), { ok: true });
    assert.deepEqual(checkObservationDate('2026-11-29', today), { ok: false, reason: 'in_future' });
  });
});

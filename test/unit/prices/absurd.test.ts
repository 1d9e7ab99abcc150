import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { absurdHoldReason } from '#core/prices/absurd.ts';
import { describeHold } from '#core/prices/change.ts';

const units = new Map([
  ['jin', { dimension: 'mass' as const, perBase: 0.5 }],
  ['kg', { dimension: 'mass' as const, perBase: 1 }],
  ['liang', { dimension: 'mass' as const, perBase: 0.05 }],
  ['head', { dimension: 'count' as const, perBase: 1 }],
  ['piece', { dimension: 'count' as const, perBase: 1 }],
  ['khal', { dimension: 'volume' as const, perBase: null }],
]);

/** The check with no history of its own, against these latest prices of the commodity. */
const against = (
  priceFen: number,
  unit: string,
  latest: Array<{ priceFen: number; unit: string }>,
  own: number[] = [],
) => {
  let reads = 0;
  const result = absurdHoldReason({ priceFen, unit, own, units, commodityLatest: async () => (reads++, latest) });
  return result.then((reason) => ({ reason, reads }));
};

describe('absurdHoldReason', () => {
  test('the item’s own recent median wins; the commodity is not read then', async () => {
    const { reason, reads } = await against(5001, 'jin', [{ priceFen: 10, unit: 'jin' }], [480, 500, 520]);
    assert.equal(describeHold(reason!)?.key, 'errors:price.hold_above');
    assert.equal(reads, 0);
    assert.equal(
      (await against(900, 'jin', [{ priceFen: 10, unit: 'jin' }], [480, 500, 520])).reason,
      undefined,
      'in range of its own history',
    );
  });

  test('without history: compared per kg with the commodity elsewhere, whatever units they are in', async () => {
    // 4.00 a jin and 0.40 a liang are both 8.00 a kg; 85.00 a kg is over 10× that.
    const latest = [
      { priceFen: 400, unit: 'jin' },
      { priceFen: 40, unit: 'liang' },
      { priceFen: 800, unit: 'kg' },
    ];
    const { reason, reads } = await against(8500, 'kg', latest);
    assert.equal(reads, 1);
    assert.equal(
      reason,
      "Over 10× the median 8.00 per kg of this commodity's latest prices elsewhere (prices compared: 3)",
    );
    assert.deepEqual(describeHold(reason!), {
      key: 'errors:price.hold_others_above_kg',
      params: { median: '8.00', count: 3, factor: 10 },
    });
    assert.equal((await against(4000, 'jin', latest)).reason, undefined, '80.00 a kg is exactly 10×: not over');
    assert.equal(
      describeHold((await against(39, 'jin', latest)).reason!)?.key,
      'errors:price.hold_others_below_kg',
      '0.78 a kg is under a tenth',
    );
  });

  test('count units compare per head or piece, never with mass units; volume units with nothing', async () => {
    const latest = [
      { priceFen: 80_000, unit: 'head' },
      { priceFen: 1, unit: 'jin' },
    ];
    assert.equal(
      describeHold((await against(900_000, 'head', latest)).reason!)?.key,
      'errors:price.hold_others_above_each',
    );
    assert.equal((await against(90_000, 'head', latest)).reason, undefined);
    assert.equal(
      (await against(5000, 'jin', latest)).reason,
      "Over 10× the median 0.02 per kg of this commodity's latest prices elsewhere (prices compared: 1)",
    );
    assert.equal((await against(1_000_000, 'khal', [{ priceFen: 100, unit: 'khal' }])).reason, undefined);
    assert.equal((await against(1_000_000, 'kg', [])).reason, undefined, 'nothing elsewhere: nothing is absurd');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { bulletinDates } from '#core/prices/page-reads.ts';
import { seedCatalog } from '#test/support/sms-catalog.ts';

const market = seedCatalog().markets.get('mkt_lhasa_tromsikhang')!;

describe('bulletinDates', () => {
  // The store's answer: the newest dates with prices at a market, newest first.
  const stored = ['2026-03-09', '2026-03-02', '2026-02-23'];
  const prices = {
    asked: [] as Array<[string, number]>,
    async marketDates(marketId: string, limit: number) {
      this.asked.push([marketId, limit]);
      return stored.slice(0, limit);
    },
  };

  test('the market’s newest dates, 12 unless told', async () => {
    assert.deepEqual(await bulletinDates(prices, { market, date: '2026-03-09' }), stored);
    assert.deepEqual(prices.asked.at(-1), ['mkt_lhasa_tromsikhang', 12]);
    assert.deepEqual(await bulletinDates(prices, { market, date: '2026-03-09' }, 2), stored.slice(0, 2));
  });

  test('an older bulletin’s own date is listed too, in order', async () => {
    assert.deepEqual(await bulletinDates(prices, { market, date: '2025-12-01' }, 2), [
      '2026-03-09',
      '2026-03-02',
      '2025-12-01',
    ]);
    assert.deepEqual(await bulletinDates(prices, { market, date: '2026-03-05' }), [
      '2026-03-09',
      '2026-03-05',
      '2026-03-02',
      '2026-02-23',
    ]);
  });

  test('no bulletin, or a market with no price yet: nothing read beyond its dates', async () => {
    const before = prices.asked.length;
    assert.deepEqual(await bulletinDates(prices, undefined), []);
    assert.equal(prices.asked.length, before);
    assert.deepEqual(await bulletinDates({ marketDates: async () => [] }, { market, date: undefined }), []);
  });
});

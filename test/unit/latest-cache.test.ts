import assert from 'node:assert/strict';
import { test } from 'vitest';
import { LatestPriceCache } from '#adapters/dynamodb/latest-cache.ts';

function counting() {
  let loads = 0;
  return { load: async () => ++loads, loads: () => loads };
}

test('within the TTL a commodity is read once; after it, again', async () => {
  let now = 0;
  const cache = new LatestPriceCache<number>(5_000, () => now);
  const { load, loads } = counting();
  assert.equal(await cache.read('barley_qingke', 200, load), 1);
  now = 4_999;
  assert.equal(await cache.read('barley_qingke', 200, load), 1);
  assert.equal(loads(), 1);
  now = 5_000;
  assert.equal(await cache.read('barley_qingke', 200, load), 2);
});

test('each (commodity, limit) is its own entry; invalidating a commodity drops all of its limits only', async () => {
  const cache = new LatestPriceCache<number>(60_000, () => 0);
  const { load, loads } = counting();
  await cache.read('barley', 10, load);
  await cache.read('barley', 200, load);
  await cache.read('barley_qingke', 200, load);
  assert.equal(loads(), 3);
  cache.invalidate('barley');
  await cache.read('barley', 10, load);
  await cache.read('barley', 200, load);
  await cache.read('barley_qingke', 200, load);
  assert.equal(loads(), 5, 'barley read again; barley_qingke (same prefix) kept');
  cache.invalidate();
  await cache.read('barley_qingke', 200, load);
  assert.equal(loads(), 6);
});

test('a failed read is not kept; TTL 0 keeps nothing', async () => {
  const cache = new LatestPriceCache<number>(60_000, () => 0);
  await assert.rejects(cache.read('butter', 200, () => Promise.reject(new Error('store down'))));
  assert.equal(await cache.read('butter', 200, async () => 7), 7);
  const none = new LatestPriceCache<number>(0);
  const { load, loads } = counting();
  await none.read('butter', 200, load);
  await none.read('butter', 200, load);
  assert.equal(loads(), 2);
});

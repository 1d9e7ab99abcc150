import assert from 'node:assert/strict';
import { test } from 'vitest';
import { CachedReferenceRepository } from '#adapters/cached-reference.ts';
import type { ReferenceRepository } from '#core/reference/ports.ts';
import { referenceSeed } from '#core/reference/seed.ts';

/** A port implementation over the seed that counts reads (the cache is what is under test). */
function countingRepository() {
  const seed = referenceSeed();
  const calls: string[] = [];
  let fail = false;
  const repo: ReferenceRepository = {
    listCommodities: async () => (
      calls.push('list'), fail ? Promise.reject(new Error('down')) : { items: seed.commodities }
    ),
    getCommodity: async (id) => (calls.push(`get:${id}`), seed.commodities.find((c) => c.id === id)),
    listRegions: async () => (calls.push('regions'), { items: seed.regions }),
    getRegion: async (id) => seed.regions.find((r) => r.id === id),
    listMarkets: async () => ({ items: seed.markets }),
    getMarket: async (id) => seed.markets.find((m) => m.id === id),
    listUnits: async () => seed.units,
    seed: async () => (calls.push('seed'), { written: 0 }),
    isEmpty: async () => false,
    seedState: async () => 'current',
    setCommodityStaleDays: async (id, staleDays) => {
      calls.push(`stale:${id}`);
      const found = seed.commodities.find((c) => c.id === id);
      return found && { ...found, ...(staleDays === null ? {} : { staleDays }) };
    },
  };
  return { repo, calls, setFail: (v: boolean) => (fail = v) };
}

test('reads are served from memory within the TTL, read again after it, and cleared by a seed', async () => {
  let now = 0;
  const { repo, calls } = countingRepository();
  const cached = new CachedReferenceRepository(repo, 1000, () => now);
  await cached.listCommodities({ limit: 100 });
  await cached.listCommodities({ limit: 100 });
  await cached.getCommodity('butter');
  await cached.getCommodity('butter');
  assert.deepEqual(calls, ['list', 'get:butter']);
  await cached.listCommodities({ limit: 10 });
  assert.equal(calls.length, 3, 'another page size is another query');
  now = 1001;
  await cached.listCommodities({ limit: 100 });
  assert.equal(calls.at(-1), 'list');
  await cached.seed(referenceSeed());
  await cached.getCommodity('butter');
  assert.equal(calls.at(-1), 'get:butter');
});

test('a failed read is not cached', async () => {
  const { repo, calls, setFail } = countingRepository();
  const cached = new CachedReferenceRepository(repo);
  setFail(true);
  await assert.rejects(cached.listCommodities({ limit: 100 }), /down/);
  setFail(false);
  assert.equal((await cached.listCommodities({ limit: 100 })).items.length, referenceSeed().commodities.length);
  assert.equal(calls.filter((c) => c === 'list').length, 2);
});

test('an edit clears what was cached, so the next read sees it', async () => {
  const { repo, calls } = countingRepository();
  const cached = new CachedReferenceRepository(repo, 60_000, () => 0);
  await cached.getCommodity('barley_qingke');
  await cached.getCommodity('barley_qingke');
  assert.deepEqual(calls, ['get:barley_qingke']);
  await cached.setCommodityStaleDays('barley_qingke', 7, '+8613800000000');
  await cached.getCommodity('barley_qingke');
  assert.deepEqual(calls, ['get:barley_qingke', 'stale:barley_qingke', 'get:barley_qingke']);
});

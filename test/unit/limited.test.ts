import assert from 'node:assert/strict';
import { test } from 'vitest';
import { mapLimited } from '#core/limited.ts';

test('mapLimited keeps the order of its inputs and never has more than `limit` in flight', async () => {
  let running = 0;
  let most = 0;
  const out = await mapLimited([5, 1, 4, 2, 3, 0, 6], 3, async (n) => {
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, n));
    running--;
    return n * 10;
  });
  assert.deepEqual(out, [50, 10, 40, 20, 30, 0, 60]);
  assert.equal(most, 3);
  assert.deepEqual(await mapLimited([], 4, async () => 1), []);
});

test('mapLimited rejects with the first failure', async () => {
  await assert.rejects(
    mapLimited([1, 2, 3], 2, async (n) => {
      if (n === 2) throw new Error('two');
      return n;
    }),
    /two/,
  );
});

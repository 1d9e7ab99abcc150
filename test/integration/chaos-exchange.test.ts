/**
 * The quick form of `npm run chaos`'s an exchange matching burst (test/chaos/scenarios/exchange.ts): DynamoDB
 * throttling on 20 % of requests, the application side killed with SIGKILL at a drawn request
 * and rerun as AWS would; nothing duplicated, nothing lost, counted from the stores afterwards.
 * CHAOS_SEED=<seed> replays a run (the seed is printed).
 */
import { describe, expect, test } from 'vitest';
import { runScenario } from '#test/chaos/run.ts';
import { exchangeBurst } from '#test/chaos/scenarios/exchange.ts';

const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe('an exchange matching burst under throttling, killed and rerun', () => {
  test(`nothing duplicated, nothing lost (seed ${seed})`, async () => {
    const row = await runScenario(exchangeBurst, 'dynamodb', seed, true);
    console.log(JSON.stringify(row));
    expect(row.injected, 'faults were injected').toBeGreaterThan(0);
    expect(row.killedAt, 'the child was killed mid-way').not.toBe('-');
    expect({ duplicated: row.duplicated, lost: row.lost }, `seed ${seed}: ${row.notes.join('; ')}`).toEqual({
      duplicated: 0,
      lost: 0,
    });
    expect(row.completed + row.deadLettered).toBe(row.tried);
  });
});

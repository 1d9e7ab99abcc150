/**
 * Runs the one-off index backfills (today: the commodity index on approved prices, for open
 * data): a bounded slice per price sweep in AWS, all of it when the local stack starts. A
 * failure is logged and left for the next run, so it never stops the sweep's own work.
 */
import type { IndexBackfill } from './ports.ts';

/** Items examined per sweep (every 15 minutes): a few seconds of work. */
export const BACKFILL_BUDGET = 2_000;

export interface BackfillDeps {
  priceIndexBackfill?: IndexBackfill | undefined;
  log: (entry: Record<string, unknown>) => void;
}

export async function backfillIndexes(deps: BackfillDeps, budget = BACKFILL_BUDGET): Promise<void> {
  if (!deps.priceIndexBackfill) return;
  try {
    const { updated, done } = await deps.priceIndexBackfill.run(budget);
    if (updated || !done) deps.log({ level: 'info', msg: 'price index backfill', updated, done });
  } catch (err) {
    deps.log({ level: 'error', msg: 'price index backfill failed', error: String(err) });
  }
}

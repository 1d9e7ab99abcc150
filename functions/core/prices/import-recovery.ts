/**
 * Finishing CSV imports a crash interrupted: the store keeps each import's write plan
 * and journal before its first price write (functions/adapters/dynamodb/price-import.ts); this
 * finishes the unfinished ones — from the sweep job every 15 minutes in AWS, and when the local
 * stack starts — so that readers get the whole file, without the uploader sending it again.
 * Each finished import is audited (`price.import`, `finishedAfterCrash`) and logged.
 */
import { auditEntry } from '../staff/audit.ts';
import type { AuditLog } from '../staff/ports.ts';
import type { PriceImportStore } from './ports.ts';

/**
 * An import still unfinished this long after it started is abandoned (its process died): the
 * import Lambda's timeout is 29 s (API Gateway's limit). Younger ones may still be writing, and are left to finish.
 */
export const IMPORT_ABANDONED_AFTER_MS = 2 * 60_000;

export interface ImportRecoveryDeps {
  priceImport: Pick<PriceImportStore, 'finishUnfinished'>;
  audit: Pick<AuditLog, 'record'>;
  log: (entry: Record<string, unknown>) => void;
  now: () => Date;
}

/**
 * Finishes unfinished imports: abandoned ones (older than IMPORT_ABANDONED_AFTER_MS), or every
 * one with `all` (when no other process can be importing: the local stack at start, holding the
 * data-dir lock; `exclusive` when nothing else writes the store at all). Returns how many it
 * finished; throws after finishing the others when one could not be finished (so that the
 * sweep's retries and dead-letter alarm see it).
 *
 * @example await finishPriceImports(deps, { all: true })
 */
export async function finishPriceImports(
  deps: ImportRecoveryDeps,
  options: { all?: boolean; limit?: number; exclusive?: boolean } = {},
): Promise<number> {
  const startedBefore = options.all ? undefined : new Date(deps.now().getTime() - IMPORT_ABANDONED_AFTER_MS);
  const { finished, failed } = await deps.priceImport.finishUnfinished({
    ...(startedBefore ? { startedBefore } : {}),
    ...(options.limit ? { limit: options.limit } : {}),
    ...(options.exclusive ? { exclusive: true } : {}),
  });
  for (const j of finished) {
    deps.log({
      level: 'warn',
      msg: 'price import finished after a crash',
      importId: j.id,
      file: j.fileKey,
      actor: j.actor,
      rows: j.counts.rows,
      startedAt: j.startedAt,
    });
    await deps.audit.record(
      auditEntry(
        {
          actor: j.actor,
          action: 'price.import',
          target: j.fileKey,
          regions: j.regions,
          outcome: 'ok',
          detail: { ...j.counts, finishedAfterCrash: true, ...(j.fileName ? { fileName: j.fileName } : {}) },
        },
        deps.now(),
      ),
    );
  }
  for (const f of failed)
    deps.log({ level: 'error', msg: 'price import could not be finished', importId: f.id, error: f.error });
  if (failed.length)
    throw new Error(`${failed.length} price import(s) could not be finished: ${failed.map((f) => f.error).join('; ')}`);
  return finished.length;
}

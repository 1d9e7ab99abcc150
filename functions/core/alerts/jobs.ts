/**
 * The scheduled jobs, one entry for every runtime: EventBridge Scheduler → the jobs Lambda in
 * AWS, the in-process timer and POST /dev/jobs/<job> locally. Broadcasts add two: the minute
 * `broadcast-tick` (each active broadcast's next window) and `broadcast-run`, a broadcast's
 * one-time schedule (its input names the broadcast). The knowledge library adds two:
 * `question-escalate` (unanswered questions up the experts' ladder) and `upload-cleanup`
 * (attachment uploads never finished). Open data adds `open-data`: the daily snapshot of every
 * approved price in the public bucket (core/prices/open-data-publish.ts). A pull-and-push SMS
 * gateway adds `sms-reconcile`: statuses asked for messages whose delivery report never came
 * (adapters/sms/aliyun-reconcile.ts, wired only where the gateway is `aliyun`).
 */

import { isBroadcastId as isBroadcastIdText } from '../broadcasts/ids.ts';
import type { BroadcastService, RunReport } from '../broadcasts/service.ts';
import type { ExchangeService } from '../exchange/service.ts';
import type { AttachmentFiles } from '../knowledge/ports.ts';
import type { QuestionService } from '../knowledge/service.ts';
import { finishPriceImports, type ImportRecoveryDeps } from '../prices/import-recovery.ts';
import { backfillIndexes } from '../prices/index-backfill.ts';
import type { OpenDataFiles, OpenDataReport, OpenDataSnapshots } from '../prices/open-data-publish.ts';
import { publishOpenData } from '../prices/open-data-publish.ts';
import type { IndexBackfill, OpenPriceReader, PriceRepository } from '../prices/ports.ts';
import { type DigestDeps, type DigestReport, runPriceDigest } from './digest.ts';

export const jobNames = [
  'price-digest',
  'price-sweep',
  'exchange-sweep',
  'broadcast-tick',
  'broadcast-run',
  'question-escalate',
  'upload-cleanup',
  'open-data',
  'sms-reconcile',
] as const;
export type JobName = (typeof jobNames)[number];

export const isJobName = (value: unknown): value is JobName =>
  typeof value === 'string' && (jobNames as readonly string[]).includes(value);

export interface JobDeps extends DigestDeps {
  /** One-off: approved prices stored before the commodity index exists get it, a slice per sweep until done. */
  priceIndexBackfill?: IndexBackfill;
  prices: DigestDeps['prices'] & Pick<PriceRepository, 'finishUnpublished'>;
  /** The sweep also finishes CSV imports a crash interrupted. */
  priceImport: ImportRecoveryDeps['priceImport'];
  audit: ImportRecoveryDeps['audit'];
  /** The exchange's hourly sweep: expiry reminders, expiry, unconfirmed operator posts (core/exchange). */
  exchange?: Pick<ExchangeService, 'sweep'>;
  /** Broadcasts: the minute tick and the one-time run (core/broadcasts). */
  broadcasts?: Pick<BroadcastService, 'tick' | 'run'>;
  /** The experts' questions: the escalation ladder (core/knowledge). */
  questions?: Pick<QuestionService, 'escalate'>;
  /** The files bucket's attachment uploads: those never finished into an item are deleted. */
  attachments?: Pick<AttachmentFiles, 'staleUploads' | 'delete'>;
  /** Open data: approved prices read across commodities (the walk GET /prices uses). */
  openPrices?: OpenPriceReader;
  /** The public bucket's open-data/ folder, where this function has it (PUBLIC_BUCKET_NAME). */
  openDataFiles?: OpenDataFiles;
  /** The newest snapshot's file list, for the /open-data page. */
  openDataSnapshots?: OpenDataSnapshots;
  /** The SMS gateway's status pull (sms-reconcile), where the gateway has one (`aliyun`). */
  smsReconcile?: (now: Date) => Promise<SmsReconcileReport>;
}

/** What sms-reconcile found: messages asked about, and what became of them. */
export interface SmsReconcileReport {
  checked: number;
  delivered: number;
  failed: number;
  waiting: number;
  settled: number;
  errors: number;
}

/** What a job's input carries besides its name: `broadcast-run` names its broadcast. */
export interface JobInput {
  broadcastId?: string;
}

/**
 * A broadcast id as the service makes them: checked before a schedule's input reaches the
 * store, since a schedule edited by hand may send anything.
 */
export const isBroadcastId = (value: unknown): value is string => typeof value === 'string' && isBroadcastIdText(value);

/**
 * How old an unfinished upload is before the cleanup deletes it: a presigned POST lives 15
 * minutes and the editor finishes it at once, so a day is far past any upload still in use
 * (the S3 lifecycle rule on uploads/ says the same in AWS: infra/stack.ts).
 */
export const STALE_UPLOAD_MS = 86_400_000;

/** Approvals a sweep finishes per run (every 15 minutes): a crash leaves a few, not thousands. */
export const SWEEP_LIMIT = 100;

export type JobResult =
  | { job: 'price-digest'; report: DigestReport }
  | { job: 'price-sweep'; finished: number; imports: number }
  | { job: 'exchange-sweep'; reminded: number; expired: number; discarded: number }
  | { job: 'broadcast-tick'; reports: RunReport[] }
  | { job: 'broadcast-run'; report: RunReport }
  | { job: 'question-escalate'; escalated: number }
  | { job: 'upload-cleanup'; deleted: number }
  | { job: 'open-data'; report: OpenDataReport }
  | { job: 'sms-reconcile'; report: SmsReconcileReport };

/**
 * Runs one job. `at` is when it was due (the scheduler's time): the digest's day is that
 * day's, so a retry after midnight still completes the day it was for.
 *
 * Broadcast jobs run at the present time, not the due one: a retry of a tick or a run must see
 * the quiet hours and the broadcast as they are now. So do the knowledge jobs: a late retry
 * escalates what is due now, and deletes uploads that are stale now.
 *
 * @example await runJob(deps, 'price-digest', new Date('2026-05-20T10:00:00Z'))
 * @example await runJob(deps, 'broadcast-run', undefined, { broadcastId: 'b01jf3k9q2m' })
 */
export async function runJob(deps: JobDeps, job: JobName, at?: Date, input: JobInput = {}): Promise<JobResult> {
  if (job === 'broadcast-tick' || job === 'broadcast-run') {
    if (!deps.broadcasts) throw new Error('broadcasts are not wired into this function');
    if (job === 'broadcast-tick') return { job, reports: await deps.broadcasts.tick(deps.now()) };
    if (!isBroadcastId(input.broadcastId))
      throw new Error(`broadcast-run needs a broadcast id, got ${JSON.stringify(input.broadcastId)}`);
    return { job, report: await deps.broadcasts.run(input.broadcastId, deps.now()) };
  }
  if (job === 'question-escalate') {
    if (!deps.questions) throw new Error('the questions are not wired into this function');
    return { job, ...(await deps.questions.escalate(deps.now())) };
  }
  if (job === 'upload-cleanup') return { job, deleted: await cleanUploads(deps) };
  if (job === 'sms-reconcile') {
    // Without a gateway that is pulled (outbox, End User Messaging) there is nothing to ask.
    const empty = { checked: 0, delivered: 0, failed: 0, waiting: 0, settled: 0, errors: 0 };
    return { job, report: deps.smsReconcile ? await deps.smsReconcile(deps.now()) : empty };
  }
  if (job === 'open-data') {
    const { openPrices, openDataFiles, openDataSnapshots } = deps;
    if (!openPrices || !openDataFiles || !openDataSnapshots)
      throw new Error('the public bucket (PUBLIC_BUCKET_NAME) is not wired into this function');
    // The day it was due: a retry after midnight still writes the day it was for.
    const report = await publishOpenData({ ...deps, openPrices, openDataFiles, openDataSnapshots }, at ?? deps.now());
    return { job, report };
  }
  if (job === 'exchange-sweep') {
    if (!deps.exchange) throw new Error('the exchange is not wired into this function');
    return { job, ...(await deps.exchange.sweep(at ?? deps.now())) };
  }
  if (job === 'price-sweep') await backfillIndexes(deps);
  if (job === 'price-sweep') {
    const finished = await deps.prices.finishUnpublished(SWEEP_LIMIT);
    // Imports abandoned by a crash (older than IMPORT_ABANDONED_AFTER_MS): finished from their journalled plans.
    const imports = await finishPriceImports(deps);
    deps.log({ level: finished || imports ? 'warn' : 'debug', msg: 'price sweep done', finished, imports });
    return { job, finished, imports };
  }
  const report = await runPriceDigest(at ? { ...deps, now: () => at, log: (e) => deps.log(e) } : deps);
  return { job, report };
}

/**
 * Deletes uploads older than a day, one by one: a delete of an object already gone succeeds in
 * S3, so a rerun after a crash only finishes the list; a failure throws, and the job's retry
 * (or its next hourly run) takes the rest.
 */
async function cleanUploads(deps: JobDeps): Promise<number> {
  if (!deps.attachments) throw new Error('the files bucket is not wired into this function');
  const stale = await deps.attachments.staleUploads(new Date(deps.now().getTime() - STALE_UPLOAD_MS));
  for (const key of stale) await deps.attachments.delete(key);
  deps.log({ level: stale.length ? 'info' : 'debug', msg: 'upload cleanup done', deleted: stale.length });
  return stale.length;
}

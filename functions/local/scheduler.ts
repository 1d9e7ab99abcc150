/**
 * The scheduled jobs under `npm start`, in process: what EventBridge Scheduler does in AWS
 * (infra/constructs/scheduled-jobs.ts) — the price digest daily at PRICE_DIGEST_TIME
 * Asia/Shanghai, the publication sweep every 15 minutes, the exchange sweep every hour, the
 * broadcast tick every minute (when broadcasts are wired), the questions' escalation every 15
 * minutes and the upload cleanup every hour (when the knowledge library is wired), the open-data
 * snapshot daily an hour after the digest (when the public bucket is wired). A job that fails is logged and
 * runs again at its next time (the jobs are idempotent). A broadcast's one-time run is a timer
 * of its own (adapters/broadcast-wiring.ts).
 */
import { type JobDeps, type JobName, runJob } from '#core/alerts/jobs.ts';
import { SHANGHAI_OFFSET_SECONDS } from '#core/dates.ts';
import { openDataTime } from '#core/prices/open-data-publish.ts';

const SHANGHAI_OFFSET_MS = SHANGHAI_OFFSET_SECONDS * 1000;
export const SWEEP_EVERY_MS = 15 * 60_000;

/**
 * The next instant after `after` at which the Asia/Shanghai clock reads `time` (HH:MM).
 *
 * @example nextDailyRun('18:00', new Date('2026-05-20T09:59:00Z')) // 2026-05-20T10:00:00.000Z
 * @example nextDailyRun('18:00', new Date('2026-05-20T10:00:00Z')) // 2026-05-21T10:00:00.000Z
 */
export function nextDailyRun(time: string, after: Date): Date {
  const [h, m] = time.split(':').map(Number) as [number, number];
  const local = new Date(after.getTime() + SHANGHAI_OFFSET_MS);
  let due = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), h, m) - SHANGHAI_OFFSET_MS;
  if (due <= after.getTime()) due += 86_400_000;
  return new Date(due);
}

/** The next quarter hour after `after` (the sweep's rate, aligned as a cron would be). */
export function nextSweep(after: Date): Date {
  return new Date((Math.floor(after.getTime() / SWEEP_EVERY_MS) + 1) * SWEEP_EVERY_MS);
}

/** The next whole hour after `after` (the exchange sweep's rate). */
export function nextHour(after: Date): Date {
  return new Date((Math.floor(after.getTime() / 3_600_000) + 1) * 3_600_000);
}

/** The next whole minute after `after` (the broadcast tick's rate). */
export function nextMinute(after: Date): Date {
  return new Date((Math.floor(after.getTime() / 60_000) + 1) * 60_000);
}

/** Jobs every local process runs; the broadcast tick and the knowledge jobs only where their services are wired. */
type AlwaysPlanned = 'price-digest' | 'price-sweep' | 'exchange-sweep';

export interface LocalScheduler {
  /** When each job runs next. */
  next(): Record<AlwaysPlanned, Date> & Partial<Record<JobName, Date>>;
  stop(): void;
}

export function startLocalScheduler(
  deps: JobDeps,
  options: { digestTime: string; clock?: () => Date },
): LocalScheduler {
  const clock = options.clock ?? (() => new Date());
  const timers = new Map<JobName, NodeJS.Timeout>();
  const due = new Map<JobName, Date>();
  let stopped = false;
  const plan = (job: JobName, nextAt: (after: Date) => Date) => {
    if (stopped) return;
    const at = nextAt(clock());
    due.set(job, at);
    // (Long delays are fine: Node clamps only delays past 24.8 days, and a day is far below.)
    const timer = setTimeout(
      () => {
        runJob(deps, job, at)
          .catch((err: Error) => deps.log({ level: 'error', msg: 'scheduled job failed', job, error: err.message }))
          .finally(() => plan(job, nextAt));
      },
      Math.max(0, at.getTime() - clock().getTime()),
    );
    // The timer alone must not keep the process alive (tests, npm run sms).
    timer.unref();
    timers.set(job, timer);
  };
  plan('price-digest', (after) => nextDailyRun(options.digestTime, after));
  plan('price-sweep', nextSweep);
  plan('exchange-sweep', nextHour);
  if (deps.broadcasts) plan('broadcast-tick', nextMinute);
  if (deps.questions) plan('question-escalate', nextSweep);
  if (deps.attachments) plan('upload-cleanup', nextHour);
  // The SMS gateway's status pull (SMS_GATEWAY=aliyun): every 10 minutes, as in AWS.
  if (deps.smsReconcile)
    plan('sms-reconcile', (after) => new Date((Math.floor(after.getTime() / 600_000) + 1) * 600_000));
  if (deps.openDataFiles) plan('open-data', (after) => nextDailyRun(openDataTime(options.digestTime), after));
  return {
    next: () => Object.fromEntries(due) as ReturnType<LocalScheduler['next']>,
    stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t);
    },
  };
}

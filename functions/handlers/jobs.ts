/**
 * Lambda entry for scheduled jobs: EventBridge Scheduler invokes it with the schedule's input
 * (infra/constructs/scheduled-jobs.ts), e.g.
 * `{"job":"price-digest","scheduledTime":"2026-05-20T10:00:00Z","executionId":"…"}`.
 * A job that fails throws, so the scheduler retries it (then its dead-letter queue); the jobs
 * are idempotent, so a retry only finishes what is missing.
 */

import type { Context } from 'aws-lambda';
import { priceImportParts } from '#adapters/import-wiring.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { isBroadcastId, isJobName, type JobDeps, type JobResult, runJob } from '#core/alerts/jobs.ts';
import { beginInvocation } from '#core/log.ts';
import { lambdaCapabilities } from './capabilities.ts';

/**
 * EventBridge Scheduler hands a Lambda target the schedule's Input as it is (no EventBridge
 * envelope, so no type of @types/aws-lambda fits): this is the Input scheduled-jobs.ts writes,
 * every field unknown until checked, since a schedule edited by hand may send anything.
 */
export interface ScheduledJobInput {
  job?: unknown;
  /** `<aws.scheduler.scheduled-time>`: when the run was due (ISO 8601, UTC). */
  scheduledTime?: unknown;
  executionId?: unknown;
  /** `broadcast-run`: the broadcast whose one-time schedule this is (adapters/scheduler/eventbridge-scheduler.ts). */
  broadcastId?: unknown;
}

export const createJobsHandler =
  (deps: JobDeps) =>
  async (event: ScheduledJobInput): Promise<JobResult> => {
    if (!isJobName(event?.job)) {
      // Retrying cannot mend a malformed schedule input: say so and fail without a retry loop.
      deps.log({ level: 'error', msg: 'unknown scheduled job', job: String(event?.job) });
      throw new Error(`unknown job ${JSON.stringify(event?.job)}`);
    }
    if (event.job === 'broadcast-run' && !isBroadcastId(event.broadcastId)) {
      // Like an unknown job: no retry can mend it.
      deps.log({ level: 'error', msg: 'broadcast-run without a broadcast id', broadcastId: String(event.broadcastId) });
      throw new Error(`broadcast-run needs a broadcast id, got ${JSON.stringify(event.broadcastId)}`);
    }
    const due = typeof event.scheduledTime === 'string' ? new Date(event.scheduledTime) : undefined;
    const at = due && !Number.isNaN(due.getTime()) ? due : undefined;
    const broadcastId = isBroadcastId(event.broadcastId) ? event.broadcastId : undefined;
    const result = await runJob(deps, event.job, at, broadcastId ? { broadcastId } : {});
    deps.log({
      level: 'info',
      msg: 'scheduled job done',
      job: event.job,
      ...(broadcastId ? { broadcastId } : {}),
      executionId: typeof event.executionId === 'string' ? event.executionId : undefined,
    });
    return result;
  };

// Built on first invocation (see http.ts): config errors name the variable, tests import freely.
let cached: ReturnType<typeof createJobsHandler> | undefined;
export const handler = (event: ScheduledJobInput, context?: Context) => {
  beginInvocation(context);
  if (!cached) {
    const settings = storageSettingsFrom(loadConfig(process.env, lambdaCapabilities.jobs));
    // The sweep finishes CSV imports a crash interrupted: the import store, and the bucket their plans are kept in.
    cached = createJobsHandler(createDeps(settings, composeHere, priceImportParts(settings)));
  }
  return cached(event);
};

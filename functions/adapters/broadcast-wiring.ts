/**
 * The runtime parts of broadcasts: the queue their SMS wait in for the paced sender, and the
 * one-time schedules that start them. Locally an in-process paced queue and timers; in AWS the
 * bulk SQS queue (read by the sms-send Lambda at the same pace) and EventBridge Scheduler.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '#config';
import type { BroadcastScheduler } from '#core/broadcasts/ports.ts';
import { defaultBroadcastSettings } from '#core/broadcasts/settings.ts';
import type { OutboundQueue } from '#core/sms/ports.ts';
import type { SenderDeps } from '#core/sms/sender.ts';
import { createDocumentClient } from './dynamodb/client.ts';
import { bulkPacer } from './dynamodb/send-rate.ts';
import { PacedQueue } from './queue/paced-queue.ts';
import { SqsOutboundQueue } from './queue/sqs-queue.ts';
import { EventBridgeBroadcastScheduler } from './scheduler/eventbridge-scheduler.ts';

/** What the runtime needs of the settings (config → storageSettingsFrom → `broadcastRuntime`). */
export interface BroadcastRuntimeSettings {
  /** Messages per second the gateway takes (SMS_SEND_RATE). */
  sendRate: number;
  /** AWS: the bulk queue (SMS_BULK_QUEUE_URL); only on a function with `queueBulkSms`. */
  bulkQueueUrl?: string;
  /** AWS: where one-time schedules go; only on a function with `scheduleBroadcasts`. */
  schedules?: { group: string; roleArn: string; jobsFunctionArn: string; endpoint?: string };
}

/** The runtime settings from validated config. */
export function broadcastRuntimeSettingsFrom(config: Config): BroadcastRuntimeSettings {
  if (config.APP_MODE !== 'aws') return { sendRate: config.SMS_SEND_RATE };
  const { BROADCAST_SCHEDULE_GROUP: group, BROADCAST_SCHEDULER_ROLE_ARN: roleArn, JOBS_FUNCTION_ARN: target } = config;
  return {
    sendRate: config.SMS_SEND_RATE,
    ...(config.SMS_BULK_QUEUE_URL ? { bulkQueueUrl: config.SMS_BULK_QUEUE_URL } : {}),
    ...(group && roleArn && target ? { schedules: { group, roleArn, jobsFunctionArn: target } } : {}),
  };
}

/**
 * The part of StorageSettings (wiring.ts) the runtime reads: named here, not imported, so that
 * wiring.ts may import this file without a cycle.
 */
export interface BroadcastRuntimeEnv {
  mode: 'local' | 'aws';
  region: string;
  tableName: string;
  dynamoEndpoint?: string;
  /** Unset: SMS_SEND_RATE's default, no bulk queue, no schedules. */
  broadcastRuntime?: BroadcastRuntimeSettings;
}

export interface BroadcastRuntime {
  /** Where broadcast SMS go to be sent at the gateway's rate. `drain` (local): resolves when nothing is waiting. */
  bulkQueue: OutboundQueue & { drain?(): Promise<void> };
  scheduler: BroadcastScheduler;
  /** Stops local timers and the local queue (tests, shutdown). */
  stop(): void;
}

export interface BroadcastRuntimeParts {
  sender: SenderDeps;
  /** What a one-time schedule does when due (the jobs Lambda's `broadcast-run` in AWS). */
  run: (broadcastId: string, at: Date) => Promise<unknown>;
  log: (entry: Record<string, unknown>) => void;
  /** The root's table client (createDeps' RootParts.db); unset: one is made from the settings. */
  db?: DynamoDBDocumentClient;
}

export function broadcastRuntime(settings: BroadcastRuntimeEnv, parts: BroadcastRuntimeParts): BroadcastRuntime {
  const runtime = settings.broadcastRuntime ?? { sendRate: defaultBroadcastSettings.sendRate };
  if (settings.mode === 'local') {
    const timers = new Map<string, NodeJS.Timeout>();
    const scheduler: BroadcastScheduler = {
      async at(id, when) {
        clearTimeout(timers.get(id));
        const timer = setTimeout(
          () => {
            timers.delete(id);
            parts
              .run(id, new Date())
              .catch((err: Error) =>
                parts.log({ level: 'error', msg: 'broadcast run failed', id, error: err.message }),
              );
          },
          Math.max(0, when.getTime() - Date.now()),
        );
        timer.unref();
        timers.set(id, timer);
      },
      async cancel(id) {
        clearTimeout(timers.get(id));
        timers.delete(id);
      },
    };
    const db = parts.db ?? createDocumentClient({ region: settings.region, endpoint: settings.dynamoEndpoint });
    const bulkQueue = new PacedQueue(parts.sender, bulkPacer(db, settings.tableName, runtime.sendRate), {
      log: parts.log,
    });
    return {
      bulkQueue,
      scheduler,
      stop: () => {
        for (const t of timers.values()) clearTimeout(t);
        timers.clear();
        bulkQueue.stop();
      },
    };
  }
  // A function deployed without the capability fails loudly, naming the setting, rather than dropping work.
  const missing = (what: string, settingNames: string) => async () => {
    throw new Error(`${settingNames} not set on this function, so it cannot ${what}`);
  };
  const schedules = runtime.schedules;
  return {
    bulkQueue: runtime.bulkQueueUrl
      ? new SqsOutboundQueue(settings.region, runtime.bulkQueueUrl, { bulk: true })
      : { enqueue: missing('queue broadcast SMS', 'SMS_BULK_QUEUE_URL is') },
    scheduler: schedules
      ? new EventBridgeBroadcastScheduler({
          region: settings.region,
          group: schedules.group,
          roleArn: schedules.roleArn,
          targetArn: schedules.jobsFunctionArn,
          endpoint: schedules.endpoint,
        })
      : {
          at: missing('schedule a broadcast', 'BROADCAST_SCHEDULE_GROUP and its role are'),
          cancel: missing('cancel a broadcast schedule', 'BROADCAST_SCHEDULE_GROUP and its role are'),
        },
    stop: () => {},
  };
}

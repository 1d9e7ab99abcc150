/**
 * The runtime parts of broadcasts: the queue their SMS wait in for the paced sender, and the
 * one-time schedules that start them. Locally an in-process queue and timers; in AWS the bulk
 * SQS queue and EventBridge Scheduler.
 */
import type { BroadcastScheduler } from '#core/broadcasts/ports.ts';
import type { OutboundQueue } from '#core/sms/ports.ts';
import type { SenderDeps } from '#core/sms/sender.ts';
import { LocalQueue } from './queue/local-queue.ts';
import { missingQueue } from './queue/sqs-queue.ts';

export interface BroadcastRuntime {
  /** Where broadcast SMS go to be sent at the gateway's rate. `drain` (local): resolves when nothing is waiting. */
  bulkQueue: OutboundQueue & { drain?(): Promise<void> };
  scheduler: BroadcastScheduler;
  /** Stops local timers (tests, shutdown). */
  stop(): void;
}

export interface BroadcastRuntimeParts {
  sender: SenderDeps;
  /** What a one-time schedule does when due (the jobs Lambda's `broadcast-run` in AWS). */
  run: (broadcastId: string, at: Date) => Promise<unknown>;
  log: (entry: Record<string, unknown>) => void;
}

/** The part of StorageSettings (wiring.ts) read here: named, not imported, so that wiring.ts may import this file. */
export function broadcastRuntime(settings: { mode: 'local' | 'aws' }, parts: BroadcastRuntimeParts): BroadcastRuntime {
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
    return {
      bulkQueue: new LocalQueue(parts.sender),
      scheduler,
      stop: () => {
        for (const t of timers.values()) clearTimeout(t);
      },
    };
  }
  const unavailable = async () => {
    throw new Error('broadcast schedules are not wired into this function');
  };
  return {
    bulkQueue: missingQueue('queue broadcast SMS'),
    scheduler: { at: unavailable, cancel: unavailable },
    stop: () => {},
  };
}

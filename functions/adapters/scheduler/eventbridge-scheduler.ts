import type { SchedulerClient } from '@aws-sdk/client-scheduler';
import type { BroadcastScheduler } from '#core/broadcasts/ports.ts';

export interface EventBridgeSchedulerSettings {
  region: string;
  /** The schedule group broadcasts' one-time schedules live in (BROADCAST_SCHEDULE_GROUP). */
  group: string;
  /** The role EventBridge Scheduler assumes to invoke the target (BROADCAST_SCHEDULER_ROLE_ARN). */
  roleArn: string;
  /** The jobs Lambda (JOBS_FUNCTION_ARN). */
  targetArn: string;
  /** A stand-in of the service (tests); unset in AWS. */
  endpoint?: string;
}

/**
 * How far ahead a schedule for "now" (or a time already past) is put. EventBridge Scheduler
 * refuses a one-time `at()` in the past when the schedule is created (reported in
 * DefangLabs/pulumi-defang#425: "AWS rejects a fire time in the past at create"), and invokes
 * with 60-second precision anyway (Scheduler User Guide, "Schedule types": a schedule set for
 * 1:00 runs between 1:00:00 and 1:00:59): a few seconds ahead costs nothing and leaves room
 * for the request's own time on the wire.
 */
export const SOON_MS = 5_000;

/** The schedule's name: one per broadcast, so scheduling again replaces it. */
export const scheduleNameOf = (broadcastId: string) => `broadcast-${broadcastId}`;

/**
 * `at(yyyy-mm-ddThh:mm:ss)` in UTC (the schedule's default time zone), to the second;
 * a time at or before `now` (or within SOON_MS of it) becomes SOON_MS from now.
 *
 * @example atExpression(new Date('2026-05-20T10:00:00.400Z'), new Date('2026-05-20T09:00:00Z')) // 'at(2026-05-20T10:00:01)'
 */
export function atExpression(when: Date, now: Date): string {
  const t = Math.max(when.getTime(), now.getTime() + SOON_MS);
  // Up to the next whole second: never earlier than asked.
  const seconds = new Date(Math.ceil(t / 1000) * 1000);
  return `at(${seconds.toISOString().slice(0, 19)})`;
}

const clients = new Map<string, Promise<SchedulerClient>>();

/** One client per region and endpoint, imported on first use: most invocations schedule nothing. */
function schedulerClient(region: string, endpoint?: string): Promise<SchedulerClient> {
  const key = `${region} ${endpoint ?? ''}`;
  let client = clients.get(key);
  if (!client) {
    client = import('@aws-sdk/client-scheduler').then(
      ({ SchedulerClient }) =>
        new SchedulerClient({
          region,
          endpoint,
          // A stand-in accepts any signature; in AWS the default provider chain (the Lambda role).
          ...(endpoint ? { credentials: { accessKeyId: 'stand-in', secretAccessKey: 'stand-in' } } : {}),
        }),
    );
    clients.set(key, client);
  }
  return client;
}

const named = (err: unknown, name: string) => (err as { name?: string } | null)?.name === name;

/**
 * Broadcasts' one-time schedules on EventBridge Scheduler: `broadcast-<id>` in the broadcasts'
 * group, invoking the jobs Lambda once with `{"job":"broadcast-run","broadcastId":…}` and then
 * deleted by the service (ActionAfterCompletion DELETE). Scheduling again updates the time.
 */
export class EventBridgeBroadcastScheduler implements BroadcastScheduler {
  constructor(
    private readonly settings: EventBridgeSchedulerSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async at(broadcastId: string, when: Date): Promise<void> {
    const [client, { CreateScheduleCommand, UpdateScheduleCommand }] = await Promise.all([
      schedulerClient(this.settings.region, this.settings.endpoint),
      import('@aws-sdk/client-scheduler'),
    ]);
    // Update takes the whole definition, as Create does.
    const schedule = {
      Name: scheduleNameOf(broadcastId),
      GroupName: this.settings.group,
      ScheduleExpression: atExpression(when, this.now()),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' as const },
      ActionAfterCompletion: 'DELETE' as const,
      Description: `Zhingdrok broadcast ${broadcastId}`,
      Target: {
        Arn: this.settings.targetArn,
        RoleArn: this.settings.roleArn,
        Input: JSON.stringify({ job: 'broadcast-run', broadcastId }),
        // The run is idempotent and the minute tick picks a due broadcast up anyway: a few retries suffice.
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      },
    };
    // Create, else (it exists) update; a schedule that ran and was deleted in between is created again.
    for (let tries = 0; ; tries++) {
      try {
        await client.send(new CreateScheduleCommand(schedule));
        return;
      } catch (err) {
        if (!named(err, 'ConflictException')) throw err;
      }
      try {
        await client.send(new UpdateScheduleCommand(schedule));
        return;
      } catch (err) {
        if (!named(err, 'ResourceNotFoundException') || tries >= 2) throw err;
      }
    }
  }

  async cancel(broadcastId: string): Promise<void> {
    const [client, { DeleteScheduleCommand }] = await Promise.all([
      schedulerClient(this.settings.region, this.settings.endpoint),
      import('@aws-sdk/client-scheduler'),
    ]);
    try {
      await client.send(
        new DeleteScheduleCommand({ Name: scheduleNameOf(broadcastId), GroupName: this.settings.group }),
      );
    } catch (err) {
      // Already run (and deleted by the service), cancelled before, or never made: nothing to do.
      if (!named(err, 'ResourceNotFoundException')) throw err;
    }
  }
}

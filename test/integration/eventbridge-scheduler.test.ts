/**
 * Broadcasts' one-time schedules through the real AWS SDK Scheduler client, against a loopback
 * stand-in speaking the service's REST JSON protocol: what goes on the wire (name, group,
 * at() in UTC, no flexible window, deleted after completion, the jobs Lambda with its role and
 * input), scheduling again (409 → update), a time already past (moved a few seconds ahead:
 * the service refuses a past at()), cancel (and cancel of one already gone).
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { broadcastRuntime } from '#adapters/broadcast-wiring.ts';
import {
  atExpression,
  EventBridgeBroadcastScheduler,
  SOON_MS,
  scheduleNameOf,
} from '#adapters/scheduler/eventbridge-scheduler.ts';
import { type SchedulerStandIn, startSchedulerStandIn } from '#test/support/scheduler-stand-in.ts';

const settings = {
  region: 'ap-east-1',
  group: 'zhingdrok-broadcasts',
  roleArn: 'arn:aws:iam::123456789012:role/Zhingdrok-BroadcastSchedulerRole',
  targetArn: 'arn:aws:lambda:ap-east-1:123456789012:function:Zhingdrok-JobsFunction',
};

let service: SchedulerStandIn;
let scheduler: EventBridgeBroadcastScheduler;
beforeAll(async () => {
  service = await startSchedulerStandIn();
  scheduler = new EventBridgeBroadcastScheduler({ ...settings, endpoint: service.url });
});
afterAll(() => service?.close());

const stored = (id: string) => service.schedules.get(`${settings.group}/${scheduleNameOf(id)}`);

describe('at(): expression arithmetic', () => {
  test('UTC to the second, never earlier than asked', () => {
    const now = new Date('2026-05-20T09:00:00Z');
    assert.equal(atExpression(new Date('2026-05-20T10:00:00.000Z'), now), 'at(2026-05-20T10:00:00)');
    assert.equal(atExpression(new Date('2026-05-20T10:00:00.400Z'), now), 'at(2026-05-20T10:00:01)');
  });

  test('a time at or before now becomes a few seconds ahead', () => {
    const now = new Date('2026-05-20T09:00:00.200Z');
    const soon = `at(${new Date(Math.ceil((now.getTime() + SOON_MS) / 1000) * 1000).toISOString().slice(0, 19)})`;
    assert.equal(atExpression(now, now), soon);
    assert.equal(atExpression(new Date('2026-05-19T09:00:00Z'), now), soon);
  });
});

describe('one-time schedules on the wire', () => {
  test('CreateSchedule: broadcast-<id> in the group, at() UTC, OFF, DELETE after, the jobs Lambda with its role and input', async () => {
    const when = new Date(Date.now() + 3_600_000);
    when.setUTCMilliseconds(0);
    const first = service.requests.length;
    await scheduler.at('b01jf3k9q2m', when);
    const [request, ...more] = service.requests.slice(first);
    assert.equal(more.length, 0);
    assert.equal(request!.method, 'POST');
    assert.equal(request!.name, 'broadcast-b01jf3k9q2m');
    const body = request!.body;
    assert.equal(body.GroupName, 'zhingdrok-broadcasts');
    assert.equal(body.ScheduleExpression, `at(${when.toISOString().slice(0, 19)})`);
    assert.equal(body.ScheduleExpressionTimezone, 'UTC');
    assert.deepEqual(body.FlexibleTimeWindow, { Mode: 'OFF' });
    assert.equal(body.ActionAfterCompletion, 'DELETE');
    assert.equal(body.Target.Arn, settings.targetArn);
    assert.equal(body.Target.RoleArn, settings.roleArn);
    assert.deepEqual(JSON.parse(body.Target.Input), { job: 'broadcast-run', broadcastId: 'b01jf3k9q2m' });
  });

  test('scheduling again: the service answers 409, and the schedule is updated to the new time', async () => {
    const id = 'b01jf3k9q2n';
    await scheduler.at(id, new Date(Date.now() + 3_600_000));
    const later = new Date(Date.now() + 7_200_000);
    later.setUTCMilliseconds(0);
    const first = service.requests.length;
    await scheduler.at(id, later);
    assert.deepEqual(
      service.requests.slice(first).map((r) => r.method),
      ['POST', 'PUT'],
    );
    assert.equal(stored(id).ScheduleExpression, `at(${later.toISOString().slice(0, 19)})`);
  });

  test('now, or a time already past: accepted by the service, a few seconds ahead', async () => {
    const id = 'b01jf3k9q2p';
    const before = Date.now();
    await scheduler.at(id, new Date(before - 60_000));
    const at = Date.parse(`${/^at\((.+)\)$/.exec(stored(id).ScheduleExpression)![1]}Z`);
    assert.ok(at > before && at <= before + SOON_MS + 2_000, `${new Date(at).toISOString()}`);
  });

  test('cancel deletes it; cancelling again (or a schedule that already ran) is not an error', async () => {
    const id = 'b01jf3k9q2q';
    await scheduler.at(id, new Date(Date.now() + 3_600_000));
    const first = service.requests.length;
    await scheduler.cancel(id);
    assert.equal(stored(id), undefined);
    await scheduler.cancel(id);
    assert.deepEqual(
      service.requests.slice(first).map((r) => `${r.method} ${r.name} ${r.group}`),
      [`DELETE broadcast-${id} zhingdrok-broadcasts`, `DELETE broadcast-${id} zhingdrok-broadcasts`],
    );
  });

  test('any other refusal is thrown (a bad target group, say), for the caller to report', async () => {
    const broken = new EventBridgeBroadcastScheduler({ ...settings, endpoint: `${service.url}/nowhere` });
    await assert.rejects(broken.at('b01jf3k9q2r', new Date(Date.now() + 60_000)));
  });
});

describe('broadcastRuntime in AWS mode', () => {
  test('with the schedule settings: the EventBridge scheduler; without: a clear refusal naming the setting', async () => {
    const env = { mode: 'aws' as const, region: 'ap-east-1', tableName: 't' };
    const parts = { sender: {} as never, run: async () => {}, log: () => {} };
    const wired = broadcastRuntime(
      {
        ...env,
        broadcastRuntime: {
          sendRate: 20,
          schedules: {
            group: settings.group,
            roleArn: settings.roleArn,
            jobsFunctionArn: settings.targetArn,
            endpoint: service.url,
          },
        },
      },
      parts,
    );
    assert.ok(wired.scheduler instanceof EventBridgeBroadcastScheduler);
    await wired.scheduler.at('b01jf3k9q2s', new Date(Date.now() + 60_000));
    assert.ok(stored('b01jf3k9q2s'));

    const bare = broadcastRuntime({ ...env, broadcastRuntime: { sendRate: 20 } }, parts);
    await assert.rejects(bare.scheduler.at('b1', new Date()), /BROADCAST_SCHEDULE_GROUP/);
    await assert.rejects(bare.bulkQueue.enqueue([]), /SMS_BULK_QUEUE_URL/);
  });
});

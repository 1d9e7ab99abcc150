/**
 * Broadcasts in the synthesized template: the bulk queue and its dead letters feeding the
 * sender (ten at a time, two pollers, partial batch responses), the minute tick, the schedule
 * group for broadcasts' one-time schedules with the rights to make them (http and jobs, that
 * group only, passing only the scheduler's role), and the settings that name them. Template
 * only (no bundling).
 */
import assert from 'node:assert/strict';
import { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { SMS_SEND_MAX_RECEIVES } from '#adapters/queue/sqs-event.ts';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import { actionsOf, arnOf, type Resource, ref, resourcesOf, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let resources: Record<string, Resource>;
const id = (c: IConstruct) => (c instanceof CfnElement ? stack.getLogicalId(c) : synth.logicalId(c));
const props = (c: IConstruct) => resources[id(c)]!.Properties;
const env = (fn: IConstruct) => props(fn).Environment.Variables;

beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'] }, { bundle: false });
  ({ stack, resources } = synth);
});
afterAll(() => synth?.dispose());

describe('bulk queue', () => {
  test('SSE-SQS, a visibility timeout of six sender timeouts, dead letters after the last receive', () => {
    const q = props(stack.sms.bulkQueue);
    assert.equal(q.SqsManagedSseEnabled, true);
    assert.equal(q.VisibilityTimeout, 6 * props(stack.sms.sendFunction).Timeout);
    assert.deepEqual(q.RedrivePolicy, {
      deadLetterTargetArn: arnOf(id(stack.sms.bulkDeadLetterQueue)),
      maxReceiveCount: SMS_SEND_MAX_RECEIVES,
    });
    assert.equal(SMS_SEND_MAX_RECEIVES, 5);
    assert.equal(props(stack.sms.bulkDeadLetterQueue).MessageRetentionPeriod, 14 * 86_400);
  });

  test('feeds the sender ten at a time, with partial batch responses and at most two pollers', () => {
    const mappings = synth
      .ofType('AWS::Lambda::EventSourceMapping')
      .filter(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][0] === id(stack.sms.bulkQueue));
    assert.equal(mappings.length, 1);
    assert.deepEqual(mappings[0]![1].Properties, {
      EventSourceArn: arnOf(id(stack.sms.bulkQueue)),
      FunctionName: ref(id(stack.sms.sendFunction)),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });

  test('only the jobs function queues broadcast SMS, and knows the queue URL', () => {
    const senders = synth
      .ofType('AWS::IAM::Policy')
      .filter(([, p]) =>
        p.Properties.PolicyDocument.Statement.some(
          (s: any) =>
            actionsOf(s).includes('sqs:SendMessage') &&
            JSON.stringify(resourcesOf(s)).includes(`"${id(stack.sms.bulkQueue)}"`),
        ),
      )
      .map(([, p]) => p.Properties.Roles[0].Ref);
    assert.deepEqual(senders, [props(stack.jobs.function).Role['Fn::GetAtt'][0]]);
    assert.deepEqual(env(stack.jobs.function).SMS_BULK_QUEUE_URL, ref(id(stack.sms.bulkQueue)));
    for (const fn of [stack.httpFunction, stack.sms.sendFunction, stack.sms.inboundFunction!])
      assert.equal(env(fn).SMS_BULK_QUEUE_URL, undefined);
  });

  test('a message in its dead-letter queue alarms into the alarm topic', () => {
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(stack.sms.bulkDeadLetterQueue), 'QueueName'] } }],
      Threshold: 1,
      AlarmActions: [ref(id(stack.sms.alarms.topic))],
    });
  });
});

describe('schedules', () => {
  test('the tick: every minute, the scheduler time in its input, the jobs function with its role and dead letters', () => {
    const tick = props(stack.jobs.broadcastTickSchedule);
    assert.equal(tick.ScheduleExpression, 'rate(1 minute)');
    assert.deepEqual(tick.FlexibleTimeWindow, { Mode: 'OFF' });
    assert.equal(tick.State, 'ENABLED');
    assert.deepEqual(JSON.parse(tick.Target.Input), {
      job: 'broadcast-tick',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      executionId: '<aws.scheduler.execution-id>',
    });
    assert.deepEqual(tick.Target.Arn, arnOf(id(stack.jobs.function)));
    assert.deepEqual(tick.Target.RoleArn, arnOf(id(stack.jobs.role)));
    assert.deepEqual(tick.Target.DeadLetterConfig, { Arn: arnOf(id(stack.jobs.deadLetterQueue)) });
    assert.ok(tick.Target.RetryPolicy.MaximumEventAgeInSeconds <= 120, 'a late tick is replaced by the next');
  });

  test("one-time schedules: their group (gone with the stack), and the settings naming it, the scheduler's role and the jobs function", () => {
    const group = resources[id(stack.jobs.broadcastScheduleGroup)]!;
    assert.equal(group.Type, 'AWS::Scheduler::ScheduleGroup');
    assert.equal(group.DeletionPolicy, 'Delete');
    const name = group.Properties.Name as string;
    assert.match(name, /BroadcastSchedules/);

    const jobsName = props(stack.jobs.function).FunctionName;
    assert.equal(jobsName, 'Zhingdrok-jobs', 'a fixed name: its ARN is one of its own settings');
    for (const fn of [stack.httpFunction, stack.jobs.function]) {
      const e = env(fn);
      assert.equal(e.BROADCAST_SCHEDULE_GROUP, name);
      assert.deepEqual(e.BROADCAST_SCHEDULER_ROLE_ARN, arnOf(id(stack.jobs.role)));
      const arn = e.JOBS_FUNCTION_ARN['Fn::Join'][1] as unknown[];
      assert.deepEqual(arn.slice(0, 2), ['arn:', { Ref: 'AWS::Partition' }]);
      assert.equal(arn.at(-1), `:function:${jobsName}`);
    }
    for (const fn of [
      stack.sms.sendFunction,
      stack.sms.inboundFunction!,
      stack.sms.statusFunction!,
      stack.seedFunction,
    ])
      assert.equal(env(fn).BROADCAST_SCHEDULE_GROUP, undefined);
  });

  test("http and jobs may make, move and delete schedules in the group only, and pass only the scheduler's role", () => {
    const name = props(stack.jobs.broadcastScheduleGroup).Name as string;
    for (const fn of [stack.httpFunction, stack.jobs.function]) {
      const statements = synth.statementsOfFunction(id(fn));
      const scheduler = statements.filter((s) => actionsOf(s).some((a) => a.startsWith('scheduler:')));
      assert.deepEqual(scheduler.flatMap(actionsOf).sort(), [
        'scheduler:CreateSchedule',
        'scheduler:DeleteSchedule',
        'scheduler:UpdateSchedule',
      ]);
      for (const s of scheduler)
        for (const r of resourcesOf(s)) assert.match(JSON.stringify(r), new RegExp(`:schedule/${name}/\\*"`));
      const pass = statements.filter((s) => actionsOf(s).includes('iam:PassRole'));
      assert.deepEqual(pass.flatMap(resourcesOf), [arnOf(id(stack.jobs.role))]);
    }
    for (const fn of [stack.sms.sendFunction, stack.sms.inboundFunction!, stack.priceImportFunction]) {
      const actions = synth.statementsOfFunction(id(fn)).flatMap(actionsOf);
      assert.ok(!actions.some((a) => a.startsWith('scheduler:') || a === 'iam:PassRole'), id(fn));
    }
  });
});

/**
 * The scheduled jobs in the synthesized template: two EventBridge Scheduler schedules in
 * Asia/Shanghai (the digest at the configured time, the sweep every 15 minutes) with the
 * scheduler's time in their input, retries and a dead-letter queue, a role that may invoke
 * only the jobs function, and that function's own least privilege (the table, the SMS queue, and
 * the CSV import write plans the sweep finishes). Template only (no bundling).
 */
import assert from 'node:assert/strict';
import { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import { actionsOf, arnOf, type Resource, ref, resourcesOf, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let resources: Record<string, Resource>;
const id = (c: IConstruct) => (c instanceof CfnElement ? stack.getLogicalId(c) : synth.logicalId(c));
const props = (c: IConstruct) => resources[id(c)]!.Properties;

beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'], priceDigestTime: '19:30' }, { bundle: false });
  ({ stack, resources } = synth);
});
afterAll(() => synth?.dispose());

const schedules = () => synth.ofType('AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
const scheduleFor = (job: string) => schedules().find((s) => JSON.parse(s.Target.Input).job === job);

describe('schedules', () => {
  test('the digest runs daily at the configured time, the price sweep every 15 minutes, the exchange sweep hourly, in Asia/Shanghai', () => {
    // The fourth is the broadcast tick (test/infra/broadcasts.test.ts); the fifth and sixth the
    // knowledge library's (test/infra/knowledge.test.ts); the seventh the open-data snapshot
    // (test/infra/open-data.test.ts).
    assert.equal(schedules().length, 7);
    const digest = scheduleFor('price-digest');
    const sweep = scheduleFor('price-sweep');
    const exchange = scheduleFor('exchange-sweep');
    assert.ok(digest && sweep && exchange);
    assert.equal(digest.ScheduleExpression, 'cron(30 19 * * ? *)');
    assert.equal(sweep.ScheduleExpression, 'cron(0/15 * * * ? *)');
    assert.equal(exchange.ScheduleExpression, 'cron(5 * * * ? *)');
    for (const s of [digest, sweep, exchange]) {
      assert.equal(s.ScheduleExpressionTimezone, 'Asia/Shanghai');
      assert.equal(s.State, 'ENABLED');
      assert.deepEqual(s.FlexibleTimeWindow, { Mode: 'OFF' });
    }
  });

  test('the input names the job and carries the scheduler time and execution id (the Lambda event)', () => {
    const input = JSON.parse(scheduleFor('price-digest').Target.Input);
    assert.deepEqual(input, {
      job: 'price-digest',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      executionId: '<aws.scheduler.execution-id>',
    });
  });

  test('both target the jobs function, with retries, a maximum event age and the dead-letter queue', () => {
    for (const job of ['price-digest', 'price-sweep', 'exchange-sweep']) {
      const target = scheduleFor(job).Target;
      assert.deepEqual(target.Arn, arnOf(id(stack.jobs.function)), job);
      assert.deepEqual(target.RoleArn, arnOf(id(stack.jobs.role)), job);
      assert.deepEqual(target.DeadLetterConfig, { Arn: arnOf(id(stack.jobs.deadLetterQueue)) }, job);
      assert.ok(target.RetryPolicy.MaximumRetryAttempts >= 2, job);
      assert.ok(target.RetryPolicy.MaximumEventAgeInSeconds >= 15 * 60, job);
    }
  });

  test('the default digest time is 18:00', () => {
    const plain = SynthesizedStack.create({}, { bundle: false });
    try {
      const digest = plain
        .ofType('AWS::Scheduler::Schedule')
        .map(([, r]) => r.Properties)
        .find((s) => JSON.parse(s.Target.Input).job === 'price-digest');
      assert.equal(digest?.ScheduleExpression, 'cron(0 18 * * ? *)');
    } finally {
      plain.dispose();
    }
  });

  test('a digest time that is not HH:MM fails the synth with the setting named', () => {
    assert.throws(
      () => SynthesizedStack.create({ priceDigestTime: '6pm' }, { bundle: false }),
      /priceDigestTime must be HH:MM/,
    );
  });
});

describe('least privilege', () => {
  test('the scheduler role is for EventBridge Scheduler of this account, and may only invoke the jobs function and park dead letters', () => {
    const role = props(stack.jobs.role);
    const trust = role.AssumeRolePolicyDocument.Statement;
    assert.equal(trust.length, 1);
    assert.deepEqual(trust[0].Principal, { Service: 'scheduler.amazonaws.com' });
    assert.deepEqual(trust[0].Condition, { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });

    const roleId = id(stack.jobs.role);
    const statements = synth
      .ofType('AWS::IAM::Policy')
      .filter(([, p]) => p.Properties.Roles.some((r: any) => r.Ref === roleId))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement);
    const actions = statements.flatMap(actionsOf).sort();
    assert.deepEqual([...new Set(actions)], ['lambda:InvokeFunction', 'sqs:SendMessage']);
    const fn = arnOf(id(stack.jobs.function));
    for (const s of statements.filter((st) => actionsOf(st).includes('lambda:InvokeFunction'))) {
      for (const r of resourcesOf(s))
        assert.ok(
          JSON.stringify(r).includes(id(stack.jobs.function)),
          `invoke only the jobs function, got ${JSON.stringify(r)}`,
        );
    }
    assert.ok(
      statements.some(
        (s) =>
          actionsOf(s).includes('lambda:InvokeFunction') &&
          resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(fn)),
      ),
    );
    for (const s of statements.filter((st) => actionsOf(st).includes('sqs:SendMessage'))) {
      assert.deepEqual(resourcesOf(s), [arnOf(id(stack.jobs.deadLetterQueue))]);
    }
  });

  test('the jobs function reaches the table (no Scan) and may only queue SMS, like the http function', () => {
    // (Its own dead-letter queue, the on-failure destination, is checked below.)
    const statements = synth
      .statementsOfFunction(id(stack.jobs.function))
      .filter((st) => !JSON.stringify(st.Resource).includes(id(stack.jobs.deadLetterQueue)));
    const actions = statements.flatMap(actionsOf);
    assert.ok(
      actions.includes('dynamodb:Query') &&
        actions.includes('dynamodb:PutItem') &&
        actions.includes('dynamodb:BatchWriteItem'),
    );
    assert.ok(!actions.includes('dynamodb:Scan'));
    assert.deepEqual(
      actions.filter((a) => a.startsWith('sqs:')),
      ['sqs:SendMessage'],
    );
    assert.ok(!actions.some((a) => a.startsWith('sms-voice:')), 'no gateway access');
    const env = props(stack.jobs.function).Environment.Variables;
    assert.deepEqual(env.BUCKET_NAME, ref(id(stack.filesBucket)));
    assert.deepEqual(env.TABLE_NAME, ref(id(stack.table)));
    assert.deepEqual(env.SMS_QUEUE_URL, ref(id(stack.sms.queue)));
    assert.equal(env.APP_MODE, 'aws');
    // No sign-in capability: the jobs hold no AUTH_SECRET.
    assert.equal(env.AUTH_SECRET, undefined);
    assert.ok(
      props(stack.jobs.function).Timeout >= 60,
      'a digest of many subscribers needs more than the 10 s default',
    );
  });

  test('the sweep may read and delete CSV import write plans (imports/prices/plans/), and no other object; leftover plans expire', () => {
    const plans = { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id(stack.filesBucket), 'Arn'] }, '/imports/prices/plans/*']] };
    // (The upload cleanup's own statements, on uploads/ only, are test/infra/knowledge.test.ts's;
    // the open-data snapshot's, on the static bucket only, test/infra/open-data.test.ts's.)
    const s3 = synth
      .statementsOfFunction(id(stack.jobs.function))
      .filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')))
      .filter((st) => !JSON.stringify(st).includes('uploads/'))
      .filter((st) => !JSON.stringify(st.Resource).includes(`"${id(stack.staticBucket)}"`));
    const actions = s3.flatMap(actionsOf).sort();
    assert.deepEqual(actions, ['s3:DeleteObject', 's3:GetObject', 's3:ListBucket']);
    for (const st of s3) {
      // Object actions only on the plans; ListBucket (a missing plan is a 404, not a 403) on the bucket itself.
      const objects = resourcesOf(st).filter((r) => JSON.stringify(r).includes('/'));
      assert.deepEqual(objects, actionsOf(st).includes('s3:ListBucket') ? [] : [plans], JSON.stringify(st));
    }
    assert.ok(!actions.some((a) => a.startsWith('s3:Put')), 'it never writes files');
    const rules = resources[id(stack.filesBucket)]!.Properties.LifecycleConfiguration.Rules as Array<
      Record<string, any>
    >;
    const leftover = rules.find((r) => r.Prefix === 'imports/prices/plans/');
    assert.deepEqual([leftover?.Status, leftover?.ExpirationInDays], ['Enabled', 30]);
    assert.ok(
      !rules.some((r) => r.Prefix === 'imports/' || r.Prefix === 'imports/prices/'),
      'kept uploads do not expire',
    );
  });

  test('the dead-letter queue is encrypted, kept 14 days, and alarms into the SMS alarm topic', () => {
    const q = props(stack.jobs.deadLetterQueue);
    assert.equal(q.SqsManagedSseEnabled, true);
    assert.equal(q.MessageRetentionPeriod, 14 * 86_400);
    const alarms = synth
      .ofType('AWS::CloudWatch::Alarm')
      .map(([, a]) => a.Properties)
      .filter((a) => a.Dimensions?.some((d: any) => JSON.stringify(d.Value).includes(id(stack.jobs.deadLetterQueue))));
    assert.equal(alarms.length, 1);
    assert.deepEqual(alarms[0].AlarmActions, [ref(id(stack.sms.alarms.topic))]);
  });
});

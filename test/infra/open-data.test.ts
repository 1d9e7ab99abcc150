/**
 * Open data in the synthesized template: the daily `open-data` schedule an hour after the
 * digest (retries, the dead-letter queue), the jobs function's grant (s3:PutObject on open-data/*
 * of the static bucket, nothing else of it) and setting, and CloudFront's /open-data/* behaviour
 * on the static bucket's origin. Template only (no bundling).
 */
import assert from 'node:assert/strict';
import { CachePolicy, ResponseHeadersPolicy } from 'aws-cdk-lib/aws-cloudfront';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { actionsOf, arnOf, resourcesOf, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'] }, { bundle: false });
});
afterAll(() => synth?.dispose());

const scheduleFor = (s: SynthesizedStack, job: string) =>
  s
    .ofType('AWS::Scheduler::Schedule')
    .map(([, r]) => r.Properties)
    .find((p) => JSON.parse(p.Target.Input).job === job);

describe('the open-data schedule', () => {
  test('daily at 19:00 Asia/Shanghai, an hour after the default digest, into the jobs function with retries and the dead-letter queue', () => {
    const schedule = scheduleFor(synth, 'open-data');
    assert.ok(schedule, 'an open-data schedule');
    assert.equal(schedule.ScheduleExpression, 'cron(0 19 * * ? *)');
    assert.equal(schedule.ScheduleExpressionTimezone, 'Asia/Shanghai');
    assert.equal(schedule.State, 'ENABLED');
    const { stack } = synth;
    assert.deepEqual(schedule.Target.Arn, arnOf(synth.logicalId(stack.jobs.function)));
    assert.deepEqual(schedule.Target.DeadLetterConfig, { Arn: arnOf(synth.logicalId(stack.jobs.deadLetterQueue)) });
    assert.equal(schedule.Target.RetryPolicy.MaximumRetryAttempts, 3);
    assert.equal(schedule.Target.RetryPolicy.MaximumEventAgeInSeconds, 7200);
    assert.deepEqual(JSON.parse(schedule.Target.Input), {
      job: 'open-data',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      executionId: '<aws.scheduler.execution-id>',
    });
  });

  test('it follows a later digest', () => {
    const late = SynthesizedStack.create({ priceDigestTime: '20:30' }, { bundle: false });
    try {
      assert.equal(scheduleFor(late, 'open-data')?.ScheduleExpression, 'cron(30 21 * * ? *)');
    } finally {
      late.dispose();
    }
  });
});

describe('the jobs function and the static bucket', () => {
  test('PUBLIC_BUCKET_NAME is the static bucket', () => {
    const env = synth.resources[synth.logicalId(synth.stack.jobs.function)]!.Properties.Environment.Variables;
    assert.deepEqual(env.PUBLIC_BUCKET_NAME, { Ref: synth.logicalId(synth.stack.staticBucket) });
  });

  test('s3:PutObject on open-data/* of the static bucket, and no other action on that bucket', () => {
    const bucket = synth.logicalId(synth.stack.staticBucket);
    const onStatic = synth
      .statementsOfFunction(synth.logicalId(synth.stack.jobs.function))
      .filter((s) => JSON.stringify(s.Resource).includes(`"${bucket}"`));
    assert.equal(onStatic.length, 1);
    const [statement] = onStatic;
    assert.equal(statement!.Effect, 'Allow');
    assert.deepEqual(actionsOf(statement!), ['s3:PutObject']);
    assert.deepEqual(resourcesOf(statement!), [
      { 'Fn::Join': ['', [{ 'Fn::GetAtt': [bucket, 'Arn'] }, '/open-data/*']] },
    ]);
  });

  test('no other function may write the static bucket', () => {
    const bucket = synth.logicalId(synth.stack.staticBucket);
    const jobs = synth.logicalId(synth.stack.jobs.function);
    for (const [id, fn] of synth.ofType('AWS::Lambda::Function')) {
      if (id === jobs || fn.Properties.Environment?.Variables?.APP_MODE !== 'aws') continue;
      const writes = synth
        .statementsOfFunction(id)
        .filter(
          (s) => JSON.stringify(s.Resource).includes(`"${bucket}"`) && actionsOf(s).some((a) => a.startsWith('s3:Put')),
        );
      assert.deepEqual(writes, [], id);
    }
  });
});

describe('CloudFront', () => {
  const config = () => synth.ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;

  test("/open-data/* is served from the static bucket origin (the /static/* one), read-only, cached by the objects' Cache-Control, CORS open", () => {
    const behaviours = config().CacheBehaviors as Array<Record<string, any>>;
    const open = behaviours.find((b) => b.PathPattern === '/open-data/*');
    const assets = behaviours.find((b) => b.PathPattern === '/static/*');
    assert.ok(open && assets);
    assert.equal(open.TargetOriginId, assets.TargetOriginId, 'one origin, one origin access control');
    assert.deepEqual(open.AllowedMethods, ['GET', 'HEAD']);
    assert.equal(open.CachePolicyId, CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    assert.equal(
      open.ResponseHeadersPolicyId,
      ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_AND_SECURITY_HEADERS.responseHeadersPolicyId,
    );
    assert.equal(open.ViewerProtocolPolicy, 'redirect-to-https');
    const origin = (config().Origins as Array<Record<string, any>>).find((o) => o.Id === open.TargetOriginId)!;
    assert.deepEqual(origin.DomainName, {
      'Fn::GetAtt': [synth.logicalId(synth.stack.staticBucket), 'RegionalDomainName'],
    });
  });

  test('the static assets deployment prunes only under static/: snapshots are never deleted by a deploy', () => {
    const [deployment] = synth.ofType('Custom::CDKBucketDeployment');
    assert.equal(deployment![1].Properties.DestinationBucketKeyPrefix, 'static/');
  });
});

/**
 * The knowledge library in the synthesized template: its two schedules (question-escalate every
 * 15 minutes, upload-cleanup hourly), the files bucket's lifecycle rule for unfinished uploads,
 * CloudFront's `/files/attachments/*` behaviour (origin access control to attachments/ only,
 * security headers, nothing of uploads/ served or cached), the http function's S3 grants for
 * presigned uploads and attachments, FILES_BASE_URL, and the jobs function's cleanup grants.
 * Template only (no bundling).
 */
import assert from 'node:assert/strict';
import { CachePolicy } from 'aws-cdk-lib/aws-cloudfront';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import { actionsOf, arnOf, type Resource, resourcesOf, type Statement, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let resources: Record<string, Resource>;
beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'] }, { bundle: false });
  ({ stack, resources } = synth);
});
afterAll(() => synth?.dispose());

const id = (c: IConstruct) => synth.logicalId(c);
const objects = (prefix: string) => ({ 'Fn::Join': ['', [arnOf(id(stack.filesBucket)), `/${prefix}*`]] });
const scheduleFor = (job: string) =>
  synth
    .ofType('AWS::Scheduler::Schedule')
    .map(([, r]) => r.Properties)
    .find((s) => JSON.parse(s.Target.Input).job === job);
const s3Statements = (fn: IConstruct) =>
  synth.statementsOfFunction(id(fn)).filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')));
/** `action @ prefix` for each S3 grant of a function ("bucket" for the bucket itself). */
const s3Grants = (statements: Statement[]) =>
  statements.flatMap((s) =>
    actionsOf(s).flatMap((a) =>
      resourcesOf(s).map((r) => `${a} @ ${JSON.stringify(r).match(/"\/([a-z/]+\/)\*"/)?.[1] ?? 'bucket'}`),
    ),
  );

describe('schedules', () => {
  test('question-escalate every 15 minutes and upload-cleanup hourly, in Asia/Shanghai, to the jobs function with retries and the dead-letter queue', () => {
    const escalate = scheduleFor('question-escalate');
    const cleanup = scheduleFor('upload-cleanup');
    assert.ok(escalate && cleanup);
    assert.equal(escalate.ScheduleExpression, 'cron(0/15 * * * ? *)');
    assert.match(cleanup.ScheduleExpression, /^cron\(\d{1,2} \* \* \* \? \*\)$/, 'once an hour');
    for (const [job, s] of [
      ['question-escalate', escalate],
      ['upload-cleanup', cleanup],
    ] as const) {
      assert.equal(s.ScheduleExpressionTimezone, 'Asia/Shanghai', job);
      assert.equal(s.State, 'ENABLED', job);
      assert.deepEqual(JSON.parse(s.Target.Input), {
        job,
        scheduledTime: '<aws.scheduler.scheduled-time>',
        executionId: '<aws.scheduler.execution-id>',
      });
      assert.deepEqual(s.Target.Arn, arnOf(id(stack.jobs.function)), job);
      assert.deepEqual(s.Target.RoleArn, arnOf(id(stack.jobs.role)), job);
      assert.deepEqual(s.Target.DeadLetterConfig, { Arn: arnOf(id(stack.jobs.deadLetterQueue)) }, job);
      assert.ok(s.Target.RetryPolicy.MaximumRetryAttempts >= 1, job);
    }
  });
});

describe('the files bucket', () => {
  test('unfinished uploads (uploads/) expire after a day, old versions too; attachments never expire', () => {
    const rules = resources[id(stack.filesBucket)]!.Properties.LifecycleConfiguration.Rules as Array<
      Record<string, any>
    >;
    const uploads = rules.find((r) => r.Prefix === 'uploads/');
    assert.equal(uploads?.Status, 'Enabled');
    assert.equal(uploads?.ExpirationInDays, 1);
    assert.equal(uploads?.NoncurrentVersionExpiration?.NoncurrentDays, 1);
    assert.ok(!rules.some((r) => r.Prefix === 'attachments/' && r.ExpirationInDays));
  });

  test('CloudFront of this distribution may read attachments/ and nothing else of it', () => {
    const allows = synth
      .ofType('AWS::S3::BucketPolicy')
      .filter(([, p]) => p.Properties.Bucket.Ref === id(stack.filesBucket))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Statement[])
      .filter((s) => s.Effect === 'Allow');
    assert.equal(allows.length, 1);
    const [grant] = allows;
    assert.deepEqual(grant!.Principal, { Service: 'cloudfront.amazonaws.com' });
    assert.deepEqual(actionsOf(grant!), ['s3:GetObject']);
    assert.deepEqual(resourcesOf(grant!), [objects('attachments/')]);
    assert.match(JSON.stringify(grant!.Condition.StringEquals['AWS:SourceArn']), new RegExp(id(stack.distribution!)));
  });
});

describe('CloudFront /files/attachments/*', () => {
  const config = () => synth.ofType('AWS::CloudFront::Distribution')[0]![1].Properties.DistributionConfig;
  const behaviour = () => config().CacheBehaviors.find((b: any) => b.PathPattern === '/files/attachments/*');

  test('reads the files bucket through origin access control, GET and HEAD only, over HTTPS, cached (attachments never change)', () => {
    const b = behaviour();
    assert.ok(b, 'a behaviour for /files/attachments/*');
    assert.deepEqual(b.AllowedMethods, ['GET', 'HEAD']);
    assert.equal(b.ViewerProtocolPolicy, 'redirect-to-https');
    assert.equal(b.CachePolicyId, CachePolicy.CACHING_OPTIMIZED.cachePolicyId);
    const origin = config().Origins.find((o: any) => o.Id === b.TargetOriginId);
    assert.deepEqual(origin.DomainName, { 'Fn::GetAtt': [id(stack.filesBucket), 'RegionalDomainName'] });
    const oac = resources[origin.OriginAccessControlId['Fn::GetAtt'][0]]!;
    assert.equal(oac.Type, 'AWS::CloudFront::OriginAccessControl');
    assert.equal(oac.Properties.OriginAccessControlConfig.SigningBehavior, 'always');
    assert.equal(origin.OriginCustomHeaders, undefined, 'S3 never sees the origin secret');
  });

  test('nothing else of the bucket is behind CloudFront: uploads/ go to the uncached default (the app), never to S3', () => {
    const toFiles = config().CacheBehaviors.filter((b: any) => {
      const origin = config().Origins.find((o: any) => o.Id === b.TargetOriginId);
      return JSON.stringify(origin.DomainName).includes(id(stack.filesBucket));
    });
    assert.deepEqual(
      toFiles.map((b: any) => b.PathPattern),
      ['/files/attachments/*'],
    );
    assert.equal(config().DefaultCacheBehavior.CachePolicyId, CachePolicy.CACHING_DISABLED.cachePolicyId);
  });

  test('the viewer-request function maps /files/attachments/… to the key attachments/…', () => {
    const [association] = behaviour().FunctionAssociations;
    assert.equal(association.EventType, 'viewer-request');
    const fn = resources[association.FunctionARN['Fn::GetAtt'][0]]!;
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)();
    const out = handler({ request: { uri: '/files/attachments/g01abc/f01def.pdf', headers: {} } });
    assert.equal(out.uri, '/attachments/g01abc/f01def.pdf');
  });

  test('security headers: nosniff, no framing, no referrer, HSTS, a CSP without scripts', () => {
    const policy = resources[behaviour().ResponseHeadersPolicyId.Ref]!;
    assert.equal(policy.Type, 'AWS::CloudFront::ResponseHeadersPolicy');
    const h = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    assert.equal(h.ContentTypeOptions.Override, true);
    assert.equal(h.FrameOptions.FrameOption, 'DENY');
    assert.equal(h.ReferrerPolicy.ReferrerPolicy, 'no-referrer');
    assert.ok(h.StrictTransportSecurity.AccessControlMaxAgeSec >= 31_536_000);
    const csp: string = h.ContentSecurityPolicy.ContentSecurityPolicy;
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    assert.match(csp, /frame-ancestors 'none'/);
  });
});

describe('IAM and settings', () => {
  test('the http function: PutObject, GetObject, DeleteObject on uploads/*, PutObject and DeleteObject on attachments/* (CloudFront serves them), PutObject on voice/answers/* (recorded answers), nothing else of the bucket', () => {
    assert.deepEqual(
      s3Grants(s3Statements(stack.httpFunction)).sort(),
      [
        's3:DeleteObject @ attachments/',
        's3:DeleteObject @ uploads/',
        's3:GetObject @ uploads/',
        's3:PutObject @ attachments/',
        's3:PutObject @ uploads/',
        's3:PutObject @ voice/answers/',
      ].sort(),
    );
  });

  test('the http function links attachments at the distribution + /files, and knows the bucket', () => {
    const env = resources[id(stack.httpFunction)]!.Properties.Environment.Variables;
    assert.deepEqual(env.BUCKET_NAME, { Ref: id(stack.filesBucket) });
    assert.deepEqual(env.FILES_BASE_URL, {
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [id(stack.distribution!), 'DomainName'] }, '/files']],
    });
  });

  test('with a custom domain, FILES_BASE_URL names it', () => {
    const custom = SynthesizedStack.create(
      {
        domain: {
          domainNames: ['zhingdrok.example'],
          certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
        },
      },
      { bundle: false },
    );
    try {
      const env = custom.resources[custom.logicalId(custom.stack.httpFunction)]!.Properties.Environment.Variables;
      assert.equal(env.FILES_BASE_URL, 'https://zhingdrok.example/files');
    } finally {
      custom.dispose();
    }
  });

  test('the jobs function: ListBucket under uploads/ and DeleteObject on uploads/* for the cleanup, and still the table', () => {
    const cleanup = s3Statements(stack.jobs.function).filter((s) => JSON.stringify(s).includes('uploads/'));
    assert.deepEqual(s3Grants(cleanup).sort(), ['s3:DeleteObject @ uploads/', 's3:ListBucket @ bucket']);
    const list = cleanup.find((s) => actionsOf(s).includes('s3:ListBucket'))!;
    assert.deepEqual(resourcesOf(list), [arnOf(id(stack.filesBucket))]);
    assert.deepEqual(list.Condition, { StringLike: { 's3:prefix': ['uploads/*'] } });
    const dynamo = synth.statementsOfFunction(id(stack.jobs.function)).flatMap(actionsOf);
    for (const a of ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'])
      assert.ok(dynamo.includes(a), a);
  });
});

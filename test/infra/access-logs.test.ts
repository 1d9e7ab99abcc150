/**
 * Access logs in the synthesized template (constructs/access-logs.ts): the API stage's JSON
 * lines into a log group with retention, CloudFront's standard logs into a bucket that allows
 * the ACL CloudFront's log delivery needs and nothing public, both expiring. Template only.
 */
import assert from 'node:assert/strict';
import { CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { ACCESS_LOG_DAYS, CLOUDFRONT_LOG_PREFIX } from '../../infra/constructs/access-logs.ts';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import { arnOf, type Resource, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let resources: Record<string, Resource>;
const id = (c: IConstruct) => (c instanceof CfnElement ? stack.getLogicalId(c) : synth.logicalId(c));
const props = (c: IConstruct) => resources[id(c)]!.Properties;

beforeAll(() => {
  synth = SynthesizedStack.create({}, { bundle: false });
  ({ stack, resources } = synth);
});
afterAll(() => synth?.dispose());

describe('the API stage', () => {
  test('writes one JSON object a request into its log group', () => {
    const stages = synth.ofType('AWS::ApiGatewayV2::Stage');
    assert.equal(stages.length, 1);
    const settings = stages[0]![1].Properties.AccessLogSettings;
    assert.deepEqual(settings.DestinationArn, arnOf(id(stack.accessLogs.apiLogGroup)));
    const format = JSON.parse(settings.Format);
    assert.deepEqual(
      {
        requestId: format.requestId,
        ip: format.ip,
        routeKey: format.routeKey,
        status: format.status,
        latency: format.latency,
        method: format.method,
        path: format.path,
      },
      {
        requestId: '$context.requestId',
        ip: '$context.identity.sourceIp',
        routeKey: '$context.routeKey',
        status: '$context.status',
        latency: '$context.responseLatency',
        method: '$context.httpMethod',
        path: '$context.path',
      },
    );
    // Every value is one context variable: a line stays valid JSON whatever the request was.
    for (const value of Object.values(format)) assert.match(String(value), /^\$context\.[A-Za-z.]+$/);
  });

  test('the log group keeps three months', () => {
    assert.equal(props(stack.accessLogs.apiLogGroup).RetentionInDays, ACCESS_LOG_DAYS);
  });
});

describe('CloudFront', () => {
  test('logs to the access-log bucket under its prefix, without cookies', () => {
    const logging = props(stack.distribution!).DistributionConfig.Logging;
    assert.deepEqual(logging, {
      Bucket: { 'Fn::GetAtt': [id(stack.accessLogs.bucket!), 'RegionalDomainName'] },
      Prefix: CLOUDFRONT_LOG_PREFIX,
      IncludeCookies: false,
    });
  });

  test('the bucket takes ACLs (CloudFront legacy logging), blocks all public access, TLS only, expires logs', () => {
    const bucket = props(stack.accessLogs.bucket!);
    assert.deepEqual(bucket.OwnershipControls, { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] });
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.equal(
      bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
      'AES256',
    );
    const rule = bucket.LifecycleConfiguration.Rules.find((r: any) => r.Id === 'expire-access-logs');
    assert.equal(rule.ExpirationInDays, ACCESS_LOG_DAYS);
    assert.equal(rule.Status, 'Enabled');

    const policy = synth
      .ofType('AWS::S3::BucketPolicy')
      .find(([, p]) => p.Properties.Bucket.Ref === id(stack.accessLogs.bucket!));
    assert.ok(
      policy![1].Properties.PolicyDocument.Statement.some(
        (s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    );
  });
});

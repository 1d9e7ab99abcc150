import { type CfnElement, Stack, Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges a cdk-nag finding on one construct (and what it contains), with the reason it
 * stands: the reason sits next to the resource it excuses, and test/infra/nag.test.ts fails on
 * any finding nobody acknowledged. `id` is a rule (`AwsSolutions-L1`) or one finding of it
 * (`AwsSolutions-IAM5[Resource::…]`): cdk-nag 3 matches the exact id, never a prefix.
 */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/** How cdk-nag names a resource's ARN in a finding: `<LogicalId.Arn>`. */
export function nagArnOf(resource: IConstruct): string {
  return `<${Stack.of(resource).getLogicalId(resource.node.defaultChild as CfnElement)}.Arn>`;
}

/** A wildcard finding on objects under one prefix of a bucket (`<Bucket.Arn>/prefix/*`). */
export function acknowledgeObjectPrefix(scope: IConstruct, bucket: IConstruct, prefix: string, reason: string): void {
  acknowledge(scope, `AwsSolutions-IAM5[Resource::${nagArnOf(bucket)}/${prefix}*]`, reason);
}

/** The AWS-managed policy every Lambda role CDK makes carries: CloudWatch Logs writes and nothing else. */
export const BASIC_EXECUTION_ROLE_FINDING =
  'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]';

/** How cdk-nag names the stack's region in a finding: `<AWS::Region>`, or the region a synth knows (aws-cn). */
export function nagRegion(scope: IConstruct): string {
  const { region } = Stack.of(scope);
  return Token.isUnresolved(region) ? '<AWS::Region>' : region;
}

/**
 * cdk-nag's AwsSolutions and Serverless packs pass over the synthesized stack: each finding is
 * either fixed or acknowledged with a one-line reason on the resource it excuses (never on the
 * whole stack). Template-only synths (no esbuild): the rules read resources and their properties,
 * which bundling does not change.
 */
import assert from 'node:assert/strict';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { ZhingdrokStackProps } from '../../infra/stack.ts';
import { describeFinding, nagFindings } from './nag.ts';
import { SynthesizedStack } from './synthesized-stack.ts';

/** The defaults, every optional part switched on (a custom domain, the spend limit, no reservation), and the China partition. */
const configurations: Record<string, ZhingdrokStackProps> = {
  defaults: { adminPhones: ['+8613800000000'] },
  'every option': {
    adminPhones: ['+8613800000000'],
    domain: {
      domainNames: ['zhingdrok.example'],
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/abc',
    },
    smsMonthlySpendLimitUsd: 100,
    smsBudgetUsd: 80,
    smsSenderConcurrency: 0,
  },
  // The AWS China partition (no CloudFront, Connect or End User Messaging; Alibaba Cloud SMS), with and without its API domain.
  'aws-cn': { env: { region: 'cn-northwest-1' }, partition: 'aws-cn', adminPhones: ['+8613800000000'] },
  'aws-cn with a domain': {
    env: { region: 'cn-northwest-1' },
    partition: 'aws-cn',
    apiDomain: {
      domainName: 'zhingdrok.example.cn',
      certificateArn: 'arn:aws-cn:acm:cn-northwest-1:123456789012:certificate/abc',
    },
  },
  'aws, aliyun gateway': { adminPhones: ['+8613800000000'], smsGateway: 'aliyun' },
};

const synths: Record<string, SynthesizedStack> = {};
beforeAll(() => {
  for (const [name, props] of Object.entries(configurations))
    synths[name] = SynthesizedStack.create(props, { bundle: false });
});
afterAll(() => {
  for (const synth of Object.values(synths)) synth.dispose();
});

/** Every acknowledgement under `scope`: where it is, the rule, the reason. */
function acknowledgementsUnder(scope: IConstruct): { path: string; rule: string; reason: string }[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY && m.data)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([rule, reason]) => ({
          path: c.node.path,
          rule,
          reason,
        })),
      ),
  );
}

describe('cdk-nag (AwsSolutions, Serverless)', () => {
  test('the packs find what they should: a bare queue is a finding', () => {
    const stack = new Stack(new App(), 'Bare');
    new Queue(stack, 'Queue');
    const rules = nagFindings(stack).map((f) => f.rule);
    assert.ok(rules.includes('AwsSolutions-SQS3'), rules.join(' '));
    assert.ok(rules.includes('AwsSolutions-SQS4'), rules.join(' '));
  });

  for (const name of Object.keys(configurations)) {
    test(`${name}: no finding, error or warning, is left unfixed and unacknowledged`, () => {
      const left = nagFindings(synths[name]!.stack);
      assert.deepEqual(left.map(describeFinding), [], `${left.length} cdk-nag findings`);
    });
  }

  test('every acknowledgement is on a resource or construct, never the stack or app, with a one-line reason', () => {
    for (const synth of Object.values(synths)) {
      const acks = acknowledgementsUnder(synth.stack.node.root);
      assert.ok(acks.length > 20, `${acks.length} acknowledgements`);
      for (const ack of acks) {
        assert.notEqual(ack.path, synth.stack.node.path, `${ack.rule} is acknowledged stack-wide`);
        assert.notEqual(ack.path, '', `${ack.rule} is acknowledged app-wide`);
        assert.match(ack.reason, /^[^\n]{20,200}$/, `${ack.path} ${ack.rule}: a one-line reason`);
      }
    }
  });
});

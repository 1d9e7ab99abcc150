/**
 * The WAF WebACL of the CloudFront distribution (constructs/edge-protection.ts, infra/stacks.ts):
 * where it is made for each region, its rate rule on the routes that send sign-in codes, that
 * the distribution references it, and `waf=off` / `webAclArn` from the context. The rule's paths
 * are checked against the app itself: a POST to each sends an SMS.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { ADMIN, CookieJar, csrfOf, form, from, postJson, smsCount } from '#test/support/staff.ts';
import {
  SIGN_IN_REQUESTS_PER_FIVE_MINUTES,
  SMS_SENDING_PATH_PREFIXES,
} from '../../infra/constructs/edge-protection.ts';
import { readDeployContext } from '../../infra/deploy-context.ts';
import { fromRepoRoot } from '../../infra/paths.ts';
import { defineStacks } from '../../infra/stacks.ts';
import { SynthesizedStack } from './synthesized-stack.ts';

const account = '123456789012';
const OTHER_ADMIN = '+8613800000001';
const webAcls = (t: Template) => Object.values(t.findResources('AWS::WAFv2::WebACL')) as any[];
const webAclIdOf = (t: Template) =>
  (Object.values(t.findResources('AWS::CloudFront::Distribution'))[0] as any).Properties.DistributionConfig.WebACLId;
const logicalIdOf = (t: Template, type: string) => Object.keys(t.findResources(type))[0]!;

/** An app as `cdk synth` makes it (cdk.json's flags), bundling nothing, with this context. */
function appWith(context: Record<string, string> = {}) {
  const { context: flags } = JSON.parse(readFileSync(fromRepoRoot('cdk.json'), 'utf8'));
  return new App({ context: { ...flags, 'aws:cdk:bundling-stacks': [], ...context } });
}

function assertRateRule(acl: any) {
  assert.equal(acl.Properties.Scope, 'CLOUDFRONT');
  assert.deepEqual(acl.Properties.DefaultAction, { Allow: {} });
  const [rule, ...others] = acl.Properties.Rules;
  assert.equal(others.length, 0);
  assert.deepEqual(rule.Action, { Block: { CustomResponse: { ResponseCode: 429 } } });
  const rate = rule.Statement.RateBasedStatement;
  assert.deepEqual(
    [rate.Limit, rate.EvaluationWindowSec, rate.AggregateKeyType],
    [SIGN_IN_REQUESTS_PER_FIVE_MINUTES, 300, 'IP'],
  );
  const [method, paths] = rate.ScopeDownStatement.AndStatement.Statements;
  assert.deepEqual(
    [method.ByteMatchStatement.FieldToMatch, method.ByteMatchStatement.SearchString],
    [{ Method: {} }, 'POST'],
  );
  assert.deepEqual(
    paths.OrStatement.Statements.map((s: any) => [
      s.ByteMatchStatement.PositionalConstraint,
      s.ByteMatchStatement.SearchString,
    ]),
    SMS_SENDING_PATH_PREFIXES.map((p) => ['STARTS_WITH', p]),
  );
  assert.equal(rule.VisibilityConfig.CloudWatchMetricsEnabled, true);
}

describe('where the WebACL is made', () => {
  test('a region unknown at synth: in the stack, made only in us-east-1, the distribution referencing it there', () => {
    const synth = SynthesizedStack.create({}, { bundle: false });
    try {
      const [acl, ...more] = webAcls(synth.template);
      assert.equal(more.length, 0);
      assertRateRule(acl);
      const aclId = logicalIdOf(synth.template, 'AWS::WAFv2::WebACL');
      const condition = acl.Condition as string;
      assert.deepEqual(synth.template.toJSON().Conditions[condition], {
        'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'],
      });
      assert.deepEqual(webAclIdOf(synth.template), {
        'Fn::If': [condition, { 'Fn::GetAtt': [aclId, 'Arn'] }, { Ref: 'AWS::NoValue' }],
      });
    } finally {
      synth.dispose();
    }
  });

  test('a stack in us-east-1: in the stack, unconditional', () => {
    const synth = SynthesizedStack.create({ env: { account, region: 'us-east-1' } }, { bundle: false });
    try {
      const [acl] = webAcls(synth.template);
      assertRateRule(acl);
      assert.equal(acl.Condition, undefined);
      assert.deepEqual(webAclIdOf(synth.template), {
        'Fn::GetAtt': [logicalIdOf(synth.template, 'AWS::WAFv2::WebACL'), 'Arn'],
      });
    } finally {
      synth.dispose();
    }
  });

  test('another region: an edge stack in us-east-1 holds it, deployed first, its ARN reaching the distribution', () => {
    const app = appWith();
    const { main, edge } = defineStacks(app, { account, region: 'ap-southeast-1' });
    assert.ok(edge);
    assert.equal(edge.region, 'us-east-1');
    const edgeTemplate = Template.fromStack(edge);
    assertRateRule(webAcls(edgeTemplate)[0]);
    const mainTemplate = Template.fromStack(main);
    assert.equal(webAcls(mainTemplate).length, 0);
    assert.ok(main.dependencies.includes(edge), 'the edge stack deploys first');
    // CDK's cross-region reference: the edge stack exports the ARN to an SSM parameter in
    // us-east-1, and a reader in the main stack hands it to the distribution.
    const edgeAclId = logicalIdOf(edgeTemplate, 'AWS::WAFv2::WebACL');
    const [readerId, attribute] = webAclIdOf(mainTemplate)['Fn::GetAtt'];
    assert.match(readerId, /ExportsReader/);
    assert.match(attribute, new RegExp(`/cdk/exports/Zhingdrok/.*${edgeAclId}`));
    assert.ok(
      JSON.stringify(edgeTemplate.findResources('Custom::CrossRegionExportWriter')).includes(edgeAclId),
      'the edge stack writes the ARN',
    );
  });
});

describe('from the context', () => {
  test('waf=off: no WebACL anywhere, none attached', () => {
    const { main, edge } = defineStacks(appWith({ waf: 'off' }), { account, region: 'ap-southeast-1' });
    assert.equal(edge, undefined);
    const t = Template.fromStack(main);
    assert.equal(webAcls(t).length, 0);
    assert.equal(webAclIdOf(t), undefined);
  });

  test('webAclArn: that WebACL is attached, and no stack makes one', () => {
    const arn = `arn:aws:wafv2:us-east-1:${account}:global/webacl/shared/0123abcd-0123-4567-89ab-0123456789ab`;
    const { main, edge } = defineStacks(appWith({ webAclArn: arn }), { account, region: 'ap-southeast-1' });
    assert.equal(edge, undefined);
    const t = Template.fromStack(main);
    assert.equal(webAcls(t).length, 0);
    assert.equal(webAclIdOf(t), arn);
  });

  test('bad values fail the synth, naming the key', () => {
    assert.throws(() => readDeployContext(new App({ context: { waf: 'no' } })), /context waf/);
    assert.throws(
      () => readDeployContext(new App({ context: { webAclArn: 'arn:aws:wafv2:ap-east-1:1:regional/webacl/x/y' } })),
      /context webAclArn/,
    );
  });
});

describe("the rule's paths are the app's routes that send SMS", () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack({ ADMIN_PHONES: `${ADMIN},${OTHER_ADMIN}` });
  });
  afterAll(() => stack?.close());

  test('a POST under each prefix sends a sign-in code', async () => {
    const covered = (path: string) => SMS_SENDING_PATH_PREFIXES.some((prefix) => path.startsWith(prefix));

    // Two staff phones, so that neither request is the other's repeat.
    const page = from(stack, '198.51.100.22');
    const jar = new CookieJar();
    const html = await (await jar.send(page, '/sign-in')).text();
    assert.ok(covered('/sign-in/code'));
    await jar.send(page, '/sign-in/code', form({ _csrf: csrfOf(html), phone: ADMIN }));
    assert.equal(await smsCount(stack, ADMIN), 1);

    assert.ok(covered('/api/v1/auth/code'));
    const api = from(stack, '198.51.100.21');
    assert.equal((await api('/api/v1/auth/code', postJson({ phone: OTHER_ADMIN }))).status, 202);
    assert.equal(await smsCount(stack, OTHER_ADMIN), 1);
  });
});

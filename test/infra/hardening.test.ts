/**
 * What cdk-nag asked to be fixed rather than excused, in the synthesized template: the jobs'
 * asynchronous failures kept, the SNS subscriptions' dead letters, S3 grants to the prefixes each
 * function uses, the import within API Gateway's time limit, the sender's reserved concurrency,
 * security headers on /static/*, and the account-side SMS spend backstops. Template only.
 */
import assert from 'node:assert/strict';
import { App, CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { getCountries } from 'libphonenumber-js';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { IMPORT_TIMEOUT_SECONDS } from '../../infra/constructs/price-import.ts';
import { DEFAULT_SMS_BUDGET_USD, SMS_COST_SERVICES } from '../../infra/constructs/sms-spend.ts';
import { STATIC_CONTENT_SECURITY_POLICY } from '../../infra/constructs/web-distribution.ts';
import { readDeployContext } from '../../infra/deploy-context.ts';
import { actionsOf, arnOf, type Resource, ref, resourcesOf, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
let options: SynthesizedStack;
const idIn = (s: SynthesizedStack) => (c: IConstruct) =>
  c instanceof CfnElement ? s.stack.getLogicalId(c) : s.logicalId(c);

beforeAll(() => {
  synth = SynthesizedStack.create({ adminPhones: ['+8613800000000'] }, { bundle: false });
  options = SynthesizedStack.create(
    { adminPhones: ['+8613800000000'], smsSenderConcurrency: 0, smsMonthlySpendLimitUsd: 300, smsBudgetUsd: 120 },
    { bundle: false },
  );
});
afterAll(() => {
  synth?.dispose();
  options?.dispose();
});

/** `action @ prefix/` for each object grant (`@ bucket` for the bucket itself) of a function on the files bucket. */
function s3GrantsOf(s: SynthesizedStack, fn: IConstruct): string[] {
  const id = idIn(s);
  return s
    .statementsOfFunction(id(fn))
    .filter((st) => actionsOf(st).some((a) => a.startsWith('s3:')))
    .flatMap((st) =>
      resourcesOf(st).flatMap((r) => {
        const text = JSON.stringify(r);
        assert.ok(text.includes(id(s.stack.filesBucket)), `${text}: the files bucket only`);
        const where = text.match(/"\/([a-z/]+\/)\*"/)?.[1] ?? 'bucket';
        return actionsOf(st).map((a) => `${a} @ ${where}`);
      }),
    )
    .sort();
}

describe('the jobs function keeps its asynchronous failures', () => {
  test('EventBridge Scheduler invokes it asynchronously: after two retries the event goes to the jobs dead-letter queue', () => {
    const id = idIn(synth);
    const configs = synth
      .ofType('AWS::Lambda::EventInvokeConfig')
      .map(([, r]) => r.Properties)
      .filter((p) => p.FunctionName.Ref === id(synth.stack.jobs.function));
    assert.equal(configs.length, 1);
    assert.equal(configs[0].MaximumRetryAttempts, 2);
    assert.deepEqual(configs[0].DestinationConfig, {
      OnFailure: { Destination: arnOf(id(synth.stack.jobs.deadLetterQueue)) },
    });
    // …and the function may put it there (SendMessage on that queue).
    const onQueue = synth
      .statementsOfFunction(id(synth.stack.jobs.function))
      .filter((st) => JSON.stringify(st.Resource) === JSON.stringify(arnOf(id(synth.stack.jobs.deadLetterQueue))));
    assert.ok(onQueue.flatMap(actionsOf).includes('sqs:SendMessage'));
  });
});

describe('SNS → Lambda subscriptions', () => {
  test('both have a dead-letter queue SNS may send to, encrypted, kept 14 days, that alarms', () => {
    const id = idIn(synth);
    const dlq = synth.stack.sms.undeliveredEventsQueue!;
    const subs = synth.ofType('AWS::SNS::Subscription').filter(([, r]) => r.Properties.Protocol === 'lambda');
    assert.equal(subs.length, 2);
    for (const [, sub] of subs) assert.deepEqual(sub.Properties.RedrivePolicy, { deadLetterTargetArn: arnOf(id(dlq)) });
    const queue = synth.resources[id(dlq)]!.Properties;
    assert.equal(queue.SqsManagedSseEnabled, true);
    assert.equal(queue.MessageRetentionPeriod, 14 * 86_400);
    const policy = synth
      .ofType('AWS::SQS::QueuePolicy')
      .find(([, p]) => p.Properties.Queues.some((q: unknown) => JSON.stringify(q) === JSON.stringify(ref(id(dlq)))));
    assert.ok(policy, 'the dead-letter queue has a policy');
    const publish = (policy[1].Properties.PolicyDocument.Statement as Array<Record<string, any>>).filter(
      (st) => st.Principal?.Service === 'sns.amazonaws.com',
    );
    assert.equal(publish.length, 2, 'one statement per topic');
    for (const st of publish) assert.equal(st.Action, 'sqs:SendMessage');
    const alarms = synth
      .ofType('AWS::CloudWatch::Alarm')
      .filter(([, a]) => JSON.stringify(a.Properties.Dimensions ?? []).includes(id(dlq)));
    assert.equal(alarms.length, 1);
    assert.deepEqual(alarms[0]![1].Properties.AlarmActions, [ref(id(synth.stack.sms.alarms.topic))]);
  });
});

describe('S3 grants: what each function uses, where it uses it', () => {
  test('http: uploads/ read, written and deleted; attachments/ written and deleted, never read (CloudFront serves them); voice/answers/ written', () => {
    assert.deepEqual(s3GrantsOf(synth, synth.stack.httpFunction), [
      's3:DeleteObject @ attachments/',
      's3:DeleteObject @ uploads/',
      's3:GetObject @ uploads/',
      's3:PutObject @ attachments/',
      's3:PutObject @ uploads/',
      's3:PutObject @ voice/answers/',
    ]);
  });

  test('price-import: kept files and plans (imports/prices/) and previews (staged/prices/), by key; no wildcard actions', () => {
    assert.deepEqual(s3GrantsOf(synth, synth.stack.priceImportFunction), [
      's3:DeleteObject @ imports/prices/',
      's3:DeleteObject @ staged/prices/',
      's3:GetObject @ imports/prices/',
      's3:GetObject @ staged/prices/',
      's3:ListBucket @ bucket',
      's3:PutObject @ imports/prices/',
      's3:PutObject @ staged/prices/',
    ]);
  });

  test('the voice functions: voice/ objects by key', () => {
    for (const fn of [synth.stack.voiceFunction, synth.stack.voiceStudioFunction])
      assert.deepEqual(s3GrantsOf(synth, fn), [
        's3:DeleteObject @ voice/',
        's3:GetObject @ voice/',
        's3:ListBucket @ bucket',
        's3:PutObject @ voice/',
      ]);
  });
});

describe('limits', () => {
  test("the import Lambda ends within API Gateway's 29-second integration limit", () => {
    const fn = synth.resources[idIn(synth)(synth.stack.priceImportFunction)]!.Properties;
    assert.equal(fn.Timeout, IMPORT_TIMEOUT_SECONDS);
    assert.ok(fn.Timeout <= 29);
  });

  test('the SMS sender has 5 reserved by default; 0 reserves none', () => {
    const reserved = (s: SynthesizedStack) =>
      s.resources[idIn(s)(s.stack.sms.sendFunction)]!.Properties.ReservedConcurrentExecutions;
    assert.equal(reserved(synth), 5);
    assert.equal(reserved(options), undefined);
    // Only the sender: no other function takes from the account's pool.
    const others = synth
      .ofType('AWS::Lambda::Function')
      .filter(([, f]) => f.Properties.ReservedConcurrentExecutions !== undefined);
    assert.deepEqual(
      others.map(([logicalId]) => logicalId),
      [idIn(synth)(synth.stack.sms.sendFunction)],
    );
  });

  test('context smsSenderConcurrency, smsMonthlySpendLimitUsd, smsBudgetUsd are checked at synth', () => {
    const ctx = (context: Record<string, string | number>) => readDeployContext(new App({ context }));
    assert.deepEqual(
      (({ smsSenderConcurrency, smsMonthlySpendLimitUsd, smsBudgetUsd }) => ({
        smsSenderConcurrency,
        smsMonthlySpendLimitUsd,
        smsBudgetUsd,
      }))(ctx({ smsSenderConcurrency: '8', smsMonthlySpendLimitUsd: 250, smsBudgetUsd: '99.5' })),
      { smsSenderConcurrency: 8, smsMonthlySpendLimitUsd: 250, smsBudgetUsd: 99.5 },
    );
    assert.equal(ctx({ smsSenderConcurrency: '0' }).smsSenderConcurrency, 0);
    assert.equal(ctx({}).smsSenderConcurrency, undefined, 'unset: the stack default (5)');
    for (const bad of ['3', '-1', '2.5', 'five', '1001'])
      assert.throws(() => ctx({ smsSenderConcurrency: bad }), /smsSenderConcurrency/, bad);
    for (const bad of ['0', '12.5', 'lots'])
      assert.throws(() => ctx({ smsMonthlySpendLimitUsd: bad }), /smsMonthlySpendLimitUsd/, bad);
    for (const bad of ['0', '-5', ''])
      assert.throws(() => ctx({ smsBudgetUsd: bad }), /smsBudgetUsd/, JSON.stringify(bad));
  });
});

describe('/static/* security headers', () => {
  test('HSTS, nosniff, no framing, no referrer, and a policy that runs nothing', () => {
    const id = idIn(synth);
    const behaviors = synth.resources[id(synth.stack.distribution!)]!.Properties.DistributionConfig
      .CacheBehaviors as Array<Record<string, any>>;
    const staticBehavior = behaviors.find((b) => b.PathPattern === '/static/*')!;
    const policyId: string = staticBehavior.ResponseHeadersPolicyId.Ref;
    const headers = synth.resources[policyId]!.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    assert.deepEqual(headers.ContentTypeOptions, { Override: true });
    assert.deepEqual(headers.FrameOptions, { FrameOption: 'DENY', Override: true });
    assert.deepEqual(headers.ReferrerPolicy, { ReferrerPolicy: 'no-referrer', Override: true });
    assert.equal(headers.StrictTransportSecurity.AccessControlMaxAgeSec, 365 * 86_400);
    assert.equal(headers.ContentSecurityPolicy.ContentSecurityPolicy, STATIC_CONTENT_SECURITY_POLICY);
    assert.match(STATIC_CONTENT_SECURITY_POLICY, /default-src 'none'/);
    assert.doesNotMatch(STATIC_CONTENT_SECURITY_POLICY, /script-src/);
  });
});

describe('SMS spend backstops', () => {
  const protect = (s: SynthesizedStack): Resource => s.ofType('AWS::SMSVOICE::ProtectConfiguration')[0]![1];

  test('a protect configuration on the configuration set allows China only and blocks every other country', () => {
    const rules = protect(synth).Properties.CountryRuleSet.SMS as Array<{ CountryCode: string; ProtectStatus: string }>;
    assert.deepEqual(
      rules.filter((r) => r.ProtectStatus === 'ALLOW').map((r) => r.CountryCode),
      ['CN'],
    );
    const blocked = rules.filter((r) => r.ProtectStatus === 'BLOCK').map((r) => r.CountryCode);
    assert.equal(blocked.length, getCountries().length - 1);
    for (const country of ['US', 'IN', 'NP', 'HK', 'TW', 'MO', 'GB']) assert.ok(blocked.includes(country), country);
    const [protectId] = synth.ofType('AWS::SMSVOICE::ProtectConfiguration')[0]!;
    const set = synth.resources[idIn(synth)(synth.stack.sms.configurationSet!)]!.Properties;
    assert.deepEqual(set.ProtectConfigurationId, { 'Fn::GetAtt': [protectId, 'ProtectConfigurationId'] });
  });

  test('a monthly AWS Budgets budget on SMS cost alerts the alarm topic, which lets Budgets of this account publish', () => {
    for (const [s, amount] of [
      [synth, DEFAULT_SMS_BUDGET_USD],
      [options, 120],
    ] as const) {
      const budgets = s.ofType('AWS::Budgets::Budget').map(([, b]) => b.Properties);
      assert.equal(budgets.length, 1);
      const { Budget, NotificationsWithSubscribers } = budgets[0];
      assert.deepEqual([Budget.BudgetType, Budget.TimeUnit], ['COST', 'MONTHLY']);
      assert.deepEqual(Budget.BudgetLimit, { Amount: amount, Unit: 'USD' });
      assert.deepEqual(Budget.CostFilters, { Service: SMS_COST_SERVICES });
      const topic = ref(idIn(s)(s.stack.sms.alarms.topic));
      assert.deepEqual(
        NotificationsWithSubscribers.map((n: any) => [n.Notification.NotificationType, n.Notification.Threshold]),
        [
          ['ACTUAL', 80],
          ['FORECASTED', 100],
        ],
      );
      for (const n of NotificationsWithSubscribers)
        assert.deepEqual(n.Subscribers, [{ SubscriptionType: 'SNS', Address: topic }]);
      const topicPolicy = s
        .ofType('AWS::SNS::TopicPolicy')
        .find(([, p]) => JSON.stringify(p.Properties.Topics) === JSON.stringify([topic]));
      assert.ok(topicPolicy, 'the alarm topic has a policy');
      const byBudgets = (topicPolicy[1].Properties.PolicyDocument.Statement as Array<Record<string, any>>).find(
        (st) => st.Principal?.Service === 'budgets.amazonaws.com',
      );
      assert.equal(byBudgets?.Action, 'sns:Publish');
      assert.deepEqual(byBudgets?.Condition.StringEquals, { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } });
    }
  });

  test('the monthly spend limit: set by a custom resource when smsMonthlySpendLimitUsd is given, left alone otherwise', () => {
    const calls = (s: SynthesizedStack) =>
      s.ofType('Custom::AWS').map(([, r]) => JSON.stringify(r.Properties.Create ?? ''));
    assert.deepEqual(calls(synth), []);
    const [create] = calls(options);
    assert.match(create!, /SetTextMessageSpendLimitOverride/);
    assert.match(create!, /\\"MonthlyLimit\\":300/);
    const allowed = options
      .allStatements()
      .filter((st) => actionsOf(st).includes('sms-voice:SetTextMessageSpendLimitOverride'));
    assert.equal(allowed.length, 1);
  });
});

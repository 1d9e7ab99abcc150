/**
 * The SMS channel in the synthesized template: topics and subscriptions, the queue and its
 * dead letters, the configuration set, least privilege, and the alarms. Template only (no
 * bundling): stack.test.ts checks the bundles of every function.
 */
import assert from 'node:assert/strict';
import { CfnElement } from 'aws-cdk-lib';
import { Annotations, Match, type Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { SMS_SEND_MAX_RECEIVES } from '#adapters/queue/sqs-event.ts';
import { eumReceiptStatus } from '#adapters/sms/eum-receipts.ts';
import { INBOUND_CLAIM_STALE_MS, INBOUND_RUN_LIMIT_MS, LAMBDA_FIRST_RETRY_MS } from '#core/sms/inbound-timing.ts';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import {
  actionsOf,
  arnOf,
  type Resource,
  ref,
  resourcesOf,
  type Statement,
  SynthesizedStack,
} from './synthesized-stack.ts';

const poolArn = 'arn:aws:sms-voice:ap-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let template: Template;
let resources: Record<string, Resource>;
const id = (c: IConstruct) => (c instanceof CfnElement ? stack.getLogicalId(c) : synth.logicalId(c));
const props = (c: IConstruct) => resources[id(c)]!.Properties;
const envOf = (c: IConstruct) => props(c).Environment.Variables;

beforeAll(() => {
  synth = SynthesizedStack.create(
    { adminPhones: ['+8613800000000'], smsOriginationIdentity: poolArn },
    { bundle: false },
  );
  ({ stack, template, resources } = synth);
});
afterAll(() => synth?.dispose());

const sqsStatements = (fn: IConstruct) =>
  synth.statementsOfFunction(id(fn)).filter((s) => actionsOf(s).some((a) => a.startsWith('sqs:')));

describe('outbound queue', () => {
  test('SSE-SQS, TLS only, a visibility timeout of six sender timeouts, dead letters after the last receive', () => {
    const q = props(stack.sms.queue);
    assert.equal(q.SqsManagedSseEnabled, true);
    assert.ok(q.VisibilityTimeout >= 6 * props(stack.sms.sendFunction).Timeout, `${q.VisibilityTimeout}s`);
    assert.deepEqual(q.RedrivePolicy, {
      deadLetterTargetArn: arnOf(id(stack.sms.deadLetterQueue)),
      maxReceiveCount: SMS_SEND_MAX_RECEIVES,
    });
    assert.equal(SMS_SEND_MAX_RECEIVES, 5);

    const dlq = props(stack.sms.deadLetterQueue);
    assert.equal(dlq.SqsManagedSseEnabled, true);
    assert.equal(dlq.MessageRetentionPeriod, 14 * 24 * 3600);
  });

  test('every SMS queue denies requests without TLS', () => {
    for (const queue of [stack.sms.queue, stack.sms.deadLetterQueue, stack.sms.failedEventsQueue!]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(id(queue))],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  test('feeds the sender ten at a time, with partial batch responses and at most two pollers', () => {
    // The other mapping is the broadcasts' bulk queue (test/infra/broadcasts.test.ts).
    const mappings = synth.ofType('AWS::Lambda::EventSourceMapping');
    assert.equal(mappings.length, 2);
    const outbound = mappings.filter(([, m]) => m.Properties.EventSourceArn['Fn::GetAtt'][0] === id(stack.sms.queue));
    assert.equal(outbound.length, 1);
    assert.deepEqual(outbound[0]![1].Properties, {
      EventSourceArn: arnOf(id(stack.sms.queue)),
      FunctionName: ref(id(stack.sms.sendFunction)),
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 2 },
    });
  });
});

describe('SNS topics', () => {
  const subscriptionTo = (topic: IConstruct) =>
    synth.ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.TopicArn.Ref === id(topic));

  test('inbound SMS go to sms-inbound, delivery events to sms-status, and nowhere else', () => {
    for (const [topic, fn] of [
      [stack.sms.inboundTopic!, stack.sms.inboundFunction!],
      [stack.sms.eventsTopic!, stack.sms.statusFunction!],
    ] as const) {
      const subs = subscriptionTo(topic);
      assert.equal(subs.length, 1);
      assert.deepEqual(subs[0]![1].Properties, {
        Protocol: 'lambda',
        TopicArn: ref(id(topic)),
        Endpoint: arnOf(id(fn)),
        // What SNS cannot hand to the function at all is kept for replay, not dropped.
        RedrivePolicy: { deadLetterTargetArn: arnOf(id(stack.sms.undeliveredEventsQueue!)) },
      });
      template.hasResourceProperties('AWS::Lambda::Permission', {
        Action: 'lambda:InvokeFunction',
        FunctionName: arnOf(id(fn)),
        Principal: 'sns.amazonaws.com',
        SourceArn: ref(id(topic)),
      });
    }
  });

  test('End User Messaging may publish for this account only; the events topic only from its configuration sets', () => {
    const policyOf = (topic: IConstruct): Statement[] =>
      synth.ofType('AWS::SNS::TopicPolicy').find(([, p]) => p.Properties.Topics[0].Ref === id(topic))![1].Properties
        .PolicyDocument.Statement;
    for (const topic of [stack.sms.inboundTopic!, stack.sms.eventsTopic!]) {
      const statements = policyOf(topic);
      assert.ok(statements.some((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false'));
      const allow = statements.filter((s) => s.Effect === 'Allow');
      assert.equal(allow.length, 1);
      assert.deepEqual(allow[0]!.Principal, { Service: 'sms-voice.amazonaws.com' });
      assert.deepEqual(actionsOf(allow[0]!), ['sns:Publish']);
      assert.deepEqual(allow[0]!.Condition.StringEquals, { 'aws:SourceAccount': ref('AWS::AccountId') });
    }
    const [events] = policyOf(stack.sms.eventsTopic!).filter((s) => s.Effect === 'Allow');
    assert.match(JSON.stringify(events!.Condition.ArnLike['aws:SourceArn']), /:sms-voice:.*configuration-set\/\*/);
  });

  test('the inbound topic ARN is an output, for the two-way setting of the number', () => {
    assert.deepEqual(template.toJSON().Outputs.SmsInboundTopicArn.Value, ref(id(stack.sms.inboundTopic!)));
  });
});

describe('configuration set', () => {
  test('sends exactly the final SMS event types to the events topic, after its policy exists', () => {
    const [[csId, cs]] = synth.ofType('AWS::SMSVOICE::ConfigurationSet') as [[string, Resource]];
    assert.equal(csId, id(stack.sms.configurationSet!));
    const [destination, ...others] = cs.Properties.EventDestinations;
    assert.equal(others.length, 0);
    assert.equal(destination.Enabled, true);
    assert.deepEqual(destination.SnsDestination, { TopicArn: ref(id(stack.sms.eventsTopic!)) });
    assert.deepEqual([...destination.MatchingEventTypes].sort(), Object.keys(eumReceiptStatus).sort());
    assert.ok(!destination.MatchingEventTypes.includes('TEXT_SENT'), 'the service has no TEXT_SENT');
    const topicPolicy = synth
      .ofType('AWS::SNS::TopicPolicy')
      .find(([, p]) => p.Properties.Topics[0].Ref === id(stack.sms.eventsTopic!))![0];
    assert.ok(cs.DependsOn?.includes(topicPolicy));
  });
});

describe('functions', () => {
  test('the http and inbound functions may only send to the queue, and know its URL', () => {
    for (const fn of [stack.httpFunction, stack.sms.inboundFunction!]) {
      const statements = sqsStatements(fn).filter((s) =>
        resourcesOf(s).some((r) => JSON.stringify(r) === JSON.stringify(arnOf(id(stack.sms.queue)))),
      );
      assert.equal(statements.length, 1, fn.node.id);
      assert.deepEqual(actionsOf(statements[0]!), ['sqs:SendMessage']);
      assert.deepEqual(resourcesOf(statements[0]!), [arnOf(id(stack.sms.queue))]);
      assert.deepEqual(envOf(fn).SMS_QUEUE_URL, ref(id(stack.sms.queue)));
    }
    assert.equal(envOf(stack.sms.statusFunction!).SMS_QUEUE_URL, undefined);
    assert.equal(envOf(stack.sms.sendFunction).SMS_QUEUE_URL, undefined);
  });

  test('only the sender may send SMS: the origination identity, its configuration set, opt-out lists', () => {
    const smsVoice = (fn: IConstruct) =>
      synth.statementsOfFunction(id(fn)).filter((s) => actionsOf(s).some((a) => a.startsWith('sms-voice:')));
    for (const fn of [stack.httpFunction, stack.seedFunction, stack.sms.inboundFunction!, stack.sms.statusFunction!]) {
      assert.deepEqual(smsVoice(fn), [], fn.node.id);
    }
    const [send, ...more] = smsVoice(stack.sms.sendFunction);
    assert.equal(more.length, 0);
    assert.deepEqual(actionsOf(send!), ['sms-voice:SendTextMessage']);
    const scoped = resourcesOf(send!).map((r) => JSON.stringify(r));
    assert.ok(scoped.includes(JSON.stringify(poolArn)));
    assert.ok(scoped.includes(JSON.stringify(arnOf(id(stack.sms.configurationSet!)))));
    assert.ok(scoped.some((r) => /opt-out-list\/\*/.test(r)));
    assert.ok(
      !scoped.some((r) => r === '"*"' || /:(phone-number|pool|configuration-set)\/\*/.test(r)),
      scoped.join(' '),
    );

    const env = envOf(stack.sms.sendFunction);
    assert.equal(env.EUM_ORIGINATION_IDENTITY, poolArn);
    assert.deepEqual(env.EUM_CONFIGURATION_SET, ref(id(stack.sms.configurationSet!)));
    assert.ok(props(stack.sms.sendFunction).Timeout <= 60);
  });

  test('the SMS functions read and write the table, get the settings config.ts requires, and no bucket', () => {
    for (const fn of [stack.sms.inboundFunction!, stack.sms.sendFunction, stack.sms.statusFunction!]) {
      const env = envOf(fn);
      assert.deepEqual(env.TABLE_NAME, ref(id(stack.table)), fn.node.id);
      // No `files` capability (functions/handlers/capabilities.ts): not even the bucket's name.
      assert.equal(env.BUCKET_NAME, undefined, fn.node.id);
      assert.equal(env.APP_MODE, 'aws');
      const actions = synth.statementsOfFunction(id(fn)).flatMap(actionsOf);
      assert.ok(actions.includes('dynamodb:UpdateItem') && actions.includes('dynamodb:Query'), fn.node.id);
      assert.ok(!actions.some((a) => a.startsWith('s3:')), `${fn.node.id} has no S3 access`);
    }
  });

  test('SNS events the inbound and status functions keep failing on are kept in a queue', () => {
    for (const fn of [stack.sms.inboundFunction!, stack.sms.statusFunction!]) {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(id(fn)),
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: arnOf(id(stack.sms.failedEventsQueue!)) } },
      });
    }
  });

  test("an inbound run ends before its claim counts as abandoned, and Lambda's retry after a crash comes after that", () => {
    // A run can hold a claim for at most the function's timeout: the stale window must be
    // longer (a live run is never taken over) and shorter than the wait before Lambda's first
    // retry (the retry after a crash takes the claim over instead of failing again).
    const timeoutMs = props(stack.sms.inboundFunction!).Timeout * 1000;
    assert.equal(timeoutMs, INBOUND_RUN_LIMIT_MS);
    assert.ok(
      timeoutMs < INBOUND_CLAIM_STALE_MS,
      `timeout ${timeoutMs} ms < stale window ${INBOUND_CLAIM_STALE_MS} ms`,
    );
    assert.ok(INBOUND_CLAIM_STALE_MS < LAMBDA_FIRST_RETRY_MS, `stale window < first retry ${LAMBDA_FIRST_RETRY_MS} ms`);
    // The retries themselves: two, and an event kept long enough for both (1 + 2 minutes).
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: ref(id(stack.sms.inboundFunction!)),
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: Match.anyValue(),
    });
    const [[, config]] = synth
      .ofType('AWS::Lambda::EventInvokeConfig')
      .filter(([, r]) => r.Properties.FunctionName.Ref === id(stack.sms.inboundFunction!)) as [[string, Resource]];
    assert.ok(config.Properties.MaximumEventAgeInSeconds * 1000 >= 3 * LAMBDA_FIRST_RETRY_MS);
  });
});

describe('alarms', () => {
  const alarmTopic = () => ref(id(stack.sms.alarms.topic));

  test('any message in the dead-letter queues alarms into the alarm topic', () => {
    for (const queue of [stack.sms.deadLetterQueue, stack.sms.failedEventsQueue!]) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id(queue), 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [alarmTopic()],
      });
    }
  });

  test('the guards logging sms_budget_exhausted or sms_hard_limit_reached, in any function that records SMS, raise their alarms', () => {
    const filters = synth.ofType('AWS::Logs::MetricFilter').map(([, f]) => f);
    const logGroupOf = (fn: IConstruct) => ref(props(fn).LoggingConfig.LogGroup.Ref);
    // The messenger applies the guards where it runs: replies (inbound), sign-in codes (http),
    // alerts (jobs); the sender for a message recorded without them.
    const recorders = [stack.sms.sendFunction, stack.sms.inboundFunction!, stack.httpFunction, stack.jobs.function];
    for (const [kind, alarm] of [
      ['sms_budget_exhausted', stack.sms.alarms.budgetAlarm],
      ['sms_hard_limit_reached', stack.sms.alarms.hardLimitAlarm],
    ] as const) {
      const ofKind = filters.filter((f) => new RegExp(`\\$\\.kind\\s*=\\s*"${kind}"`).test(f.Properties.FilterPattern));
      assert.deepEqual(
        new Set(ofKind.map((f) => JSON.stringify(f.Properties.LogGroupName))),
        new Set(recorders.map((fn) => JSON.stringify(logGroupOf(fn)))),
        `${kind}: a filter on each recording function's log`,
      );
      const metrics = new Set(
        ofKind.map((f) =>
          JSON.stringify([
            f.Properties.MetricTransformations[0].MetricNamespace,
            f.Properties.MetricTransformations[0].MetricName,
          ]),
        ),
      );
      assert.equal(metrics.size, 1, `${kind}: every filter feeds one metric`);
      const [namespace, metricName] = JSON.parse([...metrics][0]!) as [string, string];
      const alarmProps = props(alarm);
      assert.deepEqual(
        [alarmProps.Namespace, alarmProps.MetricName, alarmProps.Statistic, alarmProps.Threshold],
        [namespace, metricName, 'Sum', 1],
      );
      assert.deepEqual(alarmProps.AlarmActions, [alarmTopic()]);
    }
    assert.notEqual(
      props(stack.sms.alarms.budgetAlarm).MetricName,
      props(stack.sms.alarms.hardLimitAlarm).MetricName,
      'the absolute cap has its own alarm',
    );
  });
});

describe('origination identity', () => {
  test("an id becomes this account's ARN; without one, a placeholder and a synth warning", () => {
    const other = SynthesizedStack.create(
      { smsOriginationIdentity: 'phone-0123456789abcdef0123456789abcdef' },
      { bundle: false },
    );
    try {
      const env = other.resources[other.logicalId(other.stack.sms.sendFunction)]!.Properties.Environment.Variables;
      assert.match(
        JSON.stringify(env.EUM_ORIGINATION_IDENTITY),
        /:sms-voice:.*:phone-number\/phone-0123456789abcdef0123456789abcdef/,
      );
      Annotations.fromStack(other.stack).hasNoWarning('*', Match.stringLikeRegexp('origination identity'));
    } finally {
      other.dispose();
    }
    const placeholder = SynthesizedStack.create({}, { bundle: false });
    try {
      Annotations.fromStack(placeholder.stack).hasWarning('*', Match.stringLikeRegexp('no origination identity'));
    } finally {
      placeholder.dispose();
    }
  });
});

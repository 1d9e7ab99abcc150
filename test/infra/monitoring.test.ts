/**
 * Alarms and the dashboard in the synthesized template (constructs/monitoring.ts, sms-alarms.ts):
 * each alarm on its metric with its threshold, into the one alarm topic, described for an
 * operator; the metric filters that feed the log-based ones; the dashboard; the e-mail
 * subscription only when the context names an address. Template only (no bundling).
 */
import assert from 'node:assert/strict';
import { App, CfnElement } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { loadConfig } from '#config';
import {
  API_5XX_MIN_REQUESTS,
  API_5XX_PERCENT,
  BROADCAST_SMS_FAILURES,
  FUNCTION_ERRORS,
  OLDEST_SMS_AGE_SECONDS,
} from '../../infra/constructs/monitoring.ts';
import { ServiceFunction } from '../../infra/constructs/service-function.ts';
import { readDeployContext } from '../../infra/deploy-context.ts';
import type { ZhingdrokStack } from '../../infra/stack.ts';
import { type Resource, ref, SynthesizedStack } from './synthesized-stack.ts';

let synth: SynthesizedStack;
let stack: ZhingdrokStack;
let resources: Record<string, Resource>;
const id = (c: IConstruct) => (c instanceof CfnElement ? stack.getLogicalId(c) : synth.logicalId(c));
const props = (c: IConstruct) => resources[id(c)]!.Properties;
const topic = () => ref(id(stack.monitoring.topic));
const alarms = () => synth.ofType('AWS::CloudWatch::Alarm');
const filters = () => synth.ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
const logGroupOf = (fn: IConstruct) => ref(props(fn).LoggingConfig.LogGroup.Ref);

beforeAll(() => {
  synth = SynthesizedStack.create(readDeployContext(new App({ context: { alarmEmail: 'ops@bureau.example' } })), {
    bundle: false,
  });
  ({ stack, resources } = synth);
});
afterAll(() => synth?.dispose());

describe('the alarm topic', () => {
  test('is one topic, the SMS alarms topic, TLS only, both outputs name it', () => {
    assert.equal(stack.monitoring.topic, stack.sms.alarms.topic);
    assert.equal(synth.ofType('AWS::SNS::Topic').filter(([, t]) => /alarms/i.test(t.Properties.DisplayName)).length, 1);
    const outputs = synth.template.toJSON().Outputs;
    assert.deepEqual(outputs.AlarmTopicArn.Value, topic());
    assert.deepEqual(outputs.SmsAlarmTopicArn.Value, topic());
    const policy = synth
      .ofType('AWS::SNS::TopicPolicy')
      .find(([, p]) => p.Properties.Topics[0].Ref === id(stack.monitoring.topic));
    assert.ok(
      policy![1].Properties.PolicyDocument.Statement.some(
        (s: any) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false',
      ),
    );
  });

  test('every alarm in the stack goes to it and tells the operator what it means', () => {
    assert.ok(alarms().length >= 30, `${alarms().length} alarms`);
    for (const [alarmId, alarm] of alarms()) {
      assert.deepEqual(alarm.Properties.AlarmActions, [topic()], alarmId);
      assert.ok(String(alarm.Properties.AlarmDescription).length > 40, `${alarmId} has a description`);
    }
  });

  test('the e-mail address of the context is subscribed, and without it nobody', () => {
    const subscriptions = synth.ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'email');
    assert.equal(subscriptions.length, 1);
    assert.deepEqual(subscriptions[0]![1].Properties.TopicArn, topic());
    assert.equal(subscriptions[0]![1].Properties.Endpoint, 'ops@bureau.example');

    const plain = SynthesizedStack.create(readDeployContext(new App()), { bundle: false });
    try {
      assert.equal(
        plain.ofType('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'email').length,
        0,
      );
    } finally {
      plain.dispose();
    }
  });
});

describe('alarms', () => {
  test('each function alarms on its errors and its throttles', () => {
    const functions = stack.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction);
    assert.ok(functions.length >= 9, `${functions.length} functions`);
    for (const fn of functions) {
      for (const [metricName, threshold] of [
        ['Errors', FUNCTION_ERRORS],
        ['Throttles', 1],
      ] as const) {
        const found = alarms().filter(
          ([, a]) =>
            a.Properties.Namespace === 'AWS/Lambda' &&
            a.Properties.MetricName === metricName &&
            JSON.stringify(a.Properties.Dimensions) === JSON.stringify([{ Name: 'FunctionName', Value: ref(id(fn)) }]),
        );
        assert.equal(found.length, 1, `${fn.node.path} ${metricName}`);
        assert.equal(found[0]![1].Properties.Threshold, threshold);
        assert.equal(found[0]![1].Properties.Statistic, 'Sum');
      }
    }
  });

  test('every dead-letter queue (every queue but the two worked from) has one depth alarm', () => {
    const work = new Set([id(stack.sms.queue), id(stack.sms.bulkQueue)]);
    const queues = synth.ofType('AWS::SQS::Queue').filter(([queueId]) => !work.has(queueId));
    assert.ok(queues.length >= 4, `${queues.length} dead-letter queues`);
    for (const [queueId] of queues) {
      const depth = alarms().filter(
        ([, a]) =>
          a.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(a.Properties.Dimensions) ===
            JSON.stringify([{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }]),
      );
      assert.equal(depth.length, 1, queueId);
      assert.equal(depth[0]![1].Properties.Threshold, 1);
    }
  });

  test('late sign-in codes: the outbound queue oldest message over two minutes', () => {
    const a = props(stack.monitoring.oldestSmsAlarm);
    assert.equal(a.Namespace, 'AWS/SQS');
    assert.equal(a.MetricName, 'ApproximateAgeOfOldestMessage');
    assert.deepEqual(a.Dimensions, [
      { Name: 'QueueName', Value: { 'Fn::GetAtt': [id(stack.sms.queue), 'QueueName'] } },
    ]);
    assert.equal(a.Threshold, OLDEST_SMS_AGE_SECONDS);
    assert.equal(OLDEST_SMS_AGE_SECONDS, 120);
    assert.equal(a.Period, 60);
  });

  test('the API 5xx rate: 5xx over Count of the HTTP API, once there are requests enough', () => {
    const a = props(stack.monitoring.api5xxAlarm);
    assert.equal(a.Threshold, API_5XX_PERCENT);
    const expression = a.Metrics.find((m: any) => m.Expression);
    assert.match(expression.Expression, new RegExp(`requests >= ${API_5XX_MIN_REQUESTS}.*100 \\* errors / requests`));
    const stat = (label: string) => a.Metrics.find((m: any) => m.Id === label).MetricStat;
    assert.deepEqual(
      [stat('errors').Metric.Namespace, stat('errors').Metric.MetricName, stat('requests').Metric.MetricName],
      ['AWS/ApiGateway', '5xx', 'Count'],
    );
    assert.deepEqual(stat('errors').Metric.Dimensions, [{ Name: 'ApiId', Value: ref(id(stack.api)) }]);
  });

  test("DynamoDB throttling: the table's read and write throttle events", () => {
    const a = props(stack.monitoring.tableThrottleAlarm);
    assert.equal(a.Threshold, 1);
    const names = a.Metrics.filter((m: any) => m.MetricStat).map((m: any) => [
      m.MetricStat.Metric.MetricName,
      m.MetricStat.Metric.Dimensions,
    ]);
    assert.deepEqual(names, [
      ['ReadThrottleEvents', [{ Name: 'TableName', Value: ref(id(stack.table)) }]],
      ['WriteThrottleEvents', [{ Name: 'TableName', Value: ref(id(stack.table)) }]],
    ]);
  });

  test("SMS segments: the sender's sms_sent lines summed over a day, alarming at 80 % of the daily limit", () => {
    const [filter, ...more] = filters().filter((f) => /\$\.kind\s*=\s*"sms_sent"/.test(f.FilterPattern));
    assert.equal(more.length, 0);
    assert.deepEqual(filter!.LogGroupName, logGroupOf(stack.sms.sendFunction));
    const transform = filter!.MetricTransformations[0];
    assert.equal(transform.MetricValue, '$.segments');
    const a = props(stack.monitoring.segmentsAlarm);
    assert.deepEqual(
      [a.Namespace, a.MetricName, a.Statistic, a.Period],
      [transform.MetricNamespace, transform.MetricName, 'Sum', 86_400],
    );
    const limit = loadConfig({ APP_MODE: 'local' }).SMS_DAILY_SEGMENT_LIMIT;
    assert.equal(a.Threshold, Math.ceil(0.8 * limit));
  });

  test('sms_country_blocked, in every function that records SMS, raises its alarm', () => {
    const ofKind = filters().filter((f) => /\$\.kind\s*=\s*"sms_country_blocked"/.test(f.FilterPattern));
    const recorders = [stack.sms.sendFunction, stack.sms.inboundFunction!, stack.httpFunction, stack.jobs.function];
    assert.deepEqual(
      new Set(ofKind.map((f) => JSON.stringify(f.LogGroupName))),
      new Set(recorders.map((fn) => JSON.stringify(logGroupOf(fn)))),
    );
    const a = props(stack.sms.alarms.countryBlockedAlarm);
    for (const f of ofKind) assert.equal(f.MetricTransformations[0].MetricName, a.MetricName);
    assert.deepEqual([a.Namespace, a.Statistic, a.Threshold], ['Zhingdrok', 'Sum', 1]);
  });

  test('broadcast failures: a failed tick in the jobs log, and broadcast SMS the sender finally failed', () => {
    const [tick] = filters().filter((f) => /\$\.kind\s*=\s*"broadcast_failed"/.test(f.FilterPattern));
    assert.deepEqual(tick!.LogGroupName, logGroupOf(stack.jobs.function));
    const run = props(stack.monitoring.broadcastRunAlarm);
    assert.equal(run.MetricName, tick!.MetricTransformations[0].MetricName);
    assert.equal(run.Threshold, 1);

    const [sms] = filters().filter(
      (f) => /\$\.kind\s*=\s*"sms_failed"/.test(f.FilterPattern) && /\$\.broadcast\s+IS\s+TRUE/.test(f.FilterPattern),
    );
    assert.deepEqual(sms!.LogGroupName, logGroupOf(stack.sms.sendFunction));
    const failed = props(stack.monitoring.broadcastSmsAlarm);
    assert.equal(failed.MetricName, sms!.MetricTransformations[0].MetricName);
    assert.deepEqual([failed.Threshold, failed.Period], [BROADCAST_SMS_FAILURES, 3600]);
  });
});

describe('the dashboard', () => {
  test('one dashboard showing every alarm and the graphs', () => {
    const dashboards = synth.ofType('AWS::CloudWatch::Dashboard');
    assert.equal(dashboards.length, 1);
    const body = JSON.stringify(dashboards[0]![1].Properties.DashboardBody);
    for (const [alarmId] of alarms()) assert.ok(body.includes(alarmId), `${alarmId} on the dashboard`);
    for (const metric of [
      'Errors',
      'Throttles',
      '5xx',
      'ApproximateAgeOfOldestMessage',
      'ApproximateNumberOfMessagesVisible',
      'ReadThrottleEvents',
      'SmsSegmentsSent',
      'SmsCountryBlocked',
      'BroadcastSmsFailed',
    ]) {
      assert.ok(body.includes(`\\"${metric}\\"`), metric);
    }
    assert.deepEqual(synth.template.toJSON().Outputs.DashboardName.Value, ref(id(stack.monitoring.dashboard)));
  });
});

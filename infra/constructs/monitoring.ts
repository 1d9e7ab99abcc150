import { Duration, Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  AlarmStatusWidget,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { type IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct, type IConstruct } from 'constructs';
import { ServiceFunction } from './service-function.ts';
import { METRIC_NAMESPACE } from './sms-alarms.ts';

export interface MonitoringProps {
  /**
   * The one topic every alarm goes to: the SMS alarms' topic (sms-alarms.ts), so its
   * subscriptions and the SmsAlarmTopicArn output keep working.
   */
  readonly topic: ITopic;
  /** Subscribed to the topic by e-mail (context `alarmEmail`); AWS asks the address to confirm. */
  readonly alarmEmail?: string;
  readonly api: IHttpApi;
  readonly table: ITable;
  /** The outbound SMS queue: replies and sign-in codes wait here for the sender. */
  readonly smsQueue: IQueue;
  /**
   * Queues that are worked from, not parked in: every other queue of the stack is a dead-letter
   * queue and alarms on its depth.
   */
  readonly workQueues: readonly IQueue[];
  /** The sender's log: it logs `{"kind":"sms_sent"|"sms_failed","segments","broadcast"}` per SMS. */
  readonly senderLogGroup: ILogGroup;
  /** The jobs function's log: a broadcast tick that fails logs `{"kind":"broadcast_failed"}`. */
  readonly jobsLogGroup: ILogGroup;
  /** SMS_DAILY_SEGMENT_LIMIT as the functions see it: the segments alarm fires at `segmentAlarmShare` of it. */
  readonly dailySegmentLimit: number;
  /** @default 0.8 */
  readonly segmentAlarmShare?: number;
}

/** Late sign-in codes: an outbound SMS older than this has kept someone waiting at the sign-in page. */
export const OLDEST_SMS_AGE_SECONDS = 120;
/** Share of API requests answered 5xx, in percent, over five minutes. */
export const API_5XX_PERCENT = 5;
/** Below this many requests in five minutes the 5xx rate says nothing (one failed request of two at night). */
export const API_5XX_MIN_REQUESTS = 20;
/** Lambda errors in five minutes: one is a retried blip, three is something broken. */
export const FUNCTION_ERRORS = 3;
/** Broadcast SMS finally refused in an hour: a few bad numbers are normal in a large audience. */
export const BROADCAST_SMS_FAILURES = 20;

/**
 * Alarms and the dashboard, all into one SNS topic. Built last in the stack: it walks the
 * construct tree for every ServiceFunction (errors, throttles) and every queue (dead-letter
 * depth; the ones already alarmed by SmsAlarms and ScheduledJobs are left as they are), and
 * shows every alarm of the stack on the dashboard. What each alarm means and what to do first
 * is in its description, and in docs/operations.md.
 */
export class Monitoring extends Construct {
  readonly topic: ITopic;
  readonly dashboard: Dashboard;
  /** By function construct path: its Errors and Throttles alarms. */
  readonly functionAlarms: Map<ServiceFunction, { errors: Alarm; throttles: Alarm }> = new Map();
  /** Depth alarms this construct added for dead-letter queues no other construct alarmed. */
  readonly deadLetterAlarms: Map<IQueue, Alarm> = new Map();
  readonly oldestSmsAlarm: Alarm;
  readonly api5xxAlarm: Alarm;
  readonly tableThrottleAlarm: Alarm;
  readonly segmentsAlarm: Alarm;
  readonly broadcastRunAlarm: Alarm;
  readonly broadcastSmsAlarm: Alarm;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.topic = props.topic;
    if (props.alarmEmail) this.topic.addSubscription(new EmailSubscription(props.alarmEmail));
    const action = new SnsAction(this.topic);
    const five = Duration.minutes(5);

    const alarm = (
      alarmId: string,
      description: string,
      metric: IMetric,
      threshold: number,
      options: { evaluationPeriods?: number; datapointsToAlarm?: number } = {},
    ) => {
      const made = new Alarm(this, alarmId, {
        alarmDescription: description,
        metric,
        threshold,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.datapointsToAlarm,
        // No data is no traffic: a quiet night is not an alarm.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      made.addAlarmAction(action);
      return made;
    };

    // ── every function: errors and throttles ─────────────────────────────────────────────
    const functions = stack.node.findAll().filter((c): c is ServiceFunction => c instanceof ServiceFunction);
    for (const fn of functions) {
      const name = pathName(stack, fn);
      this.functionAlarms.set(fn, {
        errors: alarm(
          `${name}Errors`,
          `Lambda ${name} failed ${FUNCTION_ERRORS} or more invocations in 5 minutes (an uncaught error, a timeout or a crash). First step: its log group, filtered on "level":"error", around the alarm's time; queued work is retried and lands in a dead-letter queue if it keeps failing.`,
          fn.metricErrors({ period: five, statistic: 'Sum' }),
          FUNCTION_ERRORS,
        ),
        throttles: alarm(
          `${name}Throttles`,
          `Lambda ${name} was throttled: the account's or the function's concurrency is used up, so requests wait or fail (web pages answer 5xx, SMS wait in their queue). First step: the dashboard's invocations for a flood or a runaway loop; then the account's concurrency quota.`,
          fn.metricThrottles({ period: five, statistic: 'Sum' }),
          1,
        ),
      });
    }

    // ── dead-letter queues not alarmed yet ───────────────────────────────────────────────
    const alarmedQueues = new Set(
      stack.node
        .findAll()
        .filter((c): c is Alarm => c instanceof Alarm)
        .flatMap((a) => {
          const stat = a.metric.toMetricConfig().metricStat;
          return stat?.metricName === 'ApproximateNumberOfMessagesVisible'
            ? (stat.dimensions ?? []).filter((d) => d.name === 'QueueName').map((d) => String(d.value))
            : [];
        }),
    );
    const work = new Set(props.workQueues);
    for (const queue of stack.node.findAll().filter((c): c is Queue => c instanceof Queue)) {
      if (work.has(queue) || alarmedQueues.has(queue.queueName)) continue;
      const name = pathName(stack, queue);
      this.deadLetterAlarms.set(
        queue,
        alarm(
          `${name}Depth`,
          `Dead-letter queue ${name} holds a message: work that failed after every retry, kept 14 days. First step: read one message (its body says what it was), fix the cause, then replay it (npm run replay -- --queue <its URL>).`,
          queue.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum' }),
          1,
        ),
      );
    }

    // ── late SMS (sign-in codes) ─────────────────────────────────────────────────────────
    this.oldestSmsAlarm = alarm(
      'OldestSmsAge',
      `The oldest SMS in the outbound queue has waited over ${OLDEST_SMS_AGE_SECONDS} s for 2 of 3 minutes: sign-in codes and replies arrive late. First step: the sms-send function's errors and throttles, then End User Messaging throttling (its log, "ThrottlingException") or a flood of requests.`,
      props.smsQueue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1), statistic: 'Maximum' }),
      OLDEST_SMS_AGE_SECONDS,
      { evaluationPeriods: 3, datapointsToAlarm: 2 },
    );

    // ── API 5xx rate ─────────────────────────────────────────────────────────────────────
    const api5xx = props.api.metricServerError({ period: five, statistic: 'Sum' });
    const apiCount = props.api.metricCount({ period: five, statistic: 'Sum' });
    const api5xxRate = new MathExpression({
      expression: `IF(requests >= ${API_5XX_MIN_REQUESTS}, 100 * errors / requests, 0)`,
      usingMetrics: { errors: api5xx, requests: apiCount },
      label: 'API 5xx %',
      period: five,
    });
    this.api5xxAlarm = alarm(
      'Api5xxRate',
      `${API_5XX_PERCENT} % or more of API requests (web pages and /api/v1) answered 5xx in 5 minutes, of at least ${API_5XX_MIN_REQUESTS}. First step: the Lambda errors alarms and the http function's log ("level":"error"); a recent deploy is the usual cause; then DynamoDB throttling.`,
      api5xxRate,
      API_5XX_PERCENT,
    );

    // ── DynamoDB throttling ──────────────────────────────────────────────────────────────
    const tableMetric = (metricName: string) =>
      new Metric({
        namespace: 'AWS/DynamoDB',
        metricName,
        dimensionsMap: { TableName: props.table.tableName },
        period: five,
        statistic: 'Sum',
      });
    const throttleEvents = new MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: { reads: tableMetric('ReadThrottleEvents'), writes: tableMetric('WriteThrottleEvents') },
      label: 'Table throttle events',
      period: five,
    });
    this.tableThrottleAlarm = alarm(
      'TableThrottles',
      'DynamoDB throttled reads or writes of the table in 5 minutes (on-demand tables throttle at a sudden jump past twice the previous peak, or on one hot key). Requests are retried with backoff, but pages slow and SMS wait. First step: which operation (the dashboard), then a flood or a job writing one key in a loop.',
      throttleEvents,
      1,
    );

    // ── SMS segments against the daily budget ────────────────────────────────────────────
    const share = props.segmentAlarmShare ?? 0.8;
    const segments = this.sumLog('SegmentsSent', props.senderLogGroup, {
      pattern: FilterPattern.stringValue('$.kind', '=', 'sms_sent'),
      metricName: 'SmsSegmentsSent',
      metricValue: '$.segments',
    });
    this.segmentsAlarm = alarm(
      'DailySegments',
      `SMS segments sent in the last 24 hours reached ${Math.round(share * 100)} % of SMS_DAILY_SEGMENT_LIMIT (${props.dailySegmentLimit}): broadcasts and alerts stop at the limit (the SmsBudgetExhausted alarm). First step: the outbox for who is being sent what (a large broadcast, a loop of replies, sign-in codes to many numbers); raise the limit only if the traffic is real (docs/operations.md).`,
      segments.with({ period: Duration.days(1), statistic: 'Sum' }),
      Math.ceil(share * props.dailySegmentLimit),
    );

    // ── broadcasts ───────────────────────────────────────────────────────────────────────
    const broadcastRuns = this.sumLog('BroadcastRunFailed', props.jobsLogGroup, {
      pattern: FilterPattern.stringValue('$.kind', '=', 'broadcast_failed'),
      metricName: 'BroadcastRunFailed',
      metricValue: '1',
    });
    this.broadcastRunAlarm = alarm(
      'BroadcastRunFailures',
      'A broadcast\'s minute tick failed (its next window of recipients was not queued); the next tick tries again, so a broadcast that keeps failing stands still. First step: the jobs function\'s log, "kind":"broadcast_failed", names the broadcast and the error.',
      broadcastRuns.with({ period: five, statistic: 'Sum' }),
      1,
    );
    const broadcastSms = this.sumLog('BroadcastSmsFailed', props.senderLogGroup, {
      pattern: FilterPattern.all(
        FilterPattern.stringValue('$.kind', '=', 'sms_failed'),
        FilterPattern.booleanValue('$.broadcast', true),
      ),
      metricName: 'BroadcastSmsFailed',
      metricValue: '1',
    });
    this.broadcastSmsAlarm = alarm(
      'BroadcastSmsFailures',
      `${BROADCAST_SMS_FAILURES} or more broadcast SMS were finally refused by End User Messaging in an hour (a few bad numbers are normal; this many is not). First step: the broadcast's delivery counts on its staff page and the sender's log ("kind":"sms_failed") for the error.`,
      broadcastSms.with({ period: Duration.hours(1), statistic: 'Sum' }),
      BROADCAST_SMS_FAILURES,
    );

    // ── the dashboard ────────────────────────────────────────────────────────────────────
    const everyAlarm = stack.node.findAll().filter((c): c is Alarm => c instanceof Alarm);
    const fnMetrics = (pick: (fn: ServiceFunction) => IMetric) => functions.map(pick);
    const deadLetterQueues = stack.node.findAll().filter((c): c is Queue => c instanceof Queue && !work.has(c));
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `${stack.stackName}-operations`,
      defaultInterval: Duration.days(1),
    });
    this.dashboard.addWidgets(
      new TextWidget({
        markdown:
          '# Zhingdrok\nRed alarms first; each alarm says what it means and what to check first. The runbook: docs/operations.md.',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(new AlarmStatusWidget({ title: 'Alarms', alarms: everyAlarm, width: 24, height: 6 }));
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Lambda errors',
        left: fnMetrics((fn) => fn.metricErrors({ period: five, label: pathName(stack, fn) })),
        width: 12,
      }),
      new GraphWidget({
        title: 'Lambda throttles',
        left: fnMetrics((fn) => fn.metricThrottles({ period: five, label: pathName(stack, fn) })),
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'API requests and 5xx',
        left: [apiCount.with({ label: 'requests' }), api5xx.with({ label: '5xx' })],
        right: [api5xxRate],
        width: 12,
      }),
      new GraphWidget({
        title: 'Outbound SMS: oldest waiting (s)',
        left: [this.oldestSmsAlarm.metric],
        leftAnnotations: [{ value: OLDEST_SMS_AGE_SECONDS, label: 'alarm' }],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Dead-letter queues: messages',
        left: deadLetterQueues.map((q) =>
          q.metricApproximateNumberOfMessagesVisible({ period: five, statistic: 'Maximum', label: pathName(stack, q) }),
        ),
        width: 12,
      }),
      new GraphWidget({
        title: 'DynamoDB throttle events',
        left: [tableMetric('ReadThrottleEvents'), tableMetric('WriteThrottleEvents')],
        width: 12,
      }),
    );
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'SMS segments sent per day',
        left: [segments.with({ period: Duration.days(1), statistic: 'Sum', label: 'segments' })],
        leftAnnotations: [
          { value: props.dailySegmentLimit, label: 'SMS_DAILY_SEGMENT_LIMIT' },
          { value: Math.ceil(share * props.dailySegmentLimit), label: 'alarm' },
        ],
        width: 12,
      }),
      new GraphWidget({
        title: 'SMS guards and broadcast failures',
        left: [
          ...['SmsBudgetExhausted', 'SmsHardLimitReached', 'SmsCountryBlocked'].map(
            (metricName) =>
              new Metric({
                namespace: METRIC_NAMESPACE,
                metricName,
                period: five,
                statistic: 'Sum',
                label: metricName,
              }),
          ),
          broadcastRuns.with({ period: five, statistic: 'Sum', label: 'BroadcastRunFailed' }),
          broadcastSms.with({ period: five, statistic: 'Sum', label: 'BroadcastSmsFailed' }),
        ],
        width: 12,
      }),
    );
  }

  /** A metric filter on one log group, summed into a metric of the Zhingdrok namespace. */
  private sumLog(
    filterId: string,
    logGroup: ILogGroup,
    spec: { pattern: ReturnType<typeof FilterPattern.stringValue>; metricName: string; metricValue: string },
  ): Metric {
    return new MetricFilter(this, filterId, {
      logGroup,
      filterPattern: spec.pattern,
      metricNamespace: METRIC_NAMESPACE,
      metricName: spec.metricName,
      metricValue: spec.metricValue,
      // No line in a period is zero, not missing: the daily sum and the dashboard stay continuous.
      defaultValue: 0,
    }).metric();
  }
}

/** A construct's path in its stack without slashes, e.g. `SmsSendFunction`: unique, and readable in an alarm's name. */
function pathName(stack: Stack, construct: IConstruct): string {
  const relative = construct.node.path.slice(stack.node.path.length + 1);
  return relative.replace(/[^A-Za-z0-9]/g, '');
}

import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, type IMetric, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface SmsAlarmsProps {
  /** By name: any message in one of these is an SMS or an event the system gave up on. */
  readonly deadLetterQueues: Record<string, { queue: IQueue; description: string }>;
  /**
   * By name: log groups of functions that record SMS, where the guards log
   * `{"kind": "sms_budget_exhausted" | "sms_hard_limit_reached"}` (core/sms/admission.ts runs
   * wherever the messenger does). Functions built later are added with `watch`.
   */
  readonly logGroups: Record<string, ILogGroup>;
}

export const METRIC_NAMESPACE = 'Zhingdrok';

/** The guards' log events that alarm, each as one metric fed by a filter on every watched log group. */
const GUARD_EVENTS = [
  { kind: 'sms_budget_exhausted', filterId: 'BudgetExhausted', metricName: 'SmsBudgetExhausted' },
  { kind: 'sms_hard_limit_reached', filterId: 'HardLimitReached', metricName: 'SmsHardLimitReached' },
  { kind: 'sms_country_blocked', filterId: 'CountryBlocked', metricName: 'SmsCountryBlocked' },
] as const;

/**
 * What an operator must hear about: dead letters, the daily segment budget stopping
 * non-essential SMS, the absolute daily cap stopping everything but STOP confirmations, and an
 * SMS stopped because its country is not served (SMS pumping, or a mistyped number).
 * All alarm into one topic; subscribe an address or a chat webhook to the AlarmTopicArn output.
 */
export class SmsAlarms extends Construct {
  readonly topic: Topic;
  readonly deadLetterAlarms: Alarm[];
  readonly budgetAlarm: Alarm;
  readonly hardLimitAlarm: Alarm;
  readonly countryBlockedAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Zhingdrok SMS alarms', enforceSSL: true });
    const action = new SnsAction(this.topic);

    /** Alarms into the topic as soon as `metric` reaches 1 in a 5-minute period. */
    const alarmWhen = (id: string, description: string, metric: IMetric) => {
      const alarm = new Alarm(this, id, {
        alarmDescription: description,
        metric,
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      return alarm;
    };
    this.deadLetterAlarms = Object.entries(props.deadLetterQueues).map(([name, { queue, description }]) =>
      alarmWhen(
        `${name}Alarm`,
        description,
        queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
      ),
    );
    const alarmOn = (id: string, metricName: string, description: string) =>
      alarmWhen(
        id,
        description,
        new Metric({ namespace: METRIC_NAMESPACE, metricName, period: Duration.minutes(5), statistic: 'Sum' }),
      );
    this.budgetAlarm = alarmOn(
      'BudgetAlarm',
      'SmsBudgetExhausted',
      'The daily SMS segment budget stopped non-essential SMS (SMS_DAILY_SEGMENT_LIMIT)',
    );
    this.hardLimitAlarm = alarmOn(
      'HardLimitAlarm',
      'SmsHardLimitReached',
      'The absolute daily SMS cap stopped replies or sign-in codes: nothing but STOP confirmations goes out until midnight Asia/Shanghai (SMS_DAILY_HARD_LIMIT)',
    );
    this.countryBlockedAlarm = alarmOn(
      'CountryBlockedAlarm',
      'SmsCountryBlocked',
      'An SMS to a country outside SMS_ALLOWED_COUNTRIES was stopped: a number entered by mistake, or someone pumping SMS to foreign numbers. First step: the blocked messages in the table (status blocked, error "not in the allow-list") show the numbers and where they came from',
    );
    for (const [name, logGroup] of Object.entries(props.logGroups)) this.watch(name, logGroup);
  }

  /** Feeds the guard alarms from one more function's log. */
  watch(name: string, logGroup: ILogGroup): void {
    for (const event of GUARD_EVENTS) {
      new MetricFilter(this, `${name}${event.filterId}`, {
        logGroup,
        filterPattern: FilterPattern.stringValue('$.kind', '=', event.kind),
        metricNamespace: METRIC_NAMESPACE,
        metricName: event.metricName,
        metricValue: '1',
      });
    }
  }
}

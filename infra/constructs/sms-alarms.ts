import { Duration } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { FilterPattern, type ILogGroup, MetricFilter } from 'aws-cdk-lib/aws-logs';
import { Topic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface SmsAlarmsProps {
  /** By name: any message in one of these is an SMS or an event the system gave up on. */
  readonly deadLetterQueues: Record<string, { queue: IQueue; description: string }>;
  /** Where the sender logs `{"kind": "sms_budget_exhausted"}` (core/sms/sender.ts). */
  readonly senderLogGroup: ILogGroup;
}

export const METRIC_NAMESPACE = 'Zhingdrok';

/**
 * What an operator must hear about: dead letters, and the daily segment budget stopping
 * non-essential SMS. Both alarm into one topic; subscribe an address or a chat webhook to
 * the AlarmTopicArn output.
 */
export class SmsAlarms extends Construct {
  readonly topic: Topic;
  readonly deadLetterAlarms: Alarm[];
  readonly budgetAlarm: Alarm;

  constructor(scope: Construct, id: string, props: SmsAlarmsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'Zhingdrok SMS alarms', enforceSSL: true });
    const action = new SnsAction(this.topic);

    this.deadLetterAlarms = Object.entries(props.deadLetterQueues).map(([name, { queue, description }]) => {
      const alarm = new Alarm(this, `${name}Alarm`, {
        alarmDescription: description,
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      alarm.addAlarmAction(action);
      return alarm;
    });

    const budgetStops = new MetricFilter(this, 'BudgetExhausted', {
      logGroup: props.senderLogGroup,
      filterPattern: FilterPattern.stringValue('$.kind', '=', 'sms_budget_exhausted'),
      metricNamespace: METRIC_NAMESPACE,
      metricName: 'SmsBudgetExhausted',
      metricValue: '1',
    });
    this.budgetAlarm = new Alarm(this, 'BudgetAlarm', {
      alarmDescription: 'The daily SMS segment budget stopped non-essential SMS (SMS_DAILY_SEGMENT_LIMIT)',
      metric: budgetStops.metric({ period: Duration.minutes(5), statistic: 'Sum' }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.budgetAlarm.addAlarmAction(action);
  }
}

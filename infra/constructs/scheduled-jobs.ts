import { ArnFormat, Duration, RemovalPolicy, Stack, TimeZone, Token } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleGroup,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { IMPORT_PLAN_PREFIX } from '#adapters/dynamodb/price-import.ts';
import { openDataTime } from '#core/prices/open-data-publish.ts';
import { acknowledge, acknowledgeObjectPrefix, nagArnOf, nagRegion } from './acknowledge.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

export interface ScheduledJobsProps {
  readonly table: ITable;
  /** The SMS outbound queue: digests go through the same sender, budget and allow-list as replies. */
  readonly smsQueue: IQueue;
  /** The broadcasts' bulk queue: their fan-out queues SMS here, for the sender to send at the send rate. */
  readonly bulkQueue: IQueue;
  /** The files bucket: the sweep reads (and then deletes) the write plans of CSV imports a crash interrupted. */
  readonly filesBucket: IBucket;
  /** Asia/Shanghai HH:MM of the daily price digest. @default '18:00' */
  readonly digestTime?: string;
  /**
   * The public bucket (the static bucket, which CloudFront serves): the daily `open-data` job
   * writes its snapshot under open-data/ of it, an hour after the digest. Without it: no such job.
   */
  readonly publicBucket?: IBucket;
  /**
   * The SMS gateway is Alibaba Cloud SMS: the `sms-reconcile` job runs every 10 minutes, pulling
   * the statuses of sent messages whose delivery report was never pushed (QuerySendDetails).
   */
  readonly smsReconcile?: boolean;
  /** Where an alarm on the jobs' dead-letter queue goes (the SMS alarm topic). */
  readonly alarmTopic?: ITopic;
  readonly logLevel?: LogLevel;
  readonly environment?: Record<string, string>;
}

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * EventBridge Scheduler → the jobs Lambda (functions/handlers/jobs.ts):
 * - `price-digest` daily at `digestTime` Asia/Shanghai (the daily price alerts);
 * - `price-sweep` every 15 minutes: finishes approvals a crash left half-published, and CSV
 *   imports a crash interrupted (from the write plans they keep under imports/prices/plans/);
 * - `exchange-sweep` hourly;
 * - `broadcast-tick` every minute: each active broadcast's next window (fan-out to the bulk queue);
 * - `question-escalate` every 15 minutes: unanswered questions up the experts' ladder;
 * - `upload-cleanup` hourly: attachment uploads never finished (older than a day) are deleted;
 * - `sms-reconcile` every 10 minutes, with the Alibaba Cloud SMS gateway only: statuses of the
 *   messages the provider's pushes left without a final one (its pushes are retried three times);
 * - `open-data` daily an hour after the digest (19:00 by default): every approved price to the
 *   public bucket under open-data/<day>/ and open-data/latest/ (core/prices/open-data-publish.ts);
 * - `broadcast-run`: one-time schedules the http and jobs functions make at run time, one per
 *   broadcast, in the broadcasts' schedule group (adapters/scheduler/eventbridge-scheduler.ts),
 *   with the same role: `allowBroadcastScheduling` lets a function make them.
 * Each schedule passes `{job, scheduledTime, executionId}`; the scheduler's own role may
 * invoke this one function and nothing else; failed invocations are retried, then parked in
 * a dead-letter queue that alarms.
 */
export class ScheduledJobs extends Construct {
  readonly function: ServiceFunction;
  readonly deadLetterQueue: Queue;
  readonly role: Role;
  readonly digestSchedule: Schedule;
  readonly sweepSchedule: Schedule;
  readonly exchangeSweepSchedule: Schedule;
  readonly broadcastTickSchedule: Schedule;
  readonly questionEscalateSchedule: Schedule;
  readonly uploadCleanupSchedule: Schedule;
  /** Alibaba Cloud SMS statuses the pushes never brought, every 10 minutes; only with `smsReconcile`. */
  readonly smsReconcileSchedule?: Schedule;
  /** The daily open-data snapshot; only with a public bucket. */
  readonly openDataSchedule?: Schedule;
  /** Where broadcasts' one-time schedules live; the functions may touch schedules in it only. */
  readonly broadcastScheduleGroup: ScheduleGroup;
  /** The settings of the `scheduleBroadcasts` capability (functions/config.ts). */
  readonly broadcastSchedulingEnv: Record<string, string>;

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    const digestTime = props.digestTime ?? '18:00';
    const time = HH_MM.exec(digestTime);
    if (!time) throw new Error(`priceDigestTime must be HH:MM (Asia/Shanghai), got ${JSON.stringify(digestTime)}`);

    // Its own ARN is one of its settings (the target of the one-time schedules it makes), and a
    // function cannot refer to its generated name in its own properties: so a fixed name.
    const stack = Stack.of(this);
    const functionName = `${stack.stackName}-jobs`;
    if (!Token.isUnresolved(functionName) && functionName.length > 64)
      throw new Error(
        `the jobs function's name ${functionName} is longer than Lambda's 64 characters: use a shorter stack name`,
      );
    this.function = new ServiceFunction(this, 'JobsFunction', {
      entry: 'functions/handlers/jobs.ts',
      functionName,
      description:
        'Zhingdrok scheduled jobs: daily price digest, publication sweep (approvals, CSV imports), exchange sweep, broadcasts',
      // A digest of many subscribers takes a while; the sweep is quick.
      timeout: Duration.minutes(5),
      logLevel: props.logLevel,
      environment: { ...props.environment, BUCKET_NAME: props.filesBucket.bucketName },
    })
      .bindTable(props.table, 'readwrite')
      .bindSmsQueue(props.smsQueue);
    // Only the import write plans: read to finish an interrupted import, deleted once it is done.
    this.function.bindObjects(props.filesBucket, [IMPORT_PLAN_PREFIX], ['s3:GetObject', 's3:DeleteObject']);

    this.deadLetterQueue = new Queue(this, 'JobDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const isDeadLetterQueue = 'the jobs’ dead-letter queue: where failures end, replayed by hand (npm run replay)';
    acknowledge(this.deadLetterQueue, 'AwsSolutions-SQS3', isDeadLetterQueue);
    acknowledge(this.deadLetterQueue, 'Serverless-SQSRedrivePolicy', isDeadLetterQueue);
    // EventBridge Scheduler invokes the function asynchronously: an invocation Scheduler handed
    // over but that then threw (retried twice by Lambda) would otherwise be dropped without an
    // alarm. It lands in the same dead-letter queue as the schedules' own undelivered events.
    this.function.configureAsyncInvoke({
      retryAttempts: 2,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'its asynchronous failures go to the on-failure destination (the jobs’ dead-letter queue), with the whole invocation record',
    );

    // Only EventBridge Scheduler of this account may take the role (confused-deputy guard).
    this.role = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'EventBridge Scheduler: invoke the Zhingdrok jobs function only',
    });
    acknowledge(
      this.role,
      `AwsSolutions-IAM5[Resource::${nagArnOf(this.function)}:*]`,
      'the one jobs function, any of its versions (CDK’s invoke grant)',
    );

    const target = (job: string, retryAttempts: number, maxEventAge: Duration) =>
      new LambdaInvoke(this.function, {
        role: this.role,
        input: ScheduleTargetInput.fromObject({
          job,
          scheduledTime: ContextAttribute.scheduledTime,
          executionId: ContextAttribute.executionId,
        }),
        retryAttempts,
        maxEventAge,
        deadLetterQueue: this.deadLetterQueue,
      });

    this.digestSchedule = new Schedule(this, 'PriceDigest', {
      description: `Daily price digest at ${digestTime} Asia/Shanghai`,
      schedule: ScheduleExpression.cron({
        minute: String(Number(time[2])),
        hour: String(Number(time[1])),
        timeZone: TimeZone.ASIA_SHANGHAI,
      }),
      // Retries are safe (per-day markers); a digest more than 2 hours late is still worth sending.
      target: target('price-digest', 3, Duration.hours(2)),
    });
    this.sweepSchedule = new Schedule(this, 'PriceSweep', {
      description: 'Finish half-published price approvals and interrupted CSV imports every 15 minutes',
      schedule: ScheduleExpression.cron({ minute: '0/15', timeZone: TimeZone.ASIA_SHANGHAI }),
      // The next run is 15 minutes away: a short retry window is enough.
      target: target('price-sweep', 2, Duration.minutes(15)),
    });
    this.exchangeSweepSchedule = new Schedule(this, 'ExchangeSweep', {
      description: 'Exchange offers: reminders the day before expiry, expiry, unconfirmed operator posts, every hour',
      schedule: ScheduleExpression.cron({ minute: '5', timeZone: TimeZone.ASIA_SHANGHAI }),
      // Idempotent (conditional changes, keyed reminders); the next run is an hour away.
      target: target('exchange-sweep', 2, Duration.hours(1)),
    });
    this.broadcastTickSchedule = new Schedule(this, 'BroadcastTick', {
      description: "Broadcasts: each active broadcast's next minute of recipients, every minute",
      schedule: ScheduleExpression.rate(Duration.minutes(1)),
      // The next tick is a minute away and does the same: one retry within the minute is enough.
      target: target('broadcast-tick', 1, Duration.minutes(1)),
    });

    this.questionEscalateSchedule = new Schedule(this, 'QuestionEscalate', {
      description: "Experts' questions: unanswered ones go to the prefecture's experts, then to all, every 15 minutes",
      schedule: ScheduleExpression.cron({ minute: '0/15', timeZone: TimeZone.ASIA_SHANGHAI }),
      // Conditional saves make a rerun harmless; the next run is 15 minutes away.
      target: target('question-escalate', 2, Duration.minutes(15)),
    });
    this.uploadCleanupSchedule = new Schedule(this, 'UploadCleanup', {
      description: 'Attachment uploads never finished into an item, older than a day, are deleted every hour',
      schedule: ScheduleExpression.cron({ minute: '35', timeZone: TimeZone.ASIA_SHANGHAI }),
      // Deleting what is gone already succeeds; the next run is an hour away.
      target: target('upload-cleanup', 2, Duration.hours(1)),
    });

    if (props.smsReconcile) {
      this.smsReconcileSchedule = new Schedule(this, 'SmsReconcile', {
        description: 'Alibaba Cloud SMS: delivery statuses no push brought (QuerySendDetails), every 10 minutes',
        schedule: ScheduleExpression.rate(Duration.minutes(10)),
        // A status recorded twice changes nothing; the next run is 10 minutes away.
        target: target('sms-reconcile', 2, Duration.minutes(10)),
      });
    }

    if (props.publicBucket) {
      // Put only, under open-data/ only: it never reads, lists or deletes, and static/ is not its.
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['s3:PutObject'],
          resources: [props.publicBucket.arnForObjects('open-data/*')],
        }),
      );
      this.function.addEnvironment('PUBLIC_BUCKET_NAME', props.publicBucket.bucketName);
      acknowledgeObjectPrefix(
        this.function,
        props.publicBucket,
        'open-data/',
        'PutObject on the daily snapshots under open-data/ of the public bucket, whose keys carry the day',
      );
      const at = openDataTime(digestTime);
      this.openDataSchedule = new Schedule(this, 'OpenData', {
        description: `Daily open-data snapshot of every approved price at ${at} Asia/Shanghai, an hour after the digest`,
        schedule: ScheduleExpression.cron({
          minute: String(Number(at.slice(3))),
          hour: String(Number(at.slice(0, 2))),
          timeZone: TimeZone.ASIA_SHANGHAI,
        }),
        // Idempotent (the same day rewrites the same bytes); a snapshot hours late is still the day's.
        target: target('open-data', 3, Duration.hours(2)),
      });
    }

    // Broadcasts' fan-out queues their SMS on the bulk queue.
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [props.bulkQueue.queueArn] }),
    );
    this.function.addEnvironment('SMS_BULK_QUEUE_URL', props.bulkQueue.queueUrl);
    // Holds only one-time schedules that delete themselves once run: nothing to keep when the stack goes.
    this.broadcastScheduleGroup = new ScheduleGroup(this, 'BroadcastSchedules', {
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.broadcastSchedulingEnv = {
      BROADCAST_SCHEDULE_GROUP: this.broadcastScheduleGroup.scheduleGroupName,
      BROADCAST_SCHEDULER_ROLE_ARN: this.role.roleArn,
      JOBS_FUNCTION_ARN: stack.formatArn({
        service: 'lambda',
        resource: 'function',
        resourceName: functionName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      }),
    };
    this.allowBroadcastScheduling(this.function);

    if (props.alarmTopic) {
      new Alarm(this, 'JobDeadLettersAlarm', {
        alarmDescription:
          'A scheduled job (price digest, price sweep, exchange sweep, broadcast tick, question escalation or upload cleanup) failed after its retries',
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      }).addAlarmAction(new SnsAction(props.alarmTopic));
    }
  }

  /**
   * Lets a function make, move and delete broadcasts' one-time schedules (in their group only)
   * and hand them the scheduler's role, and gives it the settings that name them.
   */
  allowBroadcastScheduling(fn: ServiceFunction): void {
    this.broadcastScheduleGroup.grants.writeSchedules(fn);
    this.broadcastScheduleGroup.grants.deleteSchedules(fn);
    this.role.grantPassRole(fn.grantPrincipal);
    acknowledge(
      fn,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:${nagRegion(this)}:<AWS::AccountId>:schedule/${this.broadcastScheduleGroup.scheduleGroupName}/*]`,
      'broadcasts’ one-time schedules, named at run time, in their own group only',
    );
    for (const [name, value] of Object.entries(this.broadcastSchedulingEnv)) fn.addEnvironment(name, value);
  }
}

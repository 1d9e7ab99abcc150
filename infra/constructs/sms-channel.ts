import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SMS_SEND_MAX_RECEIVES } from '#adapters/queue/sqs-event.ts';
import { eumReceiptStatus } from '#adapters/sms/eum-receipts.ts';
import { INBOUND_RUN_LIMIT_MS } from '#core/sms/inbound-timing.ts';
import { acknowledge } from './acknowledge.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';
import { SmsAlarms } from './sms-alarms.ts';

/** Deploys, but sends nothing: `cdk deploy -c smsOriginationIdentity=…` names the real one. */
export const PLACEHOLDER_ORIGINATION_IDENTITY = 'pool-00000000000000000000000000000000';

export interface SmsChannelProps {
  readonly table: ITable;
  /**
   * The End User Messaging phone number or pool that sends and receives: its id
   * (`phone-…`, `pool-…`) or ARN (deploy-context.ts checks the form).
   */
  readonly originationIdentity: string;
  readonly logLevel?: LogLevel;
  /** Settings every function of the stack shares (ADMIN_PHONES, …). */
  readonly environment?: Record<string, string>;
  /** Settings the sender alone needs: AUTH_SECRET, which unseals the sign-in codes it delivers. */
  readonly senderEnvironment?: Record<string, string>;
  /**
   * Concurrency reserved for the sender (context `smsSenderConcurrency`), so that a flood of
   * HTTP requests cannot take the account's pool and throttle sends into the dead-letter queue.
   * At least SENDER_POLLERS when set; 0 reserves none. @default 5
   */
  readonly senderConcurrency?: number;
}

/** The most sender invocations the two queues' pollers run at once (maxConcurrency 2 each). */
export const SENDER_POLLERS = 4;

/** The sender's timeout; the queue's visibility timeout is six times it (AWS's advice for SQS sources). */
const SEND_TIMEOUT = Duration.seconds(30);

/**
 * The AWS side of the SMS channel:
 *
 *   phone → End User Messaging (two-way) → InboundTopic → sms-inbound → table, OutboundQueue
 *   OutboundQueue → sms-send → SendTextMessage (configuration set) → phone
 *   BulkQueue (broadcasts) → sms-send at SMS_SEND_RATE → SendTextMessage → phone
 *   configuration set events → EventsTopic → sms-status → table
 *
 * CDK cannot point an existing number's two-way channel at a topic (the number is bought
 * once, by hand, and for mainland China requested as a short code), so after the first
 * deploy run the command in the README (`update-phone-number --two-way-channel-arn`) with
 * the InboundTopicArn output.
 */
export class SmsChannel extends Construct {
  readonly inboundTopic: Topic;
  readonly eventsTopic: Topic;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Broadcasts' SMS (`{"id","bulk":true}`), sent by the same function at the send rate; apart, so replies never wait behind a broadcast. */
  readonly bulkQueue: Queue;
  readonly bulkDeadLetterQueue: Queue;
  /** SNS events that the inbound and status functions still failed on after Lambda's retries. */
  readonly failedEventsQueue: Queue;
  /**
   * SNS messages the topics could not hand to the inbound or status function at all (the
   * subscriptions' dead-letter queue): the SNS message itself, to replay.
   */
  readonly undeliveredEventsQueue: Queue;
  readonly configurationSet: CfnConfigurationSet;
  readonly inboundFunction: ServiceFunction;
  readonly sendFunction: ServiceFunction;
  readonly statusFunction: ServiceFunction;
  readonly alarms: SmsAlarms;
  readonly originationIdentityArn: string;

  constructor(scope: Construct, id: string, props: SmsChannelProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.originationIdentityArn = originationIdentityArn(stack, props.originationIdentity);
    const common = { logLevel: props.logLevel, environment: { ...props.environment } };
    const senderConcurrency = props.senderConcurrency ?? 5;
    if (!Number.isInteger(senderConcurrency) || (senderConcurrency !== 0 && senderConcurrency < SENDER_POLLERS))
      throw new Error(
        `the SMS sender's reserved concurrency must be 0 (none) or at least ${SENDER_POLLERS} (its pollers), got ${senderConcurrency}`,
      );

    this.deadLetterQueue = new Queue(this, 'OutboundDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.queue = new Queue(this, 'OutboundQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SEND_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: SMS_SEND_MAX_RECEIVES },
    });
    this.bulkDeadLetterQueue = new Queue(this, 'BulkDeadLetters', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.bulkQueue = new Queue(this, 'BulkQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(SEND_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.bulkDeadLetterQueue, maxReceiveCount: SMS_SEND_MAX_RECEIVES },
    });
    this.failedEventsQueue = new Queue(this, 'FailedEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.undeliveredEventsQueue = new Queue(this, 'UndeliveredEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    // Where failures end: each alarms, and is replayed by hand (npm run replay).
    for (const dlq of [
      this.deadLetterQueue,
      this.bulkDeadLetterQueue,
      this.failedEventsQueue,
      this.undeliveredEventsQueue,
    ])
      acknowledge(
        dlq,
        'Serverless-SQSRedrivePolicy',
        'a dead-letter queue: failures end here, alarm and are replayed by hand',
      );
    for (const dlq of [this.failedEventsQueue, this.undeliveredEventsQueue])
      acknowledge(
        dlq,
        'AwsSolutions-SQS3',
        'a dead-letter queue (of Lambda destinations or SNS subscriptions, not of a queue)',
      );

    // Not KMS-encrypted: the AWS-managed SNS key cannot be granted to End User Messaging, and
    // a customer key for two low-volume topics costs more than the messages (TLS is enforced).
    this.inboundTopic = new Topic(this, 'InboundTopic', { displayName: 'Zhingdrok inbound SMS', enforceSSL: true });
    this.inboundTopic.addToResourcePolicy(publishBySmsVoice(this.inboundTopic, stack));

    this.eventsTopic = new Topic(this, 'EventsTopic', {
      displayName: 'Zhingdrok SMS delivery events',
      enforceSSL: true,
    });
    // Any configuration set of this account and region, not this one's ARN: the policy must
    // exist before the set is created (the service checks it may publish), so it cannot name it.
    const eventsPolicy = this.eventsTopic.addToResourcePolicy(
      publishBySmsVoice(
        this.eventsTopic,
        stack,
        stack.formatArn({ service: 'sms-voice', resource: 'configuration-set', resourceName: '*' }),
      ),
    );

    this.configurationSet = new CfnConfigurationSet(this, 'ConfigurationSet', {
      eventDestinations: [
        {
          eventDestinationName: 'delivery-receipts',
          enabled: true,
          // Final outcomes only: queued/pending reports would change nothing and cost invocations.
          matchingEventTypes: Object.keys(eumReceiptStatus),
          snsDestination: { topicArn: this.eventsTopic.topicArn },
        },
      ],
    });
    if (eventsPolicy.policyDependable) this.configurationSet.node.addDependency(eventsPolicy.policyDependable);

    this.inboundFunction = new ServiceFunction(this, 'InboundFunction', {
      entry: 'functions/handlers/sms-inbound.ts',
      description: 'Inbound SMS from End User Messaging (SNS): parse, act, queue the reply',
      // Shorter than the inbound claim's stale window: a live run's claim is never taken over
      // (core/sms/inbound-timing.ts).
      timeout: Duration.millis(INBOUND_RUN_LIMIT_MS),
      ...common,
    })
      .bindTable(props.table, 'readwrite')
      .bindSmsQueue(this.queue);
    // A message SNS cannot hand to the function (throttled past SNS's retries, permission lost) is kept, not dropped.
    this.inboundTopic.addSubscription(
      new LambdaSubscription(this.inboundFunction, { deadLetterQueue: this.undeliveredEventsQueue }),
    );

    this.sendFunction = new ServiceFunction(this, 'SendFunction', {
      entry: 'functions/handlers/sms-send.ts',
      description: 'Sends queued SMS through End User Messaging SendTextMessage',
      timeout: SEND_TIMEOUT,
      ...common,
      environment: { ...common.environment, ...props.senderEnvironment },
      ...(senderConcurrency > 0 ? { reservedConcurrentExecutions: senderConcurrency } : {}),
    }).bindTable(props.table, 'readwrite');
    acknowledge(
      this.sendFunction,
      'Serverless-LambdaDLQ',
      'fed by SQS only: a message it fails on goes to its queue’s dead-letter queue (redrive policy)',
    );
    for (const queue of [this.queue, this.bulkQueue])
      acknowledge(
        this.sendFunction,
        'Serverless-LambdaEventSourceMappingDestination',
        `SQS sources have no on-failure destination: ${queue.node.id}'s redrive policy is the dead-letter path`,
      );
    acknowledge(
      this.sendFunction,
      'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:opt-out-list/*]',
      'the opt-out list the origination identity names, which SendTextMessage authorizes too; its name is not known here',
    );
    this.sendFunction.addEnvironment('EUM_ORIGINATION_IDENTITY', this.originationIdentityArn);
    this.sendFunction.addEnvironment('EUM_CONFIGURATION_SET', this.configurationSet.ref);
    this.sendFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [
          this.originationIdentityArn,
          this.configurationSet.attrArn,
          // The identity's opt-out list is part of every send's authorization.
          stack.formatArn({ service: 'sms-voice', resource: 'opt-out-list', resourceName: '*' }),
        ],
      }),
    );
    this.sendFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        reportBatchItemFailures: true,
        // The fewest pollers Lambda allows: a long code sends 10 parts a second, and two
        // senders working through batches one message at a time stay near that; the SDK's
        // adaptive retry slows them further when the service throttles.
        maxConcurrency: 2,
      }),
    );
    // Broadcasts: the same sender, paced by the shared one-second windows (core/sms/pacing.ts),
    // so its two pollers together keep to SMS_SEND_RATE.
    this.sendFunction.addEventSource(
      new SqsEventSource(this.bulkQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );

    this.statusFunction = new ServiceFunction(this, 'StatusFunction', {
      entry: 'functions/handlers/sms-status.ts',
      description: 'Records SMS delivery receipts from the configuration set (SNS)',
      ...common,
    }).bindTable(props.table, 'readwrite');
    this.eventsTopic.addSubscription(
      new LambdaSubscription(this.statusFunction, { deadLetterQueue: this.undeliveredEventsQueue }),
    );

    // After Lambda's two retries of an SNS event, keep it rather than lose a farmer's message.
    for (const fn of [this.inboundFunction, this.statusFunction]) {
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(this.failedEventsQueue),
      });
      acknowledge(
        fn,
        'Serverless-LambdaDLQ',
        'its asynchronous failures go to the on-failure destination (FailedEvents), with the whole invocation record',
      );
    }

    this.alarms = new SmsAlarms(this, 'Alarms', {
      deadLetterQueues: {
        OutboundDeadLetters: {
          queue: this.deadLetterQueue,
          description: 'SMS the sender gave up on: each is marked failed in the table with its last error',
        },
        BulkDeadLetters: {
          queue: this.bulkDeadLetterQueue,
          description: 'Broadcast SMS the sender gave up on (each is marked failed in the table with its last error)',
        },
        FailedEvents: {
          queue: this.failedEventsQueue,
          description: 'Inbound SMS or delivery events that failed after Lambda retries: the SNS event is in the queue',
        },
        UndeliveredEvents: {
          queue: this.undeliveredEventsQueue,
          description:
            'Inbound SMS or delivery events SNS could not hand to their function: the SNS message is in the queue',
        },
      },
      logGroups: { Send: this.sendFunction.logGroup, Inbound: this.inboundFunction.logGroup },
    });
  }
}

/** sns:Publish for End User Messaging on behalf of this account only (confused-deputy guard). */
function publishBySmsVoice(topic: Topic, stack: Stack, sourceArnLike?: string): PolicyStatement {
  return new PolicyStatement({
    effect: Effect.ALLOW,
    principals: [new ServicePrincipal('sms-voice.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ...(sourceArnLike ? { ArnLike: { 'aws:SourceArn': sourceArnLike } } : {}),
    },
  });
}

/** An id becomes this account's and region's ARN; an ARN (a shared identity) stays as it is. */
function originationIdentityArn(stack: Stack, identity: string): string {
  if (identity.startsWith('arn:')) return identity;
  const resource = identity.startsWith('pool-') ? 'pool' : 'phone-number';
  return stack.formatArn({ service: 'sms-voice', resource, resourceName: identity });
}

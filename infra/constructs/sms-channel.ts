import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SMS_SEND_MAX_RECEIVES } from '#adapters/queue/sqs-event.ts';
import { eumReceiptStatus } from '#adapters/sms/eum-receipts.ts';
import { INBOUND_RUN_LIMIT_MS } from '#core/sms/inbound-timing.ts';
import { acknowledge, nagRegion } from './acknowledge.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';
import { SmsAlarms, type SmsAlarmsProps } from './sms-alarms.ts';

/** Deploys, but sends nothing: `cdk deploy -c smsOriginationIdentity=…` names the real one. */
export const PLACEHOLDER_ORIGINATION_IDENTITY = 'pool-00000000000000000000000000000000';

/**
 * Who carries the SMS: End User Messaging (`eum`: the number or pool sends, two-way SMS and
 * delivery events come back by SNS), or Alibaba Cloud SMS (`aliyun`: the sender calls its API, and
 * its replies and delivery reports are pushed to routes of the HTTP API, so the http function
 * receives them). SPEC's gateway names (functions/config.ts SMS_GATEWAY).
 */
export type SmsGatewayName = 'eum' | 'aliyun';

export interface SmsChannelProps {
  readonly table: ITable;
  /** @default 'eum' */
  readonly gateway?: SmsGatewayName;
  /**
   * The End User Messaging phone number or pool that sends and receives: its id
   * (`phone-…`, `pool-…`) or ARN (deploy-context.ts checks the form). Unused with `aliyun`.
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
 *
 * With the `aliyun` gateway (the AWS China partition, which has no End User Messaging) only the
 * queues and the sender are made: no topics, configuration set, inbound or status function. The
 * provider pushes replies and delivery reports to the HTTP API (`/sms/aliyun/<token>/up`,
 * `/report`), which the http function answers, and the `sms-reconcile` job pulls the statuses a
 * push never brought (constructs/scheduled-jobs.ts).
 */
export class SmsChannel extends Construct {
  /** End User Messaging only. */
  readonly inboundTopic?: Topic;
  /** End User Messaging only. */
  readonly eventsTopic?: Topic;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Broadcasts' SMS (`{"id","bulk":true}`), sent by the same function at the send rate; apart, so replies never wait behind a broadcast. */
  readonly bulkQueue: Queue;
  readonly bulkDeadLetterQueue: Queue;
  /** SNS events that the inbound and status functions still failed on after Lambda's retries. */
  readonly failedEventsQueue?: Queue;
  /**
   * SNS messages the topics could not hand to the inbound or status function at all (the
   * subscriptions' dead-letter queue): the SNS message itself, to replay.
   */
  readonly undeliveredEventsQueue?: Queue;
  /** End User Messaging only (as the topics, the inbound and status functions and their event queues). */
  readonly configurationSet?: CfnConfigurationSet;
  readonly inboundFunction?: ServiceFunction;
  readonly sendFunction: ServiceFunction;
  readonly statusFunction?: ServiceFunction;
  readonly alarms: SmsAlarms;
  readonly originationIdentityArn?: string;
  readonly gateway: SmsGatewayName;

  constructor(scope: Construct, id: string, props: SmsChannelProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.gateway = props.gateway ?? 'eum';
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
    if (this.gateway === 'eum') this.endUserMessagingInbound(stack, props, common);

    this.sendFunction = new ServiceFunction(this, 'SendFunction', {
      entry: 'functions/handlers/sms-send.ts',
      description:
        this.gateway === 'aliyun'
          ? 'Sends queued SMS through Alibaba Cloud SMS SendSms (registered templates)'
          : 'Sends queued SMS through End User Messaging SendTextMessage',
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
    const deadLetterQueues: SmsAlarmsProps['deadLetterQueues'] = {
      OutboundDeadLetters: {
        queue: this.deadLetterQueue,
        description: 'SMS the sender gave up on: each is marked failed in the table with its last error',
      },
      BulkDeadLetters: {
        queue: this.bulkDeadLetterQueue,
        description: 'Broadcast SMS the sender gave up on (each is marked failed in the table with its last error)',
      },
    };
    const logGroups: SmsAlarmsProps['logGroups'] = { Send: this.sendFunction.logGroup };
    for (const dlq of [this.deadLetterQueue, this.bulkDeadLetterQueue])
      acknowledge(
        dlq,
        'Serverless-SQSRedrivePolicy',
        'a dead-letter queue: failures end here, alarm and are replayed by hand',
      );

    if (this.gateway === 'eum') {
      const eum = this.endUserMessagingSender(stack, props, common);
      Object.assign(deadLetterQueues, eum.deadLetterQueues);
      logGroups.Inbound = eum.inboundLogGroup;
    }

    // After the End User Messaging grant, so that the default template keeps its statements' order.
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

    this.alarms = new SmsAlarms(this, 'Alarms', { deadLetterQueues, logGroups });
  }

  /**
   * The End User Messaging side, before the sender: the two topics it publishes to, the
   * configuration set, the inbound function and the queues that keep the SNS events it failed on.
   */
  private endUserMessagingInbound(
    stack: Stack,
    props: SmsChannelProps,
    common: { logLevel?: LogLevel; environment: Record<string, string> },
  ): void {
    const self = this as { -readonly [K in keyof SmsChannel]: SmsChannel[K] };
    const originationArn = originationIdentityArn(stack, props.originationIdentity);
    self.originationIdentityArn = originationArn;
    const failedEventsQueue = new Queue(this, 'FailedEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const undeliveredEventsQueue = new Queue(this, 'UndeliveredEvents', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    self.failedEventsQueue = failedEventsQueue;
    self.undeliveredEventsQueue = undeliveredEventsQueue;
    // Where failures end: each alarms, and is replayed by hand (npm run replay).
    for (const dlq of [failedEventsQueue, undeliveredEventsQueue]) {
      acknowledge(
        dlq,
        'Serverless-SQSRedrivePolicy',
        'a dead-letter queue: failures end here, alarm and are replayed by hand',
      );
      acknowledge(
        dlq,
        'AwsSolutions-SQS3',
        'a dead-letter queue (of Lambda destinations or SNS subscriptions, not of a queue)',
      );
    }

    // Not KMS-encrypted: the AWS-managed SNS key cannot be granted to End User Messaging, and
    // a customer key for two low-volume topics costs more than the messages (TLS is enforced).
    const inboundTopic = new Topic(this, 'InboundTopic', { displayName: 'Zhingdrok inbound SMS', enforceSSL: true });
    inboundTopic.addToResourcePolicy(publishBySmsVoice(inboundTopic, stack));
    self.inboundTopic = inboundTopic;

    const eventsTopic = new Topic(this, 'EventsTopic', {
      displayName: 'Zhingdrok SMS delivery events',
      enforceSSL: true,
    });
    self.eventsTopic = eventsTopic;
    // Any configuration set of this account and region, not this one's ARN: the policy must
    // exist before the set is created (the service checks it may publish), so it cannot name it.
    const eventsPolicy = eventsTopic.addToResourcePolicy(
      publishBySmsVoice(
        eventsTopic,
        stack,
        stack.formatArn({ service: 'sms-voice', resource: 'configuration-set', resourceName: '*' }),
      ),
    );

    const configurationSet = new CfnConfigurationSet(this, 'ConfigurationSet', {
      eventDestinations: [
        {
          eventDestinationName: 'delivery-receipts',
          enabled: true,
          // Final outcomes only: queued/pending reports would change nothing and cost invocations.
          matchingEventTypes: Object.keys(eumReceiptStatus),
          snsDestination: { topicArn: eventsTopic.topicArn },
        },
      ],
    });
    self.configurationSet = configurationSet;
    if (eventsPolicy.policyDependable) configurationSet.node.addDependency(eventsPolicy.policyDependable);

    const inboundFunction = new ServiceFunction(this, 'InboundFunction', {
      entry: 'functions/handlers/sms-inbound.ts',
      description: 'Inbound SMS from End User Messaging (SNS): parse, act, queue the reply',
      // Shorter than the inbound claim's stale window: a live run's claim is never taken over
      // (core/sms/inbound-timing.ts).
      timeout: Duration.millis(INBOUND_RUN_LIMIT_MS),
      ...common,
    })
      .bindTable(props.table, 'readwrite')
      .bindSmsQueue(this.queue);
    self.inboundFunction = inboundFunction;
    // A message SNS cannot hand to the function (throttled past SNS's retries, permission lost) is kept, not dropped.
    inboundTopic.addSubscription(new LambdaSubscription(inboundFunction, { deadLetterQueue: undeliveredEventsQueue }));
  }

  /**
   * The End User Messaging side, after the sender: its right to send through the identity, and
   * the status function that records delivery events.
   */
  private endUserMessagingSender(
    stack: Stack,
    props: SmsChannelProps,
    common: { logLevel?: LogLevel; environment: Record<string, string> },
  ): { deadLetterQueues: SmsAlarmsProps['deadLetterQueues']; inboundLogGroup: ILogGroup } {
    const originationArn = this.originationIdentityArn as string;
    const configurationSet = this.configurationSet as CfnConfigurationSet;
    const eventsTopic = this.eventsTopic as Topic;
    const inboundFunction = this.inboundFunction as ServiceFunction;
    const failedEventsQueue = this.failedEventsQueue as Queue;
    const undeliveredEventsQueue = this.undeliveredEventsQueue as Queue;
    acknowledge(
      this.sendFunction,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:sms-voice:${nagRegion(this)}:<AWS::AccountId>:opt-out-list/*]`,
      'the opt-out list the origination identity names, which SendTextMessage authorizes too; its name is not known here',
    );
    this.sendFunction.addEnvironment('EUM_ORIGINATION_IDENTITY', originationArn);
    this.sendFunction.addEnvironment('EUM_CONFIGURATION_SET', configurationSet.ref);
    this.sendFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [
          originationArn,
          configurationSet.attrArn,
          // The identity's opt-out list is part of every send's authorization.
          stack.formatArn({ service: 'sms-voice', resource: 'opt-out-list', resourceName: '*' }),
        ],
      }),
    );

    const statusFunction = new ServiceFunction(this, 'StatusFunction', {
      entry: 'functions/handlers/sms-status.ts',
      description: 'Records SMS delivery receipts from the configuration set (SNS)',
      ...common,
    }).bindTable(props.table, 'readwrite');
    (this as { statusFunction?: ServiceFunction }).statusFunction = statusFunction;
    eventsTopic.addSubscription(new LambdaSubscription(statusFunction, { deadLetterQueue: undeliveredEventsQueue }));

    // After Lambda's two retries of an SNS event, keep it rather than lose a farmer's message.
    for (const fn of [inboundFunction, statusFunction]) {
      fn.configureAsyncInvoke({
        retryAttempts: 2,
        maxEventAge: Duration.hours(6),
        onFailure: new SqsDestination(failedEventsQueue),
      });
      acknowledge(
        fn,
        'Serverless-LambdaDLQ',
        'its asynchronous failures go to the on-failure destination (FailedEvents), with the whole invocation record',
      );
    }

    return {
      deadLetterQueues: {
        FailedEvents: {
          queue: failedEventsQueue,
          description: 'Inbound SMS or delivery events that failed after Lambda retries: the SNS event is in the queue',
        },
        UndeliveredEvents: {
          queue: undeliveredEventsQueue,
          description:
            'Inbound SMS or delivery events SNS could not hand to their function: the SNS message is in the queue',
        },
      },
      inboundLogGroup: inboundFunction.logGroup,
    };
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

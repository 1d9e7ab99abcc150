import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { INBOUND_RUN_LIMIT_MS } from '#core/sms/inbound-timing.ts';
import { apiLambdas } from '#http/routes.ts';
import { acknowledge } from './acknowledge.ts';
import { routeApiLambda } from './api-routes.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

export interface SmsPushProps {
  readonly api: HttpApi;
  readonly table: ITable;
  /** Replies to SMS from phones are queued here, as sms-inbound queues them. */
  readonly smsQueue: IQueue;
  /** `{"accessKeyId","accessKeySecret","pushToken"}`: the token in the push URLs is read from it. */
  readonly aliyunSecret: ISecret;
  readonly logLevel: LogLevel;
  /** The shared settings and the Alibaba ones (SMS_GATEWAY, ALIYUN_SECRET_ARN, SMS_TEMPLATES). */
  readonly environment: Record<string, string>;
}

/**
 * Alibaba Cloud SMS pushes — delivery reports and replies from phones — at
 * `POST /sms/aliyun/<token>/report|up` (functions/handlers/sms-push.ts): what the SNS topics and
 * sms-inbound/sms-status are for End User Messaging. A Lambda of its own, since a reply runs the
 * inbound pipeline (parser, commands), which the page bundle does not carry. Made only where the
 * gateway is `aliyun`.
 *
 * @example new SmsPush(this, 'SmsPush', { api, table, smsQueue, aliyunSecret, logLevel, environment })
 */
export class SmsPush {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: SmsPushProps) {
    const lambda = apiLambdas['sms-push'];
    this.function = new ServiceFunction(scope, `${id}Function`, {
      entry: lambda.entry,
      description: `Zhingdrok Alibaba Cloud SMS pushes: ${lambda.routes.map((r) => `${r.method} ${r.path}`).join(', ')}`,
      // As sms-inbound: shorter than the inbound claim's stale window (core/sms/inbound-timing.ts).
      timeout: Duration.millis(INBOUND_RUN_LIMIT_MS),
      logLevel: props.logLevel,
      environment: props.environment,
    })
      .bindTable(props.table, 'readwrite')
      .bindSmsQueue(props.smsQueue);
    this.function.addToRolePolicy(
      new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [props.aliyunSecret.secretArn] }),
    );
    // The provider retries a push that got no {"code":0} (1, 5 and 10 minutes later), and the
    // sms-reconcile job pulls what it never pushed: the caller is the dead-letter queue.
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'invoked synchronously by API Gateway; the provider retries a failed push and sms-reconcile pulls what never came',
    );
    routeApiLambda(props.api, id, this.function, 'sms-push');
  }
}

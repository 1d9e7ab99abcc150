import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { apiLambdas } from '#http/routes.ts';
import { acknowledge } from './acknowledge.ts';
import { routeApiLambda } from './api-routes.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

/** What the files bucket holds for the line; the public (CloudFront, Connect) read only some of it. */
export const VOICE_PREFIX = 'voice/';

export interface VoiceLineProps {
  readonly api: HttpApi;
  readonly table: ITable;
  readonly filesBucket: Bucket;
  readonly smsQueue: IQueue;
  /** The public origin, `https://<host>`: VOICE_PUBLIC_URL (what Twilio signs; where clips are). */
  readonly publicUrl: string;
  /** The Amazon Connect instance allowed to invoke the function and read its prompts; none: no permission. */
  readonly connectInstanceArn?: string;
  /** False where Amazon Connect does not exist (the AWS China partition): the note says so. @default true */
  readonly connectAvailable?: boolean;
  /** VOICE_TWILIO_AUTH_TOKEN's value (a Secrets Manager reference resolved at deploy); none: TwiML refused. */
  readonly twilioAuthToken?: string;
  readonly twilioAccountSid?: string;
  readonly recordingHosts?: string[];
  readonly logLevel: LogLevel;
  readonly environment: Record<string, string>;
}

/**
 * The voice line's Lambda: the TwiML webhook's API routes (from the route manifest), Amazon
 * Connect's invoke permission for one instance, the files bucket's voice/ prefix. Clips reach the
 * provider at `/files/voice/…` through the app (web/voice-routes.tsx), not an edge behaviour of
 * their own: CloudFront keeps reading attachments/ only.
 *
 * Timeout 8 s: Amazon Connect waits at most 8 seconds for a Lambda; a turn takes well under one.
 *
 * @example new VoiceLine(this, 'Voice', { api, table, filesBucket, smsQueue, publicUrl, logLevel, environment })
 */
export class VoiceLine {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: VoiceLineProps) {
    const stack = Stack.of(scope);
    this.function = new ServiceFunction(scope, `${id}Function`, {
      entry: apiLambdas.voice.entry,
      description: `Zhingdrok voice line: ${apiLambdas.voice.routes.map((r) => `${r.method} ${r.path}`).join(', ')} and Amazon Connect`,
      memorySize: 512,
      timeout: Duration.seconds(8),
      logLevel: props.logLevel,
      environment: {
        ...props.environment,
        VOICE_PUBLIC_URL: props.publicUrl,
        // Empty is unset (functions/config.ts): the TwiML webhook then refuses every request.
        VOICE_TWILIO_AUTH_TOKEN: props.twilioAuthToken ?? '',
        VOICE_TWILIO_ACCOUNT_SID: props.twilioAccountSid ?? '',
        VOICE_RECORDING_HOSTS: (props.recordingHosts ?? ['api.twilio.com']).join(','),
      },
    })
      .bindTable(props.table, 'readwrite')
      .bindSmsQueue(props.smsQueue);
    // voice/ only: clips, questions' and answers' audio, joined prompts; nothing else of the bucket.
    // Clips and recordings are written, read and replaced by key (adapters/s3/voice-audio.ts): those three actions only.
    this.function.bindObjects(props.filesBucket, [VOICE_PREFIX], ['s3:PutObject', 's3:GetObject', 's3:DeleteObject']);
    // API Gateway (and Amazon Connect) call it synchronously: the caller gets the error.
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'invoked synchronously (API Gateway, Amazon Connect); the caller gets the error',
    );

    routeApiLambda(props.api, id, this.function, 'voice');

    if (props.connectInstanceArn) {
      // Only this instance's contact flows may invoke the function (no confused deputy).
      this.function.addPermission(`${id}ConnectInvoke`, {
        principal: new ServicePrincipal('connect.amazonaws.com'),
        action: 'lambda:InvokeFunction',
        sourceArn: props.connectInstanceArn,
        sourceAccount: stack.account,
      });
      // Its "Play prompt" blocks fetch the joined prompts (voice/turns/) from S3 themselves.
      props.filesBucket.addToResourcePolicy(
        new PolicyStatement({
          principals: [new ServicePrincipal('connect.amazonaws.com')],
          actions: ['s3:GetObject'],
          resources: [props.filesBucket.arnForObjects('voice/turns/*')],
          conditions: {
            StringEquals: { 'aws:SourceArn': props.connectInstanceArn, 'aws:SourceAccount': stack.account },
          },
        }),
      );
    } else {
      Annotations.of(scope).addInfoV2(
        'zhingdrok:voiceNoConnect',
        props.connectAvailable === false
          ? 'Voice: Amazon Connect is not in the China regions; only the TwiML webhook answers calls'
          : 'Voice: no Amazon Connect instance given (-c connectInstanceArn=…); only the TwiML webhook answers calls',
      );
    }
  }
}

import { Annotations, Duration, Stack } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  type Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { apiLambdas } from '#http/routes.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

/** What the files bucket holds for the line; the public (CloudFront, Connect) read only some of it. */
export const VOICE_PREFIX = 'voice/';
/** Played to callers: studio clips, joined Connect prompts, experts' recorded answers. Never callers' questions. */
export const VOICE_PLAYED_PREFIXES = ['voice/clips/', 'voice/turns/', 'voice/answers/'];

export interface VoiceLineProps {
  readonly api: HttpApi;
  readonly table: ITable;
  readonly filesBucket: Bucket;
  readonly smsQueue: IQueue;
  /** The public origin, `https://<host>`: VOICE_PUBLIC_URL (what Twilio signs; where clips are). */
  readonly publicUrl: string;
  /** Serves `/files/voice/*` (what is played) from the files bucket. */
  readonly distribution?: Distribution;
  /** The Amazon Connect instance allowed to invoke the function and read its prompts; none: no permission. */
  readonly connectInstanceArn?: string;
  /** VOICE_TWILIO_AUTH_TOKEN's value (a Secrets Manager reference resolved at deploy); none: TwiML refused. */
  readonly twilioAuthToken?: string;
  readonly twilioAccountSid?: string;
  readonly recordingHosts?: string[];
  readonly logLevel: LogLevel;
  readonly environment: Record<string, string>;
}

/*
 * `/files/voice/…` at the edge is `voice/…` in the bucket: the viewer-request function drops
 * `/files` (as for attachments: web-distribution.ts).
 */
const filesRequestCode = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/files\\//, '/');
  return request;
}`;

/**
 * The voice line's Lambda: the TwiML webhook's API routes (from the route manifest), Amazon
 * Connect's invoke permission for one instance, the files bucket's voice/ prefix, and the edge
 * path its clips are played from.
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
    props.filesBucket.grantReadWrite(this.function, `${VOICE_PREFIX}*`);
    this.function.addEnvironment('BUCKET_NAME', props.filesBucket.bucketName);

    const integration = new HttpLambdaIntegration(`${id}Integration`, this.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    for (const route of apiLambdas.voice.routes)
      props.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });

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
        'Voice: no Amazon Connect instance given (-c connectInstanceArn=…); only the TwiML webhook answers calls',
      );
    }

    if (props.distribution) this.serveAudio(scope, id, props.distribution, props.filesBucket);
  }

  /**
   * `/files/voice/*`: what callers hear, fetched by the provider from the edge. Clips and joined
   * prompts are immutable (a new recording is a new key), so cached; callers' questions are
   * not readable through it (the bucket policy names only what is played).
   */
  private serveAudio(scope: Construct, id: string, distribution: Distribution, bucket: Bucket) {
    const handle = Bucket.fromBucketAttributes(scope, `${id}AudioOriginBucket`, {
      bucketArn: bucket.bucketArn,
      bucketName: bucket.bucketName,
      bucketRegionalDomainName: bucket.bucketRegionalDomainName,
    });
    const stripPrefix = new CloudFrontFunction(scope, `${id}AudioPath`, {
      comment: 'Maps /files/voice/… to the bucket key voice/…',
      runtime: FunctionRuntime.JS_2_0,
      code: FunctionCode.fromInline(filesRequestCode),
    });
    distribution.addBehavior('/files/voice/*', S3BucketOrigin.withOriginAccessControl(handle), {
      allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
      cachedMethods: CachedMethods.CACHE_GET_HEAD,
      cachePolicy: CachePolicy.CACHING_OPTIMIZED,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      compress: false,
      functionAssociations: [{ function: stripPrefix, eventType: FunctionEventType.VIEWER_REQUEST }],
    });
    bucket.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: VOICE_PLAYED_PREFIXES.map((p) => bucket.arnForObjects(`${p}*`)),
        conditions: { StringEquals: { 'AWS:SourceArn': distribution.distributionArn } },
      }),
    );
  }
}

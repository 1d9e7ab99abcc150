import { Annotations, CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, type StackProps } from 'aws-cdk-lib';
import {
  CfnIntegration,
  DomainName,
  HttpApi,
  MappingValue,
  ParameterMapping,
  PayloadFormatVersion,
  SecurityPolicy,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import type { Distribution } from 'aws-cdk-lib/aws-cloudfront';
import type { TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import { BucketDeployment, CacheControl, Source } from 'aws-cdk-lib/aws-s3-deployment';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Trigger } from 'aws-cdk-lib/triggers';
import type { Construct } from 'constructs';
import { IMPORT_PLAN_PREFIX } from '#adapters/dynamodb/price-import.ts';
import { loadConfig } from '#config';
import { apiLambdas } from '#http/routes.ts';
import { AccessLogs } from './constructs/access-logs.ts';
import {
  acknowledge,
  acknowledgeObjectPrefix,
  BASIC_EXECUTION_ROLE_FINDING,
  nagArnOf,
  nagRegion,
} from './constructs/acknowledge.ts';
import { allowAttachmentUploads, allowUploadCleanup, expireUploads } from './constructs/attachments.ts';
import { type EdgeProtection, protectInStack, wafPlacement } from './constructs/edge-protection.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { PriceImport } from './constructs/price-import.ts';
import { createPrivateBucket } from './constructs/private-bucket.ts';
import { PublicFiles } from './constructs/public-files.ts';
import { ScheduledJobs } from './constructs/scheduled-jobs.ts';
import { type LogLevel, ServiceFunction } from './constructs/service-function.ts';
import { createSingleTable } from './constructs/single-table.ts';
import { PLACEHOLDER_ORIGINATION_IDENTITY, SmsChannel, type SmsGatewayName } from './constructs/sms-channel.ts';
import { SmsPush } from './constructs/sms-push.ts';
import { SmsSpend } from './constructs/sms-spend.ts';
import { VoiceLine } from './constructs/voice-line.ts';
import { VoiceStudio } from './constructs/voice-studio.ts';
import { createWebDistribution, FILES_PATH } from './constructs/web-distribution.ts';
import { fromRepoRoot } from './paths.ts';

/** `aws` (the default) or the AWS China partition (`aws-cn`), where the region defaults to cn-northwest-1. */
export type Partition = 'aws' | 'aws-cn';

export interface ZhingdrokStackProps extends StackProps {
  /**
   * The partition deployed to (context `partition`). `aws-cn` has no CloudFront (and a website on
   * a domain there needs an ICP filing), no Amazon Connect and no End User Messaging: the HTTP API
   * is the public entry (on `apiDomain` when given), SMS go through Alibaba Cloud SMS, and the
   * voice line answers its TwiML webhook only. @default 'aws'
   */
  readonly partition?: Partition;
  /** Who carries SMS (context `smsGateway`). @default 'eum', and 'aliyun' (the only one there) in aws-cn */
  readonly smsGateway?: SmsGatewayName;
  /**
   * A Secrets Manager secret (complete ARN) holding the Alibaba Cloud key pair and push token,
   * JSON `{"accessKeyId","accessKeySecret","pushToken"}` (context `aliyunSecretArn`).
   * @default the stack makes one, with a generated push token and an empty key pair to fill in
   */
  readonly aliyunSecretArn?: string;
  /** The template registry the functions use, `templates/<name>.json` (context `smsTemplates`). @default the app's default */
  readonly smsTemplates?: string;
  /**
   * aws-cn only: the HTTP API on a custom domain (contexts `apiDomainName`, `apiCertificateArn`:
   * an ACM certificate in the stack's region). The execute-api address is then switched off.
   */
  readonly apiDomain?: { readonly domainName: string; readonly certificateArn: string };
  /**
   * The voice line's providers (else CDK context of the same names): the Amazon Connect instance
   * that may invoke the voice Lambda, the Secrets Manager secret holding the Twilio auth token,
   * the Twilio account SID.
   */
  readonly voice?: { connectInstanceArn?: string; twilioAuthTokenSecret?: string; twilioAccountSid?: string };
  /** E.164 numbers given the admin role (ADMIN_PHONES). */
  readonly adminPhones?: readonly string[];
  /** @default 'info' */
  readonly logLevel?: LogLevel;
  /** Serve on your own names; the certificate must be in us-east-1. */
  readonly domain?: { readonly domainNames: string[]; readonly certificateArn: string };
  /** End User Messaging phone number or pool id/ARN. @default a placeholder that sends nothing */
  readonly smsOriginationIdentity?: string;
  /** Asia/Shanghai HH:MM of the daily price digest (context `priceDigestTime`). @default '18:00' */
  readonly priceDigestTime?: string;
  /** Subscribed by e-mail to the alarm topic (context `alarmEmail`). @default no subscription */
  readonly alarmEmail?: string;
  /** The WAF rate rule on the sign-in routes (context `waf=off` turns it off). @default true */
  readonly waf?: boolean;
  /**
   * A CloudFront WebACL made elsewhere (us-east-1), attached instead of one of this stack's own
   * (infra/stacks.ts passes the edge stack's; context `webAclArn` names a shared one).
   */
  readonly webAclArn?: string;
  /** Concurrency reserved for the SMS sender (context `smsSenderConcurrency`); 0 = none. @default 5 */
  readonly smsSenderConcurrency?: number;
  /** The account's monthly SMS spend limit, set at deploy (context `smsMonthlySpendLimitUsd`). @default left as it is */
  readonly smsMonthlySpendLimitUsd?: number;
  /** The AWS Budgets monthly alert on SMS cost (context `smsBudgetUsd`). @default DEFAULT_SMS_BUDGET_USD */
  readonly smsBudgetUsd?: number;
}

/**
 * Everything Zhingdrok runs on in AWS: the table, the files and static buckets, the HTTP
 * Lambda behind an HTTP API behind CloudFront, a seed run after each deploy that
 * changes the seed code or its data, and the SMS channel (constructs/sms-channel.ts).
 */
export class ZhingdrokStack extends Stack {
  readonly table: TableV2;
  /** Attachments and exports: reached only by the functions, through IAM. */
  readonly filesBucket: Bucket;
  /**
   * Static web assets, apart from the files bucket: the origin access control policy lets
   * CloudFront read every object in its bucket, and BucketDeployment prunes what the
   * source lacks. Neither may come near users' attachments and exports.
   */
  readonly staticBucket: Bucket;
  readonly httpFunction: ServiceFunction;
  readonly seedFunction: ServiceFunction;
  /** CSV price imports: POST /api/v1/prices/import and /staff/prices/upload (constructs/price-import.ts). */
  readonly priceImportFunction: ServiceFunction;
  /** The voice line (TwiML webhook and Amazon Connect). */
  readonly voiceFunction: ServiceFunction;
  /** The voice line's staff pages (prompt studio, call records) and its audio at /files/voice/*. */
  readonly voiceStudioFunction: ServiceFunction;
  /** Alibaba Cloud SMS pushes (reports, replies); only where the SMS gateway is `aliyun`. */
  readonly smsPushFunction?: ServiceFunction;
  /** /static/*, /open-data/* and /files/attachments/* from the buckets: aws-cn only, where CloudFront is not. */
  readonly publicFilesFunction?: ServiceFunction;
  readonly api: HttpApi;
  /** CloudFront in front of the API and the buckets; none in aws-cn. */
  readonly distribution?: Distribution;
  /** The API's custom domain (aws-cn, `apiDomain`). */
  readonly apiDomainName?: DomainName;
  readonly sms: SmsChannel;
  /**
   * Account-side backstops on End User Messaging spend: protect configuration, spend limit,
   * budget (constructs/sms-spend.ts). None with Alibaba Cloud SMS, which AWS neither bills nor limits.
   */
  readonly smsSpend?: SmsSpend;
  /** The Alibaba Cloud key pair and push token (the `aliyun` gateway). */
  readonly aliyunSecret?: ISecret;
  /** The partition it is made for (Stack.partition is CloudFormation's pseudo-parameter). */
  readonly targetPartition: Partition;
  readonly jobs: ScheduledJobs;
  /** AUTH_SECRET, which the functions with the `signIn` capability read at their first invocation. */
  readonly authSecret: Secret;
  /** Access logs of the API stage (CloudWatch) and CloudFront (S3). */
  readonly accessLogs: AccessLogs;
  /** The WebACL when this stack holds it (us-east-1, or a region unknown at synth). */
  readonly edgeProtection?: EdgeProtection;
  /** Alarms into one topic, and the dashboard. */
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: ZhingdrokStackProps = {}) {
    super(scope, id, props);
    const logLevel = props.logLevel ?? 'info';
    this.targetPartition = props.partition ?? 'aws';
    const china = this.targetPartition === 'aws-cn';
    const smsGateway: SmsGatewayName = props.smsGateway ?? (china ? 'aliyun' : 'eum');
    // End User Messaging is not offered in the China regions: Alibaba Cloud SMS carries SMS there.
    if (china && smsGateway !== 'aliyun')
      throw new Error('partition aws-cn: End User Messaging is not in the China regions, so the SMS gateway is aliyun');
    if (!china && props.apiDomain)
      throw new Error(
        'apiDomain is for aws-cn, which has no CloudFront: elsewhere the names go on the distribution (domain)',
      );
    if (china && props.domain)
      throw new Error('partition aws-cn has no CloudFront distribution to carry domain: give apiDomain instead');
    if (china && props.webAclArn) throw new Error('partition aws-cn has no CloudFront distribution for webAclArn');
    // AUTH_SECRET keys sign-in code hashes and CSRF tokens; every instance must share it.
    // Generated once into Secrets Manager; the functions are given its ARN and read the value at
    // their first invocation (functions/adapters/secrets.ts), so it is in no function's
    // configuration, nor in the template or the repository.
    const authSecret = new Secret(this, 'AuthSecret', {
      description: 'Zhingdrok AUTH_SECRET (sign-in code hashes, CSRF tokens)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      authSecret,
      'AwsSolutions-SMG4',
      'rotating it logs every staff member out and voids codes in flight: rotated by hand, as the runbook says',
    );
    // Settings every function has; the rest go only to the functions whose capabilities need them
    // (functions/handlers/capabilities.ts): a function holds no secret it does not use.
    const sharedEnv: Record<string, string> = {
      ...(props.adminPhones?.length ? { ADMIN_PHONES: props.adminPhones.join(',') } : {}),
    };
    /** The `signIn` capability: http and price-import (codes, CSRF), sms-send (unseals codes). */
    const signInEnv: Record<string, string> = { AUTH_SECRET_ARN: authSecret.secretArn };
    // ORIGIN_SECRET: CloudFront adds it to every request it sends the API (X-Origin-Verify), and
    // the functions behind the API answer nothing without it, so the execute-api URL serves
    // nothing and the viewer address CloudFront passes on can be believed.
    // Generated, and resolved at deploy: never in the template or the repository. It stays a
    // value, not read at run time like AUTH_SECRET: CloudFront's header takes it at deploy, and a
    // function reading a newer value before CloudFront sends it would refuse every request.
    // Rotating it is a deploy (docs/operations.md).
    const originSecret = new Secret(this, 'OriginSecret', {
      description: 'Zhingdrok ORIGIN_SECRET (the header CloudFront adds to requests to the API)',
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
      removalPolicy: RemovalPolicy.DESTROY,
    });
    acknowledge(
      originSecret,
      'AwsSolutions-SMG4',
      'resolved into CloudFront and the functions at deploy: a rotation takes a deploy, so it is rotated by one',
    );
    const behindApiEnv: Record<string, string> = {
      ...sharedEnv,
      ...signInEnv,
      ORIGIN_SECRET: originSecret.secretValue.unsafeUnwrap(),
    };

    // Alibaba Cloud SMS: its AccessKey pair and the token in the push URLs, read by the functions
    // that send (sms-send), receive pushes (http) and pull statuses (jobs: sms-reconcile) at their
    // first invocation. Made here with a generated push token and an empty key pair, which the
    // operator fills in (docs/deploy.md), or an existing one named by `aliyunSecretArn`.
    const aliyunEnv: Record<string, string> = {};
    if (smsGateway === 'aliyun') {
      this.aliyunSecret = props.aliyunSecretArn
        ? Secret.fromSecretCompleteArn(this, 'AliyunSecret', props.aliyunSecretArn)
        : new Secret(this, 'AliyunSecret', {
            description:
              'Zhingdrok Alibaba Cloud SMS: {"accessKeyId","accessKeySecret","pushToken"} (fill in the key pair; docs/deploy.md)',
            generateSecretString: {
              secretStringTemplate: JSON.stringify({ accessKeyId: '', accessKeySecret: '' }),
              generateStringKey: 'pushToken',
              passwordLength: 40,
              excludePunctuation: true,
            },
            removalPolicy: RemovalPolicy.RETAIN,
          });
      if (this.aliyunSecret instanceof Secret)
        acknowledge(
          this.aliyunSecret,
          'AwsSolutions-SMG4',
          'an Alibaba Cloud AccessKey pair: rotated in the Alibaba console, then written here, by hand',
        );
      Object.assign(aliyunEnv, {
        SMS_GATEWAY: 'aliyun',
        ALIYUN_SECRET_ARN: this.aliyunSecret.secretArn,
        ...(props.smsTemplates ? { SMS_TEMPLATES: props.smsTemplates } : {}),
      });
    }

    this.table = createSingleTable(this, 'Table');
    this.filesBucket = createPrivateBucket(this, 'FilesBucket');
    // CSV uploads previewed but never confirmed (web/price-upload-routes.tsx stages them here;
    // a preview's token lives an hour): gone after a day, and their old versions with them.
    this.filesBucket.addLifecycleRule({
      id: 'expire-unconfirmed-uploads',
      prefix: 'staged/',
      expiration: Duration.days(1),
      noncurrentVersionExpiration: Duration.days(1),
    });
    // A CSV import's write plan is deleted when the import is done; one left behind (the process
    // died after its import was done) is expired. Unfinished imports are finished within minutes.
    this.filesBucket.addLifecycleRule({
      id: 'expire-leftover-import-plans',
      prefix: IMPORT_PLAN_PREFIX,
      expiration: Duration.days(30),
      noncurrentVersionExpiration: Duration.days(1),
    });
    // Attachment uploads never finished into an item (the upload-cleanup job deletes them too).
    expireUploads(this.filesBucket);
    this.staticBucket = createPrivateBucket(this, 'StaticBucket');
    for (const bucket of [this.filesBucket, this.staticBucket])
      acknowledge(
        bucket,
        'AwsSolutions-S1',
        'reached only through the functions (IAM, their logs) and CloudFront (its access logs): server access logs would repeat them',
      );

    this.httpFunction = new ServiceFunction(this, 'HttpFunction', {
      entry: apiLambdas.http.entry,
      description: 'Zhingdrok web pages and /api/v1',
      logLevel,
      // The gateway and its registry (the staff page shows it, broadcasts are checked against it),
      // not its secret: the pages and the API hand SMS to the queue and never call the provider.
      environment: { ...behindApiEnv, ...withoutKey(aliyunEnv, 'ALIYUN_SECRET_ARN') },
    }).bindTable(this.table, 'readwrite');
    // Files: the knowledge library's attachment uploads and attachments only (CSV uploads are price-import's).
    allowAttachmentUploads(this.filesBucket, this.httpFunction);
    acknowledge(
      this.httpFunction,
      'Serverless-LambdaDLQ',
      'invoked synchronously by API Gateway; the caller gets the error',
    );

    const smsOriginationIdentity = props.smsOriginationIdentity ?? PLACEHOLDER_ORIGINATION_IDENTITY;
    if (smsGateway === 'eum' && smsOriginationIdentity === PLACEHOLDER_ORIGINATION_IDENTITY) {
      Annotations.of(this).addWarningV2(
        'zhingdrok:smsPlaceholder',
        'SMS: no origination identity given (-c smsOriginationIdentity=…); replies are queued but cannot be sent',
      );
    }
    this.sms = new SmsChannel(this, 'Sms', {
      table: this.table,
      gateway: smsGateway,
      originationIdentity: smsOriginationIdentity,
      logLevel,
      environment: sharedEnv,
      senderEnvironment: { ...signInEnv, ...aliyunEnv },
      senderConcurrency: props.smsSenderConcurrency,
    });
    if (this.sms.configurationSet) {
      this.smsSpend = new SmsSpend(this, 'SmsSpend', {
        configurationSet: this.sms.configurationSet,
        alarmTopic: this.sms.alarms.topic,
        alarmEmail: props.alarmEmail,
        monthlyBudgetUsd: props.smsBudgetUsd,
        monthlySpendLimitUsd: props.smsMonthlySpendLimitUsd,
      });
    } else if (props.smsBudgetUsd !== undefined || props.smsMonthlySpendLimitUsd !== undefined) {
      throw new Error(
        'smsBudgetUsd and smsMonthlySpendLimitUsd are End User Messaging limits: Alibaba Cloud SMS is billed and limited in its own console',
      );
    }
    // Sign-in codes and other SMS from the web and API go through the same queue and sender.
    this.httpFunction.bindSmsQueue(this.sms.queue);
    // The SMS guards run where SMS are recorded, so their alarms read these logs too.
    this.sms.alarms.watch('Http', this.httpFunction.logGroup);

    // The daily price digest and the publication sweep (EventBridge Scheduler → jobs Lambda).
    this.jobs = new ScheduledJobs(this, 'Jobs', {
      table: this.table,
      smsQueue: this.sms.queue,
      bulkQueue: this.sms.bulkQueue,
      filesBucket: this.filesBucket,
      // Open-data snapshots under open-data/ of the static bucket, which CloudFront serves at /open-data/*.
      publicBucket: this.staticBucket,
      digestTime: props.priceDigestTime ?? (this.node.tryGetContext('priceDigestTime') as string | undefined),
      alarmTopic: this.sms.alarms.topic,
      smsReconcile: smsGateway === 'aliyun',
      logLevel,
      environment: { ...sharedEnv, ...aliyunEnv },
    });
    this.sms.alarms.watch('Jobs', this.jobs.function.logGroup);
    allowUploadCleanup(this.filesBucket, this.jobs.function);
    // A broadcast sent for later (or resumed) from the staff pages or the API gets its one-time schedule here.
    this.jobs.allowBroadcastScheduling(this.httpFunction);

    this.api = new HttpApi(this, 'HttpApi', {
      apiName: 'zhingdrok',
      description: china
        ? 'Every request goes to the Hono app; the API is the public entry (no CloudFront in aws-cn)'
        : 'Every request goes to the Hono app; CloudFront is the public entry',
      createDefaultStage: false,
      // On a custom domain the execute-api address is switched off: the domain is the one door.
      ...(props.apiDomain ? { disableExecuteApiEndpoint: true } : {}),
      // $default: every path the route manifest (functions/http/routes.ts) gives no other Lambda.
      defaultIntegration: new HttpLambdaIntegration('HttpIntegration', this.httpFunction, {
        payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
      }),
    });
    this.priceImportFunction = new PriceImport(this, 'PriceImport', {
      api: this.api,
      table: this.table,
      filesBucket: this.filesBucket,
      logLevel,
      environment: behindApiEnv,
    }).function;
    // A ceiling against floods and runaway clients, far above a rural service's real load;
    // it bounds Lambda concurrency and the DynamoDB bill rather than shaping traffic.
    this.accessLogs = new AccessLogs(this, 'AccessLogs', china ? { distribution: false } : {});
    if (props.apiDomain) {
      // Regional (China has no edge-optimized names); every custom domain there needs an ICP filing.
      this.apiDomainName = new DomainName(this, 'ApiDomain', {
        domainName: props.apiDomain.domainName,
        certificate: Certificate.fromCertificateArn(this, 'ApiCertificate', props.apiDomain.certificateArn),
        securityPolicy: SecurityPolicy.TLS_1_2,
      });
    }
    this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 100, burstLimit: 200 },
      accessLogSettings: this.accessLogs.apiAccessLogSettings,
      ...(this.apiDomainName ? { domainMapping: { domainName: this.apiDomainName } } : {}),
    });
    // The app authorizes each route itself (staff sessions, roles per region, CSRF, the origin
    // secret header); the rest is public by design (prices, market, open API).
    acknowledge(
      this.api,
      'AwsSolutions-APIG4',
      'every route is public or authorized by the app (staff sessions, CSRF)',
    );

    if (!china) this.distribution = this.edge(props, originSecret.secretValue.unsafeUnwrap());
    else if (props.waf === true)
      // WAF in the China regions is regional, and a regional WebACL attaches to REST API stages,
      // load balancers and the like, not to HTTP APIs: the app's own per-number and per-address
      // sign-in limits and the stage's throttle are what stand there.
      throw new Error('partition aws-cn: WAF cannot attach to an HTTP API, and there is no CloudFront to attach it to');

    // Links to attachments: the public name of the site (the first custom name, else CloudFront's;
    // in aws-cn the API's custom domain, else its execute-api address).
    const publicHost = this.distribution
      ? (props.domain?.domainNames[0] ?? this.distribution.distributionDomainName)
      : (props.apiDomain?.domainName ?? `${this.api.apiId}.execute-api.${this.region}.${this.urlSuffix}`);
    this.httpFunction.addEnvironment('FILES_BASE_URL', `https://${publicHost}${FILES_PATH}`);
    if (this.aliyunSecret) {
      this.smsPushFunction = new SmsPush(this, 'SmsPush', {
        api: this.api,
        table: this.table,
        smsQueue: this.sms.queue,
        aliyunSecret: this.aliyunSecret,
        logLevel,
        environment: { ...sharedEnv, ...aliyunEnv },
      }).function;
      this.sms.alarms.watch('SmsPush', this.smsPushFunction.logGroup);
    }
    // No CloudFront to read the buckets: a function of its own serves what its behaviours did.
    if (china)
      this.publicFilesFunction = new PublicFiles(this, 'PublicFiles', {
        api: this.api,
        staticBucket: this.staticBucket,
        filesBucket: this.filesBucket,
        logLevel,
        environment: sharedEnv,
      }).function;
    this.voiceStudioFunction = new VoiceStudio(this, 'VoiceStudio', {
      api: this.api,
      table: this.table,
      filesBucket: this.filesBucket,
      logLevel,
      environment: { ...behindApiEnv, FILES_BASE_URL: `https://${publicHost}${FILES_PATH}` },
    }).function;
    // An expert's recorded answer is uploaded from the question page (the http Lambda): voice/answers/ only.
    this.httpFunction.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.filesBucket.arnForObjects('voice/answers/*')],
      }),
    );
    acknowledgeObjectPrefix(
      this.httpFunction,
      this.filesBucket,
      'voice/answers/',
      "experts' recorded answers, no other objects",
    );

    // The voice line: context `connectInstanceArn` (the Amazon Connect instance that may invoke it),
    // `twilioAuthTokenSecret` (a Secrets Manager secret holding the Twilio auth token, resolved at
    // deploy), `twilioAccountSid`. Without the token the TwiML webhook refuses every request.
    const voiceContext = (name: 'connectInstanceArn' | 'twilioAuthTokenSecret' | 'twilioAccountSid') =>
      props.voice?.[name] ?? (this.node.tryGetContext(name) as string | undefined);
    const twilioSecret = voiceContext('twilioAuthTokenSecret');
    this.voiceFunction = new VoiceLine(this, 'Voice', {
      api: this.api,
      table: this.table,
      filesBucket: this.filesBucket,
      smsQueue: this.sms.queue,
      publicUrl: `https://${publicHost}`,
      connectInstanceArn: this.connectInstanceArn(voiceContext('connectInstanceArn')),
      ...(china ? { connectAvailable: false } : {}),
      ...(twilioSecret ? { twilioAuthToken: SecretValue.secretsManager(twilioSecret).unsafeUnwrap() } : {}),
      twilioAccountSid: voiceContext('twilioAccountSid'),
      logLevel,
      environment: sharedEnv,
    }).function;

    // The `signIn` functions (functions/handlers/capabilities.ts) read AUTH_SECRET: that secret only, read only.
    this.authSecret = authSecret;
    for (const fn of [this.httpFunction, this.priceImportFunction, this.sms.sendFunction, this.voiceStudioFunction]) {
      fn.addToRolePolicy(
        new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [authSecret.secretArn] }),
      );
    }
    // The Alibaba Cloud secret: read by the functions given ALIYUN_SECRET_ARN, and by no other.
    if (this.aliyunSecret) {
      for (const fn of [this.sms.sendFunction, this.jobs.function])
        fn.addToRolePolicy(
          new PolicyStatement({
            actions: ['secretsmanager:GetSecretValue'],
            resources: [this.aliyunSecret.secretArn],
          }),
        );
    }

    new BucketDeployment(this, 'StaticAssets', {
      sources: [Source.asset(fromRepoRoot('web/static'))],
      destinationBucket: this.staticBucket,
      // CloudFront passes the whole path, so `/static/app.css` is the key `static/app.css`.
      destinationKeyPrefix: 'static/',
      // Edges keep files for a year and are invalidated on every deploy; browsers
      // revalidate hourly because file names carry no content hash.
      cacheControl: [
        CacheControl.setPublic(),
        CacheControl.maxAge(Duration.hours(1)),
        CacheControl.sMaxAge(Duration.days(365)),
      ],
      ...(this.distribution ? { distribution: this.distribution, distributionPaths: ['/static/*'] } : {}),
      logGroup: new LogGroup(this, 'StaticAssetsLogs', {
        retention: RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      }),
    });
    // Its handler is CDK's own singleton function, at the stack's root; what cdk-nag finds there
    // is CDK's to choose (runtime, role), and it runs only while a deploy copies the assets.
    const deployHandler = this.node.children.find((c) => c.node.id.startsWith('Custom::CDKBucketDeployment'));
    if (deployHandler) {
      const cdkOwned = 'CDK’s BucketDeployment handler, run during deploys only: its runtime and role are CDK’s';
      for (const id of [
        BASIC_EXECUTION_ROLE_FINDING,
        'AwsSolutions-L1',
        'Serverless-LambdaLatestVersion',
        'Serverless-LambdaTracing',
        'Serverless-LambdaDLQ',
        // Read the deploy's asset from CDK's bootstrap bucket, replace static/ in the static bucket.
        'AwsSolutions-IAM5[Action::s3:GetBucket*]',
        'AwsSolutions-IAM5[Action::s3:GetObject*]',
        'AwsSolutions-IAM5[Action::s3:List*]',
        'AwsSolutions-IAM5[Action::s3:DeleteObject*]',
        'AwsSolutions-IAM5[Action::s3:Abort*]',
        `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-${nagRegion(this)}/*]`,
        `AwsSolutions-IAM5[Resource::${nagArnOf(this.staticBucket)}/*]`,
        // CloudFront invalidations cannot be scoped to a distribution in the handler's policy.
        'AwsSolutions-IAM5[Resource::*]',
      ])
        acknowledge(deployHandler, id, cdkOwned);
    }

    this.seedFunction = new ServiceFunction(this, 'SeedFunction', {
      entry: 'functions/handlers/seed.ts',
      description: 'Writes reference data into the table; idempotent',
      timeout: Duration.minutes(1),
      logLevel,
      environment: sharedEnv,
    }).bindTable(this.table, 'write');
    acknowledge(
      this.seedFunction,
      'Serverless-LambdaDLQ',
      'invoked synchronously by the deploy (Trigger): a failure fails the deploy',
    );

    // Runs whenever the seed bundle (code or reference data) or its configuration changes,
    // which is exactly when there is something new to write; a failed seed fails the deploy.
    new Trigger(this, 'SeedTrigger', {
      handler: this.seedFunction,
      executeAfter: [this.table],
      timeout: Duration.minutes(2),
    });

    // Last: it alarms on every function and dead-letter queue made above.
    this.monitoring = new Monitoring(this, 'Monitoring', {
      topic: this.sms.alarms.topic,
      alarmEmail: props.alarmEmail,
      api: this.api,
      table: this.table,
      smsQueue: this.sms.queue,
      workQueues: [this.sms.queue, this.sms.bulkQueue],
      senderLogGroup: this.sms.sendFunction.logGroup,
      jobsLogGroup: this.jobs.function.logGroup,
      // The functions are given no SMS_DAILY_SEGMENT_LIMIT: they run on the setting's default.
      dailySegmentLimit: loadConfig({ APP_MODE: 'local' }).SMS_DAILY_SEGMENT_LIMIT,
    });

    if (this.distribution) {
      new CfnOutput(this, 'CloudFrontUrl', { value: `https://${this.distribution.distributionDomainName}` });
      // No output names the execute-api URL: it answers nothing without CloudFront's secret header.
    } else {
      new CfnOutput(this, 'ApiUrl', { value: `https://${publicHost}`, description: 'The public entry (web and API)' });
      this.originFromApi(originSecret.secretValue.unsafeUnwrap());
    }
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'BucketName', { value: this.filesBucket.bucketName });
    new CfnOutput(this, 'StaticBucketName', { value: this.staticBucket.bucketName });
    if (this.sms.inboundTopic && this.sms.configurationSet) {
      new CfnOutput(this, 'SmsInboundTopicArn', {
        value: this.sms.inboundTopic.topicArn,
        description: 'Set as the two-way SMS channel of the phone number or pool (see README)',
      });
      new CfnOutput(this, 'SmsConfigurationSetName', { value: this.sms.configurationSet.ref });
    }
    if (this.aliyunSecret) {
      new CfnOutput(this, 'AliyunSecretArn', {
        value: this.aliyunSecret.secretArn,
        description: 'Alibaba Cloud SMS key pair and push token (docs/deploy.md)',
      });
      new CfnOutput(this, 'AliyunPushUrls', {
        value: `https://${publicHost}/sms/aliyun/<pushToken>/up and …/report`,
        description:
          "Set in the Alibaba Cloud SMS console (receipt and reply pushes); <pushToken> is the secret's pushToken",
      });
    }
    new CfnOutput(this, 'SmsAlarmTopicArn', { value: this.sms.alarms.topic.topicArn });
    // The same topic: every alarm of the stack goes to it (constructs/monitoring.ts).
    new CfnOutput(this, 'AlarmTopicArn', {
      value: this.monitoring.topic.topicArn,
      description: 'Every alarm; subscribe an address (context alarmEmail) or a chat webhook',
    });
    new CfnOutput(this, 'DashboardName', { value: this.monitoring.dashboard.dashboardName });
  }

  /**
   * CloudFront in front of the API and the buckets, and its WebACL (constructs/edge-protection.ts):
   * the public entry outside China.
   */
  private edge(props: ZhingdrokStackProps, originSecret: string): Distribution {
    const distribution = createWebDistribution(this, 'Distribution', {
      api: this.api,
      staticBucket: this.staticBucket,
      originSecret,
      filesBucket: this.filesBucket,
      logs: this.accessLogs.distributionLogs,
      domain: props.domain && {
        domainNames: props.domain.domainNames,
        certificate: Certificate.fromCertificateArn(this, 'Certificate', props.domain.certificateArn),
      },
    });
    // The WebACL of a CloudFront distribution lives in us-east-1 (constructs/edge-protection.ts).
    if (props.webAclArn) distribution.attachWebAclId(props.webAclArn);
    else if (props.waf !== false) {
      if (wafPlacement(this.region) === 'edge-stack') {
        Annotations.of(this).addWarningV2(
          'zhingdrok:wafElsewhere',
          'WAF: this region cannot hold a CloudFront WebACL and none was given (webAclArn): infra/stacks.ts builds one in the us-east-1 stack ZhingdrokEdge',
        );
      } else {
        const { protection, webAclArn } = protectInStack(this, 'EdgeProtection');
        (this as { edgeProtection?: EdgeProtection }).edgeProtection = protection;
        distribution.attachWebAclId(webAclArn);
      }
    }
    return distribution;
  }

  /**
   * Without CloudFront (aws-cn), API Gateway does what its viewer-request function and origin
   * header did: every integration of the API gets the origin secret as X-Origin-Verify (which
   * the app wants in aws mode: functions/http/middleware/origin.ts) and the caller's address as
   * True-Client-IP, overwriting whatever the client sent, and loses any CloudFront-Viewer-Address
   * a client made up, so the app's per-address limits count the real caller.
   * Called last: it stamps every integration made until then.
   */
  private originFromApi(originSecret: string): void {
    const mapping = new ParameterMapping()
      .overwriteHeader('X-Origin-Verify', MappingValue.custom(originSecret))
      .overwriteHeader('True-Client-IP', MappingValue.contextVariable('identity.sourceIp'))
      .removeHeader('CloudFront-Viewer-Address');
    for (const c of this.api.node.findAll()) if (c instanceof CfnIntegration) c.requestParameters = mapping.mappings;
  }

  /** Amazon Connect is not in the China regions: the voice line answers its TwiML webhook only there. */
  private connectInstanceArn(arn: string | undefined): string | undefined {
    if (this.targetPartition === 'aws-cn' && arn)
      throw new Error(
        'partition aws-cn: Amazon Connect is not in the China regions, so connectInstanceArn cannot be used',
      );
    return arn;
  }
}

/** `env` without `key`. */
function withoutKey(env: Record<string, string>, key: string): Record<string, string> {
  const { [key]: _dropped, ...rest } = env;
  return rest;
}

import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { esmRequireBanner, lambdaTarget, runtimeProvidedModules } from '../bundling.ts';
import { fromRepoRoot, repoRoot } from '../paths.ts';
import { acknowledge, acknowledgeObjectPrefix, BASIC_EXECUTION_ROLE_FINDING, nagArnOf } from './acknowledge.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
export type TableAccess = 'read' | 'write' | 'readwrite';
export type BucketAccess = 'read' | 'readwrite';

export interface ServiceFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/handlers/http.ts`. */
  readonly entry: string;
  readonly description?: string;
  /** @default 512 — arm64 gets CPU in proportion to memory; 512 MB keeps cold starts short. */
  readonly memorySize?: number;
  /** @default 10 seconds */
  readonly timeout?: Duration;
  /** @default 'info' */
  readonly logLevel?: LogLevel;
  /** @default one month */
  readonly logRetention?: RetentionDays;
  /** Logs are operational, not records: they go with the stack. @default DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default Tracing.DISABLED — X-Ray costs per trace; switch on while investigating. */
  readonly tracing?: Tracing;
  /** Extra settings; the construct owns APP_MODE, LOG_LEVEL and NODE_OPTIONS. */
  readonly environment?: Record<string, string>;
  /**
   * A fixed name, for a function whose own ARN is one of its settings (a function cannot refer
   * to its generated name in its own properties). @default a generated name
   */
  readonly functionName?: string;
  /**
   * Concurrency kept for this function alone (and never exceeded). @default none: it shares the
   * account's unreserved pool
   */
  readonly reservedConcurrentExecutions?: number;
}

/** Why the house runtime stands against cdk-nag's "latest runtime" rules. */
const RUNTIME_REASON =
  'Node 22 is a Lambda-supported LTS runtime and the target every bundle is built and measured for (infra/bundling.ts, npm run bench); a runtime move is a change of its own';

/*
 * Actions are listed rather than taken from grantReadData/grantWriteData: those include
 * dynamodb:Scan, and request paths never Scan (DESIGN.md). No transaction actions either:
 * the code does not use them because dynalite cannot run them.
 */
const readActions = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:DescribeTable'];
const writeActions = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'];
const tableActions: Record<TableAccess, string[]> = {
  read: readActions,
  write: writeActions,
  readwrite: [...readActions, ...writeActions],
};

/**
 * A Lambda function with the house defaults: Node 22 on arm64, one ESM bundle with source
 * maps, an explicit log group with retention, and grants that also set the matching setting.
 *
 * @example
 * const http = new ServiceFunction(this, 'Http', { entry: 'functions/handlers/http.ts' });
 * http.bindTable(table, 'readwrite'); // grants, and sets TABLE_NAME
 */
export class ServiceFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      entry: fromRepoRoot(props.entry),
      handler: 'handler',
      functionName: props.functionName,
      description: props.description,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      tracing: props.tracing ?? Tracing.DISABLED,
      logGroup,
      projectRoot: repoRoot,
      depsLockFilePath: fromRepoRoot('package-lock.json'),
      environment: {
        ...props.environment,
        APP_MODE: 'aws',
        LOG_LEVEL: props.logLevel ?? 'info',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: lambdaTarget,
        mainFields: ['module', 'main'],
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        banner: esmRequireBanner,
        // See infra/bundling.ts for why the SDK comes from the runtime.
        bundleAwsSDK: false,
        externalModules: runtimeProvidedModules,
        // Tibetan and Chinese strings stay UTF-8 (3 bytes a character) instead of \uXXXX
        // escapes (6 bytes): a smaller bundle and a faster cold start. Passed as a raw flag
        // because this aws-cdk-lib accepts `charset` but never hands it to esbuild.
        esbuildArgs: { '--charset': 'utf8' },
      },
    });
    acknowledge(this, BASIC_EXECUTION_ROLE_FINDING, 'AWSLambdaBasicExecutionRole grants CloudWatch Logs writes only');
    acknowledge(this, 'AwsSolutions-L1', RUNTIME_REASON);
    acknowledge(this, 'Serverless-LambdaLatestVersion', RUNTIME_REASON);
    if ((props.tracing ?? Tracing.DISABLED) !== Tracing.ACTIVE)
      acknowledge(this, 'Serverless-LambdaTracing', 'X-Ray costs per trace: switched on (tracing) while investigating');
  }

  /** Grants least-privilege item access to the table (and its indexes) and sets TABLE_NAME. */
  bindTable(table: ITable, access: TableAccess): this {
    table.grant(this, ...tableActions[access]);
    acknowledge(
      this,
      `AwsSolutions-IAM5[Resource::${nagArnOf(table)}/index/*]`,
      "the table's own global secondary indexes (Query reads them), no other table",
    );
    this.addEnvironment('TABLE_NAME', table.tableName);
    return this;
  }

  /** Grants object access to the bucket and sets BUCKET_NAME. */
  bindBucket(bucket: IBucket, access: BucketAccess): this {
    if (access === 'read') bucket.grantRead(this);
    else bucket.grantReadWrite(this);
    this.addEnvironment('BUCKET_NAME', bucket.bucketName);
    return this;
  }

  /**
   * Grants exactly `actions` on the objects under each prefix of the bucket, and s3:ListBucket on
   * the bucket: without it S3 answers a missing key with 403 instead of 404, and the file store
   * reads "not there" from a 404 (adapters/s3/file-store.ts: an expired staged upload, a plan
   * already finished). Sets BUCKET_NAME.
   */
  bindObjects(bucket: IBucket, prefixes: readonly string[], actions: readonly string[]): this {
    this.addToRolePolicy(
      new PolicyStatement({ actions: [...actions], resources: prefixes.map((p) => bucket.arnForObjects(`${p}*`)) }),
    );
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    for (const prefix of prefixes)
      acknowledgeObjectPrefix(this, bucket, prefix, `objects under ${prefix}, which this function owns, and no others`);
    this.addEnvironment('BUCKET_NAME', bucket.bucketName);
    return this;
  }

  /**
   * Lets the function queue SMS for the sender and sets SMS_QUEUE_URL. Only sqs:SendMessage
   * (which also covers SendMessageBatch): the queue's URL comes from the setting, and SSE-SQS
   * needs no key grant.
   */
  bindSmsQueue(queue: IQueue): this {
    this.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
    this.addEnvironment('SMS_QUEUE_URL', queue.queueUrl);
    return this;
  }
}

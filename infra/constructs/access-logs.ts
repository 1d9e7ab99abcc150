import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { type IAccessLogSettings, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectOwnership } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

/** How long access logs are kept: long enough to look into an abuse report a month late. */
export const ACCESS_LOG_DAYS = 90;
/** Where CloudFront writes its log files in the log bucket. */
export const CLOUDFRONT_LOG_PREFIX = 'cloudfront/';

/**
 * One JSON object per API request. `ip` is the address API Gateway saw, which behind CloudFront
 * is an edge's: the viewer's address is in CloudFront's own log (c-ip), matched by time and path.
 * HTTP APIs offer no request headers to the format, so True-Client-IP cannot be logged here.
 */
const apiLogFields = {
  requestId: '$context.requestId',
  ip: '$context.identity.sourceIp',
  requestTime: '$context.requestTime',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integration.error',
  userAgent: '$context.identity.userAgent',
};

/**
 * Access logs of the two public entries:
 * - the HTTP API's `$default` stage → a CloudWatch log group (JSON lines, `accessLogSettings`
 *   for the stage);
 * - CloudFront's standard logs → an S3 bucket (`distributionLogs`, for web-distribution.ts).
 *
 * CloudFront's newer log delivery to CloudWatch needs its delivery source in us-east-1, where
 * this stack need not be, and CDK offers it only as L1 resources; the legacy S3 logs work from
 * any region with one property. They need a bucket with ACLs enabled (CloudFront grants its
 * log-delivery account through an ACL), so this bucket alone owns objects "bucket owner
 * preferred", holds nothing else, and blocks every public access.
 */
export class AccessLogs extends Construct {
  readonly apiLogGroup: LogGroup;
  /** CloudFront's log bucket; none where there is no distribution (the AWS China partition). */
  readonly bucket?: Bucket;

  constructor(scope: Construct, id: string, props: { readonly distribution?: boolean } = {}) {
    super(scope, id);
    this.apiLogGroup = new LogGroup(this, 'ApiAccessLogs', {
      retention: RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    if (props.distribution === false) return;
    // Held to the stack's rule for every bucket (versioned, old versions expiring, retained),
    // though nothing here is rewritten: one rule for all is easier to check than exceptions.
    this.bucket = new Bucket(this, 'Bucket', {
      versioned: true,
      encryption: BucketEncryption.S3_MANAGED,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // CloudFormation cannot delete a bucket with objects in it: kept, and emptied by the lifecycle.
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(ACCESS_LOG_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    Validations.of(this.bucket).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket: logging its own access into itself would log each log write',
    });
  }

  /** For the API stage's `accessLogSettings`. */
  get apiAccessLogSettings(): IAccessLogSettings {
    return {
      destination: new LogGroupLogDestination(this.apiLogGroup),
      format: AccessLogFormat.custom(JSON.stringify(apiLogFields)),
    };
  }

  /** For the distribution (web-distribution.ts `logs`): CloudFront's standard logs, under their prefix. */
  get distributionLogs(): { bucket: Bucket; prefix: string } {
    if (!this.bucket) throw new Error('AccessLogs: made without a distribution, so it has no CloudFront log bucket');
    return { bucket: this.bucket, prefix: CLOUDFRONT_LOG_PREFIX };
  }
}

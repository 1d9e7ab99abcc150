import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { apiLambdas } from '#http/routes.ts';
import { acknowledge, acknowledgeObjectPrefix } from './acknowledge.ts';
import { routeApiLambda } from './api-routes.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

export interface PublicFilesProps {
  readonly api: HttpApi;
  /** static/ (the deploy's assets) and open-data/ (the daily snapshots) are read from it. */
  readonly staticBucket: IBucket;
  /** attachments/ is read from it, nothing else. */
  readonly filesBucket: IBucket;
  readonly logLevel: LogLevel;
  /** The shared settings (ADMIN_PHONES); the bucket names are set here. */
  readonly environment: Record<string, string>;
}

/** The prefixes it reads, by bucket: what CloudFront's behaviours read in `aws` (web-distribution.ts). */
export const PUBLIC_STATIC_PREFIXES = ['static/', 'open-data/'] as const;
export const PUBLIC_FILES_PREFIXES = ['attachments/'] as const;

/**
 * The bucket paths of the site where there is no CloudFront (aws-cn): GET and HEAD of /static/*,
 * /open-data/* and /files/attachments/* on the HTTP API (functions/handlers/public-files.ts).
 * s3:GetObject on exactly those prefixes and nothing else: no listing (a missing key is then a
 * 403 from S3, which the function answers as the 404 it is), no writes.
 *
 * @example new PublicFiles(this, 'PublicFiles', { api, staticBucket, filesBucket, logLevel, environment })
 */
export class PublicFiles {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: PublicFilesProps) {
    const lambda = apiLambdas['public-files'];
    this.function = new ServiceFunction(scope, `${id}Function`, {
      entry: lambda.entry,
      description: `Zhingdrok static assets, open data and attachments from S3 (no CloudFront in aws-cn): ${[
        ...new Set(lambda.routes.map((r) => r.path)),
      ].join(', ')}`,
      logLevel: props.logLevel,
      environment: {
        ...props.environment,
        BUCKET_NAME: props.filesBucket.bucketName,
        PUBLIC_BUCKET_NAME: props.staticBucket.bucketName,
      },
    });
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [
          ...PUBLIC_STATIC_PREFIXES.map((p) => props.staticBucket.arnForObjects(`${p}*`)),
          ...PUBLIC_FILES_PREFIXES.map((p) => props.filesBucket.arnForObjects(`${p}*`)),
        ],
      }),
    );
    for (const prefix of PUBLIC_STATIC_PREFIXES)
      acknowledgeObjectPrefix(
        this.function,
        props.staticBucket,
        prefix,
        `reads the public ${prefix} objects, as CloudFront does elsewhere`,
      );
    for (const prefix of PUBLIC_FILES_PREFIXES)
      acknowledgeObjectPrefix(
        this.function,
        props.filesBucket,
        prefix,
        'reads kept attachments, no uploads nor other files',
      );
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'invoked synchronously by API Gateway; the browser gets the error and asks again',
    );
    routeApiLambda(props.api, id, this.function, 'public-files');
  }
}

import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { apiLambdas } from '#http/routes.ts';
import { acknowledge } from './acknowledge.ts';
import { routeApiLambda } from './api-routes.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

/** The import Lambda's timeout: under API Gateway's 29-second integration limit. */
export const IMPORT_TIMEOUT_SECONDS = 29;
/** Kept CSV uploads (imports/prices/<sha256>.csv) and write plans (imports/prices/plans/). */
export const IMPORT_FILES_PREFIX = 'imports/prices/';
/** The upload page's previewed files, waiting for Confirm (web/price-upload-routes.tsx stagedKey). */
export const STAGED_FILES_PREFIX = 'staged/prices/';

export interface PriceImportProps {
  readonly api: HttpApi;
  readonly table: ITable;
  /** Where uploaded files are kept (imports/prices/<sha256>.csv). */
  readonly filesBucket: IBucket;
  readonly logLevel: LogLevel;
  readonly environment: Record<string, string>;
}

/**
 * CSV price imports as a Lambda of their own: the same app as the http Lambda plus the import
 * routes (functions/handlers/price-import.ts). Apart because the CSV reader and the batch
 * writer would push the http bundle past its budget, and because an import of 10,000+ rows
 * wants more memory (arm64 CPU grows with it) and more time than a page or an API read.
 *
 * @example const fn = new PriceImport(this, 'PriceImport', { api, table, filesBucket, logLevel, environment }).function
 */
export class PriceImport {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: PriceImportProps) {
    this.function = new ServiceFunction(scope, `${id}Function`, {
      entry: apiLambdas['price-import'].entry,
      description: `Zhingdrok CSV price imports and the OpenAPI document: ${apiLambdas['price-import'].routes
        .map((r) => `${r.method} ${r.path}`)
        .join(', ')}`,
      memorySize: 1024,
      // Within API Gateway's 29-second integration limit: a longer run would answer the client
      // 503 while still writing. An import that is cut off after its plan is journalled is
      // finished by the sweep (core/prices/import-recovery.ts); one cut off before has written nothing.
      timeout: Duration.seconds(IMPORT_TIMEOUT_SECONDS),
      logLevel: props.logLevel,
      environment: props.environment,
    })
      .bindTable(props.table, 'readwrite')
      // Its two prefixes: kept uploads and write plans (imports/prices/), the upload page's previews (staged/prices/).
      .bindObjects(
        props.filesBucket,
        [IMPORT_FILES_PREFIX, STAGED_FILES_PREFIX],
        ['s3:PutObject', 's3:GetObject', 's3:DeleteObject'],
      );
    // API Gateway calls it synchronously and answers the caller: there is no event to keep.
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'invoked synchronously by API Gateway; the caller gets the error',
    );
    // No SMS queue: the import routes send no SMS (sign-in, which does, is never routed here).

    // The paths the route manifest gives this Lambda; everything else stays with the http Lambda.
    routeApiLambda(props.api, id, this.function, 'price-import');
  }
}

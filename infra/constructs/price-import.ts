import { Duration } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { apiLambdas } from '#http/routes.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

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
      timeout: Duration.seconds(60),
      logLevel: props.logLevel,
      environment: props.environment,
    })
      .bindTable(props.table, 'readwrite')
      .bindBucket(props.filesBucket, 'readwrite');
    // No SMS queue: the import routes send no SMS (sign-in, which does, is never routed here).

    const integration = new HttpLambdaIntegration(`${id}Integration`, this.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    // The paths the route manifest gives this Lambda; everything else stays with the http Lambda.
    for (const route of apiLambdas['price-import'].routes)
      props.api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
  }
}

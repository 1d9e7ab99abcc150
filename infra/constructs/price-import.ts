import { Duration } from 'aws-cdk-lib';
import { type HttpApi, HttpMethod, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { type LogLevel, ServiceFunction } from './service-function.ts';

export interface PriceImportProps {
  readonly api: HttpApi;
  readonly table: ITable;
  /** Where uploaded files are kept (imports/prices/<sha256>.csv). */
  readonly filesBucket: IBucket;
  /** The app may queue SMS (sign-in codes) on any route; the import routes never do, but the config asks for it. */
  readonly smsQueue: IQueue;
  readonly logLevel: LogLevel;
  readonly environment: Record<string, string>;
}

/** The paths API Gateway sends to the import Lambda; everything else stays with the http Lambda. */
export const priceImportRoutes = [
  { path: '/api/v1/prices/import', methods: [HttpMethod.POST] },
  // The web upload page (form, preview, confirm) and anything under it.
  { path: '/staff/prices/upload', methods: [HttpMethod.ANY] },
  { path: '/staff/prices/upload/{proxy+}', methods: [HttpMethod.ANY] },
  // The OpenAPI document: built from every route's zod schemas with zod's JSON Schema code,
  // which the http Lambda's request path never needs (its bundle budget is 400 KB).
  { path: '/api/v1/openapi.json', methods: [HttpMethod.GET] },
] as const;

/**
 * CSV price imports as a Lambda of their own: the same app as the http Lambda plus the import
 * routes (functions/handlers/price-import.ts). Apart because the CSV reader and the batch
 * writer would push the http bundle past its budget, and because an import of 10,000+ rows
 * wants more memory (arm64 CPU grows with it) and more time than a page or an API read.
 *
 * @example const fn = new PriceImport(this, 'PriceImport', { api, table, filesBucket, smsQueue, logLevel, environment }).function
 */
export class PriceImport {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: PriceImportProps) {
    this.function = new ServiceFunction(scope, `${id}Function`, {
      entry: 'functions/handlers/price-import.ts',
      description:
        'Zhingdrok CSV price imports (POST /api/v1/prices/import, /staff/prices/upload) and GET /api/v1/openapi.json',
      memorySize: 1024,
      timeout: Duration.seconds(60),
      logLevel: props.logLevel,
      environment: props.environment,
    })
      .bindTable(props.table, 'readwrite')
      .bindBucket(props.filesBucket, 'readwrite')
      .bindSmsQueue(props.smsQueue);

    const integration = new HttpLambdaIntegration(`${id}Integration`, this.function, {
      payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
    });
    for (const route of priceImportRoutes)
      props.api.addRoutes({ path: route.path, methods: [...route.methods], integration });
  }
}

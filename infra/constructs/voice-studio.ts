import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { apiLambdas } from '#http/routes.ts';
import { acknowledge } from './acknowledge.ts';
import { routeApiLambda } from './api-routes.ts';
import { type LogLevel, ServiceFunction } from './service-function.ts';

export interface VoiceStudioProps {
  readonly api: HttpApi;
  readonly table: ITable;
  /** Clips, spoken questions and answers are under voice/ (functions/adapters/s3/voice-audio.ts). */
  readonly filesBucket: IBucket;
  readonly logLevel: LogLevel;
  readonly environment: Record<string, string>;
}

/**
 * The voice line's staff pages (the prompt studio, the call records) and its audio at
 * `/files/voice/*` as a Lambda of their own: the same app as the http Lambda plus the studio
 * routes (functions/handlers/voice-studio.ts). Apart because the studio's scripts and number
 * tables would push the http bundle past its budget; it holds the files bucket's voice/ prefix
 * and nothing else of it.
 *
 * @example const fn = new VoiceStudio(this, 'VoiceStudio', { api, table, filesBucket, logLevel, environment }).function
 */
export class VoiceStudio {
  readonly function: ServiceFunction;

  constructor(scope: Construct, id: string, props: VoiceStudioProps) {
    const lambda = apiLambdas['voice-studio'];
    this.function = new ServiceFunction(scope, `${id}Function`, {
      entry: lambda.entry,
      description: `Zhingdrok voice studio and audio: ${lambda.routes.map((r) => `${r.method} ${r.path}`).join(', ')}`,
      logLevel: props.logLevel,
      environment: props.environment,
    }).bindTable(props.table, 'readwrite');
    // Clips and recordings are written, read and replaced by key (adapters/s3/voice-audio.ts): those three actions only.
    this.function.bindObjects(props.filesBucket, ['voice/'], ['s3:PutObject', 's3:GetObject', 's3:DeleteObject']);
    // API Gateway (and Amazon Connect) call it synchronously: the caller gets the error.
    acknowledge(
      this.function,
      'Serverless-LambdaDLQ',
      'invoked synchronously (API Gateway, Amazon Connect); the caller gets the error',
    );

    routeApiLambda(props.api, id, this.function, 'voice-studio');
  }
}

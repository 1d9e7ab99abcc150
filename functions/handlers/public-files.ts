/**
 * Lambda entry for the public files in aws-cn (API Gateway HTTP API, payload 2.0): GET and HEAD
 * of /static/*, /open-data/* and /files/attachments/* (functions/http/routes.ts), read from the
 * buckets as CloudFront reads them in `aws`, where this function is not made. No table, no
 * secrets, no SMS: its bundle is the S3 client and a small Hono app, so a page's stylesheet does
 * not wait on the http Lambda's cold start.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { createS3Client } from '#adapters/s3/client.ts';
import { type PublicObjects, S3PublicObjects } from '#adapters/s3/public-objects.ts';
import { loadPublicFilesConfig } from '#config';
import { beginInvocation, jsonLogger } from '#core/log.ts';
import { publicFilesRoutes } from '#http/public-files.ts';
import { type ApiGatewayHandler, apiGatewayHandler } from './api-gateway.ts';

/** The Lambda's handler over given buckets and reader (tests: s3rver). */
export function createPublicFilesHandler(deps: {
  objects: PublicObjects;
  staticBucket: string;
  filesBucket: string;
  log?: (entry: Record<string, unknown>) => void;
}): ApiGatewayHandler {
  return apiGatewayHandler(publicFilesRoutes(deps));
}

// Built on first invocation (see http.ts): config errors name the variable, tests import freely.
let cached: ApiGatewayHandler | undefined;
export const handler = (event: APIGatewayProxyEventV2, context?: Context) => {
  beginInvocation(context);
  if (!cached) {
    const config = loadPublicFilesConfig(process.env);
    cached = createPublicFilesHandler({
      objects: new S3PublicObjects(createS3Client({ region: config.AWS_REGION })),
      staticBucket: config.PUBLIC_BUCKET_NAME,
      filesBucket: config.BUCKET_NAME,
      log: jsonLogger(config.LOG_LEVEL),
    });
  }
  return cached(event, context);
};

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NodeHttpHandler } from '@smithy/node-http-handler';

export interface DynamoOptions {
  region: string;
  /** Set for dynalite, DynamoDB Local or any other wire-compatible endpoint. */
  endpoint?: string;
}

/**
 * A document client with timeouts that fail fast inside a 10 s Lambda rather than
 * hanging on a dead connection: 1 s to connect, 3 s per request, standard retry mode
 * with 3 attempts (throttling and 5xx are retried with jittered backoff by the SDK).
 */
export function createDynamoClient({ region, endpoint }: DynamoOptions): DynamoDBClient {
  return new DynamoDBClient({
    region,
    endpoint,
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: new NodeHttpHandler({ connectionTimeout: 1000, requestTimeout: 3000 }),
    // Local stand-ins accept any credentials; real AWS uses the default provider chain.
    ...(endpoint ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

export function createDocumentClient(options: DynamoOptions): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(createDynamoClient(options), {
    marshallOptions: { removeUndefinedValues: true },
  });
}

/** A document client on a test stack's DynamoDB that counts the requests it sends (a middleware on its stack, not a mock). */
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import type { TestStack } from './stack.ts';

export function countingDocumentClient(stack: TestStack) {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  const counter = { db, requests: 0 };
  db.middlewareStack.add(
    (next) => async (args) => {
      counter.requests += 1;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return counter;
}

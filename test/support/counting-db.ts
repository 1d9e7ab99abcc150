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

/**
 * A document client on a test stack's DynamoDB that writes down each request it sends — the
 * command and the key it names, with phone numbers, addresses and numbers blanked out — so that
 * two requests can be compared operation by operation (a middleware on its stack, not a mock).
 */
export function recordingDocumentClient(stack: TestStack) {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  const ops: string[] = [];
  const blank = (value: unknown) =>
    String(value)
      .replace(/\+\d{7,15}/g, '<phone>')
      .replace(/\d{1,3}(\.\d{1,3}){3}/g, '<address>')
      .replace(/\d+/g, '<n>');
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { Key?: Record<string, unknown>; Item?: Record<string, unknown> };
      const key = input.Key ?? input.Item ?? {};
      ops.push(`${context.commandName} ${blank(key.pk)} ${blank(key.sk)}`);
      return next(args);
    },
    { step: 'initialize', name: 'recordRequests' },
  );
  return { db, ops };
}

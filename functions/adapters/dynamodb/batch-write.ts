import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys.ts';

/** BatchWriteItem takes at most 25 requests. */
export const WRITE_BATCH = 25;
/** Tries before requests DynamoDB keeps leaving unprocessed are an error. */
const MAX_TRIES = 10;

export type WriteRequest = { put: Record<string, unknown> } | { delete: Key };

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));

/**
 * Puts and deletes of independent items (index copies), WRITE_BATCH to a request, asking again
 * with jittered backoff for what DynamoDB leaves unprocessed under load. Not atomic: callers
 * write only items that a later write of the same source repairs. Two requests for one key in
 * one call are not allowed by DynamoDB; callers give each key once.
 */
export async function batchWrite(
  db: DynamoDBDocumentClient,
  tableName: string,
  writes: readonly WriteRequest[],
): Promise<void> {
  const requests = writes.map((w) =>
    'put' in w ? { PutRequest: { Item: w.put } } : { DeleteRequest: { Key: w.delete } },
  );
  for (let i = 0; i < requests.length; i += WRITE_BATCH) {
    let pending = requests.slice(i, i + WRITE_BATCH);
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt >= MAX_TRIES)
        throw new Error(`BatchWriteItem: ${pending.length} requests still unprocessed after ${MAX_TRIES} tries`);
      if (attempt > 0) await backoff(attempt);
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (res.UnprocessedItems?.[tableName] as typeof pending | undefined) ?? [];
    }
  }
}

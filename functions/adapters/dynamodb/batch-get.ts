import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Key } from './keys.ts';

/** BatchGetItem takes at most 100 keys. */
export const GET_BATCH = 100;
/** Tries before keys DynamoDB keeps leaving unprocessed are an error. */
const MAX_TRIES = 10;

const backoff = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));

/**
 * One BatchGetItem of up to GET_BATCH keys (strongly consistent), asking again with jittered
 * backoff for the keys DynamoDB leaves unprocessed under load. Items come in no particular order.
 */
export async function batchGet(
  db: DynamoDBDocumentClient,
  tableName: string,
  keys: readonly Key[],
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let pending: Key[] = [...keys];
  for (let attempt = 0; pending.length; attempt++) {
    if (attempt >= MAX_TRIES)
      throw new Error(`BatchGetItem: ${pending.length} keys still unprocessed after ${MAX_TRIES} tries`);
    if (attempt > 0) await backoff(attempt);
    const res = await db.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    items.push(...(res.Responses?.[tableName] ?? []));
    pending = (res.UnprocessedKeys?.[tableName]?.Keys as Key[] | undefined) ?? [];
  }
  return items;
}

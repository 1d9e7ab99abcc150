import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Page, PageRequest } from '#core/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface PartitionQuery {
  /** Omitted for the table's own key; 'gsi1' / 'gsi2' for an index. */
  index?: 'gsi1' | 'gsi2';
  /** The partition to read, e.g. { pk: 'REF#market' } or { gsi1pk: 'STAFF' }. */
  partition: Record<string, string>;
  newestFirst?: boolean;
}

/**
 * One page of one partition, with the opaque cursor every list API uses (checked against
 * the partition it came from).
 *
 * @example await queryPage(db, table, { partition: { pk: 'REF#market' } }, { limit: 50 }, parse)
 */
export async function queryPage<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  query: PartitionQuery,
  page: PageRequest,
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const [[keyName, keyValue]] = Object.entries(query.partition) as [[string, string]];
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
      ...(query.index ? { IndexName: query.index } : {}),
      KeyConditionExpression: '#k = :k',
      ExpressionAttributeNames: { '#k': keyName },
      ExpressionAttributeValues: { ':k': keyValue },
      ...(query.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: page.limit,
      ExclusiveStartKey: decodeCursor(page.cursor, query.partition),
    }),
  );
  const cursor = encodeCursor(res.LastEvaluatedKey);
  return { items: (res.Items ?? []).map(toItem), ...(cursor ? { cursor } : {}) };
}

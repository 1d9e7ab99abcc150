import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

export interface PartitionQuery {
  /** Omitted for the table's own key; 'gsi1' … 'gsi5' for an index. */
  index?: 'gsi1' | 'gsi2' | 'gsi3' | 'gsi4' | 'gsi5';
  /** The partition to read, e.g. { pk: 'REF#market' } or { gsi1pk: 'STAFF' }. */
  partition: Record<string, string>;
  newestFirst?: boolean;
  /**
   * Optional sort-key condition within the partition (inclusive bounds as text), e.g.
   * { name: 'sk', between: ['OBS#retail##jin#2025-01-01', 'OBS#retail##jin#2025-12-31'] }.
   * A cursor must lie inside it.
   */
  range?: { name: string; between: [string, string] };
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
  const startKey = decodeCursor(page.cursor, query.partition);
  const range = query.range;
  if (range && startKey) {
    const at = startKey[range.name];
    if (at === undefined || at < range.between[0] || at > range.between[1]) throw new AppError('invalid_cursor');
  }
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
      ...(query.index ? { IndexName: query.index } : {}),
      KeyConditionExpression: range ? '#k = :k AND #r BETWEEN :lo AND :hi' : '#k = :k',
      ExpressionAttributeNames: { '#k': keyName, ...(range ? { '#r': range.name } : {}) },
      ExpressionAttributeValues: {
        ':k': keyValue,
        ...(range ? { ':lo': range.between[0], ':hi': range.between[1] } : {}),
      },
      ...(query.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: page.limit,
      ExclusiveStartKey: startKey,
    }),
  );
  const cursor = encodeCursor(res.LastEvaluatedKey);
  return { items: (res.Items ?? []).map(toItem), ...(cursor ? { cursor } : {}) };
}

/**
 * Every item of one partition, page after page: for partitions that are small by design (the
 * broadcasts in flight, one region's audience counters), where one Query is the rule and a
 * second page comes only past DynamoDB's 1 MB.
 *
 * @example await queryAll(db, table, { partition: { pk: 'bcastactive' } }, (i) => String(i.sk))
 */
export async function queryAll<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  query: Pick<PartitionQuery, 'index' | 'partition'> & { projection?: string[] },
  toItem: (item: Record<string, unknown>) => T,
): Promise<T[]> {
  const [[keyName, keyValue]] = Object.entries(query.partition) as [[string, string]];
  const projection = query.projection ?? [];
  const items: T[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: tableName,
        ...(query.index ? { IndexName: query.index } : {}),
        KeyConditionExpression: '#k = :k',
        ExpressionAttributeNames: {
          '#k': keyName,
          ...Object.fromEntries(projection.map((name, i) => [`#p${i}`, name])),
        },
        ExpressionAttributeValues: { ':k': keyValue },
        ...(projection.length ? { ProjectionExpression: projection.map((_, i) => `#p${i}`).join(', ') } : {}),
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(res.Items ?? []).map(toItem));
    start = res.LastEvaluatedKey;
  } while (start);
  return items;
}

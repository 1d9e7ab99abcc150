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
   * Optional sort-key condition within the partition (inclusive bounds as text, or below a
   * bound), e.g. { name: 'sk', between: ['OBS#retail##jin#2025-01-01', 'OBS#retail##jin#2025-12-31'] }.
   * A cursor must lie inside it.
   */
  range?: { name: string; between: [string, string] } | { name: string; below: string };
  /** A FilterExpression with its names and values (names `#f…`, values `:f…`, clear of the key's). */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

/** Items a filtered page reads at most in its one Query (DynamoDB stops at 1 MB before that anyway). */
const MAX_WINDOW = 400;
/** How many items a filtered page reads for each it returns. */
const WINDOW_FACTOR = 4;

/**
 * One page of one partition in exactly one Query, with the opaque cursor every list API uses
 * (checked against the partition it came from).
 *
 * With a filter, DynamoDB applies `Limit` before the filter, so a page read with Limit = page
 * size could come back nearly empty: the Query reads a window of up to WINDOW_FACTOR × the page
 * size instead and returns the first `limit` matches; when it found more, the cursor is the key
 * of the last one returned, so the next page starts right after it and nothing is skipped.
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
  // A cursor of another range (the same list with another stage or age) is refused here, not by
  // DynamoDB's "starting key outside query boundaries" as a server error.
  if (range && startKey) {
    const at = startKey[range.name];
    const inside =
      at !== undefined && ('between' in range ? at >= range.between[0] && at <= range.between[1] : at < range.below);
    if (!inside) throw new AppError('invalid_cursor');
  }
  const names: Record<string, string> = { '#k': keyName, ...(query.filter?.names ?? {}) };
  const values: Record<string, unknown> = { ':k': keyValue, ...(query.filter?.values ?? {}) };
  let keyCondition = '#k = :k';
  if (range) {
    names['#r'] = range.name;
    if ('between' in range) {
      keyCondition += ' AND #r BETWEEN :lo AND :hi';
      values[':lo'] = range.between[0];
      values[':hi'] = range.between[1];
    } else {
      keyCondition += ' AND #r < :hi';
      values[':hi'] = range.below;
    }
  }
  const window = query.filter ? Math.min(MAX_WINDOW, Math.max(page.limit, page.limit * WINDOW_FACTOR)) : page.limit;
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
      ...(query.index ? { IndexName: query.index } : {}),
      KeyConditionExpression: keyCondition,
      ...(query.filter ? { FilterExpression: query.filter.expression } : {}),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      ...(query.newestFirst ? { ScanIndexForward: false } : {}),
      Limit: window,
      ExclusiveStartKey: startKey,
    }),
  );
  const found = res.Items ?? [];
  const items = found.slice(0, page.limit);
  const last = items.at(-1);
  const cursor =
    found.length > page.limit && last ? encodeCursor(keyOf(last, query.index)) : encodeCursor(res.LastEvaluatedKey);
  return { items: items.map(toItem), ...(cursor ? { cursor } : {}) };
}

/** An item's key as ExclusiveStartKey wants it: the table's, and the index's when the Query read one. */
const keyOf = (item: Record<string, unknown>, index: PartitionQuery['index']) => ({
  pk: item.pk,
  sk: item.sk,
  ...(index ? { [`${index}pk`]: item[`${index}pk`], [`${index}sk`]: item[`${index}sk`] } : {}),
});

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

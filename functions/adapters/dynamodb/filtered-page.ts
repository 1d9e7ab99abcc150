import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';

/** Items a filtered page reads at most in its one Query (DynamoDB stops at 1 MB before that anyway). */
const MAX_WINDOW = 400;
/** How many items a filtered page reads for each it returns. */
const WINDOW_FACTOR = 4;

export interface FilteredQuery {
  /** The table's own partition, e.g. { pk: 'qq#open#*' }. */
  partition: { pk: string };
  newestFirst?: boolean;
  /** A sort-key condition on `sk` (inclusive bounds as text, or below a bound). */
  sk?: { between: [string, string] } | { below: string };
  /** A FilterExpression with its names and values (names `#f…`, values `:f…`, to stay clear of the key's). */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

/**
 * One page of one partition in exactly one Query, filtered or not. Without a filter it is
 * `queryPage`. With one, DynamoDB applies `Limit` before the filter, so a page read with
 * Limit = page size could come back nearly empty: the Query reads a window of up to
 * WINDOW_FACTOR × the page size instead, returns the first `limit` matches, and when it found
 * more, the cursor is the key of the last one returned (a valid ExclusiveStartKey), so the next
 * page starts right after it and nothing is skipped. A page holds fewer than `limit` only when
 * the window held fewer matches; its cursor then carries on from where the window ended.
 */
export async function filteredPage<T>(
  db: DynamoDBDocumentClient,
  tableName: string,
  query: FilteredQuery,
  page: PageRequest,
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const startKey = decodeCursor(page.cursor, query.partition);
  // A cursor of another range (the same list with another stage or age) is refused here, not by
  // DynamoDB's "starting key outside query boundaries" as a server error.
  if (startKey && query.sk) {
    const at = startKey.sk;
    const inside =
      at !== undefined &&
      ('between' in query.sk ? at >= query.sk.between[0] && at <= query.sk.between[1] : at < query.sk.below);
    if (!inside) throw new AppError('invalid_cursor');
  }
  const names: Record<string, string> = { '#k': 'pk', ...(query.filter?.names ?? {}) };
  const values: Record<string, unknown> = { ':k': query.partition.pk, ...(query.filter?.values ?? {}) };
  let keyCondition = '#k = :k';
  if (query.sk) {
    names['#s'] = 'sk';
    if ('between' in query.sk) {
      keyCondition += ' AND #s BETWEEN :lo AND :hi';
      values[':lo'] = query.sk.between[0];
      values[':hi'] = query.sk.between[1];
    } else {
      keyCondition += ' AND #s < :hi';
      values[':hi'] = query.sk.below;
    }
  }
  const window = query.filter ? Math.min(MAX_WINDOW, Math.max(page.limit, page.limit * WINDOW_FACTOR)) : page.limit;
  const res = await db.send(
    new QueryCommand({
      TableName: tableName,
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
    found.length > page.limit && last ? encodeCursor({ pk: last.pk, sk: last.sk }) : encodeCursor(res.LastEvaluatedKey);
  return { items: items.map(toItem), ...(cursor ? { cursor } : {}) };
}

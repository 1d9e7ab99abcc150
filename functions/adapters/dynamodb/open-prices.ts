/**
 * Open data reads of approved prices (OBS# items) across markets or commodities, on the two
 * indexes every approved value carries (keys.ts): gsi1 `COMOBS#<commodity>` and gsi2
 * `MKTOBS#<market>`, both sorted by `<date>#…`, so a date range is a key condition. A kind,
 * unit or grade filter is applied to what each Query returns; a page that filters out much
 * Queries on (a few times at most) before it answers with a cursor.
 */
import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type { Page } from '#core/paging.ts';
import { observationIdentity } from '#core/prices/observation.ts';
import type { OpenPriceReader, OpenPriceRequest, PriceRecord } from '#core/prices/ports.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { commodityObservationIndex, marketObservationIndex } from './keys.ts';

/** Attributes that are storage, not domain (as in price-repository.ts). */
const storageAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type', 'submissionVersion']);
const fromItem = (item: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !storageAttributes.has(k))) as unknown as PriceRecord;

/** Queries one page may take when a filter leaves little of each. */
const MAX_QUERIES_PER_PAGE = 8;
/** Sorts after every `<date>#…` sort key. */
const AFTER_ALL = '~';

/** `kind|grade|unit` of a record, the grade normalised as identities have it. */
const itemOf = (r: {
  commodityId: string;
  marketId: string;
  kind?: PriceRecord['kind'];
  grade?: string | undefined;
  unit: string;
}) =>
  observationIdentity({ ...r, date: '' })
    .split('|')
    .slice(3)
    .join('|');

export class DynamoOpenPrices implements OpenPriceReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  ofCommodity(commodityId: string, request: OpenPriceRequest): Promise<Page<PriceRecord>> {
    return this.read('gsi1', { gsi1pk: commodityObservationIndex({ commodityId }).gsi1pk }, request);
  }

  atMarket(marketId: string, request: OpenPriceRequest): Promise<Page<PriceRecord>> {
    return this.read('gsi2', { gsi2pk: marketObservationIndex({ marketId }).gsi2pk }, request);
  }

  private async read(
    index: 'gsi1' | 'gsi2',
    partition: Record<string, string>,
    request: OpenPriceRequest,
  ): Promise<Page<PriceRecord>> {
    const [[keyName, keyValue]] = Object.entries(partition) as [[string, string]];
    const sortName = `${index}sk`;
    const low = request.from ? `${request.from}#` : '0000';
    const high = `${request.to ?? '9999-99-99'}#${AFTER_ALL}`;
    let start = decodeCursor(request.cursor, partition);
    if (start && (start[sortName] === undefined || start[sortName]! < low || start[sortName]! > high))
      throw new AppError('invalid_cursor');
    const wanted = request.item;
    const matches = (r: PriceRecord) =>
      !wanted ||
      ((wanted.kind === undefined || r.kind === wanted.kind) &&
        (wanted.unit === undefined || r.unit === wanted.unit) &&
        (wanted.grade === undefined || itemOf(r) === itemOf({ ...r, grade: wanted.grade })));

    const items: PriceRecord[] = [];
    for (let queries = 0; queries < MAX_QUERIES_PER_PAGE; queries += 1) {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: index,
          KeyConditionExpression: '#k = :k AND #s BETWEEN :lo AND :hi',
          ExpressionAttributeNames: { '#k': keyName, '#s': sortName },
          ExpressionAttributeValues: { ':k': keyValue, ':lo': low, ':hi': high },
          // Never more than the page still needs, so nothing read is left unanswered behind the cursor.
          Limit: request.limit - items.length,
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(res.Items ?? []).map(fromItem).filter(matches));
      start = res.LastEvaluatedKey as Record<string, string> | undefined;
      if (!start || items.length >= request.limit) break;
    }
    const cursor = encodeCursor(start);
    return { items, ...(cursor ? { cursor } : {}) };
  }
}

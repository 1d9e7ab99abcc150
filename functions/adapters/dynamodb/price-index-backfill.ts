/**
 * One-off: approved values (OBS# items) stored before the commodity index (gsi1 `COMOBS#…`,
 * keys.ts) existed get its attributes, so open data leaves no stored price out.
 *
 * No Scan: every approved value has carried the market index (gsi2 `MKTOBS#<market>`) since
 * approved values exist, so the backfill Queries each market's partition of it (markets are
 * never deleted from the reference data) and sets gsi1pk/gsi1sk where they are missing — the
 * same values the write paths now put, computed from the item itself, with a condition that the
 * item still exists. Idempotent: an item that has them is skipped; a rerun after a crash redoes
 * at most one page. Where it has got to (market, position) is kept in a META marker, which
 * says `done` at the end, after which a run is one GetItem.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ObservationIdentityFields } from '#core/prices/observation.ts';
import type { IndexBackfill } from '#core/prices/ports.ts';
import { lostCondition } from './conditional.ts';
import { backfillMarkerKey, commodityObservationIndex, marketObservationIndex } from './keys.ts';

export const COMMODITY_INDEX_BACKFILL = 'obs-commodity-index';
const PAGE = 100;

interface Marker {
  done?: boolean;
  /** The market being read when the last run stopped, and the position in its partition (JSON). */
  market?: string;
  start?: string;
}

export class DynamoCommodityIndexBackfill implements IndexBackfill {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Every market id in the reference data. */
    private readonly marketIds: () => Promise<string[]>,
  ) {}

  async run(budget: number): Promise<{ updated: number; done: boolean }> {
    const key = backfillMarkerKey(COMMODITY_INDEX_BACKFILL);
    const marker = ((await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true })))
      .Item ?? {}) as Marker;
    if (marker.done) return { updated: 0, done: true };

    const markets = [...(await this.marketIds())].sort();
    const from = marker.market ? markets.indexOf(marker.market) : 0;
    let updated = 0;
    let examined = 0;
    for (const market of markets.slice(Math.max(0, from))) {
      let start =
        market === marker.market && marker.start ? (JSON.parse(marker.start) as Record<string, unknown>) : undefined;
      do {
        if (examined >= budget) {
          await this.db.send(
            new PutCommand({
              TableName: this.tableName,
              Item: { ...key, market, ...(start ? { start: JSON.stringify(start) } : {}) },
            }),
          );
          return { updated, done: false };
        }
        const res = await this.db.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: 'gsi2',
            KeyConditionExpression: 'gsi2pk = :pk',
            ExpressionAttributeValues: { ':pk': marketObservationIndex({ marketId: market }).gsi2pk },
            Limit: PAGE,
            ExclusiveStartKey: start,
          }),
        );
        for (const item of res.Items ?? []) {
          examined += 1;
          if (item.gsi1pk !== undefined || item.type !== 'price' || !String(item.sk).startsWith('OBS#')) continue;
          const index = commodityObservationIndex(item as unknown as ObservationIdentityFields);
          await this.db
            .send(
              new UpdateCommand({
                TableName: this.tableName,
                Key: { pk: item.pk, sk: item.sk },
                UpdateExpression: 'SET gsi1pk = :pk, gsi1sk = :sk',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':pk': index.gsi1pk, ':sk': index.gsi1sk },
              }),
            )
            .then(() => (updated += 1), lostCondition);
        }
        start = res.LastEvaluatedKey;
      } while (start);
    }
    await this.db.send(
      new PutCommand({ TableName: this.tableName, Item: { ...key, done: true, finishedAt: new Date().toISOString() } }),
    );
    return { updated, done: true };
  }
}

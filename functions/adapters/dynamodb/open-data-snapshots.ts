import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { OpenDataSnapshot, OpenDataSnapshots } from '#core/prices/open-data-publish.ts';
import { openDataSnapshotKey } from './keys.ts';

/**
 * The newest open-data snapshot's list in one item: the /open-data page reads it with one
 * GetItem, so the http function needs no access to the public bucket. A rerun overwrites it
 * with the same content.
 */
export class DynamoOpenDataSnapshots implements OpenDataSnapshots {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async latest(): Promise<OpenDataSnapshot | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: openDataSnapshotKey() }));
    if (!Item) return undefined;
    const { date, rows, dataAsOf, files } = Item as OpenDataSnapshot;
    return { date, rows, ...(dataAsOf ? { dataAsOf } : {}), files };
  }

  async record(snapshot: OpenDataSnapshot): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...openDataSnapshotKey(), kind: 'open-data-snapshot', ...snapshot },
      }),
    );
  }
}

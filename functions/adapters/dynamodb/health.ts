import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { HealthProbe } from '#core/platform-ports.ts';
import { seedMarkerKey } from './keys.ts';

/** Healthy when the table answers a key read (needs only read permission, no DescribeTable). */
export class DynamoHealthProbe implements HealthProbe {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async check(): Promise<void> {
    await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: seedMarkerKey('reference'), ProjectionExpression: 'pk' }),
    );
  }
}

import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { shanghaiDay } from '#core/dates.ts';
import type { PageRequest } from '#core/paging.ts';
import type { AuditEntry } from '#core/staff/audit.ts';
import type { AuditLog } from '#core/staff/ports.ts';
import { ttlIn } from './conditional.ts';
import { auditKey } from './keys.ts';
import { queryPage } from './paged-query.ts';

/** Long enough to answer "who did this last season?"; short enough not to hoard phone numbers. */
const RETENTION_SECONDS = 400 * 24 * 3600;

function fromItem(item: Record<string, unknown>): AuditEntry {
  const { pk: _pk, sk: _sk, kind: _kind, expiresAt: _exp, ...entry } = item;
  return entry as unknown as AuditEntry;
}

/** Append-only: one item per entry, partitioned by Asia/Shanghai day, sorted by time. */
export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry) {
    const at = new Date(entry.at);
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...auditKey(shanghaiDay(at), entry.at, entry.id),
          kind: 'audit',
          ...entry,
          expiresAt: ttlIn(at, RETENTION_SECONDS),
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  listDay(day: string, page: PageRequest) {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: auditKey(day, '', '').pk }, newestFirst: true },
      page,
      fromItem,
    );
  }
}

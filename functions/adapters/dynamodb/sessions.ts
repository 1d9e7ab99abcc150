import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionStore } from '#core/staff/ports.ts';
import type { Session } from '#core/staff/sessions.ts';
import { sessionKey } from './keys.ts';

/** Sessions and API tokens by token hash; `expiresAt` is the TTL attribute and is checked on read. */
export class DynamoSessionStore implements SessionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(session: Session) {
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: { ...sessionKey(session.tokenHash), ...session },
        // 256-bit tokens never collide; the condition only makes an impossible overwrite loud.
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  /** Strongly consistent: the page right after sign-in (or sign-out) must see the change. */
  async get(tokenHash: string, now: Date) {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: sessionKey(tokenHash), ConsistentRead: true }),
    );
    const item = res.Item;
    if (!item || typeof item.expiresAt !== 'number' || item.expiresAt <= Math.floor(now.getTime() / 1000))
      return undefined;
    const { tokenHash: hash, phone, kind, createdAt, expiresAt } = item as unknown as Session;
    return { tokenHash: hash, phone, kind, createdAt, expiresAt };
  }

  async delete(tokenHash: string) {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: sessionKey(tokenHash) }));
  }
}

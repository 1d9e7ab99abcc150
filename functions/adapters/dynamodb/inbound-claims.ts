import { DeleteCommand, PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { InboundClaims } from '#core/ports.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import { lostCondition, ttlIn } from './conditional.ts';
import { inboundClaimKey } from './keys.ts';

/** Gateways redeliver for up to days; keep claims a month. */
const CLAIM_TTL_SECONDS = 30 * 24 * 3600;

export class DynamoInboundClaims implements InboundClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(msg: InboundSms, staleAfterMs: number): Promise<boolean> {
    const now = this.now();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...inboundClaimKey(msg.gateway, msg.messageId),
            status: 'processing',
            claimedAt: now.getTime(),
            from: msg.from,
            receivedAt: msg.receivedAt,
            expiresAt: ttlIn(now, CLAIM_TTL_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk) OR (#s = :processing AND claimedAt < :stale)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':processing': 'processing', ':stale': now.getTime() - staleAfterMs },
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  async release(msg: InboundSms): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: inboundClaimKey(msg.gateway, msg.messageId),
          ConditionExpression: '#s = :processing',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':processing': 'processing' },
        }),
      );
    } catch (err) {
      lostCondition(err);
    }
  }

  async complete(msg: InboundSms, replyIds: string[]): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: inboundClaimKey(msg.gateway, msg.messageId),
        UpdateExpression: 'SET #s = :done, replyIds = :r',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':done': 'done', ':r': replyIds },
      }),
    );
  }
}

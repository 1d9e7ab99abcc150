import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PageRequest } from '#core/paging.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import type { ClaimOutcome, InboundClaims } from '#core/sms/ports.ts';
import { lostCondition, ttlIn } from './conditional.ts';
import { inboundClaimKey, processingClaimIndex } from './keys.ts';
import { queryPage } from './paged-query.ts';

/** Gateways redeliver for up to days; keep claims a month. */
const CLAIM_TTL_SECONDS = 30 * 24 * 3600;

/** A claim that is no longer there after a lost claim was given up meanwhile (release): try again, a few times. */
const CLAIM_ATTEMPTS = 3;

/**
 * The inbound claims: one item per (gateway, message id). While `processing` the item keeps
 * the message (its text included) and sits in the processing index, so that a restart can
 * finish what a crash interrupted; `complete` removes both, so a handled message leaves no
 * text behind (the pipeline stores no texts).
 */
export class DynamoInboundClaims implements InboundClaims {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claim(msg: InboundSms, staleAfterMs: number): Promise<ClaimOutcome> {
    for (let attempt = 1; ; attempt++) {
      const now = this.now();
      try {
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...inboundClaimKey(msg.gateway, msg.messageId),
              ...processingClaimIndex(now.getTime(), msg.gateway, msg.messageId),
              status: 'processing',
              claimedAt: now.getTime(),
              gateway: msg.gateway,
              messageId: msg.messageId,
              from: msg.from,
              to: msg.to,
              text: msg.text,
              receivedAt: msg.receivedAt,
              expiresAt: ttlIn(now, CLAIM_TTL_SECONDS),
            },
            ConditionExpression: 'attribute_not_exists(pk) OR (#s = :processing AND claimedAt < :stale)',
            ExpressionAttributeNames: { '#s': 'status' },
            ExpressionAttributeValues: { ':processing': 'processing', ':stale': now.getTime() - staleAfterMs },
          }),
        );
        return { claimed: true };
      } catch (err) {
        lostCondition(err);
      }
      // Lost: handled already, or being handled. (A rare second read, only for redeliveries.)
      const res = await this.db.send(
        new GetCommand({
          TableName: this.tableName,
          Key: inboundClaimKey(msg.gateway, msg.messageId),
          ConsistentRead: true,
        }),
      );
      const item = res.Item;
      if (item?.status === 'done') return { claimed: false, state: 'done' };
      if (item) {
        const claimedAt = Number(item.claimedAt ?? 0);
        return {
          claimed: false,
          state: 'processing',
          retryAfterMs: Math.max(1000, claimedAt + staleAfterMs - this.now().getTime()),
        };
      }
      // Released between the put and the read: the next put may win.
      if (attempt >= CLAIM_ATTEMPTS) return { claimed: false, state: 'processing', retryAfterMs: 1000 };
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
        // The text goes: a handled message keeps only what deduplication needs.
        UpdateExpression: 'SET #s = :done, replyIds = :r REMOVE #text, gsi1pk, gsi1sk',
        ExpressionAttributeNames: { '#s': 'status', '#text': 'text' },
        ExpressionAttributeValues: { ':done': 'done', ':r': replyIds },
      }),
    );
  }

  async listProcessing(page: PageRequest) {
    return queryPage(this.db, this.tableName, { index: 'gsi1', partition: processingClaimIndex() }, page, (item) => ({
      gateway: String(item.gateway),
      messageId: String(item.messageId),
      from: String(item.from),
      ...(typeof item.to === 'string' ? { to: item.to } : {}),
      text: typeof item.text === 'string' ? item.text : '',
      receivedAt: String(item.receivedAt),
      claimedAt: Number(item.claimedAt),
    }));
  }
}

import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { statusesReplacedBy } from '#core/sms/delivery-status.ts';
import type { DeliveryStatus, OutboundSms } from '#core/sms/messages.ts';
import type { OutboundStore } from '#core/sms/ports.ts';
import { lostCondition, ttlIn } from './conditional.ts';
import { gatewayMessageIndex, outboundKey, outboxIndex } from './keys.ts';
import { queryPage } from './paged-query.ts';

/** Delivery records are operational data: kept 180 days. */
const MESSAGE_TTL_SECONDS = 180 * 24 * 3600;

type Stored = OutboundSms & { status: DeliveryStatus };

function fromItem(item: Record<string, unknown>): Stored {
  const {
    id,
    to,
    text,
    encoding,
    segments,
    key,
    params,
    essential,
    optOutConfirmation,
    createdAt,
    admittedOn,
    broadcastId,
    broadcastPage,
    status,
  } = item as unknown as Stored;
  return {
    id,
    to,
    text,
    encoding,
    segments,
    key,
    params,
    essential,
    ...(optOutConfirmation ? { optOutConfirmation } : {}),
    createdAt,
    ...(admittedOn ? { admittedOn } : {}),
    ...(broadcastId ? { broadcastId } : {}),
    ...(broadcastPage ? { broadcastPage } : {}),
    status,
  };
}

export class DynamoOutboundStore implements OutboundStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(msg: OutboundSms): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...outboundKey(msg.id),
            ...outboxIndex(msg.to, msg.createdAt, msg.id),
            kind: 'sms',
            ...msg,
            status: 'queued',
            attempts: 0,
            expiresAt: ttlIn(new Date(msg.createdAt), MESSAGE_TTL_SECONDS),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  async recordOnce(msg: OutboundSms) {
    if (await this.record(msg)) return { recorded: true as const };
    const existing = await this.get(msg.id);
    return { recorded: false as const, ...(existing ? { existing } : {}) };
  }

  async get(id: string) {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: outboundKey(id), ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async leaseForSending(id: string, now: Date, leaseMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboundKey(id),
          UpdateExpression: 'SET leaseUntil = :until',
          ConditionExpression: '#s = :queued AND (attribute_not_exists(leaseUntil) OR leaseUntil < :now)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued', ':now': now.getTime(), ':until': now.getTime() + leaseMs },
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  async releaseLease(id: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({ TableName: this.tableName, Key: outboundKey(id), UpdateExpression: 'REMOVE leaseUntil' }),
    );
  }

  async markAdmitted(id: string, day: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboundKey(id),
          UpdateExpression: 'SET admittedOn = :day',
          // Never re-create a message erased meanwhile (DELETE ME).
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':day': day },
        }),
      );
    } catch (err) {
      lostCondition(err);
    }
  }

  async markStatus(
    id: string,
    status: DeliveryStatus,
    detail: { gateway?: string; gatewayMessageId?: string; error?: string } = {},
  ) {
    const replaces = statusesReplacedBy(status);
    if (replaces.length === 0) return false;
    const names: Record<string, string> = { '#s': 'status' };
    const values: Record<string, unknown> = { ':s': status, ':now': new Date().toISOString(), ':one': 1 };
    for (const [i, from] of replaces.entries()) values[`:from${i}`] = from;
    const sets = ['#s = :s', 'updatedAt = :now'];
    if (detail.gateway && detail.gatewayMessageId) {
      const idx = gatewayMessageIndex(detail.gateway, detail.gatewayMessageId);
      sets.push('gateway = :gw', 'gatewayMessageId = :gid', 'gsi2pk = :g2pk', 'gsi2sk = :g2sk');
      Object.assign(values, {
        ':gw': detail.gateway,
        ':gid': detail.gatewayMessageId,
        ':g2pk': idx.gsi2pk,
        ':g2sk': idx.gsi2sk,
      });
    }
    if (detail.error) {
      sets.push('lastError = :err');
      values[':err'] = detail.error.slice(0, 500);
    }
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboundKey(id),
          UpdateExpression: `SET ${sets.join(', ')} ADD attempts :one`,
          // Out-of-order receipts lose here, in one conditional write, instead of racing a read.
          ConditionExpression: `attribute_exists(pk) AND #s IN (${replaces.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  async findByGatewayId(gateway: string, gatewayMessageId: string) {
    const page = await queryPage(
      this.db,
      this.tableName,
      { index: 'gsi2', partition: { gsi2pk: gatewayMessageIndex(gateway, gatewayMessageId).gsi2pk } },
      { limit: 1 },
      (i) => i.id as string,
    );
    return page.items[0];
  }

  async listTo(phone: string, limit: number) {
    const page = await queryPage(
      this.db,
      this.tableName,
      { index: 'gsi1', partition: outboxIndex(phone), newestFirst: true },
      { limit },
      fromItem,
    );
    return page.items;
  }

  async eraseTo(phone: string) {
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': outboxIndex(phone).gsi1pk },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? []) {
        await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: item.pk, sk: item.sk } }));
      }
      start = res.LastEvaluatedKey;
    } while (start);
  }
}

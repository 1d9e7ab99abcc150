import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { statusesReplacedBy } from '#core/sms/delivery-status.ts';
import type { DeliveryStatus, OutboundSms } from '#core/sms/messages.ts';
import type { OutboundStore } from '#core/sms/ports.ts';
import { batchGet, GET_BATCH } from './batch-get.ts';
import { lostCondition, ttlIn } from './conditional.ts';
import {
  awaitingReceiptKey,
  awaitingReceiptPartition,
  broadcastCountsKey,
  gatewayMessageIndex,
  outboundKey,
  outboxIndex,
} from './keys.ts';
import { queryPage } from './paged-query.ts';

/** Delivery records are operational data: kept 180 days. */
const MESSAGE_TTL_SECONDS = 180 * 24 * 3600;

type Stored = OutboundSms & { status: DeliveryStatus };

/**
 * Gateways whose receipts the sms-reconcile job also pulls (a push may never come): a message
 * marked sent through one gets an item awaiting its receipt (keys.ts awaitingReceiptKey).
 */
export const RECONCILED_GATEWAYS: ReadonlySet<string> = new Set(['aliyun']);
/** How long an awaiting item is kept: the job stops asking after 72 hours; the TTL sweeps the rest. */
const AWAITING_TTL_SECONDS = 73 * 3600;

/** A message awaiting its final receipt, as the index keeps it (no phone number: it is read from the message). */
export interface AwaitingReceipt {
  id: string;
  gateway: string;
  gatewayMessageId: string;
  sentAt: string;
}

/** The UTC hour of an ISO time, as the awaiting partitions are named: 2026-05-20T10. */
export const hourOf = (iso: string) => iso.slice(0, 13);

/** Tries at moving a broadcast's counters for a status change already stored. */
const COUNTER_MOVE_ATTEMPTS = 3;

/**
 * A failed or blocked message's reason, as a broadcast's counters keep it: a short code from
 * the error the sender, the admission guards or the receipt recorded (a fixed set, so the
 * counters' map stays small; the full text stays on the message).
 */
export function reasonCode(error: string | undefined): string {
  if (!error) return 'gateway';
  if (error.includes('sent STOP')) return 'opted_out';
  if (error.includes('allow-list')) return 'country';
  if (error.includes('daily SMS cap')) return 'budget';
  if (error.includes('broadcast cancelled')) return 'cancelled';
  return 'gateway';
}

function fromItem(item: Record<string, unknown>): Stored {
  const {
    id,
    to,
    text,
    encoding,
    segments,
    key,
    params,
    lines,
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
    ...(lines ? { lines } : {}),
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
    return (await this.put(msg, false)).recorded;
  }

  async recordOnce(msg: OutboundSms) {
    const outcome = await this.put(msg, true);
    if (outcome.recorded) return { recorded: true as const };
    // DynamoDB hands back the existing item with the refusal; a stand-in that does not
    // (dynalite) costs one Get more.
    const existing = outcome.existing ?? (await this.get(msg.id));
    return { recorded: false as const, ...(existing ? { existing } : {}) };
  }

  private async put(msg: OutboundSms, returnExisting: boolean): Promise<{ recorded: boolean; existing?: Stored }> {
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
          ...(returnExisting ? { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const } : {}),
        }),
      );
      return { recorded: true };
    } catch (err) {
      lostCondition(err);
      // The document client does not convert the item of an error: it comes as attribute values.
      const item = (err as { Item?: Parameters<typeof unmarshall>[0] }).Item;
      return { recorded: false, ...(item ? { existing: fromItem(unmarshall(item)) } : {}) };
    }
  }

  async get(id: string) {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: outboundKey(id), ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async getMany(ids: readonly string[]) {
    const found = new Map<string, Stored>();
    for (let i = 0; i < ids.length; i += GET_BATCH) {
      const items = await batchGet(
        this.db,
        this.tableName,
        ids.slice(i, i + GET_BATCH).map((id) => outboundKey(id)),
      );
      for (const item of items) {
        const m = fromItem(item);
        found.set(m.id, m);
      }
    }
    return found;
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
      new UpdateCommand({
        TableName: this.tableName,
        Key: outboundKey(id),
        UpdateExpression: 'REMOVE leaseUntil, sendingAt',
      }),
    );
  }

  async markSending(id: string, now: Date): Promise<'ok' | 'interrupted' | 'gone'> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboundKey(id),
          UpdateExpression: 'SET sendingAt = :now',
          ConditionExpression: '#s = :queued AND attribute_not_exists(sendingAt)',
          ExpressionAttributeNames: { '#s': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued', ':now': now.toISOString() },
        }),
      );
      return 'ok';
    } catch (err) {
      lostCondition(err);
      const res = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: outboundKey(id), ConsistentRead: true }),
      );
      return res.Item?.status === 'queued' && res.Item.sendingAt ? 'interrupted' : 'gone';
    }
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
    const now = new Date().toISOString();
    const values: Record<string, unknown> = { ':s': status, ':now': now, ':one': 1 };
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
    } else if (detail.gateway) {
      // Through which gateway, without its id: an SMS that may have gone (`unknown`).
      sets.push('gateway = :gw');
      values[':gw'] = detail.gateway;
    }
    if (detail.error) {
      sets.push('lastError = :err');
      values[':err'] = detail.error.slice(0, 500);
    }
    let old: Record<string, unknown> | undefined;
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: outboundKey(id),
          UpdateExpression: `SET ${sets.join(', ')} ADD attempts :one`,
          // Out-of-order receipts lose here, in one conditional write, instead of racing a read.
          ConditionExpression: `attribute_exists(pk) AND #s IN (${replaces.map((_, i) => `:from${i}`).join(', ')})`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          // What it replaced: a broadcast message moves its broadcast's counters from it.
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = res.Attributes;
    } catch (err) {
      lostCondition(err);
      return false;
    }
    await this.trackAwaiting(id, status, detail, now, old);
    if (old?.broadcastId) {
      // The status is stored: a retry of this call would find it changed and count nothing, so
      // the count is tried here a few times (each with the SDK's own retries). Should all fail,
      // the counters stay one behind until the broadcast's replay reads its messages
      // (core/broadcasts/broadcasts.ts replayWindows).
      for (let attempt = 1; ; attempt++) {
        try {
          await this.moveCounters(old, status, detail);
          break;
        } catch (err) {
          if (attempt >= COUNTER_MOVE_ATTEMPTS) throw err;
        }
      }
    }
    return true;
  }

  /**
   * One update of the broadcast's counters for a status change that was just written:
   * +1 the new status, −1 the old (`queued` is derived, not stored), the segments once they
   * left for the gateway, and failures by reason. Not conditional and not part of the status
   * write (no transactions): a crash between the two leaves the counters one change behind.
   */
  private async moveCounters(
    old: Record<string, unknown>,
    status: DeliveryStatus,
    detail: { gatewayMessageId?: string; error?: string },
  ) {
    const from = old.status as DeliveryStatus;
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const adds: string[] = [];
    const sets: string[] = [];
    const add = (attribute: string, placeholder: string, n: number) => {
      names[`#${placeholder}`] = attribute;
      values[`:${placeholder}`] = n;
      adds.push(`#${placeholder} :${placeholder}`);
    };
    // ADD takes only top-level attributes: a reason inside the map moves by SET.
    const moveReason = (code: string, placeholder: string, n: number) => {
      names[`#${placeholder}`] = code;
      values[`:${placeholder}`] = n;
      values[':zero'] = 0;
      sets.push(`reasons.#${placeholder} = if_not_exists(reasons.#${placeholder}, :zero) + :${placeholder}`);
    };
    if (from !== status) {
      add(status, 'to', 1);
      if (from !== 'queued') add(from, 'from', -1);
    }
    // Segments count when the message first leaves `queued` for a status the gateway gave
    // it (a receipt may come before the sender's own "sent"); a failure counts only when a
    // receipt names the gateway's message (the sender's own failures never left).
    const left =
      from === 'queued' &&
      (status === 'sent' ||
        status === 'delivered' ||
        status === 'unknown' ||
        (status === 'failed' && !!detail.gatewayMessageId));
    if (left) add('segmentsSent', 'seg', Number(old.segments ?? 0));
    // The reason of what is stored after the write (an error without text keeps the old
    // one), so the move away from it later takes back exactly what was counted.
    const failure = (s: DeliveryStatus) => s === 'failed' || s === 'blocked';
    const lastError = old.lastError as string | undefined;
    const oldReason = failure(from) ? reasonCode(lastError) : undefined;
    const newReason = failure(status) ? reasonCode(detail.error ?? lastError) : undefined;
    if (oldReason !== newReason) {
      if (newReason) moveReason(newReason, 'rnew', 1);
      if (oldReason) moveReason(oldReason, 'rold', -1);
    }
    if (!adds.length && !sets.length) return;
    const Key = broadcastCountsKey(String(old.broadcastId));
    const move = () =>
      this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', adds.length ? `ADD ${adds.join(', ')}` : '']
            .filter(Boolean)
            .join(' '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
    try {
      await move();
    } catch (err) {
      // A counters item without its reasons map (made outside the store's create: a crash
      // between the two writes, an old item): give it the map, then move once more. The
      // status change itself is already stored and stays, whatever happens to its count.
      if ((err as { name?: string }).name !== 'ValidationException' || !sets.length) throw err;
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key,
          UpdateExpression: 'SET reasons = if_not_exists(reasons, :empty)',
          ExpressionAttributeValues: { ':empty': {} },
        }),
      );
      await move();
    }
  }
  /**
   * Keeps the awaiting-receipt index with a status change just stored: an item when a message of
   * a reconciled gateway is marked sent, or unknown (it may have gone: the job looks for it by its
   * OutId); the hour is the `updatedAt` of that mark, so the move away finds it again. Deleted
   * when anything else replaces `sent` or `unknown`.
   */
  private async trackAwaiting(
    id: string,
    status: DeliveryStatus,
    detail: { gateway?: string; gatewayMessageId?: string },
    now: string,
    old: Record<string, unknown> | undefined,
  ) {
    const awaits =
      (status === 'sent' && detail.gatewayMessageId) || (status === 'unknown' && old?.status !== 'unknown');
    if (awaits && detail.gateway && RECONCILED_GATEWAYS.has(detail.gateway)) {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...awaitingReceiptKey(detail.gateway, hourOf(now), id),
            kind: 'sms-awaiting',
            id,
            gateway: detail.gateway,
            gatewayMessageId: detail.gatewayMessageId ?? '',
            sentAt: now,
            expiresAt: ttlIn(new Date(now), AWAITING_TTL_SECONDS),
          },
        }),
      );
      return;
    }
    const gateway = old?.gateway as string | undefined;
    const left = (old?.status === 'sent' || old?.status === 'unknown') && status !== old.status;
    if (left && gateway && RECONCILED_GATEWAYS.has(gateway)) {
      await this.forgetAwaiting(gateway, String(old.updatedAt ?? ''), id);
    }
  }

  /** Drops an awaiting item (a final receipt came, or its message is gone). */
  async forgetAwaiting(gateway: string, sentAt: string, id: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({ TableName: this.tableName, Key: awaitingReceiptKey(gateway, hourOf(sentAt), id) }),
    );
  }

  /** The messages of `gateway` marked sent in one UTC hour (`2026-05-20T10`) still awaiting a final receipt. */
  async listAwaiting(gateway: string, hour: string): Promise<AwaitingReceipt[]> {
    const out: AwaitingReceipt[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': awaitingReceiptPartition(gateway, hour) },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of res.Items ?? [])
        out.push({
          id: item.id as string,
          gateway: item.gateway as string,
          gatewayMessageId: item.gatewayMessageId as string,
          sentAt: item.sentAt as string,
        });
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
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

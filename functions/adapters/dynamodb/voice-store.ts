/**
 * The voice line's calls, callers and ask counters in the single table (keys.ts, "Voice line";
 * docs/storage.md). A call is one item, written conditionally (absent on create, then on
 * `version`), carrying its own day index (gsi1); its phone entries are separate items, written
 * before it, that DELETE ME reads and removes last.
 */
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { shanghaiDay } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import type { Call, CallRecord, VoiceLanguage } from '#core/voice/call.ts';
import type { AskCounters, Caller, CallerStore, CallStore } from '#core/voice/ports.ts';
import { batchWrite } from './batch-write.ts';
import { lostCondition } from './conditional.ts';
import {
  askCountAttribute,
  askCountsKey,
  callDayIndex,
  callerKey,
  callKey,
  callPhoneKey,
  callPhonePartition,
} from './keys.ts';
import { queryAll, queryPage } from './paged-query.ts';

/** Saves DELETE ME retries on a call the line changes at the same moment. */
const ERASE_TRIES = 5;
/** Tries of a caller's daily count when another call of the number moves the day at the same moment. */
const COUNT_TRIES = 5;

const callFromItem = ({ pk: _pk, sk: _sk, gsi1pk: _g, gsi1sk: _s, ...rest }: Record<string, unknown>) =>
  rest as unknown as Call;

/** What the dashboard lists: the call without its working state. */
const recordOf = (call: Call): CallRecord => {
  const { heard: _h, menu: _m, lastSteps: _l, ...record } = call;
  return record;
};

export class DynamoCallStore implements CallStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private item(call: Call) {
    return {
      ...call,
      ...callKey(call.callId),
      ...callDayIndex(shanghaiDay(new Date(call.startedAt)), call.startedAt, call.callId),
    };
  }

  async get(callId: string): Promise<Call | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: callKey(callId), ConsistentRead: true }),
    );
    return res.Item ? callFromItem(res.Item) : undefined;
  }

  async create(call: Call): Promise<{ call: Call; created: boolean }> {
    // The phone entry first: erasure must be able to find every call that holds the number.
    if (call.phone) await this.putPhoneEntry(call.phone, call.callId);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(call),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { call, created: true };
    } catch (err) {
      lostCondition(err);
      // The provider sent the first request again: the call stands as the first try made it.
      const stored = await this.get(call.callId);
      if (!stored) throw new AppError('conflict', { id: call.callId });
      return { call: stored, created: false };
    }
  }

  async save(call: Call): Promise<Call> {
    const next: Call = { ...call, version: call.version + 1 };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: this.item(next),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': call.version },
        }),
      );
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict', { id: call.callId });
    }
    return next;
  }

  async byDay(day: string, page: PageRequest): Promise<Page<CallRecord>> {
    return queryPage(
      this.db,
      this.tableName,
      { index: 'gsi1', partition: callDayIndex(day), newestFirst: true },
      page,
      (item) => recordOf(callFromItem(item)),
    );
  }

  async eraseNumber(phone: string): Promise<number> {
    if (!phone) return 0;
    const callIds = await queryAll(
      this.db,
      this.tableName,
      { partition: { pk: callPhonePartition(phone) }, projection: ['sk'] },
      (i) => String(i.sk),
    );
    let erased = 0;
    for (const callId of callIds) {
      for (let attempt = 0; ; attempt++) {
        const call = await this.get(callId);
        // Gone (the entry was written, the call never was), or erased by an earlier run.
        if (!call || call.phone !== phone) break;
        try {
          // Path, outcome and duration stay for the dashboard's figures; the number goes.
          await this.save({ ...call, phone: '' });
          erased += 1;
          break;
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'conflict') || attempt + 1 >= ERASE_TRIES) throw err;
        }
      }
    }
    // Last, so a rerun after a crash still finds the calls it did not reach.
    await batchWrite(
      this.db,
      this.tableName,
      callIds.map((callId) => ({ delete: callPhoneKey(phone, callId) })),
    );
    return erased;
  }

  private async putPhoneEntry(phone: string, callId: string) {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: { ...callPhoneKey(phone, callId) } }));
  }
}

export class DynamoCallerStore implements CallerStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(phone: string): Promise<Caller | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: callerKey(phone), ConsistentRead: true }),
    );
    if (!res.Item) return undefined;
    const { pk: _pk, sk: _sk, ...caller } = res.Item;
    return caller as Caller;
  }

  async setLanguage(phone: string, lang: VoiceLanguage, at: Date): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: callerKey(phone),
        UpdateExpression: 'SET phone = :p, lang = :l, updatedAt = :at',
        ExpressionAttributeValues: { ':p': phone, ':l': lang, ':at': at.toISOString() },
      }),
    );
  }

  async countCall(phone: string, day: string, at: Date): Promise<number> {
    const values = { ':p': phone, ':d': day, ':one': 1, ':at': at.toISOString() };
    const { ':p': _p, ...sameDay } = values;
    for (let attempt = 0; attempt < COUNT_TRIES; attempt++) {
      // The same day: one more (ADD is atomic, so two calls at once both count).
      try {
        const res = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: callerKey(phone),
            UpdateExpression: 'SET updatedAt = :at ADD callsToday :one',
            ConditionExpression: '#day = :d',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: sameDay,
            ReturnValues: 'UPDATED_NEW',
          }),
        );
        return Number(res.Attributes?.callsToday ?? 1);
      } catch (err) {
        lostCondition(err);
      }
      // A new day (or a new number): start the count at one, unless another call just did.
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: callerKey(phone),
            UpdateExpression: 'SET phone = :p, #day = :d, callsToday = :one, updatedAt = :at',
            ConditionExpression: 'attribute_not_exists(#day) OR #day <> :d',
            ExpressionAttributeNames: { '#day': 'day' },
            ExpressionAttributeValues: values,
          }),
        );
        return 1;
      } catch (err) {
        lostCondition(err);
      }
    }
    throw new AppError('conflict', { phone: 'caller' });
  }

  async erase(phone: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: callerKey(phone) }));
  }
}

export class DynamoAskCounters implements AskCounters {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async count(commodityId: string): Promise<void> {
    // A top-level attribute per commodity: ADD creates it, where a nested map path would need the map first.
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: askCountsKey(),
        UpdateExpression: 'ADD #c :one',
        ExpressionAttributeNames: { '#c': askCountAttribute(commodityId) },
        ExpressionAttributeValues: { ':one': 1 },
      }),
    );
  }

  async all(): Promise<Record<string, number>> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: askCountsKey() }));
    const prefix = askCountAttribute('');
    const counts: Record<string, number> = {};
    for (const [name, value] of Object.entries(res.Item ?? {}))
      if (name.startsWith(prefix)) counts[name.slice(prefix.length)] = Number(value);
    return counts;
  }
}

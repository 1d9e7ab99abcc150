import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClientState, PhoneCodes } from '#core/staff/codes.ts';
import type { SignInCodeStore } from '#core/staff/ports.ts';
import { lostCondition } from './conditional.ts';
import { type Key, signInClientKey, signInCodeKey } from './keys.ts';

function fromItem<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, kind: _kind, ...state } = item;
  return state as unknown as T;
}

/**
 * Two kinds of item under `AUTH#<phone>`: the phone's codes (`CODE`) and each client's tries
 * (`CLIENT#…`), each replaced whole by conditional puts on its version: the core decides
 * (codes.ts), and a lost race simply makes it decide again.
 */
export class DynamoSignInCodeStore implements SignInCodeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(phone: string) {
    return this.read<PhoneCodes>(signInCodeKey(phone));
  }

  save(state: PhoneCodes, expectedVersion: number | undefined) {
    return this.write(signInCodeKey(state.phone), 'sign-in-code', state, expectedVersion);
  }

  getClient(phone: string, client: string) {
    return this.read<ClientState>(signInClientKey(phone, client));
  }

  saveClient(state: ClientState, expectedVersion: number | undefined) {
    return this.write(signInClientKey(state.phone, state.client), 'sign-in-client', state, expectedVersion);
  }

  private async read<T>(Key: Key): Promise<T | undefined> {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key, ConsistentRead: true }));
    return res.Item ? fromItem<T>(res.Item) : undefined;
  }

  private async write(key: Key, kind: string, state: object, expectedVersion: number | undefined): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...state, ...key, kind, version: (expectedVersion ?? 0) + 1 },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }
}

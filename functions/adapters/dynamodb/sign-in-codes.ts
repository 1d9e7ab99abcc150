import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SignInCodeStore } from '#core/ports.ts';
import type { SignInCodeState } from '#core/staff/codes.ts';
import { lostCondition } from './conditional.ts';
import { signInCodeKey } from './keys.ts';

function fromItem(item: Record<string, unknown>): SignInCodeState {
  const { pk: _pk, sk: _sk, kind: _kind, ...state } = item;
  return state as unknown as SignInCodeState;
}

/**
 * One item per phone, replaced whole by conditional puts on its version: the core decides
 * (cooldown, tries, lockout), and a lost race simply makes it decide again.
 */
export class DynamoSignInCodeStore implements SignInCodeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(phone: string) {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: signInCodeKey(phone), ConsistentRead: true }));
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async save(state: SignInCodeState, expectedVersion: number | undefined) {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...signInCodeKey(state.phone), kind: 'sign-in-code', ...state, version: (expectedVersion ?? 0) + 1 },
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

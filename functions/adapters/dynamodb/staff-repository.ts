import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type { PageRequest } from '#core/paging.ts';
import type { StaffRepository } from '#core/staff/ports.ts';
import type { StaffMember } from '#core/staff/roles.ts';
import { lostCondition } from './conditional.ts';
import { staffKey, staffListIndex } from './keys.ts';
import { queryPage } from './paged-query.ts';

const toItem = (m: StaffMember) => ({ ...staffKey(m.phone), ...staffListIndex(m.phone), kind: 'staff', ...m });

function fromItem(item: Record<string, unknown>): StaffMember {
  const { phone, grants, invitedBy, createdAt, updatedAt, version } = item as unknown as StaffMember;
  return { phone, grants, invitedBy, createdAt, updatedAt, version };
}

export class DynamoStaffRepository implements StaffRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(phone: string) {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: staffKey(phone), ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  }

  list(page: PageRequest) {
    return queryPage(this.db, this.tableName, { index: 'gsi1', partition: staffListIndex() }, page, fromItem);
  }

  async create(member: StaffMember) {
    await this.write(toItem(member), { ConditionExpression: 'attribute_not_exists(pk)' });
    return member;
  }

  async save(member: StaffMember) {
    const next = { ...member, version: member.version + 1 };
    await this.write(toItem(next), {
      ConditionExpression: 'version = :v',
      ExpressionAttributeValues: { ':v': member.version },
    });
    return next;
  }

  async delete(phone: string, version: number) {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: staffKey(phone),
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': version },
        }),
      );
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict');
    }
  }

  private async write(
    item: Record<string, unknown>,
    condition: { ConditionExpression: string; ExpressionAttributeValues?: Record<string, unknown> },
  ) {
    try {
      await this.db.send(new PutCommand({ TableName: this.tableName, Item: item, ...condition }));
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict');
    }
  }
}

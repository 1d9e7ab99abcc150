/**
 * The experts' questions in the single table (keys.ts, "Questions"; docs/storage.md). The
 * question item is the truth, written conditionally (absent on create, then on `version`); its
 * queue entries (per region of its path and '*'), escalation entry, statistics line and phone
 * entry are copies every save rewrites after it (puts of the current ones, deletes of those only
 * the old version had), so a crash between the two leaves the copies one change behind until the
 * question's next save, and a replayed create rewrites them.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { AppError } from '#core/errors.ts';
import type { QuestionStore, QueueFilter } from '#core/knowledge/ports.ts';
import type { Question, QuestionStat, QuestionSummary } from '#core/knowledge/question.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import { batchWrite, type WriteRequest } from './batch-write.ts';
import { lostCondition } from './conditional.ts';
import {
  type Key,
  questionClaimKey,
  questionDueKey,
  questionDuePartition,
  questionKey,
  questionPhoneKey,
  questionPhonePartition,
  questionQueueKey,
  questionQueuePartition,
  questionSourceKey,
  questionStatKey,
  questionStatPartition,
} from './keys.ts';
import { queryAll, queryPage } from './paged-query.ts';

/** Characters of the latest farmer message a queue row shows. */
const PREVIEW_CHARS = 160;
/** Saves DELETE ME retries on a question an expert changes at the same moment. */
const ERASE_TRIES = 5;

const keyId = (k: Key) => `${k.pk}\n${k.sk}`;
const strip = ({ pk: _pk, sk: _sk, ...rest }: Record<string, unknown>) => rest;
const fromItem = (item: Record<string, unknown>) => strip(item) as unknown as Question;

export function summaryOf(q: Question): QuestionSummary {
  const latest = [...q.messages].reverse().find((m) => m.from === 'farmer');
  return {
    code: q.code,
    language: q.language,
    regionPath: q.regionPath,
    ...(q.commodityId ? { commodityId: q.commodityId } : {}),
    status: q.status,
    level: q.level,
    preview: Array.from(latest?.text ?? '')
      .slice(0, PREVIEW_CHARS)
      .join(''),
    ...(latest?.audioKey ? { spoken: true } : {}),
    askedAt: q.askedAt,
    ...(q.waitingSince ? { waitingSince: q.waitingSince } : {}),
    ...(q.claimedBy ? { claimedBy: q.claimedBy } : {}),
    ...(q.claimedUntil ? { claimedUntil: q.claimedUntil } : {}),
    escalations: q.escalations.length,
  };
}

function statOf(q: Question): QuestionStat {
  return {
    code: q.code,
    askedAt: q.askedAt,
    ...(q.firstAnsweredAt ? { firstAnsweredAt: q.firstAnsweredAt } : {}),
    escalations: q.escalations.length,
    level: q.level,
    ...(q.commodityId ? { commodityId: q.commodityId } : {}),
    language: q.language,
    regionPath: q.regionPath,
  };
}

/** The (UTC) months from `from`'s to `to`'s, as YYYY-MM. */
function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [y, m] = from.slice(0, 7).split('-').map(Number) as [number, number];
  const last = to.slice(0, 7);
  for (let month = ''; month < last && months.length < 1200; ) {
    month = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    months.push(month);
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
  return months;
}

export class DynamoQuestionStore implements QuestionStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(
    question: Question,
    idempotencyKey: string,
  ): Promise<{ question: Question; created: boolean } | undefined> {
    const source = questionSourceKey(idempotencyKey);
    let q = question;
    // 1. The message's marker: the code its question has, or is getting.
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...source, code: q.code },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err);
      const marker = await this.db.send(
        new GetCommand({ TableName: this.tableName, Key: source, ConsistentRead: true }),
      );
      const code = String(marker.Item?.code);
      if ((await this.claimOf(code)) === idempotencyKey) {
        const made = await this.get(code);
        if (made) {
          // A redelivery: the question stands; its copies are written again in case a crash cut them off.
          await batchWrite(this.db, this.tableName, this.copyWrites(made));
          return { question: made, created: false };
        }
        q = { ...q, code }; // the first try claimed the code and stopped before the question
      } else {
        // The first try lost its code to another question (or stopped before claiming it):
        // this try's code takes over, unless a try running at the same time moved it first.
        try {
          await this.db.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: source,
              UpdateExpression: 'SET code = :new',
              ConditionExpression: 'code = :old',
              ExpressionAttributeValues: { ':new': q.code, ':old': code },
            }),
          );
        } catch (e) {
          lostCondition(e);
          return undefined;
        }
      }
    }
    // 2. The code's claim, naming the message: a clash is found here, before anything is written under it.
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...questionClaimKey(q.code), idem: idempotencyKey },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err);
      if ((await this.claimOf(q.code)) !== idempotencyKey) return undefined; // another question's code
    }
    // 3. The question, then its copies.
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...q, ...questionKey(q.code) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      lostCondition(err);
      const made = await this.get(q.code);
      if (!made) throw new AppError('conflict', { status: q.status });
      await batchWrite(this.db, this.tableName, this.copyWrites(made));
      return { question: made, created: false };
    }
    await batchWrite(this.db, this.tableName, this.copyWrites(q));
    return { question: q, created: true };
  }

  /** The message id that claimed a code, if any. */
  private async claimOf(code: string): Promise<string | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: questionClaimKey(code), ConsistentRead: true }),
    );
    return res.Item?.idem as string | undefined;
  }

  async get(code: string): Promise<Question | undefined> {
    const res = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: questionKey(code), ConsistentRead: true }),
    );
    return res.Item ? fromItem(res.Item) : undefined;
  }

  async save(question: Question): Promise<Question> {
    const next: Question = { ...question, version: question.version + 1 };
    let old: Question | undefined;
    try {
      const res = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...next, ...questionKey(next.code) },
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': question.version },
          ReturnValues: 'ALL_OLD',
        }),
      );
      old = res.Attributes ? fromItem(res.Attributes) : undefined;
    } catch (err) {
      lostCondition(err);
      throw new AppError('conflict', { status: question.status });
    }
    await batchWrite(this.db, this.tableName, this.copyWrites(next, old));
    return next;
  }

  async queue(regionId: string, filter: QueueFilter, page: PageRequest, now: Date): Promise<Page<QuestionSummary>> {
    const conditions: string[] = [];
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = {};
    const equal = (field: 'commodityId' | 'language' | 'level', value: unknown) => {
      if (value === undefined) return;
      names[`#f${field}`] = field;
      values[`:f${field}`] = value;
      conditions.push(`#f${field} = :f${field}`);
    };
    equal('commodityId', filter.commodityId);
    equal('language', filter.language);
    equal('level', filter.level);
    // Age is a key condition, not a filter: waiting since before now − hours is a sort-key range.
    const cutoff =
      filter.olderThanHours !== undefined
        ? `${new Date(now.getTime() - filter.olderThanHours * 3_600_000).toISOString()}#~`
        : undefined;
    return queryPage(
      this.db,
      this.tableName,
      {
        partition: { pk: questionQueuePartition(filter.status ?? 'open', regionId) },
        ...(cutoff ? { range: { name: 'sk', below: cutoff } } : {}),
        ...(conditions.length ? { filter: { expression: conditions.join(' AND '), names, values } } : {}),
      },
      page,
      (i) => i.summary as QuestionSummary,
    );
  }

  async due(now: Date, page: PageRequest): Promise<Page<QuestionSummary>> {
    return queryPage(
      this.db,
      this.tableName,
      { partition: { pk: questionDuePartition }, range: { name: 'sk', below: `${now.toISOString()}#~` } },
      page,
      (i) => i.summary as QuestionSummary,
    );
  }

  async stats(from: string, to: string): Promise<QuestionStat[]> {
    if (!(from < to)) return [];
    const stats: QuestionStat[] = [];
    for (const month of monthsBetween(from, to)) {
      // `<askedAt>#<code>` BETWEEN from AND to is exactly askedAt in [from, to): a question
      // asked at `to` sorts after it.
      const items = await this.rangeAll(questionStatPartition(month), from, to);
      stats.push(...items.map((i) => i.stat as QuestionStat));
    }
    return stats;
  }

  async unheardAnswers(phone: string): Promise<Array<{ code: string; audioKey: string; at: string }>> {
    const entries = await queryAll(
      this.db,
      this.tableName,
      { partition: { pk: questionPhonePartition(phone) }, projection: ['sk', 'unheard'] },
      (i) => ({ code: String(i.sk), unheard: (i.unheard ?? []) as Array<{ audioKey: string; at: string }> }),
    );
    return entries
      .flatMap((e) => e.unheard.map((u) => ({ code: e.code, audioKey: u.audioKey, at: u.at })))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.code < b.code ? -1 : 1));
  }

  async eraseNumber(phone: string, beforeErase?: (question: Question) => Promise<void>): Promise<number> {
    const codes = await queryAll(
      this.db,
      this.tableName,
      { partition: { pk: questionPhonePartition(phone) }, projection: ['sk'] },
      (i) => String(i.sk),
    );
    let erased = 0;
    for (const code of codes) {
      for (let attempt = 0; ; attempt++) {
        const q = await this.get(code);
        if (!q || q.phone === '') break;
        await beforeErase?.(q);
        try {
          await this.save({
            ...q,
            phone: '',
            status: 'closed',
            messages: q.messages.map(({ audioKey: _a, heardAt: _h, ...m }) => ({ ...m, text: '' })),
          });
          erased += 1;
          break;
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'conflict') || attempt + 1 >= ERASE_TRIES) throw err;
        }
      }
    }
    // Last, so a rerun after a crash still finds the questions it did not reach.
    await batchWrite(
      this.db,
      this.tableName,
      codes.map((code) => ({ delete: questionPhoneKey(phone, code) })),
    );
    return erased;
  }

  /** Every item of a partition with its sort key in [lo, hi]. */
  private async rangeAll(pk: string, lo: string, hi: string) {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :k AND sk BETWEEN :lo AND :hi',
          ExpressionAttributeValues: { ':k': pk, ':lo': lo, ':hi': hi },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  }

  /** The copies of a question: queue entries, due entry, statistics line, phone entry. */
  private entries(q: Question): Array<{ key: Key; value: Record<string, unknown> }> {
    const summary = summaryOf(q);
    const filterable = {
      summary,
      language: q.language,
      level: q.level,
      ...(q.commodityId ? { commodityId: q.commodityId } : {}),
    };
    const regions = [...new Set([...q.regionPath, '*'])];
    const out: Array<{ key: Key; value: Record<string, unknown> }> = [];
    if (q.status === 'open' && q.waitingSince)
      for (const r of regions)
        out.push({ key: questionQueueKey('open', r, q.waitingSince, q.code), value: filterable });
    if (q.status === 'answered' && q.answeredAt)
      for (const r of regions)
        out.push({ key: questionQueueKey('answered', r, q.answeredAt, q.code), value: filterable });
    if (q.status === 'open' && q.level < 3 && q.dueAt)
      out.push({ key: questionDueKey(q.dueAt, q.code), value: { summary } });
    out.push({ key: questionStatKey(q.askedAt, q.code), value: { stat: statOf(q) } });
    // The phone entry carries the recorded answers the caller has not heard, so that the voice
    // line's first turn finds them with one Query.
    const unheard =
      q.status === 'closed'
        ? []
        : q.messages
            .filter((m) => m.from === 'expert' && m.audioKey && !m.heardAt)
            .map((m) => ({ audioKey: m.audioKey!, at: m.at }));
    if (q.phone) out.push({ key: questionPhoneKey(q.phone, q.code), value: unheard.length ? { unheard } : {} });
    return out;
  }

  /** Puts of every copy of `next`, deletes of the copies only `old` had. */
  private copyWrites(next: Question, old?: Question): WriteRequest[] {
    const entries = this.entries(next);
    const keep = new Set(entries.map((e) => keyId(e.key)));
    const stale = old ? this.entries(old).filter((e) => !keep.has(keyId(e.key))) : [];
    // The phone entry stays until eraseNumber has reached every question of the number.
    const deletes = stale.filter((e) => !e.key.pk.startsWith(questionPhonePartition('')));
    return [
      ...entries.map((e) => ({ put: { ...e.value, ...e.key, code: next.code } })),
      ...deletes.map((e) => ({ delete: e.key })),
    ];
  }
}

/**
 * Price observations on the single table. Key layout and reasons: the "Prices"
 * section of keys.ts. No transactions: an approval is a sequence of single-item conditional
 * writes, in an order a sweep (`finishUnpublished`) can finish after a crash:
 *
 *   1. the submission: pending@version → approved, leaves the review queue (gsi1), joins the
 *      unpublished list (gsi2)                                       — the commit point
 *   2. the replaced approved value, if any → a revision item (put once, never overwritten)
 *   3. the approved value (OBS#…), optimistic on its own version
 *   4. the latest price of the item, only if its date is not newer than this one
 *   5. the submission leaves the unpublished list
 *
 * Steps 2–5 are idempotent, so repeating them (a retry, the sweep) changes nothing twice.
 *
 * Approvals of one identity are serialised at step 1: a new approval (or a reviewer's held
 * correction) commits only over a submission that is not waiting to be published (no gsi2),
 * at the version it read. One that finds an approval still unpublished publishes it first, as
 * the sweep would, so the value it replaces is kept as a revision before it is replaced; one
 * that loses the race to another reads again, a few times, then fails with `conflict`. So every
 * acknowledged value is either the approved value or a revision, and resubmitting the approved
 * value writes nothing.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { addDays } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import type { Page, PageRequest } from '#core/paging.ts';
import { type ObservationIdentityFields, observationIdentity, type PriceKind } from '#core/prices/observation.ts';
import type {
  PriceHistoryRequest,
  PriceItemRef,
  PriceRecord,
  PriceRepository,
  PriceRevision,
  PriceSubmission,
} from '#core/prices/ports.ts';
import { lostCondition } from './conditional.ts';
import {
  approvedPriceKey,
  approvedPricePrefix,
  commodityObservationIndex,
  type Key,
  latestPriceKey,
  latestPricePartition,
  marketObservationIndex,
  pendingReviewIndex,
  priceRevisionKey,
  priceRevisionPrefix,
  priceSubmissionKey,
  unpublishedPriceIndex,
} from './keys.ts';
import { LatestPriceCache } from './latest-cache.ts';
import { queryPage } from './paged-query.ts';

/** Attributes that are storage, not domain. */
const storageAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type', 'submissionVersion']);

function fromItem(item: Record<string, unknown>): PriceRecord {
  return Object.fromEntries(Object.entries(item).filter(([k]) => !storageAttributes.has(k))) as unknown as PriceRecord;
}

/** The domain fields of a record, nothing else (so a stored item never carries stray attributes). */
function fieldsOf(r: PriceSubmission & Partial<PriceRecord>) {
  return {
    commodityId: r.commodityId,
    marketId: r.marketId,
    date: r.date,
    priceFen: r.priceFen,
    unit: r.unit,
    grade: r.grade,
    kind: r.kind,
    source: r.source,
    collector: r.collector,
    regionId: r.regionId,
    submittedAt: r.submittedAt,
    holdReason: r.holdReason,
  };
}

/**
 * An UpdateItem expression from attribute → value: defined values are SET, undefined ones
 * REMOVEd. `raw` adds SET clauses written by hand (e.g. the version arithmetic).
 */
function updateOf(
  set: Record<string, unknown>,
  remove: string[] = [],
  raw: string[] = [],
  values: Record<string, unknown> = {},
) {
  const names: Record<string, string> = {};
  const vals: Record<string, unknown> = { ...values };
  const sets = [...raw];
  const removes: string[] = [];
  Object.entries(set).forEach(([name, value], i) => {
    names[`#a${i}`] = name;
    if (value === undefined) removes.push(`#a${i}`);
    else {
      vals[`:a${i}`] = value;
      sets.push(`#a${i} = :a${i}`);
    }
  });
  remove.forEach((name, i) => {
    names[`#r${i}`] = name;
    removes.push(`#r${i}`);
  });
  const expression = [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '']
    .filter(Boolean)
    .join(' ');
  return { UpdateExpression: expression, ExpressionAttributeNames: names, ExpressionAttributeValues: vals };
}

/** Sorts after every YYYY-MM-DD date. */
const AFTER_ALL_DATES = '9999-99-99';

/** Reads and conditional writes a reviewer's entry tries before it answers `conflict`. */
const ENTER_TRIES = 6;
/** A short random pause before trying again, so that racing writers spread out. */
const jitter = (attempt: number) => new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));

export class DynamoPriceRepository implements PriceRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Latest prices kept in memory for a few seconds (createDeps gives 5 s; none by default). */
    readonly latestCache: LatestPriceCache<PriceRecord[]> = new LatestPriceCache(0),
  ) {}

  async submit(submission: PriceSubmission, options: { overApproved?: boolean } = {}): Promise<PriceRecord> {
    const identity = observationIdentity(submission);
    const update = updateOf(
      {
        ...fieldsOf(submission),
        status: 'pending',
        type: 'price_submission',
        ...pendingReviewIndex(submission.regionId, submission.submittedAt, identity),
      },
      ['reviewedBy', 'reviewedAt', 'rejectReason', 'gsi2pk', 'gsi2sk'],
      ['version = if_not_exists(version, :zero) + :one'],
      {
        ':zero': 0,
        ':one': 1,
        ':pending': 'pending',
        ':rejected': 'rejected',
        ...(options.overApproved ? { ':approved': 'approved', ':fen': submission.priceFen } : {}),
      },
    );
    // Over an approved value only once it is published, and not with that same value.
    const overApproved = options.overApproved
      ? ' OR (#status = :approved AND attribute_not_exists(gsi2pk) AND priceFen <> :fen)'
      : '';
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: priceSubmissionKey(submission),
          ...update,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ConditionExpression: `attribute_not_exists(pk) OR #status IN (:pending, :rejected)${overApproved}`,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(res.Attributes!);
    } catch (err) {
      lostCondition(err);
      if (options.overApproved) {
        // The approved value again: nothing to review, nothing written.
        const current = await this.get(priceSubmissionKey(submission));
        if (current?.status === 'approved' && current.gsi2pk === undefined && current.priceFen === submission.priceFen)
          return fromItem(current);
      }
      throw new AppError('conflict');
    }
  }

  async approve(
    identity: ObservationIdentityFields,
    version: number,
    reviewer: string,
    at: string,
  ): Promise<PriceRecord> {
    const approved = await this.decide(
      identity,
      version,
      {
        status: 'approved',
        reviewedBy: reviewer,
        reviewedAt: at,
        ...unpublishedPriceIndex(at, observationIdentity(identity)),
      },
      ['rejectReason'],
    );
    await this.publish(approved);
    return approved;
  }

  async reject(
    identity: ObservationIdentityFields,
    version: number,
    reviewer: string,
    reason: string,
    at: string,
  ): Promise<PriceRecord> {
    return this.decide(
      identity,
      version,
      { status: 'rejected', reviewedBy: reviewer, reviewedAt: at, rejectReason: reason },
      [],
    );
  }

  async enterApproved(submission: PriceSubmission, reviewer: string): Promise<PriceRecord> {
    const identity = observationIdentity(submission);
    const key = priceSubmissionKey(submission);
    for (let attempt = 0; attempt < ENTER_TRIES; attempt += 1) {
      if (attempt > 0) await jitter(attempt);
      const current = await this.get(key);
      if (current?.status === 'approved' && current.gsi2pk !== undefined) {
        // Another approval is between its commit point and its publication: finish it (as the
        // sweep would), so its value is the approved one, and becomes a revision once ours replaces it.
        await this.publish(fromItem(current));
        continue;
      }
      if (current?.status === 'approved' && current.priceFen === submission.priceFen) return fromItem(current);
      const update = updateOf(
        {
          ...fieldsOf(submission),
          status: 'approved',
          type: 'price_submission',
          reviewedBy: reviewer,
          reviewedAt: submission.submittedAt,
          ...unpublishedPriceIndex(submission.submittedAt, identity),
        },
        ['rejectReason', 'gsi1pk', 'gsi1sk'],
        ['version = if_not_exists(version, :zero) + :one'],
        { ':zero': 0, ':one': 1, ...(current ? { ':seen': current.version } : {}) },
      );
      try {
        const res = await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            ...update,
            // Only over what was read: a submission that changed since is read again.
            ConditionExpression: current
              ? 'version = :seen AND attribute_not_exists(gsi2pk)'
              : 'attribute_not_exists(pk)',
            ReturnValues: 'ALL_NEW',
          }),
        );
        const approved = fromItem(res.Attributes!);
        await this.publish(approved);
        return approved;
      } catch (err) {
        lostCondition(err);
      }
    }
    // Others kept changing this identity meanwhile: nothing of ours was written.
    throw new AppError('conflict');
  }

  async getSubmission(identity: ObservationIdentityFields): Promise<PriceRecord | undefined> {
    const item = await this.get(priceSubmissionKey(identity));
    return item ? fromItem(item) : undefined;
  }

  latestForCommodity(commodityId: string, limit: number): Promise<PriceRecord[]> {
    return this.latestCache.read(commodityId, limit, async () => {
      const page = await queryPage(
        this.db,
        this.tableName,
        { partition: { pk: latestPricePartition(commodityId) } },
        { limit: Math.max(1, limit) },
        fromItem,
      );
      return page.items;
    });
  }

  async history(
    commodityId: string,
    marketId: string,
    item: { kind?: PriceKind; grade?: string; unit: string },
    page: PriceHistoryRequest,
  ): Promise<Page<PriceRecord>> {
    const ref = { commodityId, marketId, ...item };
    const { pk } = approvedPriceKey({ ...ref, date: '' });
    const prefix = approvedPricePrefix(ref);
    return queryPage(
      this.db,
      this.tableName,
      {
        partition: { pk },
        range: { name: 'sk', between: [prefix + (page.from ?? ''), prefix + (page.to ?? AFTER_ALL_DATES)] },
        newestFirst: page.newestFirst ?? false,
      },
      { limit: page.limit, ...(page.cursor ? { cursor: page.cursor } : {}) },
      fromItem,
    );
  }

  async previousBefore(item: PriceItemRef, date: string): Promise<PriceRecord | undefined> {
    const { pk } = approvedPriceKey({ ...item, date: '' });
    const prefix = approvedPricePrefix(item);
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': pk, ':lo': prefix, ':hi': prefix + addDays(date, -1) },
        ScanIndexForward: false,
        Limit: 1,
      }),
    );
    const found = res.Items?.[0];
    return found ? fromItem(found) : undefined;
  }

  async revisions(identity: ObservationIdentityFields): Promise<PriceRevision[]> {
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: {
          ':pk': priceRevisionKey(identity, 0).pk,
          ':prefix': priceRevisionPrefix(identity),
        },
      }),
    );
    return (res.Items ?? []).map((i) => fromItem(i) as PriceRevision);
  }

  async pendingInRegion(
    regionId: string,
    page: PageRequest,
    after?: { submittedAt: string; identity: string },
  ): Promise<Page<PriceRecord>> {
    // gsi1sk is `<submittedAt>#<identity>` (no control characters): `\u0001` after it makes the bound exclusive, `~` sorts after every ISO time.
    const range = after
      ? {
          range: {
            name: 'gsi1sk',
            between: [`${pendingReviewIndex(regionId, after.submittedAt, after.identity).gsi1sk}\u0001`, '~'] as [
              string,
              string,
            ],
          },
        }
      : {};
    return queryPage(
      this.db,
      this.tableName,
      { index: 'gsi1', partition: pendingReviewIndex(regionId), ...range },
      page,
      fromItem,
    );
  }

  async finishUnpublished(limit: number): Promise<number> {
    const page = await queryPage(
      this.db,
      this.tableName,
      { index: 'gsi2', partition: unpublishedPriceIndex() },
      { limit: Math.max(1, limit) },
      (i) => i,
    );
    let finished = 0;
    for (const entry of page.items) {
      const item = await this.get({ pk: entry.pk as string, sk: entry.sk as string });
      if (item?.status !== 'approved' || item.gsi2pk === undefined) continue;
      await this.publish(fromItem(item));
      finished += 1;
    }
    return finished;
  }

  // ── internals ──

  private async get(key: Key) {
    const res = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    return res.Item;
  }

  /** Step 1 of a decision: pending@version → approved/rejected, out of the review queue. */
  private async decide(
    identity: ObservationIdentityFields,
    version: number,
    set: Record<string, unknown>,
    remove: string[],
  ): Promise<PriceRecord> {
    const update = updateOf(set, ['gsi1pk', 'gsi1sk', ...remove], ['version = version + :one'], {
      ':one': 1,
      ':pending': 'pending',
      ':v': version,
    });
    try {
      const res = await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: priceSubmissionKey(identity),
          ...update,
          ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#status': 'status' },
          ConditionExpression: '#status = :pending AND version = :v',
          ReturnValues: 'ALL_NEW',
        }),
      );
      return fromItem(res.Attributes!);
    } catch (err) {
      lostCondition(err);
      // Absent, already decided, or changed by a resubmission since the reviewer saw it.
      throw new AppError('conflict');
    }
  }

  /** Steps 2–5 for an approved submission (its `version` orders approvals of one identity). */
  private async publish(approved: PriceRecord): Promise<void> {
    const obsKey = approvedPriceKey(approved);
    const value = {
      ...fieldsOf(approved),
      status: 'approved',
      reviewedBy: approved.reviewedBy,
      reviewedAt: approved.reviewedAt,
    };
    for (let attempt = 0; ; attempt += 1) {
      const current = await this.get(obsKey);
      const currentSubmission = (current?.submissionVersion as number | undefined) ?? 0;
      if (current && currentSubmission >= approved.version) break; // this approval (or a newer one) is already the value
      try {
        if (current) {
          // Keep the value being replaced before replacing it (a retry finds it written: fine).
          const revision = { ...fromItem(current), supersededAt: approved.reviewedAt };
          await this.db
            .send(
              new PutCommand({
                TableName: this.tableName,
                Item: { ...priceRevisionKey(approved, current.version as number), type: 'price_revision', ...revision },
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            )
            .catch(lostCondition);
        }
        const version = ((current?.version as number | undefined) ?? 0) + 1;
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: {
              ...obsKey,
              ...marketObservationIndex(approved),
              ...commodityObservationIndex(approved),
              type: 'price',
              ...value,
              version,
              submissionVersion: approved.version,
            },
            ...(current
              ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        break;
      } catch (err) {
        lostCondition(err);
        if (attempt >= 4) throw new AppError('conflict');
      }
    }

    // The latest price moves forward only: a newer date, or a later approval of the same date.
    await this.db
      .send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...latestPriceKey(approved),
            type: 'latest_price',
            ...value,
            version: approved.version,
            submissionVersion: approved.version,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR #date < :date OR (#date = :date AND submissionVersion <= :sv)',
          ExpressionAttributeNames: { '#date': 'date' },
          ExpressionAttributeValues: { ':date': approved.date, ':sv': approved.version },
        }),
      )
      .catch(lostCondition);
    this.latestCache.invalidate(approved.commodityId);

    await this.db
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: priceSubmissionKey(approved),
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'version = :v',
          ExpressionAttributeValues: { ':v': approved.version },
        }),
      )
      .catch(lostCondition);
  }

  // ── market · date index (gsi2 MKTOBS#<market>): bulletins and price sheets ──

  async approvedAtMarketOn(marketId: string, date: string): Promise<PriceRecord[]> {
    const items: PriceRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      // One Query; a further page only past DynamoDB's 1 MB (hundreds of items on one day).
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND begins_with(gsi2sk, :day)',
          ExpressionAttributeValues: { ':pk': marketObservationIndex({ marketId }).gsi2pk, ':day': `${date}#` },
          ExclusiveStartKey: start,
        }),
      );
      items.push(...(res.Items ?? []).map(fromItem));
      start = res.LastEvaluatedKey;
    } while (start);
    return items;
  }

  async marketDates(marketId: string, limit: number): Promise<string[]> {
    const dates: string[] = [];
    const pk = marketObservationIndex({ marketId }).gsi2pk;
    // Newest first, keys only. A page holds several dates (a market prices tens of items a day);
    // the next Query starts below the oldest date seen, so each Query adds at least one date.
    while (dates.length < limit) {
      const below = dates.length ? `${dates.at(-1)}#` : AFTER_ALL_DATES;
      const res = await this.db.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk < :below',
          ExpressionAttributeValues: { ':pk': pk, ':below': below },
          ProjectionExpression: 'gsi2sk',
          ScanIndexForward: false,
          Limit: 100,
        }),
      );
      const found = [...new Set((res.Items ?? []).map((i) => String(i.gsi2sk).slice(0, 10)))];
      dates.push(...found.slice(0, limit - dates.length));
      if (!res.LastEvaluatedKey) break;
    }
    return dates;
  }
}

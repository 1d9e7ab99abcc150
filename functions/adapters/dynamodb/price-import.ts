/**
 * CSV imports on the single table: the same items DynamoPriceRepository writes (see its header
 * and the Prices section of keys.ts), read with BatchGetItem and written with BatchWriteItem,
 * so that 10,000 rows take a few hundred requests instead of 50,000 single-item ones.
 *
 * Writes go in two waves, the second started when the first is done, in the single path's order:
 *
 *   1. submissions (pending, or approved), and the revisions of the approved values that
 *      corrections replace (kept before they are replaced)
 *   2. approved values (OBS#, with the market·date index) and the latest prices that move forward
 *
 * So, as with single writes, an approved value never exists without its submission, and `load`
 * reads approved values only where a submission exists (a first import reads half the keys).
 *
 * ── Crash safety: plan, journal, waves, done ──
 *
 * A process killed between two batches (kill -9, a Lambda timeout) would leave part of a file
 * public: history disagreeing with the latest prices, approvals never published, half a file in
 * the review queue. Importing the file again cannot mend that — its verdicts would be computed
 * from the half-written state (an approved value in place but its latest price not: "unchanged",
 * and the latest price is never fixed) — and it needs the uploader. So `write`:
 *
 *   1. computes every item it will write (the plan), from the state `load` read;
 *   2. keeps the plan in the file store (S3, gzipped JSON under imports/prices/plans/);
 *   3. creates the journal item (conditional: once per import id; listed in the unfinished
 *      index, gsi1 `PRICEIMPORT#UNFINISHED`) — the commit point: from here the import is
 *      finished whatever happens;
 *   4. writes the waves (unconditional batches, as fast as before);
 *   5. marks the journal done (leaves the index) and deletes the plan.
 *
 * `finishUnfinished` (the sweep in AWS, `startLocalStack` locally) reads the unfinished
 * journals with one Query, loads each plan and re-applies it, wave by wave, with single-item
 * conditional writes that never move anything back — a submission, approved value or latest
 * price already at or past the planned version is left alone; revisions are put only where
 * absent — so a reviewer's decision made between the crash and the recovery stands. It first
 * reads the planned keys (BatchGetItem) and writes only the items not in place yet. A crash
 * before step 3 has written no price: the file is then not imported at all. Either way readers
 * end up with the whole file or none of it.
 *
 * Why this design rather than the alternatives: a per-row unpublished mark (what a single
 * approval does) would cost half as many writes again and still not cover pending rows or the
 * review queue; per-item conditional writes throughout would close every window but take ~25×
 * the requests, which the import's target (10,000 rows ≤ 10 s) rules out; undoing instead of
 * finishing would need the previous value of every item, which the plan need not carry, and
 * would throw away an upload its author was told had gone in. The plan and journal cost one S3
 * PUT and three single-item writes per import (see the bench).
 *
 * The window left open: BatchWriteItem takes no conditions, so the versions are computed from
 * the state read just before (`load`). The whole file was validated and authorised first, and
 * every identity appears once per file. A single submission or approval of one of the same
 * identities landing between our read and our write (a window of seconds) is overwritten, last
 * writer wins: its value is lost from the submission and approved value, and the version it
 * wrote may be reused by ours, so a reviewer holding that version approves the imported value
 * instead. Nothing is ever duplicated, the latest price still only moves forward in date, and
 * the audit log shows both actions.
 */
import { randomUUID } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { mapLimited } from '#core/limited.ts';
import type { FileStore } from '#core/platform-ports.ts';
import { type ObservationIdentityFields, observationIdentity } from '#core/prices/observation.ts';
import type {
  PriceImportEntry,
  PriceImportJournal,
  PriceImportRecovery,
  PriceImportState,
  PriceImportStore,
  PriceRecord,
  PriceSubmission,
} from '#core/prices/ports.ts';
import { batchGet, GET_BATCH } from './batch-get.ts';
import { batchWrite, WRITE_BATCH } from './batch-write.ts';
import { lostCondition, ttlIn } from './conditional.ts';
import {
  approvedPriceKey,
  commodityObservationIndex,
  type Key,
  latestPriceKey,
  marketObservationIndex,
  pendingReviewIndex,
  priceImportJournalKey,
  priceRevisionKey,
  priceSubmissionKey,
  unfinishedImportIndex,
} from './keys.ts';

type Item = Record<string, unknown>;

/** Batches in flight at once: enough to hide latency, few enough not to invite throttling. */
const PARALLEL = 8;
/** Single conditional writes in flight at once while finishing an import. */
const SINGLE_PARALLEL = 16;
/** A finished journal is kept a month (it also makes a web upload's confirm token single-use; the token lives an hour). */
const DONE_JOURNAL_TTL_SECONDS = 30 * 24 * 3600;
/** Imports a sweep finishes per run, unless told otherwise. */
const FINISH_LIMIT = 10;

/** Where write plans are kept in the file store (the jobs Lambda may read and delete only these). */
export const IMPORT_PLAN_PREFIX = 'imports/prices/plans/';
/** An import's write plan: beside the kept uploads, one object per attempt (a request that loses the journal never overwrites the winner's). */
const planKeyOf = (importId: string) => `${IMPORT_PLAN_PREFIX}${importId}.${randomUUID()}.json.gz`;

/** Attributes that are storage, not domain (as in price-repository.ts). */
const storageAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type', 'submissionVersion']);
const fromItem = (item: Item) =>
  Object.fromEntries(Object.entries(item).filter(([k]) => !storageAttributes.has(k))) as unknown as PriceRecord;

/** The domain fields of a submission, undefined ones left out (the single path REMOVEs them). */
function fieldsOf(s: PriceSubmission) {
  const fields: Item = {
    commodityId: s.commodityId,
    marketId: s.marketId,
    date: s.date,
    priceFen: s.priceFen,
    unit: s.unit,
    grade: s.grade,
    kind: s.kind,
    source: s.source,
    collector: s.collector,
    regionId: s.regionId,
    submittedAt: s.submittedAt,
    holdReason: s.holdReason,
  };
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

// ── The items an import writes: built here and nowhere else (the plan holds them as built) ──

/** A submission: pending (in the review queue, gsi1) or approved by `reviewer`. */
function submissionItem(s: PriceSubmission, version: number, reviewer?: string): Item {
  const base = { ...priceSubmissionKey(s), ...fieldsOf(s) };
  if (!reviewer)
    return {
      ...base,
      status: 'pending',
      type: 'price_submission',
      ...pendingReviewIndex(s.regionId, s.submittedAt, observationIdentity(s)),
      version,
    };
  return {
    ...base,
    status: 'approved',
    type: 'price_submission',
    reviewedBy: reviewer,
    reviewedAt: s.submittedAt,
    version,
  };
}

/** A replaced approved value of `identity`, kept under its version (never overwritten). */
function revisionItem(identity: ObservationIdentityFields, replaced: PriceRecord, supersededAt: string): Item {
  return { ...priceRevisionKey(identity, replaced.version), type: 'price_revision', ...replaced, supersededAt };
}

/** What an approved row publishes: the approved value's and the latest price's shared fields. */
const publishedFields = (s: PriceSubmission, reviewer: string) => ({
  ...fieldsOf(s),
  status: 'approved',
  reviewedBy: reviewer,
  reviewedAt: s.submittedAt,
});

/** The approved, public value (OBS#: history) with the market·date index (bulletins). */
function approvedValueItem(s: PriceSubmission, reviewer: string, version: number, submissionVersion: number): Item {
  return {
    ...approvedPriceKey(s),
    ...marketObservationIndex(s),
    ...commodityObservationIndex(s),
    type: 'price',
    ...publishedFields(s, reviewer),
    version,
    submissionVersion,
  };
}

/** The latest price of the row's item (LATEST#), when the row moves it. */
function latestPriceItem(s: PriceSubmission, reviewer: string, submissionVersion: number): Item {
  return {
    ...latestPriceKey(s),
    type: 'latest_price',
    ...publishedFields(s, reviewer),
    version: submissionVersion,
    submissionVersion,
  };
}

/** The key of an item (an identity without its date) in PriceImportState.latest. */
export const importItemKey = (o: ObservationIdentityFields) => observationIdentity({ ...o, date: '' });

const keyText = (k: Key | Item) => `${k.pk as string}\u0000${k.sk as string}`;
const keyOf = (item: Item): Key => ({ pk: item.pk as string, sk: item.sk as string });

const chunks = <T>(list: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

/** Every item an import will write, in its waves (what the journal's plan keeps). */
interface WritePlan {
  format: 1;
  importId: string;
  waves: Item[][];
}

/**
 * The plan of an import from the state `load` read: per row its submission (the next version),
 * and per approved row the revision of the value it replaces, its approved value, and the
 * latest price of its item when this is the newest row of the item and moves it forward.
 */
function planWrites(entries: PriceImportEntry[], state: PriceImportState): Item[][] {
  const submissions: Item[] = [];
  const revisions: Item[] = [];
  const values: Item[] = [];
  // Per item, the newest approved row of this import, and whether it moves the latest price.
  const newest = new Map<string, Item>();

  for (const { submission: s, reviewer } of entries) {
    const identity = observationIdentity(s);
    const version = (state.submissions.get(identity)?.version ?? 0) + 1;
    submissions.push(submissionItem(s, version, reviewer));
    if (!reviewer) continue;

    const current = state.approved.get(identity);
    if (current) revisions.push(revisionItem(s, current, s.submittedAt));
    values.push(approvedValueItem(s, reviewer, (current?.version ?? 0) + 1, version));

    // The same rule as the single path's conditional put: a newer date, or a later approval of the same date.
    const item = importItemKey(s);
    const stored = state.latest.get(item);
    const moves = !stored || stored.date < s.date || (stored.date === s.date && stored.version <= version);
    const held = newest.get(item);
    if (moves && (!held || (held.date as string) < s.date)) newest.set(item, latestPriceItem(s, reviewer, version));
  }
  return [
    [...submissions, ...revisions],
    [...values, ...newest.values()],
  ];
}

/** The journal fields kept on the item (the rest of the item is storage and status). */
const journalOf = (item: Item): PriceImportJournal => ({
  id: item.id as string,
  actor: item.actor as string,
  fileKey: item.fileKey as string,
  ...(item.fileName ? { fileName: item.fileName as string } : {}),
  regions: (item.regions as string[] | undefined) ?? [],
  counts: (item.counts as Record<string, number> | undefined) ?? {},
  startedAt: item.startedAt as string,
});

export class DynamoPriceImportStore implements PriceImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Where write plans are kept until their import is done (S3). */
    private readonly files: FileStore,
    /** The price repository's cache of latest prices in this process, told what the import moved. */
    private readonly latestCache?: { invalidate(commodityId?: string): void },
  ) {}

  async load(identities: ObservationIdentityFields[]): Promise<PriceImportState> {
    const found = new Map<string, Item>();
    const read = async (keys: Key[]) => {
      for (const item of await this.getAll(keys)) found.set(keyText(item), item);
    };
    await read(identities.flatMap((o) => [priceSubmissionKey(o), latestPriceKey(o)]));
    await read(identities.filter((o) => found.has(keyText(priceSubmissionKey(o)))).map(approvedPriceKey));
    const state: PriceImportState = { submissions: new Map(), approved: new Map(), latest: new Map() };
    for (const o of identities) {
      const id = observationIdentity(o);
      const submission = found.get(keyText(priceSubmissionKey(o)));
      const approved = found.get(keyText(approvedPriceKey(o)));
      const latest = found.get(keyText(latestPriceKey(o)));
      if (submission) state.submissions.set(id, fromItem(submission));
      if (approved) state.approved.set(id, fromItem(approved));
      if (latest) state.latest.set(importItemKey(o), fromItem(latest));
    }
    return state;
  }

  async write(
    entries: PriceImportEntry[],
    state: PriceImportState,
    journal: PriceImportJournal,
  ): Promise<{ started: true; items: number } | { started: false }> {
    const waves = planWrites(entries, state);
    const items = waves.reduce((n, w) => n + w.length, 0);
    if (!items)
      return (await this.createJournal(journal, undefined, 0)) ? { started: true, items: 0 } : { started: false };

    const planKey = planKeyOf(journal.id);
    const plan: WritePlan = { format: 1, importId: journal.id, waves };
    // Level 1: the plan is read back at most once, after a crash; writing it must be cheap.
    await this.files.put(planKey, gzipSync(JSON.stringify(plan), { level: 1 }), 'application/gzip');
    if (!(await this.createJournal(journal, planKey, items))) {
      // Another request holds this id (a confirm token used twice at once): its import, not ours.
      await this.files.delete(planKey).catch(() => undefined);
      return { started: false };
    }
    for (const wave of waves) await this.putAll(wave);
    this.invalidate(waves);
    await this.markDone(journal.id, planKey, false);
    return { started: true, items };
  }

  async started(id: string): Promise<boolean> {
    return Boolean(await this.get(priceImportJournalKey(id)));
  }

  async finishUnfinished(
    options: { startedBefore?: Date; limit?: number; exclusive?: boolean } = {},
  ): Promise<PriceImportRecovery> {
    const before = options.startedBefore?.toISOString();
    const res = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: before ? 'gsi1pk = :pk AND gsi1sk < :before' : 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': unfinishedImportIndex().gsi1pk, ...(before ? { ':before': before } : {}) },
        Limit: options.limit ?? FINISH_LIMIT,
      }),
    );
    const recovery: PriceImportRecovery = { finished: [], failed: [] };
    for (const listed of res.Items ?? []) {
      const id = listed.id as string;
      try {
        const journal = await this.finishOne(id, options.exclusive === true);
        if (journal) recovery.finished.push(journal);
      } catch (err) {
        recovery.failed.push({ id, error: (err as Error).message });
      }
    }
    return recovery;
  }

  // ── internals ──

  /** Creates the journal; false when one with this id exists. Without a plan (nothing to write) it is created done. */
  private async createJournal(
    journal: PriceImportJournal,
    planKey: string | undefined,
    items: number,
  ): Promise<boolean> {
    const status = planKey
      ? { status: 'writing', planKey, ...unfinishedImportIndex(journal.startedAt, journal.id) }
      : { status: 'done', finishedAt: journal.startedAt, expiresAt: ttlIn(new Date(), DONE_JOURNAL_TTL_SECONDS) };
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...priceImportJournalKey(journal.id), type: 'price_import', ...journal, items, ...status },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (err) {
      lostCondition(err);
      return false;
    }
  }

  /** The journal leaves the unfinished index; the plan is no longer needed. */
  private async markDone(id: string, planKey: string, recovered: boolean): Promise<void> {
    const now = new Date();
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: priceImportJournalKey(id),
        UpdateExpression: `SET #status = :done, finishedAt = :at, expiresAt = :exp${recovered ? ', recovered = :true' : ''} REMOVE gsi1pk, gsi1sk`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':done': 'done',
          ':at': now.toISOString(),
          ':exp': ttlIn(now, DONE_JOURNAL_TTL_SECONDS),
          ...(recovered ? { ':true': true } : {}),
        },
      }),
    );
    // The journal is done whatever happens to the plan now (a leftover is expired by the bucket's lifecycle rule).
    await this.files.delete(planKey).catch(() => undefined);
  }

  /** Finishes one unfinished import: its journal (read again, consistently), its plan, every wave, done. */
  private async finishOne(id: string, exclusive: boolean): Promise<PriceImportJournal | undefined> {
    const journal = await this.get(priceImportJournalKey(id));
    if (journal?.status !== 'writing') return undefined; // finished meanwhile
    const planKey = journal.planKey as string;
    const stored = await this.files.get(planKey);
    if (!stored) {
      // The import may have finished (and deleted its plan) since the read above.
      if ((await this.get(priceImportJournalKey(id)))?.status === 'done') return undefined;
      throw new Error(`price import ${id}: its write plan ${planKey} is missing`);
    }
    const plan = JSON.parse(gunzipSync(stored.body).toString('utf8')) as WritePlan;
    if (plan.format !== 1 || plan.importId !== id)
      throw new Error(`price import ${id}: ${planKey} is not its write plan`);
    for (const wave of plan.waves) await this.reapply(wave, exclusive);
    this.invalidate(plan.waves);
    await this.markDone(id, planKey, true);
    return journalOf(journal);
  }

  /**
   * Writes the items of one planned wave that are not in place yet, each with a condition that
   * keeps anything at or past the planned version: what a reviewer decided since stands.
   * `exclusive`: nothing else writes the table meanwhile (the local stack at start, holding the
   * data-dir lock, serving nothing yet), so what was just read stays true and the missing items
   * go in batches — 25 items a request instead of one.
   */
  private async reapply(wave: Item[], exclusive: boolean): Promise<void> {
    const current = new Map<string, Item>();
    for (const item of await this.getAll(wave.map(keyOf))) current.set(keyText(item), item);
    let todo = wave.filter((planned) => !inPlace(planned, current.get(keyText(planned))));
    if (exclusive) {
      // An approved value replaces the one the plan's revision keeps (or none): batched. Anything
      // else (it moved since the plan was made) takes the conditional path below.
      const replacesPlanned = (p: Item) => {
        const found = current.get(keyText(p));
        return p.type !== 'price' || (found ? found.version === (p.version as number) - 1 : true);
      };
      await this.putAll(
        todo
          .filter(replacesPlanned)
          .map((p) =>
            p.type === 'price'
              ? { ...p, version: ((current.get(keyText(p))?.version as number | undefined) ?? 0) + 1 }
              : p,
          ),
      );
      todo = todo.filter((p) => !replacesPlanned(p));
    }
    await mapLimited(todo, SINGLE_PARALLEL, async (planned) => {
      if (planned.type === 'price') return this.reapplyApprovedValue(planned, current.get(keyText(planned)));
      const condition = forwardOnly(planned);
      await this.db
        .send(new PutCommand({ TableName: this.tableName, Item: planned, ...condition }))
        .catch(lostCondition);
    });
  }

  /**
   * An approved value as the single path publishes it: left alone when it holds this approval
   * or a later one; otherwise the value it replaces is kept as a revision (the plan's own
   * revision, written in the first wave, already is when nothing moved since), and it is
   * replaced optimistically on its version.
   */
  private async reapplyApprovedValue(planned: Item, found: Item | undefined): Promise<void> {
    let current = found;
    for (let attempt = 0; ; attempt++) {
      if (inPlace(planned, current)) return;
      try {
        if (current && current.version !== (planned.version as number) - 1) {
          const replaced = fromItem(current);
          const revision = revisionItem(replaced, replaced, planned.reviewedAt as string);
          await this.db
            .send(
              new PutCommand({
                TableName: this.tableName,
                Item: revision,
                ConditionExpression: 'attribute_not_exists(pk)',
              }),
            )
            .catch(lostCondition);
        }
        await this.db.send(
          new PutCommand({
            TableName: this.tableName,
            Item: { ...planned, version: ((current?.version as number | undefined) ?? 0) + 1 },
            ...(current
              ? { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': current.version } }
              : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return;
      } catch (err) {
        lostCondition(err);
        if (attempt >= 4)
          throw new Error(`approved value ${String(planned.sk)} kept changing while an import was finished`);
        current = await this.get(keyOf(planned));
      }
    }
  }

  private invalidate(waves: Item[][]) {
    const commodities = new Set(
      waves
        .flat()
        .filter((i) => i.type === 'latest_price')
        .map((i) => i.commodityId as string),
    );
    for (const commodityId of commodities) this.latestCache?.invalidate(commodityId);
  }

  private async get(key: Key): Promise<Item | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item;
  }

  /** Every stored item of these keys (duplicates read once), BatchGetItem in parallel. */
  private async getAll(keys: Key[]): Promise<Item[]> {
    const unique = [...new Map(keys.map((k) => [keyText(k), k])).values()];
    const found: Item[] = [];
    await mapLimited(chunks(unique, GET_BATCH), PARALLEL, async (batch) => {
      found.push(...(await batchGet(this.db, this.tableName, batch)));
    });
    return found;
  }

  private async putAll(items: Item[]): Promise<void> {
    await mapLimited(chunks(items, WRITE_BATCH), PARALLEL, (batch) =>
      batchWrite(
        this.db,
        this.tableName,
        batch.map((put) => ({ put })),
      ),
    );
  }
}

/**
 * Whether a planned item needs no write: the stored one is at or past it. Submissions by
 * version; approved values and latest prices by the approval (submission version) they hold,
 * latest prices by date first; revisions whenever present.
 */
function inPlace(planned: Item, current: Item | undefined): boolean {
  if (!current) return false;
  return reachedByType.get(planned.type as string)?.(planned, current) ?? true;
}

const sv = (i: Item) => (i.submissionVersion as number | undefined) ?? 0;
/** Per item type, whether the stored item is at or past the planned one (other types: always). */
const reachedByType = new Map<string, (planned: Item, current: Item) => boolean>([
  ['price_submission', (planned, current) => (current.version as number) >= (planned.version as number)],
  ['price', (planned, current) => sv(current) >= sv(planned)],
  [
    'latest_price',
    (planned, current) =>
      (current.date as string) > (planned.date as string) ||
      (current.date === planned.date && sv(current) >= sv(planned)),
  ],
]);

/** The condition of a recovery write: the same rule as `inPlace`, checked by the store at the write. */
function forwardOnly(planned: Item) {
  switch (planned.type) {
    case 'price_submission':
      return {
        ConditionExpression: 'attribute_not_exists(pk) OR version < :v',
        ExpressionAttributeValues: { ':v': planned.version },
      };
    case 'latest_price':
      return {
        ConditionExpression: 'attribute_not_exists(pk) OR #date < :date OR (#date = :date AND submissionVersion < :sv)',
        ExpressionAttributeNames: { '#date': 'date' },
        ExpressionAttributeValues: { ':date': planned.date, ':sv': planned.submissionVersion },
      };
    default:
      return { ConditionExpression: 'attribute_not_exists(pk)' };
  }
}

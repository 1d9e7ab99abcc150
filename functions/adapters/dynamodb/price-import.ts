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
 * Unlike a single approval, no unpublished mark (gsi2) is written and removed per row: that would
 * be half as many writes again. A crash between the waves is finished instead by importing the
 * same file again (it is kept in S3): a row counts as in place only when both its submission and
 * its approved value hold it, so every half-written row is written again, and nothing twice.
 *
 * Why unconditional batch writes are acceptable here: BatchWriteItem takes no conditions, so the
 * versions are computed from the state read just before (`load`). The whole file was validated
 * and authorised first, and every identity appears once per file. A single submission or
 * approval of one of the same identities landing between our read and our write (a window of
 * seconds) is overwritten, last writer wins: its value is lost from the submission and approved
 * value, and the version it wrote may be reused by ours, so a reviewer holding that version
 * approves the imported value instead. Nothing is ever duplicated, the latest price still only
 * moves forward in date, and the audit log shows both actions. Per-item conditional writes would
 * close the window at ~25× the requests, which the import's target (10,000 rows ≤ 10 s) rules out.
 */
import { BatchGetCommand, BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PriceImportEntry, PriceImportState, PriceImportStore, PriceRecord, PriceSubmission } from '#core/ports.ts';
import { observationIdentity, type ObservationIdentityFields } from '#core/prices/observation.ts';
import {
  approvedPriceKey,
  latestPriceKey,
  marketObservationIndex,
  pendingReviewIndex,
  priceRevisionKey,
  priceSubmissionKey,
  type Key,
} from './keys.ts';
import { commodityObservationIndex } from './keys.ts';

type Item = Record<string, unknown>;

/** BatchGetItem takes at most 100 keys, BatchWriteItem 25 items. */
const GET_BATCH = 100;
const WRITE_BATCH = 25;
/** Batches in flight at once: enough to hide latency, few enough not to invite throttling. */
const PARALLEL = 8;
const MAX_TRIES = 10;

/** Attributes that are storage, not domain (as in price-repository.ts). */
const storageAttributes = new Set(['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk', 'type', 'submissionVersion']);
const fromItem = (item: Item) => Object.fromEntries(Object.entries(item).filter(([k]) => !storageAttributes.has(k))) as unknown as PriceRecord;

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

/** The key of an item (an identity without its date) in PriceImportState.latest. */
export const importItemKey = (o: ObservationIdentityFields) => observationIdentity({ ...o, date: '' });

const keyText = (k: Key) => `${k.pk}\u0000${k.sk}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Exponential backoff with full jitter, capped at 1 s. */
const backoff = (attempt: number) => sleep(Math.random() * Math.min(1000, 25 * 2 ** attempt));

/** Runs `task` over `inputs` with at most `limit` running at once. */
async function inParallel<T>(inputs: readonly T[], limit: number, task: (input: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < inputs.length) await task(inputs[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, inputs.length) }, worker));
}

const chunks = <T>(list: readonly T[], size: number): T[][] => Array.from({ length: Math.ceil(list.length / size) }, (_, i) => list.slice(i * size, (i + 1) * size));

export class DynamoPriceImportStore implements PriceImportStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** The price repository's cache of latest prices in this process, told what the import moved. */
    private readonly latestCache?: { invalidate(commodityId?: string): void },
  ) {}

  async load(identities: ObservationIdentityFields[]): Promise<PriceImportState> {
    const found = new Map<string, Item>();
    const read = async (keys: Key[]) => {
      const unique = [...new Map(keys.map((k) => [keyText(k), k])).values()];
      await inParallel(chunks(unique, GET_BATCH), PARALLEL, async (batch) => {
        for (const item of await this.getBatch(batch)) found.set(keyText({ pk: item.pk as string, sk: item.sk as string }), item);
      });
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

  async write(entries: PriceImportEntry[], state: PriceImportState): Promise<{ items: number }> {
    const submissions: Item[] = [];
    const revisions: Item[] = [];
    const values: Item[] = [];
    // Per item, the newest approved row of this import, and whether it moves the latest price.
    const newest = new Map<string, Item>();

    for (const { submission: s, reviewer } of entries) {
      const identity = observationIdentity(s);
      const version = (state.submissions.get(identity)?.version ?? 0) + 1;
      const base = { ...priceSubmissionKey(s), ...fieldsOf(s) };
      if (!reviewer) {
        submissions.push({ ...base, status: 'pending', type: 'price_submission', ...pendingReviewIndex(s.regionId, s.submittedAt, identity), version });
        continue;
      }
      submissions.push({ ...base, status: 'approved', type: 'price_submission', reviewedBy: reviewer, reviewedAt: s.submittedAt, version });

      const current = state.approved.get(identity);
      if (current) revisions.push({ ...priceRevisionKey(s, current.version), type: 'price_revision', ...current, supersededAt: s.submittedAt });
      const value = { ...fieldsOf(s), status: 'approved', reviewedBy: reviewer, reviewedAt: s.submittedAt };
      values.push({ ...approvedPriceKey(s), ...marketObservationIndex(s), ...commodityObservationIndex(s), type: 'price', ...value, version: (current?.version ?? 0) + 1, submissionVersion: version });

      // The same rule as the single path's conditional put: a newer date, or a later approval of the same date.
      const item = importItemKey(s);
      const stored = state.latest.get(item);
      const moves = !stored || stored.date < s.date || (stored.date === s.date && stored.version <= version);
      const held = newest.get(item);
      if (moves && (!held || (held.date as string) < s.date)) {
        newest.set(item, { ...latestPriceKey(s), type: 'latest_price', ...value, version, submissionVersion: version });
      }
    }

    const waves = [[...submissions, ...revisions], [...values, ...newest.values()]];
    for (const wave of waves) await this.putAll(wave);
    for (const commodityId of new Set([...newest.values()].map((i) => i.commodityId as string))) this.latestCache?.invalidate(commodityId);
    return { items: waves.reduce((n, w) => n + w.length, 0) };
  }

  private async getBatch(keys: Key[]): Promise<Item[]> {
    const items: Item[] = [];
    let pending: Key[] = keys;
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt >= MAX_TRIES) throw new Error(`BatchGetItem: ${pending.length} keys still unprocessed after ${MAX_TRIES} tries`);
      if (attempt > 0) await backoff(attempt);
      const res = await this.db.send(new BatchGetCommand({ RequestItems: { [this.tableName]: { Keys: pending, ConsistentRead: true } } }));
      items.push(...(res.Responses?.[this.tableName] ?? []));
      pending = (res.UnprocessedKeys?.[this.tableName]?.Keys as Key[] | undefined) ?? [];
    }
    return items;
  }

  private async putAll(items: Item[]): Promise<void> {
    await inParallel(chunks(items, WRITE_BATCH), PARALLEL, async (batch) => {
      let pending = batch.map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 0; pending.length; attempt++) {
        if (attempt >= MAX_TRIES) throw new Error(`BatchWriteItem: ${pending.length} items still unprocessed after ${MAX_TRIES} tries`);
        if (attempt > 0) await backoff(attempt);
        const res = await this.db.send(new BatchWriteCommand({ RequestItems: { [this.tableName]: pending } }));
        pending = (res.UnprocessedItems?.[this.tableName] as typeof pending | undefined) ?? [];
      }
    });
  }
}

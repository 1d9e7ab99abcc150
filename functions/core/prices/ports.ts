/** What prices (collection, review, reads, open data, CSV imports) need from the outside world. */
import type { Page, PageRequest } from '../paging.ts';
import type { ObservationIdentityFields, PriceKind, PriceObservation } from './observation.ts';

/** An observation as stored: the observation plus where it is reviewed and what the review said. */
export interface PriceRecord extends PriceObservation {
  /** The region whose reviewers decide it (the market's region). */
  regionId: string;
  /** ISO time the current value was submitted or entered. */
  submittedAt: string;
  reviewedBy?: string;
  reviewedAt?: string;
  /** Set when rejected. */
  rejectReason?: string;
  /** Why a submission was held for review (e.g. far above the item's recent median). */
  holdReason?: string;
}

/** What a collector (or a reviewer entering an approved price) hands in: status and version are the store's. */
export type PriceSubmission = Omit<PriceRecord, 'status' | 'version' | 'reviewedBy' | 'reviewedAt' | 'rejectReason'>;

/** One priced item at one market: an observation identity without its date. */
export type PriceItemRef = Omit<ObservationIdentityFields, 'date'>;

/** A value a correction replaced, kept with when and by whom it was replaced. */
export interface PriceRevision extends PriceRecord {
  supersededAt: string;
}

export interface PriceHistoryRequest extends PageRequest {
  /** Inclusive YYYY-MM-DD bounds; open when absent. */
  from?: string;
  to?: string;
  newestFirst?: boolean;
}

/**
 * The latest-price rows read per commodity (`latestForCommodity`): every market·kind·grade·unit
 * row of a commodity fits (a few hundred at most), and every reader asks with this same limit so
 * that they share the process's cached answer.
 */
export const LATEST_ROWS_PER_COMMODITY = 200;

export interface PriceRepository {
  /**
   * Records a collector's observation as pending review. Submitting the same identity
   * (commodity, market, date, kind, grade, unit) again replaces the pending value (version + 1),
   * as does resubmitting a rejected one; an approved one fails with `conflict` (a correction
   * is a reviewer's `enterApproved`) unless `overApproved`: a reviewer's correction held for
   * review waits as pending while the approved value stays public until it is decided.
   */
  submit(submission: PriceSubmission, options?: { overApproved?: boolean }): Promise<PriceRecord>;
  /**
   * Approves the pending submission if it is still at `version` (else `conflict`), then
   * publishes it: the approved value (the replaced one kept as a revision) and the latest
   * price, which only moves forward in date.
   */
  approve(identity: ObservationIdentityFields, version: number, reviewer: string, at: string): Promise<PriceRecord>;
  /** Rejects the pending submission at `version` with a reason (else `conflict`); nothing is published. */
  reject(
    identity: ObservationIdentityFields,
    version: number,
    reviewer: string,
    reason: string,
    at: string,
  ): Promise<PriceRecord>;
  /**
   * A reviewer's or admin's own entry: approved at once, published like an approval. The value
   * it replaces is kept as a revision; the approved value sent again writes nothing; `conflict`
   * when other approvals of the identity keep it changing (nothing of this one is written).
   */
  enterApproved(submission: PriceSubmission, reviewer: string): Promise<PriceRecord>;
  /** The submission of an identity, whatever its status. */
  getSubmission(identity: ObservationIdentityFields): Promise<PriceRecord | undefined>;
  /** The latest approved price of a commodity, one row per (market, kind, grade, unit), at most `limit` rows: 1 Query. */
  latestForCommodity(commodityId: string, limit: number): Promise<PriceRecord[]>;
  /** Approved values of one item at one market, by date (oldest first unless `newestFirst`): 1 Query. */
  history(
    commodityId: string,
    marketId: string,
    item: { kind?: PriceKind; grade?: string; unit: string },
    page: PriceHistoryRequest,
  ): Promise<Page<PriceRecord>>;
  /** The latest approved value of the item dated before `date` ("previous period"): 1 Query, Limit 1. */
  previousBefore(item: PriceItemRef, date: string): Promise<PriceRecord | undefined>;
  /** Values corrections replaced for one identity, oldest first: 1 Query. */
  revisions(identity: ObservationIdentityFields): Promise<PriceRevision[]>;
  /**
   * Pending submissions of a region, oldest first: 1 Query on gsi1. With `after`, only those
   * queued after that one (by submission time, then identity), so several regions' queues can be
   * paged together from one position.
   */
  pendingInRegion(
    regionId: string,
    page: PageRequest,
    after?: { submittedAt: string; identity: string },
  ): Promise<Page<PriceRecord>>;
  /** Finishes approvals a crash left half-published; returns how many it finished. */
  finishUnpublished(limit: number): Promise<number>;
  /** Every approved observation at a market on one date (a bulletin): 1 Query on gsi2. */
  approvedAtMarketOn(marketId: string, date: string): Promise<PriceRecord[]>;
  /**
   * The newest `limit` dates with approved observations at a market, newest first: keys-only
   * Queries on gsi2, usually 1 (100 keys a page), at most `limit`.
   */
  marketDates(marketId: string, limit: number): Promise<string[]>;
}

/** A page of approved prices across markets (open data), optionally one kind, unit or grade. */
export interface OpenPriceRequest extends PageRequest {
  /** Inclusive YYYY-MM-DD bounds; open when absent. */
  from?: string;
  to?: string;
  /** Only rows of this kind, unit or grade (the grade compared in its normalised spelling). */
  item?: { kind?: PriceKind; unit?: string; grade?: string };
}

/** Approved prices read across markets or commodities (open data): Queries on the approved values' indexes, never a Scan. */
export interface OpenPriceReader {
  /** A commodity's approved values at every market, by date, then market, kind, grade, unit (gsi1). */
  ofCommodity(commodityId: string, request: OpenPriceRequest): Promise<Page<PriceRecord>>;
  /** A market's approved values of every commodity, by date, then commodity, kind, grade, unit (gsi2). */
  atMarket(marketId: string, request: OpenPriceRequest): Promise<Page<PriceRecord>>;
}

/** A one-off fill of an index for items stored before it existed: resumable, idempotent, done once. */
export interface IndexBackfill {
  /** Examines about `budget` items from where the last run stopped; `done` once nothing is left (later runs return at once). */
  run(budget: number): Promise<{ updated: number; done: boolean }>;
}

/**
 * What a CSV import has found stored, by `observationIdentity` of each row: its submission and
 * its approved value; and by item (`observationIdentity` with an empty date) the latest price.
 */
export interface PriceImportState {
  submissions: Map<string, PriceRecord>;
  approved: Map<string, PriceRecord>;
  latest: Map<string, PriceRecord>;
}

/** One row of an import to write: pending for review, or approved at once by `reviewer`. */
export interface PriceImportEntry {
  submission: PriceSubmission;
  reviewer?: string;
}

/** What the journal of one CSV import records: enough to finish it after a crash and to audit it. */
export interface PriceImportJournal {
  /** Unique per import. A web upload's comes from its confirm token, so a token imports once; an API import's is random. */
  id: string;
  /** The uploader's phone. */
  actor: string;
  /** Where the uploaded file is kept (imports/prices/<sha256>.csv). */
  fileKey: string;
  fileName?: string;
  regions: string[];
  /** The import's counts (rows, new, correction, pending, approved…). */
  counts: Record<string, number>;
  /** ISO time the import began writing. */
  startedAt: string;
}

/** What a recovery run did: the imports it finished, and those it could not (with why). */
export interface PriceImportRecovery {
  finished: PriceImportJournal[];
  failed: Array<{ id: string; error: string }>;
}

/** Many observations at once (CSV import): batched reads and writes with the item shapes of PriceRepository. */
export interface PriceImportStore {
  /** The stored submissions, approved values and latest prices of these identities (BatchGetItem). */
  load(identities: ObservationIdentityFields[]): Promise<PriceImportState>;
  /**
   * Writes the entries over the state `load` gave, so that a crash at any point is finished by
   * `finishUnfinished`: the whole plan is kept and journalled before the first price write.
   * When an import with `journal.id` was already started, writes nothing and answers
   * `started: false`.
   */
  write(
    entries: PriceImportEntry[],
    state: PriceImportState,
    journal: PriceImportJournal,
  ): Promise<{ started: true; items: number } | { started: false }>;
  /** Whether an import with this id was started (finished or not): 1 GetItem. */
  started(id: string): Promise<boolean>;
  /**
   * Finishes the imports a crash left unfinished — those started before `startedBefore` (every
   * one when absent), at most `limit` — re-applying each one's plan without moving anything
   * back (a value decided since is left alone). `exclusive`: no other process writes the store
   * meanwhile (the local stack at start), so the missing items may be written in batches.
   */
  finishUnfinished(options?: {
    startedBefore?: Date;
    limit?: number;
    exclusive?: boolean;
  }): Promise<PriceImportRecovery>;
}

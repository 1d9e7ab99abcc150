/**
 * What the core needs from the outside world. Adapters implement these; the wiring in
 * functions/adapters/wiring.ts chooses which implementation.
 */
import type { Commodity, Market, ReferenceData, Region, Unit } from './reference/schemas.ts';
import type { MessageJob } from './sms/message-jobs.ts';
import type { DeliveryStatus, InboundSms, OutboundSms } from './sms/messages.ts';
import type { Subscriber } from './subscribers/subscriber.ts';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface PageRequest {
  limit: number;
  cursor?: string;
}

export type SeedState = 'empty' | 'outdated' | 'current';

export interface ReferenceRepository {
  listCommodities(page: PageRequest): Promise<Page<Commodity>>;
  getCommodity(id: string): Promise<Commodity | undefined>;
  listRegions(page: PageRequest & { parentId?: string }): Promise<Page<Region>>;
  getRegion(id: string): Promise<Region | undefined>;
  listMarkets(page: PageRequest & { regionId?: string }): Promise<Page<Market>>;
  getMarket(id: string): Promise<Market | undefined>;
  listUnits(): Promise<Unit[]>;
  /** Writes every item; safe to repeat (puts are idempotent, versions only move forward). */
  seed(data: ReferenceData): Promise<{ written: number }>;
  /** True when no reference data has been written yet. */
  isEmpty(): Promise<boolean>;
  /** Whether the store was last seeded with exactly this data ('outdated': another, e.g. before a new glossary). */
  seedState(data: ReferenceData): Promise<SeedState>;
  /**
   * Sets (or, with null, clears) how many days a commodity's latest price stays current. The
   * item becomes a person's edit, so a later seed leaves it alone. Undefined for an unknown id.
   */
  setCommodityStaleDays(id: string, staleDays: number | null, editedBy: string): Promise<Commodity | undefined>;
}

export interface HealthProbe {
  /** Resolves when the store answers; rejects otherwise. */
  check(): Promise<void>;
}

export interface StoredFile {
  body: Uint8Array;
  contentType: string;
}

/** Attachments, exports and other files (S3 in AWS, s3rver locally). */
export interface FileStore {
  put(key: string, body: Uint8Array | string, contentType: string): Promise<void>;
  get(key: string): Promise<StoredFile | undefined>;
  delete(key: string): Promise<void>;
}

// ── SMS ──────────────────────────────────────────────────────────────────────────────

/** What claiming an inbound message found (see InboundClaims.claim). */
export type ClaimOutcome =
  | { claimed: true }
  /** Handled already: a redelivery, which changes nothing. */
  | { claimed: false; state: 'done' }
  /** Being handled by another run, or by one that died less than the stale window ago: try again after `retryAfterMs`. */
  | { claimed: false; state: 'processing'; retryAfterMs: number };

export interface InboundClaims {
  /**
   * Claims (gateway, messageId), keeping the message (its text included) in the claim while
   * it is `processing`, so that a restart can finish it. A claim left `processing` by a
   * crashed run becomes claimable again after `staleAfterMs` (0: take it over now).
   */
  claim(msg: InboundSms, staleAfterMs: number): Promise<ClaimOutcome>;
  /** Marks the claim done, with the replies it caused; the message text is removed from it. */
  complete(msg: InboundSms, replyIds: string[]): Promise<void>;
  /** Gives up a claim after a failure, so the gateway's retry is handled at once, not after the stale window. */
  release(msg: InboundSms): Promise<void>;
  /** Claims still `processing` (a run at work, or one that died), oldest first, with their messages. */
  listProcessing(page: PageRequest): Promise<Page<InboundSms & { claimedAt: number }>>;
}

export interface SubscriberRepository {
  get(phone: string): Promise<Subscriber | undefined>;
  /** Creates unless it exists; returns the stored subscriber either way. */
  createIfAbsent(subscriber: Subscriber): Promise<Subscriber>;
  /** Optimistic: fails with `conflict` when the stored version is not `subscriber.version`. */
  save(subscriber: Subscriber): Promise<Subscriber>;
  delete(phone: string): Promise<void>;
}

export interface OutboundStore {
  /** Records a message as queued; false when a message with this id already exists (retry). */
  record(msg: OutboundSms): Promise<boolean>;
  get(id: string): Promise<(OutboundSms & { status: DeliveryStatus }) | undefined>;
  /**
   * Moves a message to `status` if its stored status may be replaced by it
   * (core/sms/delivery-status.ts: receipts come out of order; nothing leaves `delivered`).
   * False, and nothing written, when it may not or the message is gone.
   */
  markStatus(
    id: string,
    status: DeliveryStatus,
    detail?: { gateway?: string; gatewayMessageId?: string; error?: string },
  ): Promise<boolean>;
  /**
   * Takes a short lease on a queued message before it goes to the gateway, so two deliveries
   * of the same queue job (SQS is at-least-once) cannot both send it. False while another
   * sender holds an unexpired lease, or when the message is no longer queued.
   */
  leaseForSending(id: string, now: Date, leaseMs: number): Promise<boolean>;
  /** Gives the lease back after a retryable failure, so the retry may send at once. */
  releaseLease(id: string): Promise<void>;
  /** Records that the guards admitted the message and on which day its segments were counted (nothing if it is gone). */
  markAdmitted(id: string, day: string): Promise<void>;
  findByGatewayId(gateway: string, gatewayMessageId: string): Promise<string | undefined>;
  /** Messages to one number, newest first. */
  listTo(phone: string, limit: number): Promise<Array<OutboundSms & { status: DeliveryStatus }>>;
  /** Deletes every message to a number (DELETE ME). */
  eraseTo(phone: string): Promise<void>;
}

export interface RateLimiter {
  /** Counts one event; `allowed` is false once `limit` events fell in the current window. */
  hit(
    bucket: string,
    subject: string,
    limit: number,
    windowSeconds: number,
    now: Date,
  ): Promise<{ allowed: boolean; count: number; retryAfterSeconds: number }>;
}

export interface SmsBudget {
  /**
   * Adds segments to the day's total unless that would pass `cap`; without a cap they always
   * count and pass (STOP confirmations). Not allowed: nothing is added.
   */
  spend(day: string, segments: number, cap: number | undefined): Promise<{ allowed: boolean; total: number }>;
}

/** Hands composed SMS to the sender: an SQS queue in AWS, the sender itself locally. */
export interface OutboundQueue {
  enqueue(messages: OutboundSms[]): Promise<void>;
}

export interface GatewayResult {
  gatewayMessageId: string;
}

/** A way out to phones. Throws GatewayError; `retryable` tells the sender whether to try again. */
export interface SmsGateway {
  readonly name: string;
  send(msg: OutboundSms): Promise<GatewayResult>;
}

export class GatewayError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'GatewayError';
  }
}

/**
 * Composes an SMS from a message key in the recipient's language and script (their
 * subscriber settings, else Tibetan), records it and queues it. The idempotency key makes
 * a repeated call (a retry) return the first message instead of sending twice.
 */
export interface Messenger {
  send(input: {
    to: string;
    key: string;
    /** Or, for names that differ by language, made from the recipient's language. */
    params?: Record<string, string | number> | ((lang: Subscriber['language']) => Record<string, string | number>);
    essential: boolean;
    idempotencyKey: string;
    /** At most this many SMS parts (default 2), or per recipient language, e.g. { bo: 2, zh: 1, en: 1 }. */
    maxSegments?: number | Partial<Record<Subscriber['language'], number>>;
    /** The message's id (derived from the idempotency key): composed here, or handed on to be composed (core/sms/message-jobs.ts). */
  }): Promise<{ id: string }>;
}

/** Where a process that composes no SMS hands its messages (the outbound SMS queue in AWS). */
export interface MessageJobQueue {
  enqueue(job: MessageJob): Promise<void>;
}

// ── Staff identity ──────────────────────────────────────────────────────────────────
// (Imports are hoisted; they sit here to keep this section self-contained.)

import type { AuditEntry } from './staff/audit.ts';
import type { SignInCodeJob } from './staff/code-delivery.ts';
import type { ClientState, PhoneCodes } from './staff/codes.ts';
import type { StaffMember } from './staff/roles.ts';
import type { Session } from './staff/sessions.ts';

/**
 * The sign-in state (see core/staff/codes.ts): the codes of each phone, and each client's
 * tries. The core decides; the store keeps, with conditional writes on versions.
 */
export interface SignInCodeStore {
  /** The stored codes as they are, even past their TTL: the core checks times itself. */
  get(phone: string): Promise<PhoneCodes | undefined>;
  /**
   * Writes `state` as version `expectedVersion + 1` if the stored version is still
   * `expectedVersion` (undefined: nothing stored). False when another write came first.
   */
  save(state: PhoneCodes, expectedVersion: number | undefined): Promise<boolean>;
  getClient(phone: string, client: string): Promise<ClientState | undefined>;
  /** As `save`, for a client's state. */
  saveClient(state: ClientState, expectedVersion: number | undefined): Promise<boolean>;
}

/**
 * Counters that count only what they let through (sign-in limits): a refused attempt adds
 * nothing, so refusals can never extend a limit. Fixed windows of `windowSeconds` (days end
 * at Asia/Shanghai midnight).
 */
export interface QuotaCounter {
  /** Adds `amount` if the window's count stays within `limit`; otherwise adds nothing. */
  take(
    bucket: string,
    subject: string,
    limit: number,
    windowSeconds: number,
    now: Date,
    amount?: number,
  ): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
  /** The window's count, without counting. */
  peek(
    bucket: string,
    subject: string,
    windowSeconds: number,
    now: Date,
  ): Promise<{ count: number; retryAfterSeconds: number }>;
  /** Gives back what `take` added (an attempt that turned out right, or was not made after all). */
  release(bucket: string, subject: string, windowSeconds: number, now: Date, amount?: number): Promise<void>;
}

/**
 * Hands a sign-in code to its delivery, off the request path (core/staff/code-delivery.ts):
 * the SMS queue in AWS, a background task locally. One call per code SMS, staff or not.
 */
export interface SignInCodeQueue {
  enqueue(job: SignInCodeJob): Promise<void>;
  /** Locally: resolves once every delivery handed over so far has finished (GET /dev/outbox, tests). */
  settled?(): Promise<void>;
}

/** Sessions and API tokens, by the SHA-256 of the token. */
export interface SessionStore {
  create(session: Session): Promise<void>;
  /** Undefined when absent or expired (TTL deletion is lazy, so expiry is checked on read). */
  get(tokenHash: string, now: Date): Promise<Session | undefined>;
  delete(tokenHash: string): Promise<void>;
}

export interface StaffRepository {
  get(phone: string): Promise<StaffMember | undefined>;
  /** All staff by phone, paged. */
  list(page: PageRequest): Promise<Page<StaffMember>>;
  /** Fails with `conflict` when the phone is already staff. */
  create(member: StaffMember): Promise<StaffMember>;
  /** Optimistic: fails with `conflict` when the stored version is not `member.version`. */
  save(member: StaffMember): Promise<StaffMember>;
  /** Optimistic: fails with `conflict` when the stored version is not `version`. */
  delete(phone: string, version: number): Promise<void>;
}

export interface AuditLog {
  record(entry: AuditEntry): Promise<void>;
  /** One Asia/Shanghai day of entries, newest first. */
  listDay(day: string, page: PageRequest): Promise<Page<AuditEntry>>;
}

// ── Prices ───────────────────────────────────────────────────────────────────────────
// (Imports are hoisted; they sit here to keep this section self-contained.)

import type { ObservationIdentityFields, PriceKind, PriceObservation } from './prices/observation.ts';

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

// ── Alerts ───────────────────────────────────────────────────────────────────────────

/** The last price digest of a topic: each latest-price row's value when it was sent. */
export interface DigestState {
  /** The Asia/Shanghai day of the digest that wrote `current`. */
  day: string;
  /** Row → value before that day's digest (what a rerun on the same day compares with). */
  baseline: Record<string, { priceFen: number; date: string }>;
  /** Row → value that day's digest was made from. */
  current: Record<string, { priceFen: number; date: string }>;
}

export interface AlertStore {
  /** Phones following a topic, paged by phone: 1 Query per page. */
  subscribersOf(topic: string, page: PageRequest): Promise<Page<string>>;
  getDigestState(topic: string): Promise<DigestState | undefined>;
  saveDigestState(topic: string, state: DigestState): Promise<void>;
  /** Marks a subscriber's digest of a day as sent; false when it already was (conditional put). */
  claimDigest(day: string, phone: string, now: Date): Promise<boolean>;
  /** Undoes a claim whose SMS could not be handed over, so that a rerun tries again. */
  releaseDigest(day: string, phone: string): Promise<void>;
}

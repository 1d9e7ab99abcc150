/** What broadcasts need from the outside world: their store, the audience index, the one-time schedules. */
import type { Page, PageRequest } from '../paging.ts';
import type { Language } from '../reference/schemas.ts';
import type {
  AudienceCount,
  AudienceMember,
  Broadcast,
  BroadcastCounts,
  BroadcastSummary,
  FanOutProgress,
  StatusTally,
} from './broadcast.ts';

/**
 * The audience index and its counters, kept by the subscriber repository as subscribers JOIN,
 * SUB, UNSUB, change LANG/SCRIPT, STOP, START and DELETE ME: a subscriber with a home region who
 * has not sent STOP is indexed under every region of their home's path (county, prefecture)
 * × every topic they follow and `all`.
 */
export interface AudienceReader {
  /** One page of the (region, topic) partition, by phone: 1 Query. `languages` filters (empty: all). */
  members(
    regionId: string,
    topic: string,
    page: PageRequest,
    languages?: readonly Language[],
  ): Promise<Page<AudienceMember>>;
  /** Every counter row of a region (all topics, languages, scripts): 1 Query. */
  counts(regionId: string): Promise<AudienceCount[]>;
}

export interface BroadcastStore {
  /** Creates a broadcast (and its history and active-set entries); false when the id exists. */
  create(broadcast: Broadcast): Promise<boolean>;
  get(id: string): Promise<Broadcast | undefined>;
  /**
   * Saves if the stored version is `broadcast.version` (AppError `conflict` otherwise), and
   * returns it with the version incremented. Keeps the history entries (per audience region and
   * its ancestors, and '*') and the active set (scheduled, sending, paused) in step.
   */
  save(broadcast: Broadcast): Promise<Broadcast>;
  /** Saves only the fan-out progress, if the version is still `version` (false otherwise); the version is not changed. */
  saveProgress(id: string, version: number, progress: FanOutProgress): Promise<boolean>;
  /** The counters; `queued` is derived: recipients less every message that moved on. */
  counts(id: string): Promise<BroadcastCounts>;
  /**
   * Adds a fan-out page's recipients, once per page: one conditional update that also records
   * `pageId` in the counters item, so a page replayed after a crash is not counted twice.
   * False when the page was counted already.
   */
  addRecipients(id: string, pageId: string, recipients: number): Promise<boolean>;
  /**
   * Raises each counter to at least what a replay read from the messages themselves (never
   * lowers one): the counters are moved by a write apart from the status change they count, so
   * a crash or throttled write in between leaves them behind, and a broadcast whose every
   * message has moved on would otherwise show some as queued for ever.
   */
  raiseCounts(id: string, floor: StatusTally): Promise<void>;
  /** The history of a region ('*': all), newest first; days are Asia/Shanghai YYYY-MM-DD of creation. */
  list(regionId: string, page: PageRequest, range?: { from?: string; to?: string }): Promise<Page<BroadcastSummary>>;
  /** Ids of scheduled, sending and paused broadcasts: the minute tick's work (1 Query). */
  active(): Promise<string[]>;
}

/** One-time schedules that start a broadcast at its time (EventBridge Scheduler in AWS; a timer locally). */
export interface BroadcastScheduler {
  /** Idempotent: scheduling the same broadcast again replaces the time. */
  at(broadcastId: string, when: Date): Promise<void>;
  /** Nothing happens when there is none. */
  cancel(broadcastId: string): Promise<void>;
}

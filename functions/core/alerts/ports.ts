/** What price alerts (daily digests to subscribers) need from the outside world. */
import type { Page, PageRequest } from '../paging.ts';

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

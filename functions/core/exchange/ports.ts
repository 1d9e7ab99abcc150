/**
 * What the exchange needs from storage. Every read on a request path is a key-condition
 * Query or a GetItem (adapters/dynamodb/exchange-store.ts; access patterns in docs/storage.md).
 * No transactions: each change is one conditional write, and writes that belong together are
 * ordered so that a rerun (SMS redelivery, a retried request, the sweep) finishes them.
 */
import type { Page, PageRequest } from '../paging.ts';
import type { Block, Conversation, FlaggedWord, Listing, Side, Vouch } from './listing.ts';

/** Where open offers are looked for: one index partition each, so one Query each. */
export type OpenScope =
  /** Offers of one side and commodity in one county (or a region below a prefecture). */
  | { level: 'county'; regionId: string }
  /** … in one prefecture (its counties, grouped by county then newest first). */
  | { level: 'prefecture'; regionId: string }
  /** … anywhere. */
  | { level: 'all' };

export interface OpenQuery {
  side: Side;
  /** Omitted: every commodity (the web's "all products"; `scope` must then be `all`). */
  commodityId?: string;
  scope: OpenScope;
  /** Newest first, `limit` per page. */
  page: PageRequest;
}

export type CreateOutcome =
  | { created: true; listing: Listing }
  /** The same source (message or form) made an offer already: that offer, unchanged. */
  | { created: false; listing: Listing };

export interface ExchangeStore {
  /**
   * Stores a new offer, once per `listing.source`: a second call with the same source returns
   * the first offer, whatever code this call proposed. The code is unique among stored offers;
   * when taken, another from `nextCode()` is tried (a few times, then `conflict`).
   */
  create(listing: Listing, nextCode: () => string): Promise<CreateOutcome>;
  get(code: string): Promise<Listing | undefined>;
  /** Several offers by code (BatchGet), in the order asked, missing ones left out. */
  getMany(codes: readonly string[]): Promise<Listing[]>;
  /**
   * Writes a changed offer if the stored one still has `listing.version - 1`; the index keys
   * follow the status (only `open` offers are in the open indexes). Throws AppError `conflict`.
   */
  update(listing: Listing): Promise<Listing>;
  /** A number's offers, newest first, every status (LIST, limits, DELETE ME): one Query. */
  byOwner(phone: string, page: PageRequest): Promise<Page<Listing>>;
  /** Open offers by side, commodity and place, newest first: one Query. */
  open(query: OpenQuery): Promise<Page<Listing>>;
  /**
   * Offers with something due on an Asia/Shanghai day (the sweep): open ones whose `expiresAt`
   * falls on it, confirming ones whose `confirmBy` does. May include offers that moved on
   * since (renewed, ended): the sweep checks each.
   */
  dueOn(day: string, page: PageRequest): Promise<Page<Listing>>;
  /** Offers waiting for a moderator in a region (`*`: everywhere), oldest first. */
  moderationQueue(regionId: string, page: PageRequest): Promise<Page<Listing>>;
  /** Offers posted for farmers that still wait for the farmer's YES, by the farmer's number. */
  confirming(phone: string): Promise<Listing[]>;
  /** Deletes an offer and what is kept about it (DELETE ME). */
  delete(code: string): Promise<void>;

  /** Records that two offers were matched; false when the pair was matched before (no second notice). */
  claimPair(codeA: string, codeB: string, at: string): Promise<boolean>;

  // Conversations (MSG, SHARE)
  conversation(code: string, otherPhone: string): Promise<Conversation | undefined>;
  /** Saves a conversation: created when `version` is 1 (conditional on absence), else conditional on `version - 1`. */
  saveConversation(conversation: Conversation): Promise<Conversation>;
  /** The conversations a number started about others' offers, newest first. */
  conversationsOf(otherPhone: string): Promise<Conversation[]>;
  /** The conversations about one offer. */
  conversationsAbout(code: string): Promise<Conversation[]>;
  /** A number's alias for signing relayed messages (`A` and 4–6 digits), made once, kept. */
  aliasOf(phone: string, nextAlias: () => string): Promise<string>;
  /** Whose alias it is. */
  phoneOfAlias(alias: string): Promise<string | undefined>;

  // Reports
  /** Records a report of an offer by a number; false when that number reported it before. */
  addReport(code: string, reporterPhone: string, text: string, at: string): Promise<boolean>;
  /** Puts a reported offer that stays public into its regions' queues of reported offers. */
  queueReported(listing: Listing, at: string): Promise<void>;
  /** Reported offers still public in a region (`*`: everywhere), newest report first. */
  reportedQueue(regionId: string, page: PageRequest): Promise<Page<Listing>>;
  /** The reports of an offer, oldest first (moderation page). */
  reportsAbout(code: string): Promise<Array<{ reporterPhone: string; text: string; at: string }>>;

  // Trust
  vouchOf(phone: string): Promise<Vouch | undefined>;
  putVouch(vouch: Vouch): Promise<void>;
  deleteVouch(phone: string): Promise<void>;
  listVouches(page: PageRequest): Promise<Page<Vouch>>;
  blockOf(phone: string): Promise<Block | undefined>;
  putBlock(block: Block): Promise<void>;
  deleteBlock(phone: string): Promise<void>;
  listBlocks(page: PageRequest): Promise<Page<Block>>;
  /** The admin-edited list; `undefined` until first saved (the use-case then uses the seed list). */
  flaggedWords(): Promise<FlaggedWord[] | undefined>;
  saveFlaggedWords(words: FlaggedWord[], by: string, at: string): Promise<void>;

  /** Everything kept about a number: its offers, conversations either side, reports it made, alias. */
  eraseNumber(phone: string): Promise<void>;
}

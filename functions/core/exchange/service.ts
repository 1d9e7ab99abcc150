/**
 * The exchange as the SMS commands, the HTTP routes and the jobs call it: every use-case with
 * its ports bound (createExchange in ./exchange.ts builds it). Use-cases return message keys
 * and parameters or plain data, never text; SMS to other numbers (match notices, relayed
 * messages, confirmations, moderation outcomes) they send themselves, each with an
 * idempotency key derived from its cause, so that a rerun sends nothing twice.
 */
import type { Page } from '../paging.ts';
import type { Language } from '../reference/schemas.ts';
import type { ReplyLine } from '../sms/messages.ts';
import type { Acting } from '../staff/guard.ts';
import type { Block, FlaggedWord, HoldReason, Listing, PublicListing, Side, Vouch } from './listing.ts';

/**
 * An offer as read from an SMS or a form, names already resolved to reference ids: the offer's
 * own fields, the place optional (omitted: the poster's home county).
 */
export type OfferInput = Pick<
  Listing,
  'side' | 'commodityId' | 'quantity' | 'unitId' | 'priceFen' | 'grade' | 'marketId'
> &
  Partial<Pick<Listing, 'regionId'>>;

/** The reply to the one who sent the SMS: lines of the `sms` namespace, and its segment budget. */
export interface SmsAnswer {
  lines: ReplyLine[];
  maxSegments?: number;
}

/** Who sent an SMS, and which message it was (effects are keyed by it). */
export interface SmsSender {
  phone: string;
  /** `<gateway>:<message id>` */
  messageId: string;
  /** The sender's home region, if they gave one (JOIN). */
  homeRegionId?: string;
  /** The sender's language: names in the reply (commodity, place, unit) are in it. Default Tibetan. */
  language?: Language;
}

export interface ExchangeService {
  // ── By SMS: each answers the sender (its reply lines) and sends whatever else it causes ──
  /** SELL/BUY: posts an offer (or refuses it: limits, blocked number, no region known). */
  post(sender: SmsSender, offer: OfferInput, text: string): Promise<SmsAnswer>;
  /** SOLD / CANCEL: ends the sender's own offer. Not theirs or unknown: the same "no such offer of yours". */
  end(sender: SmsSender, code: string, as: 'sold' | 'cancelled'): Promise<SmsAnswer>;
  /** RENEW: the sender's open offer gets the offer days again from today. */
  renew(sender: SmsSender, code: string): Promise<SmsAnswer>;
  /** LIST: the sender's live offers, codes first. */
  list(sender: SmsSender): Promise<SmsAnswer>;
  /** FIND: up to 3 open offers of `side` nearest the sender's home (or the region named). */
  find(sender: SmsSender, query: { side: Side; commodityId: string; regionId?: string }): Promise<SmsAnswer>;
  /** MSG <code or alias> <text>: relayed, signed with the sender's code or alias. */
  message(sender: SmsSender, to: string, text: string): Promise<SmsAnswer>;
  /** SHARE <code or alias>: consent to exchange numbers in that conversation. */
  share(sender: SmsSender, to: string): Promise<SmsAnswer>;
  /** REPORT <code> <text>. */
  report(sender: SmsSender, code: string, text: string): Promise<SmsAnswer>;
  /** YES / NO [code]: the farmer's answer to an offer an operator posted for them. */
  confirm(sender: SmsSender, answer: 'yes' | 'no', code?: string): Promise<SmsAnswer>;

  // ── Public reads (pages and the open API): no phone number ever ──
  publicList(query: {
    side?: Side;
    commodityId?: string;
    regionId?: string;
    cursor?: string;
    limit?: number;
  }): Promise<Page<PublicListing>>;
  /** One offer as the public may see it; undefined when unknown or not public. */
  publicGet(code: string): Promise<PublicListing | undefined>;

  // ── Staff (operator role in the offer's region; flagged words: admin) ──
  /** Offers waiting for a moderator in the actor's regions (or `regionId` among them), with why and the reports. */
  moderationQueue(acting: Acting, query: { regionId?: string; cursor?: string }): Promise<Page<ModerationItem>>;
  /** One offer with everything a moderator may see (phone included: the read is audit-logged). */
  moderationItem(acting: Acting, code: string): Promise<ModerationItem>;
  approve(acting: Acting, code: string): Promise<Listing>;
  reject(acting: Acting, code: string, reason: string): Promise<Listing>;
  hide(acting: Acting, code: string, reason?: string): Promise<Listing>;
  vouch(acting: Acting, phone: string): Promise<Vouch>;
  unvouch(acting: Acting, phone: string): Promise<void>;
  listVouches(acting: Acting, cursor?: string): Promise<Page<Vouch>>;
  block(acting: Acting, phone: string, reason: string): Promise<Block>;
  unblock(acting: Acting, phone: string): Promise<void>;
  listBlocks(acting: Acting, cursor?: string): Promise<Page<Block>>;
  flaggedWords(acting: Acting): Promise<FlaggedWord[]>;
  saveFlaggedWords(acting: Acting, words: FlaggedWord[]): Promise<FlaggedWord[]>;
  /**
   * An operator posts for a farmer: stored as `confirming`, and the farmer gets an SMS asking
   * for YES within 24 hours. `requestId` makes a resubmitted form one offer. Refusals throw
   * AppError `validation_failed` (with field details) or `forbidden`.
   */
  postForFarmer(acting: Acting, input: OfferInput & { phone: string }, requestId: string): Promise<Listing>;
  /** Open offers in a region for the notice board (operator's printable market sheet). */
  marketSheet(acting: Acting, query: { regionId: string; commodityId?: string }): Promise<PublicListing[]>;

  // ── Jobs and personal data ──
  /** Reminders the day before expiry, expiry, and unconfirmed operator posts discarded. Idempotent. */
  sweep(now: Date): Promise<{ reminded: number; expired: number; discarded: number }>;
  /** DELETE ME: the number's offers, conversations and reports. */
  erase(phone: string): Promise<void>;
}

/** What a moderator sees of an offer. */
export interface ModerationItem {
  listing: Listing;
  reasons: HoldReason[];
  reports: Array<{ text: string; at: string }>;
  /** The latest approved price nearby, for "over 5× / under a fifth" holds. */
  priceContext?: { marketId: string; priceFen: number; unitId: string; date: string };
}

/**
 * An offer on the exchange (农产品供求): what a farmer, herder, trader or cooperative posts to
 * sell or to buy, by SMS or through a village operator. Pure types and rules; the use-cases
 * are beside this file, the storage port in ports.ts.
 */

export const sides = ['sell', 'buy'] as const;
export type Side = (typeof sides)[number];

/** The side an offer is matched with and found by: a seller looks for buyers. */
export const otherSide = (side: Side): Side => (side === 'sell' ? 'buy' : 'sell');

/**
 * Where an offer is in its life:
 * - `confirming`: posted by an operator for a farmer, waiting for the farmer's YES (24 h);
 * - `reviewing`: waiting for a moderator (first offer of an unvouched number, a flagged word,
 *   a price far from the market, or three reports);
 * - `open`: public, found and matched;
 * - `hidden`: taken down by a moderator;
 * - `rejected`: refused by a moderator, with a reason the owner was told;
 * - `sold`, `cancelled`: ended by the owner; `expired`: its days ran out;
 * - `discarded`: the farmer said NO, or never confirmed.
 */
export const listingStatuses = [
  'confirming',
  'reviewing',
  'open',
  'hidden',
  'rejected',
  'sold',
  'cancelled',
  'expired',
  'discarded',
] as const;
export type ListingStatus = (typeof listingStatuses)[number];

/** Statuses an owner still holds (counted against the open-offer limit, shown by LIST). */
export const liveStatuses: readonly ListingStatus[] = ['confirming', 'reviewing', 'open'];
/** Statuses the public may see (a page or API answer for an ended offer says it ended). */
export const publicStatuses: readonly ListingStatus[] = ['open', 'sold', 'cancelled', 'expired'];

/** Why an offer waits for a moderator (shown on the moderation page). */
export const holdReasons = ['first_offer', 'flagged_word', 'price_high', 'price_low', 'reported'] as const;
export type HoldReason = (typeof holdReasons)[number];

export interface Listing {
  /** `L` and 4–6 digits: the offer's name everywhere (codes.ts). */
  code: string;
  side: Side;
  commodityId: string;
  /** How much, in `unitId` (a decimal number, e.g. 2.5). */
  quantity: number;
  /** A reference unit id (jin, kg, head, …). */
  unitId: string;
  /** Price per unit in fen; null: negotiable. */
  priceFen: number | null;
  grade?: string;
  /** Where the goods are (or are wanted): a county normally, else the region named. */
  regionId: string;
  /** A market named instead of a county (its region is `regionId`). */
  marketId?: string;
  /** The county `regionId` lies in (or is), when it is within one: the nearest level of search. */
  countyId?: string;
  /** The prefecture `regionId` lies in (or is): the next level (core fills both from the catalog). */
  prefectureId?: string;
  /** The owner's number (E.164). Never in a public answer, a relayed SMS or a log line. */
  ownerPhone: string;
  status: ListingStatus;
  /** The owner's number was vouched for by an operator when the offer was posted or approved. */
  vouched: boolean;
  /** Why it waits (or waited) for a moderator; empty when it went straight to `open`. */
  holdReasons: HoldReason[];
  /** Reports from distinct numbers (REPORT). */
  reports: number;
  /** A moderator's reason for `rejected` or `hidden`. */
  moderationReason?: string;
  /** The staff member who posted it for the farmer (operator posting). */
  postedBy?: string;
  /**
   * What created it, once: `<gateway>:<message id>` for an SMS, `web:<id>` for an operator's
   * form. A redelivered message or resubmitted form finds the same offer instead of a second.
   */
  source: string;
  /** The words the owner wrote (SMS), kept for moderators (flagged words are looked for in it). */
  text?: string;
  createdAt: string;
  /** When it stops being open (ISO): createdAt + offer days, moved on by RENEW. */
  expiresAt: string;
  /** `confirming` only: the farmer must answer YES before this (ISO). */
  confirmBy?: string;
  /** The day-before expiry reminder was sent for this `expiresAt`. */
  remindedFor?: string;
  /** When it first became public; an owner with none such has never had an offer published (first-offer hold). */
  publishedAt?: string;
  /** When it left the live statuses. */
  endedAt?: string;
  updatedAt: string;
  /** Bumped by every change; every status change is conditional on it. */
  version: number;
}

/** What the public sees of an offer: the API's listing, and every public page. No phone number. */
export interface PublicListing {
  code: string;
  side: Side;
  commodityId: string;
  quantity: number;
  unit: string;
  /** Yuan per unit with two decimals ("4.50"), or null when negotiable. */
  price: string | null;
  grade: string | null;
  regionId: string;
  marketId: string | null;
  status: ListingStatus;
  vouched: boolean;
  createdAt: string;
  expiresAt: string;
}

/** A conversation between an offer's owner and one other number, relayed by MSG. */
export interface Conversation {
  /** The offer the conversation is about. */
  code: string;
  ownerPhone: string;
  otherPhone: string;
  /** How the other side is signed to the owner: their own offer code, or their alias. */
  otherName: string;
  /** SHARE sent by each side. */
  ownerShared: boolean;
  otherShared: boolean;
  /** Numbers were exchanged (both SHAREd). */
  sharedAt?: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** A moderator's or operator's decision about a number. */
export interface Vouch {
  phone: string;
  by: string;
  at: string;
}
export interface Block {
  phone: string;
  by: string;
  at: string;
  reason: string;
}

/** A word or phrase that holds an offer (or a relayed message) for a moderator. */
export interface FlaggedWord {
  text: string;
  lang: 'bo' | 'zh' | 'en';
}

/** What SMS in and out need from the outside world: claims, stores, counters, queues, gateways. */

import type { Page, PageRequest } from '../paging.ts';
import type { Language } from '../reference/schemas.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import type { DeliveryStatus, InboundSms, OutboundSms } from './messages.ts';

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

export interface OutboundStore {
  /** Records a message as queued; false when a message with this id already exists (retry). */
  record(msg: OutboundSms): Promise<boolean>;
  /**
   * Records a message unless one with its id exists, and says which: one conditional put; the
   * existing message comes with a refusal (from the failed condition where the store returns
   * it, else one Get). The broadcast fan-out's "each recipient once".
   */
  recordOnce(
    msg: OutboundSms,
  ): Promise<{ recorded: true } | { recorded: false; existing?: OutboundSms & { status: DeliveryStatus } }>;
  get(id: string): Promise<(OutboundSms & { status: DeliveryStatus }) | undefined>;
  /** Several messages by id at once (missing ones left out): one read per hundred ids. */
  getMany(ids: readonly string[]): Promise<Map<string, OutboundSms & { status: DeliveryStatus }>>;
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
  /** Gives the lease back after a retryable failure, so the retry may send at once (and clears `markSending`'s mark). */
  releaseLease(id: string): Promise<void>;
  /**
   * Marks a leased message as handed to the gateway, just before it is: `ok` the first time;
   * `interrupted` when an earlier try marked it and never recorded the outcome (it died between
   * the gateway and its status: the SMS may have gone); `gone` when the message is no longer
   * queued. Broadcast SMS are sent at most once: an interrupted one is not sent again.
   */
  markSending(id: string, now: Date): Promise<'ok' | 'interrupted' | 'gone'>;
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
  /** The segments counted on `day` so far (0 for a day with none): one read, nothing added. */
  spent(day: string): Promise<number>;
}

/**
 * The gateway's send rate, shared by every sender (core/sms/pacing.ts): one-second windows of
 * `rate` messages. `take` counts one message in the current window if there is room; when
 * there is none, `retryAfterMs` is the time to the next window (the next whole second).
 */
export interface SendRate {
  take(now: Date): Promise<{ ok: boolean; retryAfterMs: number }>;
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
  /**
   * @param retryable nothing was sent: another try later is safe.
   * @param mayHaveSent the request may have reached the gateway (a timeout, a reset, a failure
   *   the gateway reports after taking it): not retried, and recorded `unknown`, not `failed` —
   *   a later delivery report can still settle it.
   */
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly mayHaveSent = false,
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
    /**
     * Lines after the first, in the recipient's language (an exchange notice: a header, the
     * offer, how to answer); `optional` ones give way when the message would not fit.
     */
    more?: (lang: Subscriber['language']) => MoreLine[];
    /**
     * Write in this language instead of the recipient's subscriber language (the voice line:
     * the language the caller chose, whether or not the number has subscribed). The script
     * stays the subscriber's.
     */
    language?: Language;
    /** The message's id (derived from the idempotency key): composed here, or handed on to be composed (core/sms/message-jobs.ts). */
  }): Promise<{ id: string }>;
}

/** A line after a message's first (Messenger.send `more`). */
export interface MoreLine {
  key: string;
  params?: Record<string, string | number>;
  optional?: boolean;
  /** A shorter form said instead before the line gives way (a price row: price-reply.ts). */
  shortKey?: string;
}

/** Where a process that composes no SMS hands its messages (the outbound SMS queue in AWS). */
export interface MessageJobQueue {
  enqueue(job: MessageJob): Promise<void>;
}

/** A message handed to the sender to compose there (message-jobs.ts builds and reads it). */
export interface MessageJob {
  kind: 'message';
  to: string;
  key: string;
  /** The parameters in each language. */
  params: Record<Language, Record<string, string | number>>;
  essential: boolean;
  idempotencyKey: string;
  maxSegments?: number | Partial<Record<Language, number>>;
  /** The lines after the first, in each language. */
  more?: Record<Language, MoreLine[]>;
  /** The language to write in, not the recipient's (Messenger.send `language`). */
  language?: Language;
}

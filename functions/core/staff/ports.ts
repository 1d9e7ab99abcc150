/** What staff identity (sign-in, sessions, staff records, the audit log) needs from the outside world. */

import type { Page, PageRequest } from '../paging.ts';
import type { Language } from '../reference/schemas.ts';
import type { AuditEntry } from './audit.ts';
import type { ClientState, PhoneCodes } from './codes.ts';
import type { StaffMember } from './roles.ts';
import type { Session } from './sessions.ts';

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

/** A sign-in code's SMS waiting for delivery (code-delivery.ts sends it). */
export interface SignInCodeJob {
  kind: 'sign-in-code';
  phone: string;
  /** The code, sealed (codes.ts sealCode): the queue never carries it in the clear. */
  sealed: string;
  /** When the code was made, and which SMS of it this is: together the SMS's idempotency key. */
  issuedAt: number;
  send: number;
  /** Minutes the code has left (the SMS says so). */
  minutes: number;
  /** The language the request asked for, if it named one. */
  language?: Language;
}

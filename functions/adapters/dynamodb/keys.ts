/**
 * Every key formula of the single table, as pure functions. The README's access-pattern
 * table points here; nothing else builds a key string.
 *
 * @example referenceKey('commodity', 'butter') // { pk: 'REF#commodity', sk: 'butter' }
 */
import type { ReferenceKind } from '#core/reference/schemas.ts';

export interface Key {
  pk: string;
  sk: string;
}

/** One reference item (commodity, region, market, unit). */
export const referenceKey = (kind: ReferenceKind, id: string): Key => ({ pk: referencePartition(kind), sk: id });

/** All items of one reference kind live in one partition: small, read together, cached. */
export const referencePartition = (kind: ReferenceKind): string => `REF#${kind}`;

/** gsi1: the regions directly under a parent region. */
export const regionChildrenIndex = (parentId: string) => ({ gsi1pk: `REGION#${parentId}#CHILDREN` });

/** gsi1: the markets in a region. */
export const marketsInRegionIndex = (regionId: string) => ({ gsi1pk: `REGION#${regionId}#MARKETS` });

/** Written last by a seed run, so its presence means the reference data is complete. */
export const seedMarkerKey = (name: string): Key => ({ pk: 'META', sk: `seed#${name}` });

// ── SMS ──────────────────────────────────────────────────────────────────────────────

/** The claim that makes an inbound message's effects happen once per (gateway, message id). */
export const inboundClaimKey = (gateway: string, messageId: string): Key => ({ pk: `INBOUND#${gateway}#${messageId}`, sk: 'CLAIM' });

/** A subscriber: the phone number is the account. */
export const subscriberKey = (phone: string): Key => ({ pk: `SUB#${phone}`, sk: 'PROFILE' });

/** gsi1: subscribers by home region (for targeted broadcasts). */
export const subscribersInRegionIndex = (regionId: string, phone: string) => ({ gsi1pk: `SUBS#REGION#${regionId}`, gsi1sk: phone });

/** One outbound SMS and its delivery status. */
export const outboundKey = (id: string): Key => ({ pk: `SMS#${id}`, sk: 'MSG' });

/** gsi1: the SMS sent to a number, newest first (ISO time sorts as text). */
export const outboxIndex = (to: string, createdAt?: string, id?: string) => ({
  gsi1pk: `OUTBOX#${to}`,
  ...(createdAt ? { gsi1sk: `${createdAt}#${id ?? ''}` } : {}),
});

/** gsi2: find an outbound SMS by the gateway's message id (delivery receipts). */
export const gatewayMessageIndex = (gateway: string, gatewayMessageId: string) => ({ gsi2pk: `GWMSG#${gateway}#${gatewayMessageId}`, gsi2sk: 'MSG' });

/** A fixed-window counter: `bucket` names the limit, `subject` whom it counts. */
export const rateCounterKey = (bucket: string, subject: string, windowStart: number): Key => ({
  pk: `RATE#${bucket}#${subject}`,
  sk: String(windowStart),
});

/** Segments sent on one Asia/Shanghai calendar day. */
export const smsBudgetKey = (day: string): Key => ({ pk: 'BUDGET#SMS', sk: day });

// ── Staff identity ──────────────────────────────────────────────────────────────────

/** The one live sign-in code of a phone (a new code replaces it). */
export const signInCodeKey = (phone: string): Key => ({ pk: `AUTH#${phone}`, sk: 'CODE' });

/** A session or API token, by the hash of its secret (the secret itself is never stored). */
export const sessionKey = (tokenHash: string): Key => ({ pk: `SESSION#${tokenHash}`, sk: 'SESSION' });

export const staffKey = (phone: string): Key => ({ pk: `STAFF#${phone}`, sk: 'PROFILE' });

/** gsi1: all staff, by phone. */
export const staffListIndex = (phone?: string) => ({ gsi1pk: 'STAFF', ...(phone ? { gsi1sk: phone } : {}) });

/** Audit entries by Asia/Shanghai day, in time order. */
export const auditKey = (day: string, at: string, id: string): Key => ({ pk: `AUDIT#${day}`, sk: `${at}#${id}` });

/**
 * One-time sign-in codes: how they are made, kept (hashed, and sealed for re-sending), and
 * judged, and how each client's tries are counted. Pure apart from the random numbers; the
 * store (ports.ts SignInCodeStore) only keeps the state, and sign-in.ts does the I/O.
 *
 * Why it is shaped like this (so that an outsider cannot keep staff from signing in):
 *
 * - **Clients.** Tries and requests are counted per *client*, never per phone alone. A client
 *   that has signed in as this phone before holds a device token (devices.ts, OWASP's
 *   "device cookie") and is counted on its own: nobody else can touch its budget. Any other
 *   client is a *stranger*, counted per (phone, address), with short lockouts (5 minutes), so
 *   an outsider elsewhere locks only himself; and all strangers of a phone share one daily
 *   cap of wrong answers, which is what keeps guessing infeasible (see `guessChancePerYear`).
 * - **One pool of codes per phone, never replaced while someone may be holding one.** A
 *   request re-sends the current code while it is under 5 minutes old, and makes a new one
 *   only after; the previous code stays good until its own 10 minutes are up. So every code
 *   SMS is good for at least 5 minutes after it was sent, whoever asks for codes meanwhile,
 *   and at most two unused codes are live at once (a new code comes ≥ 5 minutes after the
 *   last, and a code lives 10). A per-device code would be no safer (nobody can replace or
 *   use up a code without knowing it) and would confuse: the newest SMS on the phone may be
 *   one an outsider caused, and it works on every client.
 * - **Refused requests count for nothing.** A request turned away by a cooldown, a lock or a
 *   quota writes nothing; quotas count only what they let through.
 * - **Tries are charged before they are judged**, so a hundred answers sent at once cannot all
 *   be judged against a budget that each saw as untouched (sign-in.ts).
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { SHANGHAI_OFFSET_SECONDS } from '../dates.ts';

export const codePolicy = {
  digits: 6,
  /** A code signs in for 10 minutes from when it was made. */
  validSeconds: 10 * 60,
  /** A request re-sends the current code while it is younger than this; after, it makes a new one. */
  freshSeconds: 5 * 60,
  /** One request a minute per client; and strangers get at most one code SMS a minute per phone. */
  resendSeconds: 60,
  /** SMS that strangers' requests may cause per code: the first and one re-send (devices are not held to it). */
  sendsPerCode: 2,
  /** Accepted requests per client (a device, or a phone and address) per hour. */
  perHour: 5,
  /** Wrong answers in a row that lock a client. */
  maxFailures: 5,
  /** How long such a lock lasts, for a stranger (phone and address) and for a device. */
  lockSeconds: 5 * 60,
  /** Wrong answers a day per phone from all its strangers together, one per live code compared. */
  strangerFailuresPerDay: 10,
  /** Wrong answers a day per device token (a stolen token is not a licence to guess). */
  deviceFailuresPerDay: 10,
  /** Per address, whatever the phones (strangers only): accepted code requests an hour, wrong answers an hour. */
  addressCodesPerHour: 20,
  addressFailuresPerHour: 30,
  /** Codes kept per phone: the live ones (at most two) and one more, to tell "used" or "expired" from "wrong". */
  keptCodes: 3,
  /** How long the store keeps a phone's or a client's state after its last change (the TTL). */
  memorySeconds: 2 * 24 * 3600,
} as const;

export const HOUR = 3600;
export const DAY = 24 * 3600;
/** One code sent to a phone. Times are epoch seconds. */
export interface IssuedCode {
  /** HMAC of the code (hashCode): what answers are compared with. */
  hash: string;
  /** The code itself, encrypted (sealCode), so that it can be sent again and handed to the delivery. */
  sealed: string;
  issuedAt: number;
  /** SMS sent with it, and when the last went. */
  sends: number;
  lastSentAt: number;
  usedAt?: number;
}

/**
 * The codes of one phone, the same for every phone: one that is not staff gets codes made,
 * kept and judged exactly alike (its delivery finds no staff member and sends nothing), so
 * that nothing on the request path depends on who is staff.
 */
export interface PhoneCodes {
  phone: string;
  /** Newest first. */
  codes: IssuedCode[];
  /** When the store may forget it (TTL). */
  expiresAt: number;
  /** Optimistic concurrency: every write names the version it read. */
  version: number;
}

/** Who is asking: a device token's id, or a stranger at an address. */
export type ClientKind = 'device' | 'stranger';

/** A fixed window counter kept inside a client's state. */
export interface Window {
  since: number;
  count: number;
}

/** The state of one client of one phone. */
export interface ClientState {
  phone: string;
  /** `d:<device id>` or `a:<address>` (clientKey). */
  client: string;
  lastAskedAt?: number;
  /** Accepted code requests in the current hour. */
  asked: Window;
  /** Wrong answers in a row (a right one clears it). */
  failures: number;
  /** Wrong answers today (devices' daily cap). */
  today: Window;
  lockedUntil?: number;
  expiresAt: number;
  version: number;
}

/** The store key of a client: a device by its id, a stranger by the address (IPv6 by its /64). */
export const clientKey = (kind: ClientKind, id: string) => (kind === 'device' ? `d:${id}` : `a:${addressKey(id)}`);

/**
 * An address as it is counted: IPv4 as it is, IPv6 by its first 64 bits, since one
 * subscriber line gets a whole /64 and could otherwise count as 2^64 strangers.
 *
 * @example addressKey('2001:db8:1:2:aaaa::1') === '2001:db8:1:2::/64'
 */
export function addressKey(address: string): string {
  const ip = address.trim().toLowerCase();
  if (!ip.includes(':')) return ip || 'unknown';
  const [head = '', tail = ''] = ip.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  if (right.some((p) => p.includes('.')) || left.some((p) => p.includes('.'))) return ip; // IPv4-mapped: rare, kept whole
  const groups = ip.includes('::')
    ? [...left, ...Array(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/** Six digits from the CSPRNG, zero-padded. */
export const newCode = (): string => String(randomInt(0, 10 ** codePolicy.digits)).padStart(codePolicy.digits, '0');

/**
 * Codes have only a million values, so a plain hash would fall to brute force; an HMAC with a
 * server secret keeps a leaked table useless. The phone is bound in so a hash fits one phone.
 */
export const hashCode = (secret: string, phone: string, code: string): string =>
  createHmac('sha256', secret).update(`sign-in-code\n${phone}\n${code}`).digest('hex');

const sealKey = (secret: string) => createHmac('sha256', secret).update('sign-in-code-seal').digest();

/**
 * The code encrypted (AES-256-GCM, a key derived from AUTH_SECRET, the phone as associated
 * data), for re-sending and for the delivery job, so that neither the table nor the queue
 * holds it in the clear. No weaker than the HMAC beside it: whoever holds AUTH_SECRET can try
 * a million codes against that in a moment anyway.
 */
export function sealCode(secret: string, phone: string, code: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), iv);
  cipher.setAAD(Buffer.from(phone));
  const body = Buffer.concat([cipher.update(code, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** The code in a seal, or undefined when it was not sealed for this phone with this secret. */
export function unsealCode(secret: string, phone: string, sealed: string): string | undefined {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    if (raw.length < 29) return undefined;
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(phone));
    decipher.setAuthTag(raw.subarray(12, 28));
    const code = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return /^\d+$/.test(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What people type: Tibetan (༠–༩) or full-width digits, spaces and dashes between groups.
 *
 * @example normaliseCode('༡༢༣ ༤༥༦') === '123456'
 */
export function normaliseCode(input: string): string {
  return input
    .replace(/[\u0F20-\u0F29]/g, (d) => String(d.charCodeAt(0) - 0x0f20))
    .replace(/[\uFF10-\uFF19]/g, (d) => String(d.charCodeAt(0) - 0xff10))
    .replace(/[\s\-–—.]/g, '');
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Start of the window of `length` seconds holding `now` (days: Asia/Shanghai days, so daily caps end at local midnight). */
export const windowStart = (now: number, length: number) =>
  now - ((now + (length === DAY ? SHANGHAI_OFFSET_SECONDS : 0)) % length);

const inWindow = (w: Window | undefined, now: number, length: number): Window => {
  const since = windowStart(now, length);
  return w && w.since === since ? w : { since, count: 0 };
};

const isLive = (c: IssuedCode, now: number) => c.usedAt === undefined && now < c.issuedAt + codePolicy.validSeconds;

/** Codes that an answer is compared with: unused and unexpired (at most two, see the header). */
export const liveCodes = (state: PhoneCodes | undefined, now: number) =>
  (state?.codes ?? []).filter((c) => isLive(c, now));

export function emptyClient(phone: string, client: string, now: number): ClientState {
  return {
    phone,
    client,
    asked: { since: windowStart(now, HOUR), count: 0 },
    failures: 0,
    today: { since: windowStart(now, DAY), count: 0 },
    expiresAt: now + codePolicy.memorySeconds,
    version: 0,
  };
}

export const lockedFor = (client: ClientState | undefined, now: number) =>
  client?.lockedUntil && client.lockedUntil > now ? client.lockedUntil - now : 0;

export type Refusal = { reason: 'locked'; seconds: number } | { reason: 'rate_limited'; seconds: number };

/**
 * May this client ask for a code now? A locked client, one that asked under a minute ago, or
 * one that has had its codes this hour is refused, and the refusal changes nothing. Accepted,
 * the client's next state counts the request.
 */
export function decideAsk(
  current: ClientState | undefined,
  phone: string,
  client: string,
  now: number,
): { ok: true; next: ClientState } | ({ ok: false } & Refusal) {
  const state = current && current.expiresAt > now ? current : undefined;
  const locked = lockedFor(state, now);
  if (locked) return { ok: false, reason: 'locked', seconds: locked };
  if (state?.lastAskedAt !== undefined && now - state.lastAskedAt < codePolicy.resendSeconds) {
    return { ok: false, reason: 'rate_limited', seconds: codePolicy.resendSeconds - (now - state.lastAskedAt) };
  }
  const asked = inWindow(state?.asked, now, HOUR);
  if (asked.count >= codePolicy.perHour)
    return { ok: false, reason: 'rate_limited', seconds: asked.since + HOUR - now };
  const base = state ?? emptyClient(phone, client, now);
  return {
    ok: true,
    next: {
      ...base,
      lastAskedAt: now,
      asked: { since: asked.since, count: asked.count + 1 },
      today: inWindow(base.today, now, DAY),
      expiresAt: now + codePolicy.memorySeconds,
      version: current?.version ?? 0,
    },
  };
}

/** A code SMS to hand to the delivery: the sealed code, which send of it this is, and the minutes it has left. */
export interface CodeSend {
  sealed: string;
  issuedAt: number;
  send: number;
  minutes: number;
}

/**
 * What an accepted request does to the phone's codes: make a new one when there is none
 * fresh (none, used, or 5 minutes old), keeping the older ones; else send the current one
 * again — always for a device, and for a stranger only when the phone had no code SMS this
 * last minute and this code has not yet gone twice. Otherwise nothing: the code already sent
 * stands, and the answer is the same 202.
 *
 * @param made a new code (its hash and seal), made only when it is needed.
 */
export function planCodes(
  current: PhoneCodes | undefined,
  phone: string,
  kind: ClientKind,
  now: number,
  made: () => { hash: string; sealed: string },
): { next: PhoneCodes; send?: CodeSend } {
  const codes = current?.codes ?? [];
  const latest = codes[0];
  const expiresAt = now + codePolicy.memorySeconds;
  const version = current?.version ?? 0;
  const minutesLeft = (c: IssuedCode) => Math.max(1, Math.floor((c.issuedAt + codePolicy.validSeconds - now) / 60));
  if (!latest || latest.usedAt !== undefined || now - latest.issuedAt >= codePolicy.freshSeconds) {
    const code: IssuedCode = { ...made(), issuedAt: now, sends: 1, lastSentAt: now };
    return {
      next: { phone, codes: [code, ...codes].slice(0, codePolicy.keptCodes), expiresAt, version },
      send: { sealed: code.sealed, issuedAt: now, send: 1, minutes: minutesLeft(code) },
    };
  }
  const again =
    kind === 'device' ||
    (now - latest.lastSentAt >= codePolicy.resendSeconds && latest.sends < codePolicy.sendsPerCode);
  if (!again) return { next: { ...current!, expiresAt } };
  const resent: IssuedCode = { ...latest, sends: latest.sends + 1, lastSentAt: now };
  return {
    next: { phone, codes: [resent, ...codes.slice(1)], expiresAt, version },
    send: { sealed: latest.sealed, issuedAt: latest.issuedAt, send: resent.sends, minutes: minutesLeft(latest) },
  };
}

/**
 * May this client answer now? Refused (and nothing charged) while it is locked, or, for a
 * device, once it has had its wrong answers of the day. The strangers' daily cap of the phone
 * is a shared counter, checked by sign-in.ts.
 */
export function checkAnswer(current: ClientState | undefined, kind: ClientKind, now: number): Refusal | undefined {
  const state = current && current.expiresAt > now ? current : undefined;
  const locked = lockedFor(state, now);
  if (locked) return { reason: 'locked', seconds: locked };
  if (kind === 'device' && inWindow(state?.today, now, DAY).count >= codePolicy.deviceFailuresPerDay) {
    return { reason: 'locked', seconds: windowStart(now, DAY) + DAY - now };
  }
  return undefined;
}

/**
 * The client's state with this answer charged as if it were wrong — done before it is
 * judged, so that answers sent at once cannot share one budget; `settleRight` gives it back.
 * The fifth wrong answer in a row locks the client.
 */
export function chargeAnswer(
  current: ClientState | undefined,
  phone: string,
  client: string,
  now: number,
): ClientState {
  const base = current && current.expiresAt > now ? current : emptyClient(phone, client, now);
  const failures = base.failures + 1;
  const today = inWindow(base.today, now, DAY);
  const lock = failures >= codePolicy.maxFailures ? { lockedUntil: now + codePolicy.lockSeconds } : {};
  const { lockedUntil: _old, ...rest } = base;
  return {
    ...rest,
    ...lock,
    failures: failures >= codePolicy.maxFailures ? 0 : failures,
    today: { since: today.since, count: today.count + 1 },
    expiresAt: now + codePolicy.memorySeconds,
    version: current?.version ?? 0,
  };
}

/** A right answer: the charge is given back and the count of wrong answers in a row starts again. */
export function settleRight(charged: ClientState): ClientState {
  const { lockedUntil: _lock, ...rest } = charged;
  return { ...rest, failures: 0, today: { ...charged.today, count: Math.max(0, charged.today.count - 1) } };
}

export type Verdict = 'ok' | 'code_invalid' | 'code_expired' | 'code_used';

/**
 * Judges an answer against the phone's codes: a live code is `ok` (and every live code is
 * used up, so no other SMS on the phone signs in again); one that matches a used or expired
 * code says so; anything else is `code_invalid`. Every code is compared, in constant time.
 */
export function judge(
  state: PhoneCodes | undefined,
  candidateHash: string,
  now: number,
): { verdict: Verdict; next?: PhoneCodes } {
  let found: IssuedCode | undefined;
  for (const code of state?.codes ?? []) if (sameHash(code.hash, candidateHash) && !found) found = code;
  if (!found) return { verdict: 'code_invalid' };
  if (found.usedAt !== undefined) return { verdict: 'code_used' };
  if (!isLive(found, now)) return { verdict: 'code_expired' };
  return {
    verdict: 'ok',
    next: { ...state!, codes: state!.codes.map((c) => (isLive(c, now) ? { ...c, usedAt: now } : c)) },
  };
}

/**
 * The chance that someone without a device token of the account guesses a code within a
 * year, trying every day as much as the limits let them. Each wrong answer from a stranger
 * is charged one try of the phone's daily budget for every live code it was compared with,
 * so at most `strangerFailuresPerDay` code values are eliminated a day; each is a code with
 * probability 10⁻⁶ at most (a uniformly random code, never revealed by an answer):
 *
 *   P(year) ≤ 1 − (1 − 10^−digits)^(365 × strangerFailuresPerDay) ≈ 365 × 10 / 10⁶ = 0.37 %
 *
 * Per-address and per-client limits only slow an attacker down; this cap is what bounds him.
 */
export function guessChancePerYear(policy: { digits: number; strangerFailuresPerDay: number } = codePolicy): number {
  return 1 - (1 - 10 ** -policy.digits) ** (365 * policy.strangerFailuresPerDay);
}

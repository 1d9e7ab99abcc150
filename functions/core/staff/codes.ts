/**
 * One-time sign-in codes: how they are made, stored (hashed), and judged. Pure apart from
 * the random numbers; the store (ports.ts SignInCodeStore) only keeps the state.
 */
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export const codePolicy = {
  digits: 6,
  validSeconds: 10 * 60,
  resendSeconds: 60,
  maxFailures: 5,
  lockSeconds: 15 * 60,
  perHour: 5,
  /** How long wrong tries are remembered when no code is live (and the TTL of the item). */
  memorySeconds: 60 * 60,
} as const;

/**
 * The sign-in state of one phone. `codeHash` is absent for a phone that is not staff: it
 * gets the same state (cooldown, tries, lockout) as a staff phone, but no code can match.
 * Times are epoch seconds.
 */
export interface SignInCodeState {
  phone: string;
  codeHash?: string;
  issuedAt: number;
  codeExpiresAt: number;
  usedAt?: number;
  failures: number;
  lockedUntil?: number;
  /** When the store may forget this state (the TTL attribute). */
  expiresAt: number;
  /** Optimistic concurrency: every write names the version it read. */
  version: number;
}

/** Six digits from the CSPRNG, zero-padded. */
export const newCode = (): string => String(randomInt(0, 10 ** codePolicy.digits)).padStart(codePolicy.digits, '0');

/**
 * Codes have only a million values, so a plain hash would fall to brute force; an HMAC with a
 * server secret keeps a leaked table useless. The phone is bound in so a hash fits one phone.
 */
export const hashCode = (secret: string, phone: string, code: string): string =>
  createHmac('sha256', secret).update(`sign-in-code\n${phone}\n${code}`).digest('hex');

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

const live = (state: SignInCodeState | undefined, now: number) => (state && state.expiresAt > now ? state : undefined);
const lockedFor = (state: SignInCodeState | undefined, now: number) => (state?.lockedUntil && state.lockedUntil > now ? state.lockedUntil - now : 0);

export type IssueDecision = { ok: true; next: SignInCodeState } | { ok: false; reason: 'locked' | 'cooldown'; retryAfterSeconds: number };

/** A new code replaces the old one, unless the phone is locked out or the last code is under a minute old. */
export function decideIssue(current: SignInCodeState | undefined, phone: string, codeHash: string | undefined, now: number): IssueDecision {
  const state = live(current, now);
  const locked = lockedFor(state, now);
  if (locked) return { ok: false, reason: 'locked', retryAfterSeconds: locked };
  if (state && now - state.issuedAt < codePolicy.resendSeconds) {
    return { ok: false, reason: 'cooldown', retryAfterSeconds: codePolicy.resendSeconds - (now - state.issuedAt) };
  }
  return {
    ok: true,
    next: {
      phone,
      ...(codeHash ? { codeHash } : {}),
      issuedAt: now,
      codeExpiresAt: now + codePolicy.validSeconds,
      // Wrong tries carry over to a new code, so asking again does not reset the count.
      failures: state?.failures ?? 0,
      expiresAt: now + codePolicy.memorySeconds,
      version: current?.version ?? 0,
    },
  };
}

export type Verdict = 'ok' | 'code_invalid' | 'code_expired' | 'code_used' | 'locked';

export interface Judgement {
  verdict: Verdict;
  /** The state to write (undefined: nothing changes). */
  next?: SignInCodeState;
  triesLeft: number;
  lockedSeconds: number;
}

const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Judges a typed code. Every wrong answer counts — a wrong code, an expired or used one — and
 * the fifth in a row locks the phone for 15 minutes; a right answer uses the code up.
 */
export function judge(current: SignInCodeState | undefined, phone: string, candidateHash: string, now: number): Judgement {
  const state = live(current, now);
  const locked = lockedFor(state, now);
  if (locked) return { verdict: 'locked', triesLeft: 0, lockedSeconds: locked };
  const matches = !!state?.codeHash && sameHash(state.codeHash, candidateHash);
  if (state && matches && state.usedAt === undefined && state.codeExpiresAt > now) {
    return { verdict: 'ok', next: { ...state, usedAt: now, failures: 0 }, triesLeft: codePolicy.maxFailures, lockedSeconds: 0 };
  }
  const verdict: Verdict = !matches ? 'code_invalid' : state?.usedAt !== undefined ? 'code_used' : 'code_expired';
  const failures = (state?.failures ?? 0) + 1;
  const base: SignInCodeState = state ?? { phone, issuedAt: 0, codeExpiresAt: 0, failures: 0, expiresAt: 0, version: current?.version ?? 0 };
  const expiresAt = Math.max(base.expiresAt, now + codePolicy.memorySeconds);
  if (failures >= codePolicy.maxFailures) {
    const lockedUntil = now + codePolicy.lockSeconds;
    // The live code dies with the lockout: after it, a new code must be asked for.
    const { codeHash: _dropped, ...rest } = base;
    return { verdict: 'locked', next: { ...rest, failures: 0, lockedUntil, expiresAt: Math.max(expiresAt, lockedUntil + 60) }, triesLeft: 0, lockedSeconds: codePolicy.lockSeconds };
  }
  return { verdict, next: { ...base, failures, expiresAt }, triesLeft: codePolicy.maxFailures - failures, lockedSeconds: 0 };
}

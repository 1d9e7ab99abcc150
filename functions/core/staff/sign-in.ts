/**
 * Staff sign-in by SMS one-time code: ask for a code, then trade it for a session.
 */
import { AppError } from '../errors.ts';
import { toE164 } from '../phone.ts';
import type { AuditLog, Messenger, RateLimiter, SessionStore, SignInCodeStore, StaffRepository } from '../ports.ts';
import { auditEntry } from './audit.ts';
import { codePolicy, decideIssue, hashCode, judge, newCode, normaliseCode } from './codes.ts';
import { actorFrom, type Actor } from './roles.ts';
import { newSession, type Session, type SessionKind } from './sessions.ts';

export interface SignInDeps {
  signInCodes: SignInCodeStore;
  sessions: SessionStore;
  staff: StaffRepository;
  audit: AuditLog;
  messenger: Messenger;
  rateLimiter: RateLimiter;
  adminPhones: readonly string[];
  /** Keys the code HMAC (AUTH_SECRET). */
  authSecret: string;
  now: () => Date;
}

const HOUR = 3600;
/** Wrong codes from one address across many phones; generous, since villages share addresses behind carrier NAT. */
const VERIFY_PER_HOUR_PER_ADDRESS = 50;
/** A lost optimistic write means someone else changed the state this instant: judge again on the new state. */
const ATTEMPTS = 3;

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const lockedError = (seconds: number) => new AppError('locked', { minutes: Math.max(1, Math.ceil(seconds / 60)) });

export function phoneOrThrow(input: string): string {
  const phone = toE164(input);
  if (!phone) throw new AppError('invalid_phone');
  return phone;
}

async function limit(deps: SignInDeps, bucket: string, subject: string, max: number) {
  const hit = await deps.rateLimiter.hit(bucket, subject, max, HOUR, deps.now());
  if (!hit.allowed) throw new AppError('rate_limited', { seconds: hit.retryAfterSeconds });
}

/**
 * Sends a code to a staff phone. A phone that is not staff gets the same answer, the same
 * limits and the same stored state (cooldown, tries, lockout), but no SMS and no code that
 * could ever match: otherwise anyone could test numbers to learn who is staff (account
 * enumeration), and our SMS budget would pay for texting strangers.
 */
export async function requestSignInCode(deps: SignInDeps, input: { phone: string; clientAddress: string }): Promise<{ phone: string }> {
  const phone = phoneOrThrow(input.phone);
  await limit(deps, 'auth.code.address', input.clientAddress, codePolicy.perHour);
  await limit(deps, 'auth.code.phone', phone, codePolicy.perHour);
  const known = !!actorFrom(phone, await deps.staff.get(phone), deps.adminPhones);
  const code = newCode();
  for (let i = 0; i < ATTEMPTS; i++) {
    const now = deps.now();
    const current = await deps.signInCodes.get(phone);
    const decision = decideIssue(current, phone, known ? hashCode(deps.authSecret, phone, code) : undefined, epoch(now));
    if (!decision.ok) {
      throw decision.reason === 'locked' ? lockedError(decision.retryAfterSeconds) : new AppError('rate_limited', { seconds: decision.retryAfterSeconds });
    }
    if (!(await deps.signInCodes.save(decision.next, current?.version))) continue;
    if (known) {
      await deps.messenger.send({
        to: phone,
        key: 'auth.code',
        params: { code, minutes: codePolicy.validSeconds / 60 },
        essential: true,
        idempotencyKey: `sign-in-code:${phone}:${decision.next.issuedAt}`,
      });
    }
    return { phone };
  }
  throw new AppError('rate_limited', { seconds: codePolicy.resendSeconds });
}

/** Checks a code; returns the signed-in actor, or throws code_invalid / code_expired / code_used / locked. */
export async function verifySignInCode(deps: SignInDeps, input: { phone: string; code: string; clientAddress: string }): Promise<Actor> {
  const phone = phoneOrThrow(input.phone);
  await limit(deps, 'auth.verify.address', input.clientAddress, VERIFY_PER_HOUR_PER_ADDRESS);
  const candidate = hashCode(deps.authSecret, phone, normaliseCode(input.code));
  for (let i = 0; i < ATTEMPTS; i++) {
    const current = await deps.signInCodes.get(phone);
    const verdict = judge(current, phone, candidate, epoch(deps.now()));
    if (verdict.next && !(await deps.signInCodes.save(verdict.next, current?.version))) continue;
    if (verdict.verdict === 'ok') {
      // Removed between asking and answering: the code no longer signs anyone in.
      const actor = actorFrom(phone, await deps.staff.get(phone), deps.adminPhones);
      if (!actor) throw new AppError('code_invalid', { tries: verdict.triesLeft });
      return actor;
    }
    if (verdict.verdict === 'locked') {
      if (verdict.next?.lockedUntil && actorFrom(phone, await deps.staff.get(phone), deps.adminPhones)) {
        await deps.audit.record(auditEntry({ actor: phone, action: 'auth.locked', outcome: 'denied', detail: { minutes: codePolicy.lockSeconds / 60 } }, deps.now()));
      }
      throw lockedError(verdict.lockedSeconds);
    }
    throw new AppError(verdict.verdict, { tries: verdict.triesLeft });
  }
  throw new AppError('conflict');
}

/**
 * Opens sessions for a signed-in actor, one per kind asked for (the API's token endpoint gives
 * both a bearer token and a browser session), and logs one sign-in. `replacing` is the
 * session the browser had before: it is deleted, so every sign-in rotates the session.
 */
export async function openSessions<K extends SessionKind>(
  deps: Pick<SignInDeps, 'sessions' | 'audit' | 'now'>,
  actor: Actor,
  kinds: readonly K[],
  context: { requestId?: string; replacing?: string },
): Promise<Record<K, { token: string; session: Session }>> {
  const opened = {} as Record<K, { token: string; session: Session }>;
  for (const kind of kinds) {
    opened[kind] = newSession(actor.phone, kind, deps.now());
    await deps.sessions.create(opened[kind].session);
  }
  if (context.replacing) await deps.sessions.delete(context.replacing);
  await deps.audit.record(
    auditEntry({ actor: actor.phone, action: 'auth.sign_in', outcome: 'ok', detail: { via: kinds.join('+') }, ...(context.requestId ? { requestId: context.requestId } : {}) }, deps.now()),
  );
  return opened;
}

export async function closeSession(deps: Pick<SignInDeps, 'sessions' | 'audit' | 'now'>, session: Session, requestId?: string): Promise<void> {
  await deps.sessions.delete(session.tokenHash);
  await deps.audit.record(auditEntry({ actor: session.phone, action: 'auth.sign_out', outcome: 'ok', detail: { via: session.kind }, ...(requestId ? { requestId } : {}) }, deps.now()));
}

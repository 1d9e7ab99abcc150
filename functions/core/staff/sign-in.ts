/**
 * Staff sign-in by SMS one-time code: ask for a code, then trade it for a session. The rules
 * and the reasons for them are in codes.ts (limits, lockouts) and devices.ts (device tokens);
 * the delivery of the SMS in code-delivery.ts.
 */
import { AppError } from '../errors.ts';
import { toE164 } from '../phone.ts';
import type { Language } from '../reference/schemas.ts';
import { auditEntry } from './audit.ts';
import {
  addressKey,
  type ClientKind,
  type ClientState,
  chargeAnswer,
  checkAnswer,
  clientKey,
  codePolicy,
  DAY,
  decideAsk,
  HOUR,
  hashCode,
  judge,
  liveCodes,
  newCode,
  normaliseCode,
  planCodes,
  type Refusal,
  sealCode,
  settleRight,
} from './codes.ts';
import { knownDevice, mintDeviceToken, newDeviceId } from './devices.ts';
import type {
  AuditLog,
  QuotaCounter,
  SessionStore,
  SignInCodeQueue,
  SignInCodeStore,
  StaffRepository,
} from './ports.ts';
import { type Actor, actorFrom } from './roles.ts';
import { newSession, type Session, type SessionKind } from './sessions.ts';

export interface SignInDeps {
  signInCodes: SignInCodeStore;
  /** Per-phone and per-address counters of strangers (codes.ts). */
  signInQuota: QuotaCounter;
  /** Where code SMS go to be delivered, off the request path. */
  signInCodeQueue: SignInCodeQueue;
  sessions: SessionStore;
  staff: StaffRepository;
  audit: AuditLog;
  adminPhones: readonly string[];
  /** Keys the code HMAC, the seal and device tokens (AUTH_SECRET). */
  authSecret: string;
  now: () => Date;
}

/** Who is asking: the network address (strangers are counted by it) and any device tokens presented. */
export interface ClientInput {
  clientAddress: string;
  deviceTokens?: readonly string[];
}

/** Counter buckets (functions/adapters/dynamodb/keys.ts rateCounterKey). */
const BUCKET = {
  strangerWrongPerPhone: 'auth.wrong.phone',
  wrongPerAddress: 'auth.wrong.address',
  codesPerAddress: 'auth.code.address',
} as const;

/** A lost optimistic write means someone else changed the state this instant: decide again on the new state. */
const ATTEMPTS = 3;

const epoch = (d: Date) => Math.floor(d.getTime() / 1000);
const lockedError = (seconds: number) => new AppError('locked', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
const refusalError = (r: Refusal) =>
  r.reason === 'locked' ? lockedError(r.seconds) : new AppError('rate_limited', { seconds: Math.max(1, r.seconds) });

export function phoneOrThrow(input: string): string {
  const phone = toE164(input);
  if (!phone) throw new AppError('invalid_phone');
  return phone;
}

interface Client {
  kind: ClientKind;
  key: string;
  address: string;
  device?: { id: string; token: string };
}

function clientOf(deps: SignInDeps, phone: string, input: ClientInput, now: number): Client {
  const device = knownDevice(deps.authSecret, phone, input.deviceTokens ?? [], now);
  const address = addressKey(input.clientAddress);
  return device
    ? { kind: 'device', key: clientKey('device', device.id), address, device }
    : { kind: 'stranger', key: clientKey('stranger', address), address };
}

/**
 * Asks for a code for a phone. Every phone, staff or not, gets the same work done — the same
 * reads, writes, limits and one hand-over to the delivery per code SMS — and the same answer;
 * only the delivery, in the background, finds out whether the phone is staff and sends the
 * SMS. Otherwise anyone could learn who is staff from the answer or its
 * timing (account enumeration), and our SMS budget would pay for texting strangers.
 *
 * @param input.language the language the request named (query, cookie or Accept-Language), if any.
 */
export async function requestSignInCode(
  deps: SignInDeps,
  input: ClientInput & { phone: string; language?: Language },
): Promise<{ phone: string }> {
  const phone = phoneOrThrow(input.phone);
  const at = deps.now();
  const now = epoch(at);
  const who = clientOf(deps, phone, input, now);

  // The client's own turn: refused without counting anything, or counted once.
  let accepted = false;
  for (let i = 0; i < ATTEMPTS && !accepted; i++) {
    const [client, strangers] = await Promise.all([
      deps.signInCodes.getClient(phone, who.key),
      who.kind === 'stranger' ? deps.signInQuota.peek(BUCKET.strangerWrongPerPhone, phone, DAY, at) : undefined,
    ]);
    const ask = decideAsk(client, phone, who.key, now);
    if (!ask.ok) throw refusalError(ask);
    // Strangers have had all their wrong answers for this phone today: a code would be of no use to them.
    if (strangers && strangers.count >= codePolicy.strangerFailuresPerDay)
      throw lockedError(strangers.retryAfterSeconds);
    if (who.kind === 'stranger') {
      const quota = await deps.signInQuota.take(
        BUCKET.codesPerAddress,
        who.address,
        codePolicy.addressCodesPerHour,
        HOUR,
        at,
      );
      if (!quota.allowed) throw new AppError('rate_limited', { seconds: quota.retryAfterSeconds });
    }
    accepted = await deps.signInCodes.saveClient(ask.next, client?.version);
    if (!accepted && who.kind === 'stranger')
      await deps.signInQuota.release(BUCKET.codesPerAddress, who.address, HOUR, at);
  }
  if (!accepted) throw new AppError('rate_limited', { seconds: codePolicy.resendSeconds });

  // The phone's codes: a new one, the current one again, or nothing new to send.
  const made = () => {
    const code = newCode();
    return { hash: hashCode(deps.authSecret, phone, code), sealed: sealCode(deps.authSecret, phone, code) };
  };
  for (let i = 0; i < ATTEMPTS; i++) {
    const codes = await deps.signInCodes.get(phone);
    const plan = planCodes(codes, phone, who.kind, now, made);
    if (!plan.send) return { phone };
    if (!(await deps.signInCodes.save(plan.next, codes?.version))) continue;
    await deps.signInCodeQueue.enqueue({
      kind: 'sign-in-code',
      phone,
      ...plan.send,
      ...(input.language ? { language: input.language } : {}),
    });
    return { phone };
  }
  // Others changed the codes each time: one of them has just sent a code, which stands.
  return { phone };
}

/** Signed in: who, and the device token the client should keep from now on (and the one it replaces). */
export interface SignedIn {
  actor: Actor;
  deviceToken: string;
  replacedToken?: string;
}

/**
 * Checks a code; returns the signed-in actor and a device token, or throws code_invalid /
 * code_expired / code_used / locked (401), or rate_limited (429, an address's wrong answers).
 * Each answer is charged to the client (and, for strangers, to the phone's and the address's
 * counters) before it is judged, and given back when it was right.
 */
export async function verifySignInCode(
  deps: SignInDeps,
  input: ClientInput & { phone: string; code: string },
): Promise<SignedIn> {
  const phone = phoneOrThrow(input.phone);
  const at = deps.now();
  const now = epoch(at);
  const who = clientOf(deps, phone, input, now);
  const stranger = who.kind === 'stranger';
  const candidate = hashCode(deps.authSecret, phone, normaliseCode(input.code));

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const [client, codes, phoneToday, addressHour] = await Promise.all([
      deps.signInCodes.getClient(phone, who.key),
      deps.signInCodes.get(phone),
      stranger ? deps.signInQuota.peek(BUCKET.strangerWrongPerPhone, phone, DAY, at) : undefined,
      stranger ? deps.signInQuota.peek(BUCKET.wrongPerAddress, who.address, HOUR, at) : undefined,
    ]);
    const refused = checkAnswer(client, who.kind, now);
    if (refused) throw refusalError(refused);
    if (phoneToday && phoneToday.count >= codePolicy.strangerFailuresPerDay)
      throw lockedError(phoneToday.retryAfterSeconds);
    if (addressHour && addressHour.count >= codePolicy.addressFailuresPerHour)
      throw new AppError('rate_limited', { seconds: addressHour.retryAfterSeconds });

    // Charge first. A stranger's answer costs the phone one try per live code it is compared with.
    const cost = Math.max(1, liveCodes(codes, now).length);
    const taken: Array<() => Promise<void>> = [];
    const giveBack = () => Promise.all(taken.map((f) => f())).then(() => undefined);
    if (stranger) {
      const day = await deps.signInQuota.take(
        BUCKET.strangerWrongPerPhone,
        phone,
        codePolicy.strangerFailuresPerDay,
        DAY,
        at,
        cost,
      );
      if (!day.allowed) throw lockedError(day.retryAfterSeconds);
      taken.push(() => deps.signInQuota.release(BUCKET.strangerWrongPerPhone, phone, DAY, at, cost));
      const hour = await deps.signInQuota.take(
        BUCKET.wrongPerAddress,
        who.address,
        codePolicy.addressFailuresPerHour,
        HOUR,
        at,
      );
      if (!hour.allowed) {
        await giveBack();
        throw new AppError('rate_limited', { seconds: hour.retryAfterSeconds });
      }
      taken.push(() => deps.signInQuota.release(BUCKET.wrongPerAddress, who.address, HOUR, at));
    }
    const charged = chargeAnswer(client, phone, who.key, now);
    if (!(await deps.signInCodes.saveClient(charged, client?.version))) {
      await giveBack();
      continue;
    }

    let judged = judge(codes, candidate, now);
    if (judged.verdict === 'ok') {
      const actor = actorFrom(phone, await deps.staff.get(phone), deps.adminPhones);
      // A phone that is not staff (or was removed meanwhile) has codes too, but they sign nobody in: such a right answer reads as a wrong one.
      if (actor) {
        let state = codes;
        for (let j = 0; j < ATTEMPTS && judged.verdict === 'ok'; j++) {
          if (await deps.signInCodes.save(judged.next!, state?.version)) {
            await deps.signInCodes.saveClient(settleRight(charged), charged.version + 1);
            await giveBack();
            const deviceToken = mintDeviceToken(deps.authSecret, phone, who.device?.id ?? newDeviceId(), now);
            return { actor, deviceToken, ...(who.device ? { replacedToken: who.device.token } : {}) };
          }
          state = await deps.signInCodes.get(phone);
          judged = judge(state, candidate, now);
        }
        if (judged.verdict === 'ok') throw new AppError('conflict');
      } else {
        judged = { verdict: 'code_invalid' };
      }
    }
    await auditLockout(
      deps,
      who,
      charged,
      phoneToday && phoneToday.count + cost >= codePolicy.strangerFailuresPerDay,
      at,
    );
    const lock = checkAnswer(charged, who.kind, now);
    if (lock) throw refusalError(lock);
    throw new AppError(judged.verdict === 'ok' ? 'code_invalid' : judged.verdict, {
      tries: codePolicy.maxFailures - charged.failures,
    });
  }
  throw new AppError('conflict');
}

/** A staff phone's lockout goes to the audit log (a phone that is not staff has none to write). */
async function auditLockout(
  deps: SignInDeps,
  who: Client,
  charged: ClientState,
  strangersDone: boolean | undefined,
  at: Date,
) {
  const now = epoch(at);
  const locked = checkAnswer(charged, who.kind, now);
  if (!locked && !strangersDone) return;
  if (!actorFrom(charged.phone, await deps.staff.get(charged.phone), deps.adminPhones)) return;
  // The phone closed to every stranger for the day says more than one address locked.
  const scope = strangersDone ? 'strangers_today' : who.kind === 'device' ? 'device' : 'address';
  const detail = {
    scope,
    ...(locked && !strangersDone ? { minutes: Math.max(1, Math.ceil(locked.seconds / 60)) } : {}),
  };
  await deps.audit.record(auditEntry({ actor: charged.phone, action: 'auth.locked', outcome: 'denied', detail }, at));
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
    auditEntry(
      {
        actor: actor.phone,
        action: 'auth.sign_in',
        outcome: 'ok',
        detail: { via: kinds.join('+') },
        ...(context.requestId ? { requestId: context.requestId } : {}),
      },
      deps.now(),
    ),
  );
  return opened;
}

export async function closeSession(
  deps: Pick<SignInDeps, 'sessions' | 'audit' | 'now'>,
  session: Session,
  requestId?: string,
): Promise<void> {
  await deps.sessions.delete(session.tokenHash);
  await deps.audit.record(
    auditEntry(
      {
        actor: session.phone,
        action: 'auth.sign_out',
        outcome: 'ok',
        detail: { via: session.kind },
        ...(requestId ? { requestId } : {}),
      },
      deps.now(),
    ),
  );
}

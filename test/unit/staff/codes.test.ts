import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { codePolicy, decideIssue, hashCode, judge, newCode, normaliseCode, type SignInCodeState } from '#core/staff/codes.ts';

const phone = '+8613800000000';
const secret = 'test-secret-test-secret-test-secret';
const T0 = 1_800_000_000;
const hash = (code: string) => hashCode(secret, phone, code);

/** Issue a code at `now` on top of `state`, as the store would keep it (version bumped). */
function issue(state: SignInCodeState | undefined, code: string | undefined, now: number): SignInCodeState {
  const d = decideIssue(state, phone, code ? hash(code) : undefined, now);
  assert.ok(d.ok, `issue refused: ${JSON.stringify(d)}`);
  return { ...d.next, version: (state?.version ?? 0) + 1 };
}
const apply = (state: SignInCodeState | undefined, code: string, now: number) => {
  const j = judge(state, phone, hash(code), now);
  return { ...j, state: j.next ? { ...j.next, version: (state?.version ?? 0) + 1 } : state };
};

describe('sign-in codes: making and hashing', () => {
  test('codes are six digits, zero-padded, from the whole range', () => {
    const codes = Array.from({ length: 2000 }, newCode);
    assert.ok(codes.every((c) => /^\d{6}$/.test(c)));
    assert.ok(new Set(codes).size > 1990, 'no obvious repetition');
    assert.ok(codes.some((c) => c.startsWith('0')), 'leading zeros occur');
  });

  test('the hash is an HMAC bound to the secret and the phone', () => {
    assert.equal(hash('123456'), hash('123456'));
    assert.notEqual(hash('123456'), hashCode('another-secret-another-secret-xx', phone, '123456'));
    assert.notEqual(hash('123456'), hashCode(secret, '+8613900000000', '123456'));
    assert.match(hash('123456'), /^[0-9a-f]{64}$/);
    assert.doesNotMatch(hash('123456'), /123456/);
  });

  test('typed codes are normalised: Tibetan and full-width digits, spaces and dashes', () => {
    assert.equal(normaliseCode('༡༢༣ ༤༥༦'), '123456');
    assert.equal(normaliseCode('１２３-４５６'), '123456');
    assert.equal(normaliseCode(' 123 456 '), '123456');
  });
});

describe('sign-in codes: issuing', () => {
  test('a second code within 60 s is refused with the seconds left; after it, allowed', () => {
    const s1 = issue(undefined, '111111', T0);
    const early = decideIssue(s1, phone, hash('222222'), T0 + 20);
    assert.deepEqual(early, { ok: false, reason: 'cooldown', retryAfterSeconds: codePolicy.resendSeconds - 20 });
    const s2 = issue(s1, '222222', T0 + codePolicy.resendSeconds);
    assert.equal(s2.codeHash, hash('222222'));
    assert.equal(s2.codeExpiresAt, T0 + 60 + codePolicy.validSeconds);
  });

  test('wrong tries carry over to a new code; a forgotten (expired) state starts afresh', () => {
    let s = issue(undefined, '111111', T0);
    s = apply(s, '000000', T0 + 1).state!;
    s = apply(s, '000001', T0 + 2).state!;
    assert.equal(issue(s, '222222', T0 + 100).failures, 2);
    assert.equal(issue(s, '222222', s.expiresAt + 1).failures, 0);
  });

  test('a locked phone gets no new code until the lock ends', () => {
    let s: SignInCodeState | undefined = issue(undefined, '111111', T0);
    for (let i = 0; i < codePolicy.maxFailures; i++) s = apply(s, '000000', T0 + 10 + i).state;
    const d = decideIssue(s, phone, hash('222222'), T0 + 100);
    assert.equal(d.ok, false);
    assert.equal(!d.ok && d.reason, 'locked');
    assert.ok(decideIssue(s, phone, hash('222222'), s!.lockedUntil!).ok);
  });
});

describe('sign-in codes: judging', () => {
  test('the right code signs in once; again it is code_used', () => {
    const s = issue(undefined, '123456', T0);
    const ok = apply(s, '123456', T0 + 30);
    assert.equal(ok.verdict, 'ok');
    assert.equal(ok.state!.usedAt, T0 + 30);
    const again = apply(ok.state, '123456', T0 + 40);
    assert.equal(again.verdict, 'code_used');
    assert.equal(again.state!.failures, 1, 'a reused code counts as a wrong try');
  });

  test('after 10 minutes the right code is code_expired, and counted', () => {
    const s = issue(undefined, '123456', T0);
    const late = apply(s, '123456', T0 + codePolicy.validSeconds);
    assert.equal(late.verdict, 'code_expired');
    assert.equal(late.triesLeft, codePolicy.maxFailures - 1);
  });

  test('wrong codes count down; the fifth locks for 15 minutes and kills the code', () => {
    let s: SignInCodeState | undefined = issue(undefined, '123456', T0);
    const seen: Array<[string, number]> = [];
    for (let i = 0; i < codePolicy.maxFailures; i++) {
      const r = apply(s, '000000', T0 + 1 + i);
      seen.push([r.verdict, r.triesLeft]);
      s = r.state;
    }
    assert.deepEqual(seen, [['code_invalid', 4], ['code_invalid', 3], ['code_invalid', 2], ['code_invalid', 1], ['locked', 0]]);
    assert.equal(s!.lockedUntil, T0 + 5 + codePolicy.lockSeconds);
    assert.equal(s!.codeHash, undefined);
    const during = apply(s, '123456', T0 + 60);
    assert.equal(during.verdict, 'locked');
    assert.equal(during.next, undefined, 'tries during a lockout change nothing');
    assert.equal(apply(s, '123456', s!.lockedUntil!).verdict, 'code_invalid', 'after the lock the old code is gone');
  });

  test('a phone that is not staff (no code hash) never matches, but is counted and locked alike', () => {
    let s: SignInCodeState | undefined = issue(undefined, undefined, T0);
    for (let i = 0; i < codePolicy.maxFailures; i++) s = apply(s, String(i).padStart(6, '0'), T0 + 1 + i).state;
    assert.ok(s!.lockedUntil! > T0);
  });

  test('no state at all is code_invalid and starts counting', () => {
    const r = apply(undefined, '123456', T0);
    assert.equal(r.verdict, 'code_invalid');
    assert.equal(r.state!.failures, 1);
  });

  test('property: a code is accepted only when latest, unused, unexpired and the phone unlocked', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('issue' as const), code: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('guess' as const), code: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('wait' as const), seconds: fc.integer({ min: 1, max: 1200 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state: SignInCodeState | undefined;
        let now = T0;
        let latest: { code: string; at: number; used: boolean } | undefined;
        let accepted = 0;
        for (const s of steps) {
          if (s.kind === 'wait') now += s.seconds;
          else if (s.kind === 'issue') {
            const code = String(s.code).padStart(6, '0');
            const d = decideIssue(state, phone, hash(code), now);
            if (d.ok) {
              state = { ...d.next, version: (state?.version ?? 0) + 1 };
              latest = { code, at: now, used: false };
            }
          } else {
            const code = String(s.code).padStart(6, '0');
            const locked = !!state && state.expiresAt > now && (state.lockedUntil ?? 0) > now;
            const r = apply(state, code, now);
            if (r.verdict === 'ok') {
              accepted++;
              assert.ok(!locked && latest && latest.code === code && !latest.used && now < latest.at + codePolicy.validSeconds);
              latest!.used = true;
            }
            state = r.state;
          }
        }
        return accepted <= steps.filter((s) => s.kind === 'issue').length;
      }),
      { numRuns: 300 },
    );
  });
});

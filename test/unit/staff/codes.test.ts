import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, test } from 'vitest';
import {
  addressKey,
  type ClientKind,
  type ClientState,
  chargeAnswer,
  checkAnswer,
  codePolicy,
  decideAsk,
  guessChancePerYear,
  hashCode,
  judge,
  liveCodes,
  newCode,
  normaliseCode,
  type PhoneCodes,
  planCodes,
  sealCode,
  settleRight,
  unsealCode,
} from '#core/staff/codes.ts';

const phone = '+8613800000000';
const secret = 'test-secret-test-secret-test-secret';
const T0 = 1_800_000_000;
const hash = (code: string) => hashCode(secret, phone, code);

/** A code maker that hands out the given codes in turn (and remembers which it made). */
function maker(...codes: string[]) {
  const made: string[] = [];
  return {
    made,
    next: () => {
      const code = codes[made.length] ?? String(100000 + made.length);
      made.push(code);
      return { hash: hash(code), sealed: sealCode(secret, phone, code) };
    },
  };
}

/** Plans a request and keeps the state as the store would (version bumped). */
function ask(state: PhoneCodes | undefined, kind: ClientKind, now: number, make = maker()) {
  const plan = planCodes(state, phone, kind, now, make.next);
  return { ...plan, state: { ...plan.next, version: (state?.version ?? 0) + 1 } };
}

describe('sign-in codes: making, hashing, sealing', () => {
  test('codes are six digits, zero-padded, from the whole range', () => {
    const codes = Array.from({ length: 2000 }, newCode);
    assert.ok(codes.every((c) => /^\d{6}$/.test(c)));
    assert.ok(new Set(codes).size > 1990, 'no obvious repetition');
    assert.ok(
      codes.some((c) => c.startsWith('0')),
      'leading zeros occur',
    );
  });

  test('the hash is an HMAC bound to the secret and the phone', () => {
    assert.equal(hash('123456'), hash('123456'));
    assert.notEqual(hash('123456'), hashCode('another-secret-another-secret-xx', phone, '123456'));
    assert.notEqual(hash('123456'), hashCode(secret, '+8613900000000', '123456'));
    assert.match(hash('123456'), /^[0-9a-f]{64}$/);
  });

  test('a sealed code opens only with the same secret and phone, and does not show the code', () => {
    const sealed = sealCode(secret, phone, '012345');
    assert.doesNotMatch(sealed, /012345/);
    assert.notEqual(sealCode(secret, phone, '012345'), sealed, 'a fresh nonce each time');
    assert.equal(unsealCode(secret, phone, sealed), '012345');
    assert.equal(unsealCode(secret, '+8613900000000', sealed), undefined);
    assert.equal(unsealCode('another-secret-another-secret-xx', phone, sealed), undefined);
    assert.equal(unsealCode(secret, phone, 'not-a-seal'), undefined);
  });

  test('typed codes are normalised: Tibetan and full-width digits, spaces and dashes', () => {
    assert.equal(normaliseCode('༡༢༣ ༤༥༦'), '123456');
    assert.equal(normaliseCode('１２３-４５６'), '123456');
    assert.equal(normaliseCode(' 123 456 '), '123456');
  });

  test('strangers are counted by address; IPv6 by its /64, since one line gets a whole /64', () => {
    assert.equal(addressKey('203.0.113.9'), '203.0.113.9');
    assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff'), '2001:db8:1:2::/64');
    assert.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(addressKey('::1'), '0:0:0:0::/64');
    assert.equal(addressKey(''), 'unknown');
  });
});

describe('sign-in codes: asking', () => {
  test('one request a minute per client: refused with the seconds left, and the refusal changes nothing', () => {
    const first = decideAsk(undefined, phone, 'a:x', T0);
    assert.ok(first.ok);
    const stored = { ...first.next, version: 1 };
    assert.deepEqual(decideAsk(stored, phone, 'a:x', T0 + 20), { ok: false, reason: 'rate_limited', seconds: 40 });
    assert.ok(decideAsk(stored, phone, 'a:x', T0 + 60).ok);
  });

  test('five accepted requests an hour per client; refused ones are not counted', () => {
    let state: ClientState | undefined;
    let t = T0 - (T0 % 3600);
    for (let i = 0; i < codePolicy.perHour; i++) {
      const d = decideAsk(state, phone, 'a:x', t);
      assert.ok(d.ok, `request ${i + 1}`);
      state = { ...d.next, version: (state?.version ?? 0) + 1 };
      // Refused ones (too soon) in between: they must not use up the hour.
      for (const early of [1, 2, 30]) assert.equal(decideAsk(state, phone, 'a:x', t + early).ok, false);
      t += 61;
    }
    const sixth = decideAsk(state, phone, 'a:x', t);
    assert.equal(sixth.ok, false);
    assert.equal(!sixth.ok && sixth.seconds, T0 - (T0 % 3600) + 3600 - t);
  });

  test('a locked client may not ask', () => {
    let state: ClientState | undefined;
    for (let i = 0; i < codePolicy.maxFailures; i++)
      state = { ...chargeAnswer(state, phone, 'a:x', T0 + i), version: i + 1 };
    assert.deepEqual(decideAsk(state, phone, 'a:x', T0 + 10), {
      ok: false,
      reason: 'locked',
      seconds: codePolicy.lockSeconds - 6,
    });
  });
});

describe('sign-in codes: the phone’s codes', () => {
  test('a new code, then the same code again while it is under 5 minutes old, then a new one; the old stays good', () => {
    const make = maker('111111', '222222');
    const a = ask(undefined, 'stranger', T0, make);
    assert.equal(a.send?.send, 1);
    assert.equal(a.send?.minutes, 10);
    const b = ask(a.state, 'stranger', T0 + 61, make);
    assert.equal(unsealCode(secret, phone, b.send!.sealed), '111111', 're-sent');
    assert.equal(b.send?.send, 2);
    assert.equal(b.send?.minutes, 8);
    const c = ask(b.state, 'stranger', T0 + 300, make);
    assert.equal(unsealCode(secret, phone, c.send!.sealed), '222222', 'a new code after 5 minutes');
    assert.deepEqual(make.made, ['111111', '222222']);
    assert.equal(judge(c.state, hash('111111'), T0 + 400).verdict, 'ok', 'the older one still signs in');
    assert.equal(judge(c.state, hash('111111'), T0 + 600).verdict, 'code_expired', 'until its own 10 minutes are up');
    assert.equal(judge(c.state, hash('222222'), T0 + 600).verdict, 'ok');
  });

  test('strangers get at most one code SMS a minute per phone and two per code; a device is not held to either', () => {
    const a = ask(undefined, 'stranger', T0);
    assert.equal(ask(a.state, 'stranger', T0 + 30).send, undefined, 'sent 30 s ago: the code stands, no SMS');
    const b = ask(a.state, 'stranger', T0 + 60);
    assert.equal(b.send?.send, 2);
    assert.equal(ask(b.state, 'stranger', T0 + 200).send, undefined, 'this code has gone twice');
    const d = ask(b.state, 'device', T0 + 61);
    assert.equal(d.send?.send, 3, 'a known device may always have it again');
  });

  test('a used code is followed by a new one at once', () => {
    const a = ask(undefined, 'stranger', T0, maker('333333'));
    const used = judge(a.state, hash('333333'), T0 + 10);
    assert.equal(used.verdict, 'ok');
    const b = ask({ ...used.next!, version: 2 }, 'stranger', T0 + 70, maker('444444'));
    assert.equal(unsealCode(secret, phone, b.send!.sealed), '444444');
    assert.equal(judge(b.state, hash('333333'), T0 + 80).verdict, 'code_used');
  });

  test('a right answer uses up every live code, so no other SMS on the phone signs in again', () => {
    const make = maker('111111', '222222');
    const a = ask(undefined, 'stranger', T0, make);
    const b = ask(a.state, 'stranger', T0 + 300, make);
    const ok = judge(b.state, hash('222222'), T0 + 310);
    assert.equal(ok.verdict, 'ok');
    assert.equal(judge(ok.next, hash('111111'), T0 + 320).verdict, 'code_used');
    assert.deepEqual(liveCodes(ok.next, T0 + 320), []);
  });

  test('property: whoever asks, and when, no code SMS is good for less than 5 minutes, at most two codes are live, and a code stays good until its 10 minutes are up', () => {
    const step = fc.record({
      wait: fc.integer({ min: 0, max: 400 }),
      kind: fc.constantFrom<ClientKind>('device', 'stranger'),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        let state: PhoneCodes | undefined;
        let now = T0;
        const make = maker();
        const sent = new Map<string, number>(); // code → when it was made
        for (const s of steps) {
          now += s.wait;
          const r = ask(state, s.kind, now, make);
          state = r.state;
          if (r.send) {
            const code = unsealCode(secret, phone, r.send.sealed)!;
            const issuedAt = r.send.issuedAt;
            assert.ok(
              issuedAt + codePolicy.validSeconds - now >= codePolicy.validSeconds - codePolicy.freshSeconds,
              'good for ≥ 5 minutes after the SMS',
            );
            assert.ok(r.send.minutes >= 5);
            sent.set(code, issuedAt);
          }
          assert.ok(liveCodes(state, now).length <= 2, 'at most two live codes');
          for (const [code, issuedAt] of sent) {
            if (now < issuedAt + codePolicy.validSeconds)
              assert.equal(
                judge(state, hash(code), now).verdict,
                'ok',
                `code made at ${issuedAt - T0} still good at ${now - T0}`,
              );
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('sign-in codes: answering', () => {
  test('answers are charged before judging; the fifth wrong in a row locks the client for 5 minutes; a right one gives the charge back', () => {
    let state: ClientState | undefined;
    for (let i = 1; i < codePolicy.maxFailures; i++) {
      state = { ...chargeAnswer(state, phone, 'a:x', T0 + i), version: i };
      assert.equal(state.failures, i);
      assert.equal(checkAnswer(state, 'stranger', T0 + i), undefined);
    }
    const right = settleRight(chargeAnswer(state, phone, 'a:x', T0 + 9));
    assert.equal(right.failures, 0);
    assert.equal(right.lockedUntil, undefined);
    const fifth = chargeAnswer(state, phone, 'a:x', T0 + 10);
    assert.equal(fifth.lockedUntil, T0 + 10 + codePolicy.lockSeconds);
    assert.deepEqual(checkAnswer(fifth, 'stranger', T0 + 11), {
      reason: 'locked',
      seconds: codePolicy.lockSeconds - 1,
    });
    assert.equal(checkAnswer(fifth, 'stranger', T0 + 10 + codePolicy.lockSeconds), undefined, 'over after 5 minutes');
  });

  test('a device has ten wrong answers a day, then waits for the next Asia/Shanghai day', () => {
    let state: ClientState | undefined;
    // 10:00 in Shanghai (02:00 UTC) on some day.
    const day = 1_800_000_000 - ((1_800_000_000 + 8 * 3600) % 86400);
    let t = day + 10 * 3600;
    for (let i = 0; i < codePolicy.deviceFailuresPerDay; i++) {
      assert.equal(checkAnswer(state, 'device', t), undefined, `answer ${i + 1}`);
      state = { ...chargeAnswer(state, phone, 'd:x', t), version: i + 1 };
      t += codePolicy.lockSeconds + 1; // past each lock
    }
    assert.deepEqual(checkAnswer(state, 'device', t), { reason: 'locked', seconds: day + 86400 - t });
    assert.equal(checkAnswer(state, 'device', day + 86400), undefined);
  });

  test('judging: wrong, used and expired codes are told apart; nothing matches a phone without codes', () => {
    const a = ask(undefined, 'stranger', T0, maker('123456'));
    assert.equal(judge(a.state, hash('000000'), T0 + 1).verdict, 'code_invalid');
    assert.equal(judge(a.state, hash('123456'), T0 + codePolicy.validSeconds).verdict, 'code_expired');
    assert.equal(judge(undefined, hash('123456'), T0).verdict, 'code_invalid');
  });
});

describe('sign-in codes: how likely a guess is', () => {
  test('under the limits, an attacker without a device token guesses a code within a year with a chance under 0.4 %', () => {
    const p = guessChancePerYear();
    assert.ok(Math.abs(p - (1 - (1 - 1e-6) ** (365 * codePolicy.strangerFailuresPerDay))) < 1e-12);
    assert.ok(p < 0.004, `P(year) = ${(p * 100).toFixed(3)} %`);
    assert.ok(Math.abs(p - 0.00365) < 0.0001);
  });
});

import assert from 'node:assert/strict';
import { test } from 'vitest';
import { newSession, plausibleToken, sessionSeconds, tokenHash } from '#core/staff/sessions.ts';

test('sessions: random 256-bit tokens, stored only as their SHA-256, with kind-specific lifetimes', () => {
  const now = new Date('2026-05-01T00:00:00Z');
  const a = newSession('+8613800000000', 'web', now);
  const b = newSession('+8613800000000', 'api', now);
  assert.match(a.token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.token, b.token);
  assert.equal(a.session.tokenHash, tokenHash(a.token));
  assert.ok(!JSON.stringify(a.session).includes(a.token), 'the token itself is never in the stored session');
  assert.equal(a.session.expiresAt - now.getTime() / 1000, sessionSeconds.web);
  assert.equal(b.session.expiresAt - now.getTime() / 1000, sessionSeconds.api);
  assert.ok(plausibleToken(a.token));
  assert.ok(!plausibleToken('short'));
  assert.ok(!plausibleToken('x'.repeat(500)));
});

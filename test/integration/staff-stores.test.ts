/** The staff-identity adapters against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { AppError } from '#core/errors.ts';
import { auditEntry, recentAudit } from '#core/staff/audit.ts';
import type { SignInCodeState } from '#core/staff/codes.ts';
import type { StaffMember } from '#core/staff/roles.ts';
import { newSession } from '#core/staff/sessions.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
before(async () => {
  stack = await startTestStack();
});
after(() => stack.close());

const isConflict = (err: unknown) => err instanceof AppError && err.code === 'conflict';

describe('sign-in code store', () => {
  test('conditional puts on the version: first write, next write, stale write', async () => {
    const store = stack.deps.signInCodes;
    const state: SignInCodeState = { phone: '+8613900000101', codeHash: 'h1', issuedAt: 1, codeExpiresAt: 601, failures: 0, expiresAt: 3601, version: 0 };
    assert.equal(await store.save(state, undefined), true);
    assert.equal(await store.save(state, undefined), false, 'someone else wrote first');
    const stored = await store.get(state.phone);
    assert.deepEqual(stored, { ...state, version: 1 });
    assert.equal(await store.save({ ...stored!, failures: 1 }, 1), true);
    assert.equal(await store.save({ ...stored!, failures: 9 }, 1), false, 'a stale version loses');
    assert.equal((await store.get(state.phone))!.failures, 1);
    assert.equal(await store.get('+8613900000199'), undefined);
  });
});

describe('session store', () => {
  test('create, read by hash, delete; an expired session reads as absent before TTL removes it', async () => {
    const now = new Date();
    const { session } = newSession('+8613900000102', 'web', now);
    await stack.deps.sessions.create(session);
    assert.deepEqual(await stack.deps.sessions.get(session.tokenHash, now), session);
    assert.equal(await stack.deps.sessions.get(session.tokenHash, new Date((session.expiresAt + 1) * 1000)), undefined);
    await stack.deps.sessions.delete(session.tokenHash);
    assert.equal(await stack.deps.sessions.get(session.tokenHash, now), undefined);
  });
});

describe('staff repository', () => {
  const member = (phone: string): StaffMember => ({ phone, grants: [{ role: 'collector', regions: ['pref_lhasa'] }], invitedBy: '+8613800000000', createdAt: 'x', updatedAt: 'x', version: 1 });

  test('create once; a second create is a conflict', async () => {
    await stack.deps.staff.create(member('+8613900000110'));
    await assert.rejects(stack.deps.staff.create(member('+8613900000110')), isConflict);
    assert.deepEqual(await stack.deps.staff.get('+8613900000110'), member('+8613900000110'));
  });

  test('save and delete are optimistic on the version', async () => {
    const m = await stack.deps.staff.create(member('+8613900000111'));
    const saved = await stack.deps.staff.save({ ...m, grants: [] });
    assert.equal(saved.version, 2);
    await assert.rejects(stack.deps.staff.save({ ...m, grants: [] }), isConflict);
    await assert.rejects(stack.deps.staff.delete(m.phone, 1), isConflict);
    await stack.deps.staff.delete(m.phone, 2);
    assert.equal(await stack.deps.staff.get(m.phone), undefined);
  });

  test('lists by phone through gsi1, paged with a cursor', async () => {
    for (const n of [120, 121, 122]) await stack.deps.staff.create(member(`+8613900000${n}`));
    const first = await stack.deps.staff.list({ limit: 2 });
    assert.equal(first.items.length, 2);
    assert.ok(first.cursor);
    const rest = await stack.deps.staff.list({ limit: 100, cursor: first.cursor });
    const phones = [...first.items, ...rest.items].map((m) => m.phone);
    assert.deepEqual(phones, [...phones].sort());
    assert.ok(['+8613900000120', '+8613900000121', '+8613900000122'].every((p) => phones.includes(p)));
  });
});

describe('audit log', () => {
  test('entries per Asia/Shanghai day, newest first; recentAudit walks back across days', async () => {
    const day1 = new Date('2026-03-01T10:00:00+08:00');
    const day2 = new Date('2026-03-02T00:30:00+08:00');
    for (const [i, at] of [day1, new Date(day1.getTime() + 60_000), day2].entries()) {
      await stack.deps.audit.record(auditEntry({ actor: '+8613800000000', action: 'staff.invite', target: `+86139000002${i}0`, outcome: 'ok' }, at));
    }
    const page = await stack.deps.audit.listDay('2026-03-01', { limit: 1 });
    assert.equal(page.items[0]!.target, '+8613900000210', 'newest first');
    assert.ok(page.cursor);
    const next = await stack.deps.audit.listDay('2026-03-01', { limit: 5, cursor: page.cursor });
    assert.equal(next.items[0]!.target, '+8613900000200');
    const recent = await recentAudit(stack.deps.audit, new Date('2026-03-02T12:00:00+08:00'), 10);
    assert.deepEqual(recent.map((e) => e.target), ['+8613900000220', '+8613900000210', '+8613900000200']);
    await assert.rejects(stack.deps.audit.listDay('2026-03-02', { limit: 5, cursor: page.cursor }), (e: unknown) => e instanceof AppError && e.code === 'invalid_cursor');
  });
});

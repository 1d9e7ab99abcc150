/** The staff-identity adapters against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT). */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { AppError } from '#core/errors.ts';
import { auditEntry, recentAudit } from '#core/staff/audit.ts';
import type { ClientState, PhoneCodes } from '#core/staff/codes.ts';
import type { StaffMember } from '#core/staff/roles.ts';
import { newSession } from '#core/staff/sessions.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

const isConflict = (err: unknown) => err instanceof AppError && err.code === 'conflict';

describe('sign-in code store', () => {
  test('codes and client states: conditional puts on the version (first write, next write, stale write)', async () => {
    const store = stack.deps.signInCodes;
    const codes: PhoneCodes = {
      phone: '+8613900000101',
      codes: [{ hash: 'h1', sealed: 's1', issuedAt: 1, sends: 1, lastSentAt: 1 }],
      expiresAt: 3601,
      version: 0,
    };
    assert.equal(await store.save(codes, undefined), true);
    assert.equal(await store.save(codes, undefined), false, 'someone else wrote first');
    const stored = await store.get(codes.phone);
    assert.deepEqual(stored, { ...codes, version: 1 });
    assert.equal(await store.save({ ...stored!, codes: [] }, 1), true);
    assert.equal(await store.save({ ...stored!, expiresAt: 9 }, 1), false, 'a stale version loses');
    assert.deepEqual((await store.get(codes.phone))!.codes, []);
    assert.equal(await store.get('+8613900000199'), undefined);

    const client: ClientState = {
      phone: codes.phone,
      client: 'a:203.0.113.9',
      asked: { since: 0, count: 1 },
      failures: 2,
      today: { since: 0, count: 2 },
      expiresAt: 3601,
      version: 0,
    };
    assert.equal(await store.saveClient(client, undefined), true);
    assert.equal(await store.saveClient(client, undefined), false);
    assert.deepEqual(await store.getClient(codes.phone, 'a:203.0.113.9'), { ...client, version: 1 });
    assert.equal(await store.saveClient({ ...client, failures: 3 }, 0), false, 'a stale version loses');
    assert.equal(await store.getClient(codes.phone, 'd:other'), undefined, 'each client is its own item');
    assert.deepEqual((await store.get(codes.phone))!.codes, [], 'and apart from the codes');
  });
});

describe('quota counters', () => {
  test('count only what they let through; release gives back; daily windows end at Asia/Shanghai midnight', async () => {
    const q = stack.deps.signInQuota;
    const at = new Date('2026-05-20T15:59:00Z'); // 23:59 in Shanghai
    assert.deepEqual(await q.take('test', 'x', 3, 86400, at, 2), { allowed: true, retryAfterSeconds: 60 });
    assert.equal((await q.take('test', 'x', 3, 86400, at, 2)).allowed, false, 'would pass the limit');
    assert.equal((await q.peek('test', 'x', 86400, at)).count, 2, 'the refusal added nothing');
    assert.equal((await q.take('test', 'x', 3, 86400, at)).allowed, true);
    assert.equal((await q.take('test', 'x', 3, 86400, at)).allowed, false);
    await q.release('test', 'x', 86400, at, 2);
    assert.equal((await q.peek('test', 'x', 86400, at)).count, 1);
    assert.equal(
      (await q.peek('test', 'x', 86400, new Date('2026-05-20T16:00:00Z'))).count,
      0,
      'a new day in Shanghai',
    );
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
  const member = (phone: string): StaffMember => ({
    phone,
    grants: [{ role: 'collector', regions: ['pref_lhasa'] }],
    invitedBy: '+8613800000000',
    createdAt: 'x',
    updatedAt: 'x',
    version: 1,
  });

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
      await stack.deps.audit.record(
        auditEntry({ actor: '+8613800000000', action: 'staff.invite', target: `+86139000002${i}0`, outcome: 'ok' }, at),
      );
    }
    const page = await stack.deps.audit.listDay('2026-03-01', { limit: 1 });
    assert.equal(page.items[0]!.target, '+8613900000210', 'newest first');
    assert.ok(page.cursor);
    const next = await stack.deps.audit.listDay('2026-03-01', { limit: 5, cursor: page.cursor });
    assert.equal(next.items[0]!.target, '+8613900000200');
    const recent = await recentAudit(stack.deps.audit, new Date('2026-03-02T12:00:00+08:00'), 10);
    assert.deepEqual(
      recent.map((e) => e.target),
      ['+8613900000220', '+8613900000210', '+8613900000200'],
    );
    await assert.rejects(
      stack.deps.audit.listDay('2026-03-02', { limit: 5, cursor: page.cursor }),
      (e: unknown) => e instanceof AppError && e.code === 'invalid_cursor',
    );
  });
});

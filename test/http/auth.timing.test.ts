/**
 * The answer time of POST /api/v1/auth/code must not tell who is staff (it once did: 15 ms against
 * 7 ms). The proof here is not a stopwatch: a staff phone and a phone that is not staff must
 * cause the very same table requests, in the same order, and the same hand-over to the code
 * delivery, and get the same answer. (The timings themselves: `npm run bench -- --only=signin`.)
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, beforeEach, describe, test } from 'vitest';
import { DynamoRateLimiter } from '#adapters/dynamodb/counters.ts';
import { DynamoQuotaCounter } from '#adapters/dynamodb/quota-counters.ts';
import { DynamoSignInCodeStore } from '#adapters/dynamodb/sign-in-codes.ts';
import { DynamoStaffRepository } from '#adapters/dynamodb/staff-repository.ts';
import { DynamoSubscriberRepository } from '#adapters/dynamodb/subscriber-repository.ts';
import { createApp } from '#http/app.ts';
import type { AppDeps } from '#http/env.ts';
import { recordingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { advanceClock, from, nextHour, postJson, smsCount } from '#test/support/staff.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
beforeEach(() => nextHour(stack));
afterAll(() => stack.close());

/** The app, with every store the sign-in path could touch on a recording client, and the messenger and the code hand-over written down too. */
function recordedApp() {
  const { db, ops } = recordingDocumentClient(stack);
  const d = stack.deps;
  const messenger = {
    send: (input: Parameters<AppDeps['messenger']['send']>[0]) => (ops.push('messenger.send'), d.messenger.send(input)),
    sendLines: (input: Parameters<typeof d.messenger.sendLines>[0]) => (
      ops.push('messenger.send'), d.messenger.sendLines(input)
    ),
  };
  const deps = {
    ...d,
    signInCodes: new DynamoSignInCodeStore(db, stack.tableName),
    signInQuota: new DynamoQuotaCounter(db, stack.tableName),
    rateLimiter: new DynamoRateLimiter(db, stack.tableName),
    staff: new DynamoStaffRepository(db, stack.tableName),
    subscribers: new DynamoSubscriberRepository(db, stack.tableName),
    messenger,
    signInCodeQueue: {
      enqueue: async (job: { kind: string }) => void ops.push(`hand over ${job.kind}`),
      settled: () => Promise.resolve(),
    },
    now: () => d.now(),
    log: () => {},
  };
  return { app: createApp(deps as AppDeps), ops };
}

/** One request, and what it did: the operations, the status, the body and the headers that are not per-request. */
async function observe(phone: string, address: string) {
  const { app, ops } = recordedApp();
  const res = await from({ ...stack, app } as TestStack, address)('/api/v1/auth/code', postJson({ phone }));
  const headers = [...res.headers].filter(([k]) => k !== 'x-request-id').map(([k, v]) => `${k}: ${v}`);
  return {
    ops,
    status: res.status,
    body: (await res.text()).replace(/"requestId":"[^"]*"/, '"requestId":"…"'),
    headers,
  };
}

describe('POST /api/v1/auth/code takes one path for staff and for everyone else', () => {
  test('the same table requests in the same order, the same hand-over, the same answer: first code, re-send, refusal', async () => {
    const member = '+8613700000901';
    const stranger = '+8613600000901';
    const at = stack.deps.now().toISOString();
    await stack.deps.staff.create({
      phone: member,
      grants: [{ role: 'collector', regions: ['pref_lhasa'] }],
      invitedBy: 'test',
      createdAt: at,
      updatedAt: at,
      version: 1,
    });

    const steps: Array<[string, number]> = [
      ['first request', 0],
      ['a minute later (re-send)', 61],
      ['ten seconds later (refused)', 10],
    ];
    for (const [name, wait] of steps) {
      advanceClock(stack, wait);
      const staff = await observe(member, '198.51.100.201');
      const other = await observe(stranger, '198.51.100.202');
      assert.deepEqual(other.ops, staff.ops, `${name}: table requests`);
      assert.deepEqual(
        [other.status, other.body, other.headers],
        [staff.status, staff.body, staff.headers],
        `${name}: answer`,
      );
      assert.ok(staff.ops.length > 0);
      assert.ok(
        !staff.ops.some((op) => /STAFF|SUB#|SMS#|messenger/.test(op)),
        `${name}: nobody asks who is staff on the request path: ${staff.ops.join('; ')}`,
      );
    }
    assert.equal(await smsCount(stack, stranger), 0);
  });
});

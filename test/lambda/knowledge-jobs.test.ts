/**
 * The knowledge library's scheduled jobs through the jobs Lambda, driven by EventBridge
 * Scheduler events of the real shape, on the local stack: `question-escalate` moves an
 * unanswered question up the experts' ladder once its hours have passed (a rerun changes
 * nothing), `upload-cleanup` deletes attachment uploads older than a day from the bucket
 * (s3rver) and leaves younger ones and kept attachments; POST /dev/jobs/<job> runs them too;
 * the local scheduler plans both where their services are wired.
 */

import assert from 'node:assert/strict';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { S3AttachmentFiles } from '#adapters/s3/attachments.ts';
import { createS3Client } from '#adapters/s3/client.ts';
import { s3SdkOf } from '#adapters/s3/lazy-client.ts';
import type { JobDeps } from '#core/alerts/jobs.ts';
import type { AttachmentFiles } from '#core/knowledge/ports.ts';
import type { QuestionService } from '#core/knowledge/service.ts';
import { globalAdmin } from '#core/staff/roles.ts';
import { createJobsHandler } from '#handlers/jobs.ts';
import { startLocalScheduler } from '#local/scheduler.ts';
import { schedulerEvent } from '#test/fixtures/scheduler-event.ts';
import { freshNumber, replyTo } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { advanceClock } from '#test/support/staff.ts';

let stack: TestStack;
let handler: ReturnType<typeof createJobsHandler>;
let s3: ReturnType<typeof createS3Client>;
let questions: QuestionService;
let attachments: AttachmentFiles;
const BUCKET = 'zhingdrok-test';

beforeAll(async () => {
  stack = await startTestStack();
  const deps = stack.deps as typeof stack.deps & { questions?: QuestionService; attachments?: AttachmentFiles };
  if (!deps.questions) throw new Error('createDeps wires no questions service');
  questions = deps.questions;
  s3 = createS3Client({ region: 'us-east-1', endpoint: stack.s3Endpoint });
  attachments = deps.attachments ?? new S3AttachmentFiles(s3SdkOf(s3), BUCKET, 'http://localhost/files');
  // The clock read at call time: advanceClock replaces stack.deps.now.
  handler = createJobsHandler({
    ...stack.deps,
    now: () => stack.deps.now(),
    log: (entry) => stack.deps.log(entry),
    questions,
    attachments,
  } as JobDeps);
});
afterAll(() => stack?.close());

const put = (key: string) =>
  s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]) }));
const exists = async (key: string) => (await attachments.inspect(key, 1)) !== undefined;

describe('question-escalate', () => {
  test("an unanswered question goes to the prefecture's experts after 24 hours, to all after 48; a rerun changes nothing", async () => {
    const farmer = freshNumber();
    await replyTo(stack, farmer, 'JOIN Gyantse');
    const ack = await replyTo(stack, farmer, 'ASK my yak is coughing and will not eat');
    const code = /Q\d{4,6}/.exec(ack.text)?.[0];
    assert.ok(code, `an acknowledgement with the code, got ${ack.text}`);
    const admin = { actor: { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true } };
    const level = async () => (await questions.get(admin, code)).question.level;
    assert.equal(await level(), 1);

    assert.deepEqual(await handler(schedulerEvent('question-escalate')), { job: 'question-escalate', escalated: 0 });
    advanceClock(stack, 24 * 3600 + 60);
    assert.deepEqual(await handler(schedulerEvent('question-escalate')), { job: 'question-escalate', escalated: 1 });
    assert.equal(await level(), 2);
    // EventBridge Scheduler delivers at least once: the same run again escalates nothing.
    assert.deepEqual(await handler(schedulerEvent('question-escalate')), { job: 'question-escalate', escalated: 0 });
    advanceClock(stack, 24 * 3600);
    assert.deepEqual(await handler(schedulerEvent('question-escalate')), { job: 'question-escalate', escalated: 1 });
    assert.equal(await level(), 3);
    // The ladder ends at 3.
    advanceClock(stack, 48 * 3600);
    assert.deepEqual(await handler(schedulerEvent('question-escalate')), { job: 'question-escalate', escalated: 0 });
  });
});

describe('upload-cleanup', () => {
  test('deletes uploads older than a day, and no younger upload nor any attachment; a rerun finds nothing', async () => {
    // s3rver stamps objects with the real time, so the app's clock is set from it (the escalation moved it on).
    stack.deps.now = () => new Date();
    await put('uploads/g0000000001-f0000000001');
    await put('uploads/g0000000001-f0000000003');
    await put('attachments/g0000000001/f0000000002.pdf');
    assert.deepEqual(await handler(schedulerEvent('upload-cleanup')), { job: 'upload-cleanup', deleted: 0 });
    // 23 hours on: still younger than a day.
    stack.deps.now = () => new Date(Date.now() + 23 * 3_600_000);
    assert.deepEqual(await handler(schedulerEvent('upload-cleanup')), { job: 'upload-cleanup', deleted: 0 });
    assert.ok(await exists('uploads/g0000000001-f0000000001'), 'a younger upload stays');
    // 25 hours on: both uploads go, the kept attachment stays.
    stack.deps.now = () => new Date(Date.now() + 25 * 3_600_000);
    assert.deepEqual(await handler(schedulerEvent('upload-cleanup')), { job: 'upload-cleanup', deleted: 2 });
    assert.equal(await exists('uploads/g0000000001-f0000000001'), false);
    assert.equal(await exists('uploads/g0000000001-f0000000003'), false);
    assert.ok(await exists('attachments/g0000000001/f0000000002.pdf'), 'kept attachments are never cleaned');
    assert.deepEqual(await handler(schedulerEvent('upload-cleanup')), { job: 'upload-cleanup', deleted: 0 });
  });

  test('POST /dev/jobs/upload-cleanup and /dev/jobs/question-escalate run them locally', async () => {
    // A JSON POST, as the dev tools require of every POST (no form from another site can make one).
    const post: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json' } };
    const cleanup = await stack.app.request('/dev/jobs/upload-cleanup', post);
    assert.equal(cleanup.status, 200);
    assert.equal(((await cleanup.json()) as { job: string }).job, 'upload-cleanup');
    const escalate = await stack.app.request('/dev/jobs/question-escalate', post);
    assert.equal(escalate.status, 200);
    assert.equal(((await escalate.json()) as { job: string }).job, 'question-escalate');
  });
});

describe('wiring', () => {
  test('a function without the questions or the bucket fails the job loudly (EventBridge retries, then the dead-letter queue)', async () => {
    const bare = createJobsHandler({ ...stack.deps, questions: undefined, attachments: undefined } as JobDeps);
    await assert.rejects(bare(schedulerEvent('question-escalate')), /questions are not wired/);
    await assert.rejects(bare(schedulerEvent('upload-cleanup')), /files bucket is not wired/);
  });

  test('the local scheduler plans question-escalate every quarter hour and upload-cleanup every hour, where wired', () => {
    const clock = () => new Date('2026-05-20T10:07:12Z');
    const without = startLocalScheduler({ ...stack.deps, questions: undefined, attachments: undefined } as JobDeps, {
      digestTime: '18:00',
      clock,
    });
    assert.equal(without.next()['question-escalate'], undefined);
    assert.equal(without.next()['upload-cleanup'], undefined);
    without.stop();
    const wired = startLocalScheduler({ ...stack.deps, questions, attachments } as JobDeps, {
      digestTime: '18:00',
      clock,
    });
    assert.equal(wired.next()['question-escalate']?.toISOString(), '2026-05-20T10:15:00.000Z');
    assert.equal(wired.next()['upload-cleanup']?.toISOString(), '2026-05-20T11:00:00.000Z');
    wired.stop();
  });
});

/**
 * Sign-in codes in AWS: the http Lambda hands each code SMS to the outbound queue as a
 * sign-in code job, for staff phones and others alike; the sms-send Lambda (AWS-mode deps,
 * End User Messaging on a loopback stand-in) is where the staff check, the composing, the
 * record and the send happen. Real SQS event shapes.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { signInCodeJobOf } from '#adapters/queue/sign-in-jobs.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import type { SignInCodeJob } from '#core/staff/code-delivery.ts';
import { requestSignInCode } from '#core/staff/sign-in.ts';
import { createSmsSendHandler } from '#handlers/sms-send.ts';
import { sqsEvent } from '#test/fixtures/sqs-event.ts';
import { accept, type EumStandIn, serviceError, startEumStandIn } from '#test/support/eum-stand-in.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let eum: EumStandIn;
let aws: Deps;
const bodies: string[] = [];
const STAFF = '+8613700000801';
const OTHER = '+8613600000801';

beforeAll(async () => {
  stack = await startTestStack();
  eum = await startEumStandIn();
  const settings = storageSettingsFrom(
    loadConfig({
      APP_MODE: 'aws',
      AWS_REGION: 'ap-east-1',
      TABLE_NAME: stack.tableName,
      BUCKET_NAME: 'zhingdrok-test',
      DYNAMODB_ENDPOINT: stack.dynamoEndpoint,
      AUTH_SECRET: stack.deps.authSecret,
      ADMIN_PHONES: '+8613800000000',
      EUM_ORIGINATION_IDENTITY: 'arn:aws:sms-voice:ap-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef',
    }),
  );
  aws = createDeps({ ...settings, sms: { ...settings.sms, eumEndpoint: eum.url } }, composeHere) as Deps;
  aws.log = () => {};
  const at = new Date().toISOString();
  await aws.staff.create({
    phone: STAFF,
    grants: [{ role: 'collector', regions: ['pref_lhasa'] }],
    invitedBy: 'test',
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
});
afterAll(async () => {
  await eum?.close();
  await stack?.close();
});

/** What the http Lambda does for a code request, with its queue writing down the SQS bodies (as SqsSignInCodeQueue sends them). */
async function ask(phone: string, language?: 'zh') {
  const queue = { enqueue: async (job: SignInCodeJob) => void bodies.push(JSON.stringify(job)) };
  await requestSignInCode(
    { ...aws, signInCodeQueue: queue },
    { phone, clientAddress: '198.51.100.80', ...(language ? { language } : {}) },
  );
  return bodies.at(-1)!;
}

describe('sign-in code jobs on the outbound queue (sms-send Lambda)', () => {
  test('one job per code for staff and for others; only the staff phone gets an SMS, in the language asked for', async () => {
    const staffBody = await ask(STAFF, 'zh');
    const otherBody = await ask(OTHER, 'zh');
    const [staffJob, otherJob] = [signInCodeJobOf({ body: staffBody }), signInCodeJobOf({ body: otherBody })];
    assert.deepEqual(Object.keys(staffJob!).sort(), Object.keys(otherJob!).sort(), 'the two jobs look alike');
    assert.doesNotMatch(staffBody, /"code"|\b\d{6}\b/, 'the queue never carries the code in the clear');

    const sent = eum.requests.length;
    const res = await createSmsSendHandler(aws)(sqsEvent({ body: staffBody }, { body: otherBody }));
    assert.deepEqual(res, { batchItemFailures: [] });
    assert.equal(eum.requests.length, sent + 1, 'one SendTextMessage');
    const request = eum.requests.at(-1)!;
    assert.equal(request.body.DestinationPhoneNumber, STAFF);
    assert.match(request.body.MessageBody, /登录验证码：\d{6}/);
    assert.equal((await aws.outbound.listTo(OTHER, 10)).length, 0, 'nothing recorded for a phone that is not staff');
    const [record] = await aws.outbound.listTo(STAFF, 1);
    assert.equal(record?.status, 'sent');
  });

  test('a redelivered job sends nothing twice; a gateway failure sends the job back to the queue, and its retry sends once', async () => {
    const body = bodies[0]!;
    const before = eum.requests.length;
    assert.deepEqual(await createSmsSendHandler(aws)(sqsEvent({ body, receiveCount: 2 })), { batchItemFailures: [] });
    assert.equal(eum.requests.length, before, 'already sent');

    const fresh = '+8613700000802';
    const at = new Date().toISOString();
    await aws.staff.create({
      phone: fresh,
      grants: [{ role: 'collector', regions: ['pref_lhasa'] }],
      invitedBy: 'test',
      createdAt: at,
      updatedAt: at,
      version: 1,
    });
    const flakyBody = await ask(fresh);
    eum.respond(() => serviceError(503, 'ServiceUnavailableException'));
    const failed = await createSmsSendHandler(aws)(sqsEvent({ body: flakyBody, messageId: 'job-1' }));
    assert.deepEqual(failed, { batchItemFailures: [{ itemIdentifier: 'job-1' }] });
    eum.respond(accept);
    assert.deepEqual(await createSmsSendHandler(aws)(sqsEvent({ body: flakyBody, receiveCount: 2 })), {
      batchItemFailures: [],
    });
    const [record] = await aws.outbound.listTo(fresh, 5);
    assert.equal(record?.status, 'sent');
    assert.match(record!.text, /ནང་འཛུལ་ཨང་གྲངས།/, 'no language asked for and none saved: Tibetan');
  });
});

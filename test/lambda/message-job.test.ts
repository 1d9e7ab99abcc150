/**
 * The http Lambda composes no SMS: a price rejection's SMS to its collector
 * leaves it as a message job on the outbound queue, and the sms-send Lambda (AWS-mode deps, End
 * User Messaging on a loopback stand-in) composes it in the collector's language, records it and
 * sends it, once. Real SQS event shapes; the http side is the deps the http handler builds.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Deps } from '#adapters/inbound-wiring.ts';
import { handOverMessages } from '#adapters/queue/message-jobs.ts';
import { composeHere } from '#adapters/sms-composition.ts';
import { createDeps, storageSettingsFrom } from '#adapters/wiring.ts';
import { loadConfig } from '#config';
import { rejectPrice } from '#core/prices/review.ts';
import { type MessageJob, messageJobOf } from '#core/sms/message-jobs.ts';
import type { MessageJobQueue } from '#core/sms/ports.ts';
import { actorFrom } from '#core/staff/roles.ts';
import { newSubscriber } from '#core/subscribers/subscriber.ts';
import { createSmsSendHandler } from '#handlers/sms-send.ts';
import { sqsEvent } from '#test/fixtures/sqs-event.ts';
import { accept, type EumStandIn, serviceError, startEumStandIn } from '#test/support/eum-stand-in.ts';
import { day, priceSubmission } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let eum: EumStandIn;
let sender: Deps;
let http: ReturnType<typeof createDeps>;
const bodies: string[] = [];
const COLLECTOR = '+8613700000901';
const REVIEWER = '+8613800000000';

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
      ADMIN_PHONES: REVIEWER,
      EUM_ORIGINATION_IDENTITY: 'arn:aws:sms-voice:ap-east-1:123456789012:pool/pool-0123456789abcdef0123456789abcdef',
    }),
  );
  sender = createDeps({ ...settings, sms: { ...settings.sms, eumEndpoint: eum.url } }, composeHere) as Deps;
  sender.log = () => {};
  // The http Lambda's deps (functions/handlers/http.ts), with a queue that writes down the SQS bodies.
  const queue: MessageJobQueue = { enqueue: async (job: MessageJob) => void bodies.push(JSON.stringify(job)) };
  http = createDeps(settings, handOverMessages(queue));
  http.log = () => {};
  // The collector texts in Chinese, so that is the language of their SMS.
  await sender.subscribers.createIfAbsent(newSubscriber(COLLECTOR, 'zh', new Date()));
});
afterAll(async () => {
  await eum?.close();
  await stack?.close();
});

async function rejectOne(price: number, reason: string): Promise<string> {
  const submitted = await http.prices.submit(
    priceSubmission('butter', day(stack, -1), price, {
      collector: COLLECTOR,
      regionId: 'cty_lhasa_chengguan',
      marketId: 'mkt_lhasa_barkhor',
    }),
  );
  const acting = { actor: actorFrom(REVIEWER, undefined, [REVIEWER])!, target: 'test' };
  const deps = {
    authz: http.authz,
    now: () => http.now(),
    prices: http.prices,
    catalog: http.catalog,
    audit: http.audit,
    messenger: http.messenger,
  };
  const identity = [
    submitted.commodityId,
    submitted.marketId,
    submitted.date,
    submitted.kind,
    submitted.grade ?? '',
    submitted.unit,
  ]
    .map(encodeURIComponent)
    .join('|');
  await rejectPrice(deps, acting, identity, reason, submitted.version);
  return bodies.at(-1)!;
}

describe('messages the http Lambda hands over (sms-send Lambda)', () => {
  test("a rejection leaves the http Lambda as a job, uncomposed; sms-send composes it in the collector's language and sends it once", async () => {
    const before = bodies.length;
    const body = await rejectOne(3850, '价格单位写错了');
    assert.equal(bodies.length, before + 1, 'one job');
    const job = messageJobOf({ body });
    assert.equal(job?.key, 'collect.rejected');
    assert.deepEqual(Object.keys(job!.params).sort(), ['bo', 'en', 'zh'], 'the names in every language travel with it');
    assert.equal((await sender.outbound.listTo(COLLECTOR, 10)).length, 0, 'the http Lambda recorded nothing');

    const sent = eum.requests.length;
    assert.deepEqual(await createSmsSendHandler(sender)(sqsEvent({ body })), { batchItemFailures: [] });
    assert.equal(eum.requests.length, sent + 1, 'one SendTextMessage');
    const request = eum.requests.at(-1)!;
    assert.equal(request.body.DestinationPhoneNumber, COLLECTOR);
    assert.match(request.body.MessageBody, /价格被退回：酥油.*38\.50.*原因：价格单位写错了/);
    const [record] = await sender.outbound.listTo(COLLECTOR, 1);
    assert.equal(record?.status, 'sent');

    // SQS delivers at least once: the same job again sends nothing.
    assert.deepEqual(await createSmsSendHandler(sender)(sqsEvent({ body, receiveCount: 2 })), {
      batchItemFailures: [],
    });
    assert.equal(eum.requests.length, sent + 1);
  });

  test('a gateway failure sends the job back to the queue; its retry sends once', async () => {
    const body = await rejectOne(4100, '重复');
    eum.respond(() => serviceError(503, 'ServiceUnavailableException'));
    assert.deepEqual(await createSmsSendHandler(sender)(sqsEvent({ body, messageId: 'msg-1' })), {
      batchItemFailures: [{ itemIdentifier: 'msg-1' }],
    });
    eum.respond(accept);
    const sent = eum.requests.length;
    assert.deepEqual(await createSmsSendHandler(sender)(sqsEvent({ body, receiveCount: 2 })), {
      batchItemFailures: [],
    });
    assert.equal(eum.requests.length, sent + 1);
    assert.ok((await sender.outbound.listTo(COLLECTOR, 5)).some((m) => m.status === 'sent' && m.text.includes('重复')));
  });

  test('a job that is not one of ours is not taken for a message job', () => {
    assert.equal(messageJobOf({ body: '{"id":"abc"}' }), undefined);
    assert.equal(messageJobOf({ body: 'not json' }), undefined);
    assert.equal(
      messageJobOf({
        body: JSON.stringify({ kind: 'message', to: 'x', key: 'k', params: {}, essential: true, idempotencyKey: 'i' }),
      }),
      undefined,
    );
  });
});

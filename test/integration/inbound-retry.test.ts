/**
 * The inbound claim under failure: a run that fails gives its claim back; a run that dies
 * leaves it `processing`, and then a redelivery must be told to come back later (not taken
 * for a duplicate), a stale claim is taken over, and the local stack finishes such claims
 * when it starts — each with exactly one reply.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoInboundClaims } from '#adapters/dynamodb/inbound-claims.ts';
import { inboundClaimKey } from '#adapters/dynamodb/keys.ts';
import { loadConfig } from '#config';
import { AppError } from '#core/errors.ts';
import { handleInboundSms, type InboundDeps } from '#core/sms/handle-inbound.ts';
import { INBOUND_CLAIM_STALE_MS } from '#core/sms/inbound-timing.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import { createMessenger } from '#core/sms/messenger.ts';
import { toWylie } from '#core/text/wylie.ts';
import { startLocalStack } from '#local/stack.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(() => stack.close());

test('a run that fails after claiming gives the claim back: the redelivery is handled at once, with one reply', async () => {
  const d = stack.deps;
  let failNext = true;
  const deps: InboundDeps = {
    claims: d.claims,
    subscribers: d.subscribers,
    outbound: d.outbound,
    rateLimiter: d.rateLimiter,
    catalog: d.catalog,
    inboundPerHour: 30,
    now: d.now,
    log: () => {},
    // The real messenger, failing once the way a throttled queue would.
    messenger: {
      sendLines: async (input) => {
        if (failNext) {
          failNext = false;
          throw new Error('queue unavailable');
        }
        return d.messenger.sendLines(input);
      },
    },
  };
  const msg: InboundSms = {
    gateway: 'eum',
    messageId: 'retry-1',
    from: '+8613800000077',
    text: 'JOIN Gyantse',
    receivedAt: new Date().toISOString(),
  };
  await assert.rejects(handleInboundSms(deps, msg), /queue unavailable/);
  const retried = await handleInboundSms(deps, msg);
  assert.equal(retried.duplicate, false);
  assert.equal(retried.replies.length, 1);
  assert.equal((await d.subscribers.get('+8613800000077'))?.homeRegionId, 'cty_shigatse_gyantse');
  const again = await handleInboundSms(deps, msg);
  assert.equal(again.duplicate, true, 'once handled, a further redelivery does nothing');
  assert.equal((await d.outbound.listTo('+8613800000077', 10)).length, 1);
});

// ── a crash mid-run: the claim stays `processing` ──────────────────────────────

/** The claim a run writes first, written through the adapter the way a run that then died would leave it. */
const crashedClaim = (msg: InboundSms, at = new Date()) =>
  new DynamoInboundClaims(
    createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint }),
    stack.tableName,
    () => at,
  ).claim(msg, INBOUND_CLAIM_STALE_MS);

const rawClaim = async (s: { dynamoEndpoint: string }, table: string, msg: InboundSms) =>
  (
    await createDocumentClient({ region: 'local', endpoint: s.dynamoEndpoint }).send(
      new GetCommand({ TableName: table, Key: inboundClaimKey(msg.gateway, msg.messageId), ConsistentRead: true }),
    )
  ).Item;

const inbound = (messageId: string, from: string, text: string): InboundSms => ({
  gateway: 'eum',
  messageId,
  from,
  text,
  receivedAt: new Date().toISOString(),
});

test('a redelivery while the claim is still processing is not taken for handled: it must be tried again later', async () => {
  const msg = inbound('crash-1', '+8613800000078', 'JOIN Gyantse');
  assert.deepEqual(await crashedClaim(msg), { claimed: true });
  const claim = await rawClaim(stack, stack.tableName, msg);
  assert.equal(claim?.status, 'processing');
  assert.equal(claim?.text, 'JOIN Gyantse', 'the text is kept while processing, for a restart to finish it');

  await assert.rejects(stack.deps.handleInbound(msg), (err: unknown) => {
    assert.ok(err instanceof AppError && err.code === 'sms_in_progress', String(err));
    assert.ok(
      Number(err.params.seconds) >= 1 && Number(err.params.seconds) <= INBOUND_CLAIM_STALE_MS / 1000,
      JSON.stringify(err.params),
    );
    return true;
  });
  assert.equal(await stack.deps.subscribers.get(msg.from), undefined, 'nothing done');
  assert.deepEqual(await stack.deps.outbound.listTo(msg.from, 10), []);
});

test('a claim older than the stale window is taken over by the redelivery: handled once, then a duplicate', async () => {
  const msg = inbound('crash-2', '+8613800000079', 'HELP');
  await crashedClaim(msg, new Date(Date.now() - INBOUND_CLAIM_STALE_MS - 1000));
  const retried = await stack.deps.handleInbound(msg);
  assert.equal(retried.duplicate, false);
  assert.equal(retried.replies.length, 1);
  const claim = await rawClaim(stack, stack.tableName, msg);
  assert.equal(claim?.status, 'done');
  assert.equal(claim?.text, undefined, 'a handled message keeps no text');
  assert.equal(claim?.gsi1pk, undefined, 'and leaves the processing index');
  assert.equal((await stack.deps.handleInbound(msg)).duplicate, true);
});

describe('the local stack finishes unfinished claims when it starts', () => {
  const configFor = (dataDir: string, tableName: string) => {
    const config = loadConfig({
      APP_MODE: 'local',
      DATA_DIR: dataDir,
      TABLE_NAME: tableName,
      DYNAMODB_ENDPOINT: process.env.DYNAMODB_ENDPOINT,
    });
    if (config.APP_MODE !== 'local') throw new Error('local');
    return config;
  };

  test('a run that died after claiming, and one that died after recording its reply: at restart each is finished, with exactly one reply', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zhingdrok-crash-'));
    const table = `crash-${randomUUID().slice(0, 8)}`;
    const claimedOnly = inbound('crash-3', '+8613800000081', 'SUB WEATHER');
    const replyRecorded = inbound('crash-4', '+8613800000082', 'JOIN Gyantse');
    try {
      const first = await startLocalStack(configFor(dir, table), { print: () => {} });
      first.deps.log = () => {};
      // 1: died right after the claim.
      await new DynamoInboundClaims(
        createDocumentClient({ region: 'local', endpoint: first.dynamoEndpoint }),
        table,
      ).claim(claimedOnly, INBOUND_CLAIM_STALE_MS);
      // 2: a real run that died after saving the subscriber and recording its reply, before
      // the reply reached the queue: a dead process neither queues nor gives its claim back.
      const d = first.deps;
      const dying: InboundDeps = {
        claims: {
          claim: (m, s) => d.claims.claim(m, s),
          complete: (m, r) => d.claims.complete(m, r),
          listProcessing: (p) => d.claims.listProcessing(p),
          release: async () => {},
        },
        subscribers: d.subscribers,
        outbound: d.outbound,
        rateLimiter: d.rateLimiter,
        catalog: d.catalog,
        inboundPerHour: 30,
        now: d.now,
        log: () => {},
        messenger: createMessenger({
          subscribers: d.subscribers,
          outbound: d.outbound,
          signature: { signature: d.smsSettings.signature, gsmSignature: d.smsSettings.gsmSignature },
          toWylie,
          now: d.now,
          queue: { enqueue: () => Promise.reject(new Error('killed')) },
        }),
      };
      await assert.rejects(handleInboundSms(dying, replyRecorded), /killed/);
      assert.equal(
        (await d.subscribers.get(replyRecorded.from))?.homeRegionId,
        'cty_shigatse_gyantse',
        'the command took effect before the crash',
      );
      assert.deepEqual(
        (await d.outbound.listTo(replyRecorded.from, 10)).map((m) => m.status),
        ['queued'],
        'the reply was recorded, never sent',
      );
      assert.equal((await rawClaim(first, table, replyRecorded))?.status, 'processing');
      await first.close();

      const second = await startLocalStack(configFor(dir, table), { print: () => {} });
      try {
        assert.deepEqual(second.unfinishedInbound, { finished: 2, failed: 0 });
        for (const msg of [claimedOnly, replyRecorded]) {
          const sent = await second.deps.outbound.listTo(msg.from, 10);
          assert.deepEqual(
            sent.map((m) => m.status),
            ['sent'],
            `${msg.text}: exactly one reply, sent`,
          );
          const claim = await rawClaim(second, table, msg);
          assert.equal(claim?.status, 'done');
          assert.equal(claim?.text, undefined);
          assert.equal((await second.deps.handleInbound(msg)).duplicate, true, 'a redelivery now is a duplicate');
        }
        assert.deepEqual((await second.deps.subscribers.get(claimedOnly.from))?.topics, ['weather']);
        assert.deepEqual((await second.deps.claims.listProcessing({ limit: 10 })).items, []);
      } finally {
        await second.close();
      }
      // A third start finds nothing left to do.
      const third = await startLocalStack(configFor(dir, table), { print: () => {} });
      assert.deepEqual(third.unfinishedInbound, { finished: 0, failed: 0 });
      await third.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

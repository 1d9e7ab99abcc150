/**
 * (a) An inbound SMS burst: messages from many phones through the sms-inbound Lambda handler,
 * each as the SNS event End User Messaging publishes, invoked as Lambda invokes an SNS
 * subscription (asynchronously: two retries, then the on-failure destination).
 *
 * Counted from the table and the gateway stand-in: a message is completed when its claim is
 * `done` and each of its replies was sent; duplicated when one reply id reached the gateway twice.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { inboundClaimKey } from '#adapters/dynamodb/keys.ts';
import { SMS_SEND_MAX_RECEIVES } from '#adapters/queue/sqs-event.ts';
import { EUM_GATEWAY } from '#adapters/sms/eum-inbound.ts';
import { outboundIdFor } from '#core/sms/message-jobs.ts';
import { createSmsInboundHandler } from '#handlers/sms-inbound.ts';
import { createSmsSendHandler } from '#handlers/sms-send.ts';
import { replayTarget } from '#local/replay-dead-letters.ts';
import { twoWaySms } from '#test/fixtures/eum-events.ts';
import { snsEvent } from '#test/fixtures/sns-event.ts';
import { queuedSmsBody } from '#test/fixtures/sqs-event.ts';
import { type ChildDeps, deliverSqs, eachConcurrently, invokeAsync } from '../child.ts';
import {
  type ChaosContext,
  emptyRow,
  gatewaySendsAround,
  killPoint,
  outboundItem,
  retriesOf,
  runChild,
  type Scenario,
} from '../harness.ts';
import type { ChildJob, ChildReport, DeadLetter } from '../types.ts';

/** A message's replies are numbered from 0 (handle-inbound.ts); a command answers with one or two. */
const REPLIES_LOOKED_AT = 3;
const TEXTS = ['注册 江孜', 'PRICE BARLEY', 'SUB WEATHER', 'HELP', '价格 酥油', 'xyzzy'];

interface Item {
  key: string;
  event: ReturnType<typeof snsEvent>;
}

/** The SQS queue's visibility timeout has passed when it redelivers: a dead sender's lease (60 s) is over. */
export const REDELIVERY_AFTER_MS = 61_000;
/** When the operator's replay of a dead-letter queue comes, after the failure: ten minutes. */
export const REPLAY_AFTER_MS = 10 * 60_000;

export async function inboundChild(job: ChildJob, deps: ChildDeps) {
  const input = job.input as { items: Item[]; queued?: string[]; dead?: Array<{ key: string; record: DeadLetter }> };
  const handler = createSmsInboundHandler(deps);
  const send = createSmsSendHandler({ sender: deps.sender, log: deps.log });
  if (job.phase === 'replay') {
    // The operator replays a dead-letter queue minutes or hours later, not at once: by then the
    // claims of the runs that failed are stale and the sender's leases have run out.
    const now = deps.now;
    deps.now = () => new Date(now().getTime() + REPLAY_AFTER_MS);
    const senderNow = deps.sender.now;
    deps.sender.now = () => new Date(senderNow().getTime() + REPLAY_AFTER_MS);
    await replayChild(input.dead ?? [], (event, key) => invokeAsync('sms-inbound', handler, event, key), send);
    return;
  }
  if (job.phase === 'rerun') {
    // SQS hands the sender again what it never acknowledged, once the visibility timeout is over.
    const now = deps.sender.now;
    deps.sender.now = () => new Date(now().getTime() + REDELIVERY_AFTER_MS);
    await deliverSqs(
      send,
      (input.queued ?? []).map((id) => ({ key: `sms:${id}`, body: queuedSmsBody(id) })),
      SMS_SEND_MAX_RECEIVES,
    );
    // Lambda's retry a minute later finds the dead run's claim stale and takes it over; the
    // harness does not wait the minute: it finishes those claims as a restart does (the run is dead).
    await deps.finishUnfinishedInbound();
  }
  await eachConcurrently(input.items, 8, (item) => invokeAsync('sms-inbound', handler, item.event, item.key));
}

/**
 * The operator's `npm run replay`, with the same choice of target: a failure record's original
 * event invoked again, an SQS body sent back to its queue (here: straight to the sender).
 */
export async function replayChild(
  dead: Array<{ key: string; record: DeadLetter }>,
  invoke: (event: unknown, key: string) => Promise<unknown>,
  send: Parameters<typeof deliverSqs>[0],
) {
  for (const { key, record } of dead) {
    const body = typeof record.body === 'string' ? record.body : JSON.stringify(record.body);
    const target = replayTarget(body, { sources: ['the source queue'] });
    if (target.kind === 'invoke') await invoke(target.payload, key);
    else if (target.kind === 'queue') await deliverSqs(send, [{ key, body: target.body }], SMS_SEND_MAX_RECEIVES);
  }
}

async function claimState(ctx: ChaosContext, messageId: string) {
  const res = await ctx.db.send(
    new GetCommand({
      TableName: ctx.config.TABLE_NAME,
      Key: inboundClaimKey(EUM_GATEWAY, messageId),
      ConsistentRead: true,
    }),
  );
  return res.Item?.status as string | undefined;
}

const replyIds = (messageId: string) =>
  Array.from({ length: REPLIES_LOOKED_AT }, (_, k) => outboundIdFor(`${EUM_GATEWAY}:${messageId}:${k}`));

/** Each message's state from the stores: done, dead (its dead letter or a failed reply), sends per reply. */
/**
 * The operator's replay (npm run replay): each failure record's original event invoked again,
 * with no faults. Answers how many of those messages then completed (the replayed column).
 */
export async function replayInbound(
  ctx: ChaosContext,
  job: Omit<ChildJob, 'env' | 's3Endpoint' | 'eumUrl' | 'phase' | 'input' | 'killAt'>,
  dead: Map<string, DeadLetter>,
): Promise<number> {
  await runChild(ctx, {
    ...job,
    faults: 'none',
    phase: 'replay',
    input: { items: [], dead: [...dead].map(([key, record]) => ({ key, record })) },
  });
  return (await tallyInbound(ctx, [...dead.keys()], new Set())).completed;
}

export async function tallyInbound(
  ctx: ChaosContext,
  keys: string[],
  deadKeys: Set<string>,
  /** The stand-in's request count at the kill (ChildReport.gatewayAtKill). */
  boundary?: number,
) {
  const { sides } = gatewaySendsAround(ctx.eum, boundary);
  const sends = new Map([...sides].map(([id, s]) => [id, s.before + s.after]));
  const result = {
    completed: 0,
    deadLettered: 0,
    duplicated: 0,
    cutOff: 0,
    lost: 0,
    lostKeys: [] as string[],
    /** Per lost message: its claim's state and each reply's status and sends, for the failure's message. */
    lostWhy: [] as string[],
    queued: [] as string[],
  };
  for (const key of keys) {
    const state = await claimState(ctx, key);
    let repliesDone = true;
    let failed = false;
    const replies: string[] = [];
    for (const id of replyIds(key)) {
      const item = await outboundItem(ctx, id);
      if (!item) continue;
      const side = sides.get(id) ?? { before: 0, after: 0 };
      replies.push(`${item.status}, sent ${side.before}+${side.after}`);
      result.duplicated += Math.max(0, side.before - 1) + Math.max(0, side.after - 1);
      if (side.before && side.after) result.cutOff++;
      if (item.status === 'failed') failed = true;
      else if (item.status === 'queued') {
        repliesDone = false;
        result.queued.push(id);
      } else if (['sent', 'delivered'].includes(item.status) && !sends.get(id)) repliesDone = false;
    }
    if (state === 'done' && repliesDone && !failed) result.completed++;
    else if (deadKeys.has(key) || failed) result.deadLettered++;
    else {
      result.lost++;
      result.lostKeys.push(key);
      result.lostWhy.push(`${key}: claim ${state ?? 'none'}, replies [${replies.join('; ')}]`);
    }
  }
  return result;
}

/** A burst of messages from `count / 4` phones, four each; the ids are the gateway's inbound message ids. */
export function burst(count: number, phoneBase: number, seed: number): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `chaos-${seed}-${i}`;
    const from = `+86139${String(phoneBase + Math.floor(i / 4)).padStart(8, '0')}`;
    return {
      key,
      event: snsEvent({
        message: twoWaySms({ from, body: TEXTS[i % TEXTS.length]!, inboundMessageId: key }),
        messageId: `sns-${key}`,
      }),
    };
  });
}

export const inboundBurst: Scenario = {
  name: 'inbound',
  title: 'inbound SMS burst',
  async run(ctx, o) {
    const count = o.quick ? 24 : 200;
    const items = burst(count, 1000, o.seed);
    const row = emptyRow(this.title, o.faults);
    const job = { scenario: 'inbound' as const, faults: o.faults, rate: o.rate, seed: o.seed };
    // About ten table requests a message: the kill lands somewhere in the burst.
    const first = await runChild(ctx, {
      ...job,
      phase: 'first',
      killAt: killPoint(o.random, count, count * 8),
      input: { items },
    });
    const reports: ChildReport[] = [first];
    const dead = new Map(first.dead.map((d) => [d.key, d.record]));
    const acked = new Set([...first.acked, ...dead.keys()]);
    // What AWS would run again: the events Lambda never finished (their invocation died with
    // the process), and the replies recorded but never acknowledged by the sender.
    const before = await tallyInbound(
      ctx,
      items.map((i) => i.key),
      new Set(dead.keys()),
    );
    const rerun = await runChild(ctx, {
      ...job,
      phase: 'rerun',
      input: { items: items.filter((i) => !acked.has(i.key)), queued: before.queued },
    });
    reports.push(rerun);
    for (const d of rerun.dead) if (!d.key.startsWith('sms:')) dead.set(d.key, d.record);
    const tally = await tallyInbound(
      ctx,
      items.map((i) => i.key),
      new Set(dead.keys()),
      first.gatewayAtKill,
    );
    Object.assign(row, {
      tried: count,
      completed: tally.completed,
      deadLettered: tally.deadLettered,
      duplicated: tally.duplicated,
      cutOff: tally.cutOff,
      lost: tally.lost,
      killedAt: first.killedAt ? `request ${first.killedAt}` : '-',
      ...retriesOf(...reports),
    });
    if (tally.lostKeys.length) row.notes.push(`lost: ${tally.lostWhy.slice(0, 5).join(' | ')}`);
    if (dead.size) row.replayed = await replayInbound(ctx, job, dead);
    return row;
  },
};

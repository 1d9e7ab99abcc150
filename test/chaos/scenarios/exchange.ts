/**
 * (d) An exchange matching burst: sellers and buyers of barley in one county (registered and
 * vouched for, so their offers open at once) post offers by SMS at the same time, through the
 * sms-inbound handler as in the inbound burst; each opened offer is matched nearest-first and
 * both owners of a pair are told. Killed and rerun as the inbound burst.
 *
 * Counted from the table and the gateway stand-in: each offer message completed (claim done,
 * reply sent); each matched pair (its marker in the table) told to both owners once — a marker
 * without both notices sent is lost, a notice sent twice (by id, or the same text to the same
 * number) duplicated.
 */
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { outboundIdFor } from '#core/sms/message-jobs.ts';
import { globalAdmin } from '#core/staff/roles.ts';
import { twoWaySms } from '#test/fixtures/eum-events.ts';
import { snsEvent } from '#test/fixtures/sns-event.ts';
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
import type { ChildReport } from '../types.ts';
import { replayInbound, tallyInbound } from './inbound.ts';

const admin = { actor: { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true } };

/** The pairs matched (their markers, written once per pair): a harness read, so a Scan is fine here. */
async function matchedPairs(ctx: ChaosContext): Promise<Array<[string, string]>> {
  const pairs: Array<[string, string]> = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ctx.db.send(
      new ScanCommand({
        TableName: ctx.config.TABLE_NAME,
        FilterExpression: 'begins_with(pk, :p)',
        ExpressionAttributeValues: { ':p': 'LSTPAIR#' },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      const [, a, b] = String(item.pk).split('#');
      pairs.push([a!, b!]);
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return pairs;
}

export const exchangeBurst: Scenario = {
  name: 'exchange',
  title: 'exchange matching burst',
  async run(ctx, o) {
    const count = o.quick ? 8 : 60;
    const phones = Array.from(
      { length: count },
      (_, i) => `+86136${String(o.seed % 1000).padStart(3, '0')}${String(i).padStart(5, '0')}`,
    );
    for (const [i, from] of phones.entries()) {
      await ctx.stack.deps.handleInbound({
        gateway: 'setup',
        messageId: `join-${i}`,
        from,
        text: 'JOIN Gyantse',
        receivedAt: new Date().toISOString(),
      });
      await ctx.stack.deps.exchange.vouch(admin, from);
    }
    const items = phones.map((from, i) => {
      const key = `offer-${o.seed}-${i}`;
      const body = i % 2 ? `BUY BARLEY ${400 + i} JIN 4.5` : `SELL BARLEY ${500 + i} JIN 4.2`;
      return {
        key,
        event: snsEvent({ message: twoWaySms({ from, body, inboundMessageId: key }), messageId: `sns-${key}` }),
      };
    });
    const row = emptyRow(this.title, o.faults);
    const job = { scenario: 'exchange' as const, faults: o.faults, rate: o.rate, seed: o.seed };
    const first = await runChild(ctx, {
      ...job,
      phase: 'first',
      killAt: killPoint(o.random, count * 4, count * 20),
      input: { items },
    });
    const dead = new Map(first.dead.map((d) => [d.key, d.record]));
    const acked = new Set([...first.acked, ...dead.keys()]);
    const keys = items.map((i) => i.key);
    // Every SMS recorded and never sent (replies and notices): SQS hands it to the sender again.
    const queued: string[] = [];
    for (const phone of phones)
      for (const m of await ctx.stack.deps.outbound.listTo(phone, 50)) if (m.status === 'queued') queued.push(m.id);
    const rerun = await runChild(ctx, {
      ...job,
      phase: 'rerun',
      input: { items: items.filter((i) => !acked.has(i.key)), queued },
    });
    const reports: ChildReport[] = [first, rerun];
    for (const d of rerun.dead) if (!d.key.startsWith('sms:')) dead.set(d.key, d.record);
    const offers = await tallyInbound(ctx, keys, new Set(dead.keys()), first.gatewayAtKill);
    // What exhausted its retries is replayed (npm run replay), as the operator would, before the
    // notices are counted: a dead-lettered offer may have matched and recorded its notices
    // without handing them to the queue, and its replay hands them over (counted as lost if not).
    let waitingOnReplay = 0;
    if (dead.size) {
      for (const [a, b] of await matchedPairs(ctx))
        for (const [own, other] of [
          [a, b],
          [b, a],
        ] as const)
          if ((await outboundItem(ctx, outboundIdFor(`exchange:match:${own}:${other}`)))?.status === 'queued')
            waitingOnReplay++;
      row.replayed = await replayInbound(ctx, job, dead);
    }
    if (waitingOnReplay) row.notes.push(`${waitingOnReplay} match notices waited for the replay`);

    // Every matched pair told to both owners, once.
    const { sides } = gatewaySendsAround(ctx.eum, first.gatewayAtKill);
    let noticesCutOff = 0;
    const pairs = await matchedPairs(ctx);
    let noticesLost = 0;
    const noticesLostWhy: string[] = [];
    let noticesDuplicated = 0;
    for (const [a, b] of pairs) {
      for (const [own, other] of [
        [a, b],
        [b, a],
      ] as const) {
        const id = outboundIdFor(`exchange:match:${own}:${other}`);
        const item = await outboundItem(ctx, id);
        const side = sides.get(id) ?? { before: 0, after: 0 };
        const sent = side.before + side.after;
        noticesDuplicated += Math.max(0, side.before - 1) + Math.max(0, side.after - 1);
        if (side.before && side.after) noticesCutOff++;
        if (!item || (item.status !== 'failed' && sent === 0)) {
          noticesLost++;
          noticesLostWhy.push(`${own}→${other}: ${item ? `${item.status}, never sent` : 'never recorded'}`);
        }
      }
    }
    // The same text to the same number twice (a notice under another id, say).
    // Counted on each side of the kill apart: one send each side is a cut-off send, counted above.
    const seen = new Map<string, number>();
    ctx.eum.requests.forEach((r, i) => {
      if (r.operation !== 'SendTextMessage') return;
      const side = first.gatewayAtKill !== undefined && i < first.gatewayAtKill ? 'before' : 'after';
      const k = `${side}\u0000${r.body.DestinationPhoneNumber}\u0000${r.body.MessageBody}`;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    });
    const sameText = [...seen.values()].reduce((n, c) => n + Math.max(0, c - 1), 0);

    Object.assign(row, {
      tried: count,
      completed: offers.completed,
      deadLettered: offers.deadLettered,
      duplicated: offers.duplicated + Math.max(noticesDuplicated, sameText),
      cutOff: offers.cutOff + noticesCutOff,
      lost: offers.lost + noticesLost,
      killedAt: first.killedAt ? `request ${first.killedAt}` : '-',
      ...retriesOf(...reports),
    });
    row.notes.push(`${pairs.length} pairs matched, ${pairs.length * 2 - noticesLost} of their notices sent`);
    if (noticesLost)
      row.notes.push(
        `${noticesLost} match notices lost (pair claimed, owner never told): ${noticesLostWhy.slice(0, 4).join(' | ')}`,
      );
    if (offers.lostKeys.length) row.notes.push(`offers lost: ${offers.lostWhy.slice(0, 4).join(' | ')}`);
    if (offers.duplicated) row.notes.push(`${offers.duplicated} offer replies sent twice`);
    if (noticesDuplicated) row.notes.push(`${noticesDuplicated} match notices sent twice`);
    if (sameText) {
      const twice = [...seen.entries()].filter(([, c]) => c > 1).map(([k]) => k.split('\u0000').slice(1).join(': '));
      row.notes.push(`the same text to the same number twice: ${twice.slice(0, 3).join(' | ')}`);
    }
    return row;
  },
};

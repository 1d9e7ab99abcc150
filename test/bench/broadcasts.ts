/**
 * Broadcast figures, each beside a baseline from the same run:
 *
 * 1. Preview of an audience of 100,000 subscribers (all seven prefectures, everyone): the
 *    DynamoDB requests it makes (counted by a middleware on the service's own client: real
 *    requests to dynalite) and its time in process (p50), beside the same at 1,000.
 * 2. Fan-out of 100,000 recipients (gateway and queue excluded: a queue that only counts):
 *    recipients recorded and queued per second, and DynamoDB requests per recipient, beside
 *    the fan-out of 1,000.
 * 3. Kills: a fan-out of 2,000 recipients whose DynamoDB client fails at a random request, run
 *    again after each of 5 kills, then sent through the real paced queue and local gateway:
 *    SMS per recipient (must be exactly 1), beside the run without kills.
 *
 * Subscribers are written straight into the audience index and its counters in the
 * repository's own item layout (audienceItem, audienceCountItem), in batches: 100,000 JOINs
 * through the SMS pipeline would take many minutes and measure nothing of broadcasts.
 */
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { audienceCountItem, audienceItem, DynamoAudienceReader } from '#adapters/dynamodb/audience.ts';
import { DynamoBroadcastStore } from '#adapters/dynamodb/broadcast-store.ts';
import { DynamoSmsBudget } from '#adapters/dynamodb/counters.ts';
import { subscriberKey } from '#adapters/dynamodb/keys.ts';
import { DynamoOutboundStore } from '#adapters/dynamodb/outbound-store.ts';
import { EVERYONE } from '#core/broadcasts/broadcast.ts';
import { createBroadcasts } from '#core/broadcasts/broadcasts.ts';
import type { BroadcastInput, BroadcastService } from '#core/broadcasts/service.ts';
import { defaultBroadcastSettings } from '#core/broadcasts/settings.ts';
import { mapLimited } from '#core/limited.ts';
import type { Language } from '#core/reference/schemas.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { globalAdmin } from '#core/staff/roles.ts';
import type { Script } from '#core/subscribers/subscriber.ts';
import { toWylie } from '#core/text/wylie.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { type Figure, figure } from './report.ts';
import { percentile, seededRandom } from './stats.ts';

export interface BroadcastBenchOptions {
  sizes: [number, number];
  previews: number;
  /** Recipients of the kill test, and how many kills. */
  kills: { recipients: number; kills: number };
}

const n = (v: number) => v.toLocaleString('en-US');
/** Noon in Asia/Shanghai: outside quiet hours whenever the bench runs. */
const NOON = new Date('2026-12-07T04:00:00Z');
const acting = { actor: { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true } };

const texts = {
  bo: 'སད་ཀྱི་ཉེན་བརྡ། དགོང་མོ་ཞིང་ཁར་ཆུ་གཏོང་།',
  zh: '霜冻预警：今晚请给农田灌水，盖好大棚。',
  en: 'Frost warning: water the fields tonight and close the greenhouses.',
};

/** A subscriber of the bench: a county, its prefecture, a language and script, some topics. */
interface Member {
  phone: string;
  county: string;
  prefecture: string;
  language: Language;
  script: Script;
  topics: string[];
}

function members(stackCounties: Array<{ id: string; parentId: string }>, size: number, seed: number): Member[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: size }, (_, i) => {
    const county = stackCounties[Math.floor(rnd() * stackCounties.length)]!;
    const r = rnd();
    // Roughly the project's expected mix: mostly Tibetan readers, some on Wylie phones.
    const language: Language = r < 0.45 ? 'bo' : r < 0.6 ? 'bo' : r < 0.95 ? 'zh' : 'en';
    const script: Script = r >= 0.45 && r < 0.6 ? 'wylie' : 'tibetan';
    const topics = [EVERYONE, ...(rnd() < 0.4 ? ['weather'] : []), ...(rnd() < 0.2 ? ['pest'] : [])];
    return {
      phone: `+86139${String(seed * 1_000_000 + i).padStart(8, '0')}`,
      county: county.id,
      prefecture: county.parentId,
      language,
      script,
      topics,
    };
  });
}

async function writeAll(db: DynamoDBDocumentClient, tableName: string, items: Array<Record<string, unknown>>) {
  const batches: Array<Array<Record<string, unknown>>> = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await mapLimited(batches, 8, async (batch) => {
    let pending: Array<Record<string, unknown>> = batch.map((Item) => ({ PutRequest: { Item } }));
    while (pending.length) {
      const res = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
      pending = (res.UnprocessedItems?.[tableName] as Array<Record<string, unknown>> | undefined) ?? [];
    }
  });
}

/**
 * The index items the fan-out reads (prefecture × `all`, the audience below) and every counter
 * of every level × topic: what the subscriber repository would have written for these members.
 */
async function seedAudience(db: DynamoDBDocumentClient, tableName: string, list: Member[]) {
  const counts = new Map<string, { region: string; topic: string; language: Language; script: Script; n: number }>();
  for (const m of list)
    for (const region of [m.county, m.prefecture])
      for (const topic of m.topics) {
        const key = `${region}|${topic}|${m.language}|${m.script}`;
        const c = counts.get(key) ?? { region, topic, language: m.language, script: m.script, n: 0 };
        c.n++;
        counts.set(key, c);
      }
  await writeAll(db, tableName, [
    ...list.map((m) =>
      audienceItem({ regionId: m.prefecture, topic: EVERYONE, phone: m.phone, language: m.language, script: m.script }),
    ),
    ...[...counts.values()].map((c) => audienceCountItem(c.region, c.topic, c.language, c.script, c.n)),
  ]);
}

/** The broadcast service on its own counting client, with a queue that only counts and a clock at noon. */
function benchService(stack: TestStack, db: DynamoDBDocumentClient, queued: { n: number }) {
  const regionPath = (id: string) => stack.deps.authz.regionPath(id);
  return createBroadcasts({
    authz: stack.deps.authz,
    audit: stack.deps.audit,
    now: () => NOON,
    store: new DynamoBroadcastStore(db, stack.tableName, regionPath),
    audience: new DynamoAudienceReader(db, stack.tableName),
    scheduler: { at: async () => {}, cancel: async () => {} },
    outbound: new DynamoOutboundStore(db, stack.tableName),
    bulkQueue: {
      enqueue: async (messages: OutboundSms[]) => {
        queued.n += messages.length;
      },
    },
    budget: new DynamoSmsBudget(db, stack.tableName),
    dailySegmentLimit: 10_000_000,
    catalog: stack.deps.catalog,
    signature: { signature: '【农牧通】', gsmSignature: '[Zhingdrok]' },
    toWylie: async () => toWylie,
    // No approval step in a bench, and the whole audience in one call of fanOut.
    settings: { ...defaultBroadcastSettings, approvalThreshold: 10_000_000 },
    log: () => {},
  });
}

interface SizeResult {
  size: number;
  previewRequestsMax: number;
  previewP50: number;
  previewRecipients: number;
  fanOutSeconds: number;
  fanOutQueued: number;
  fanOutRequests: number;
}

async function measureSize(size: number, previews: number, log: (m: string) => void): Promise<SizeResult> {
  const stack = await startTestStack();
  try {
    const catalog = await stack.deps.catalog();
    const counties = [...catalog.regions.values()]
      .filter((r) => r.level === 'county' && r.parentId)
      .map((r) => ({ id: r.id, parentId: r.parentId! }));
    const prefectures = [...new Set(counties.map((c) => c.parentId))].sort();
    const list = members(counties, size, size === 1_000 ? 1 : 2);
    const t0 = performance.now();
    await seedAudience(countingDocumentClient(stack).db, stack.tableName, list);
    log(`broadcasts: ${n(size)} subscribers indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    const counting = countingDocumentClient(stack);
    const queued = { n: 0 };
    const service: BroadcastService = benchService(stack, counting.db, queued);
    const input: BroadcastInput = { audience: { regions: prefectures, topics: [], languages: [] }, texts };
    // Warm-up: the catalog, the Wylie transliterator, the client's connections.
    for (let i = 0; i < 5; i++) await service.preview(acting, input);
    const times: number[] = [];
    let previewRequestsMax = 0;
    let previewRecipients = 0;
    for (let i = 0; i < previews; i++) {
      counting.requests = 0;
      const start = performance.now();
      const preview = await service.preview(acting, input);
      times.push(performance.now() - start);
      previewRequestsMax = Math.max(previewRequestsMax, counting.requests);
      previewRecipients = preview.recipients;
    }

    const draft = await service.create(acting, input);
    await service.send(acting, draft.id);
    counting.requests = 0;
    queued.n = 0;
    const start = performance.now();
    let report = await service.fanOut(draft.id, NOON, size * 2);
    // fanOut stops at its limit or the audience's end; a second call finds nothing left.
    while (report.queued > 0 && report.status === 'sending' && queued.n < size)
      report = await service.fanOut(draft.id, NOON, size * 2);
    const fanOutSeconds = (performance.now() - start) / 1000;
    return {
      size,
      previewRequestsMax,
      previewP50: percentile(times, 50),
      previewRecipients,
      fanOutSeconds,
      fanOutQueued: queued.n,
      fanOutRequests: counting.requests,
    };
  } finally {
    await stack.close();
  }
}

/**
 * The kill test: the stack's own DynamoDB client fails one request at a random point of the
 * fan-out; the fan-out is run again after each failure (as the next tick would), and at the end
 * every recipient's SMS goes through the paced queue to the local gateway. SMS per recipient
 * is counted from the outbound store (one message id per broadcast × phone, and its status).
 */
async function killAndRerun(
  options: BroadcastBenchOptions['kills'],
  log: (m: string) => void,
): Promise<{ recipients: number; sent: number; duplicates: number; missing: number; kills: number; runs: number }> {
  const stack = await startTestStack({ SMS_SEND_RATE: '2000', SMS_DAILY_SEGMENT_LIMIT: '10000000' });
  try {
    const catalog = await stack.deps.catalog();
    const counties = [...catalog.regions.values()]
      .filter((r) => r.level === 'county' && r.parentId)
      .map((r) => ({ id: r.id, parentId: r.parentId! }));
    const list = members(counties, options.recipients, 3);
    const prefectures = [...new Set(counties.map((c) => c.parentId))].sort();
    const seedDb = countingDocumentClient(stack).db;
    await seedAudience(seedDb, stack.tableName, list);
    // Subscriber items too: the sender checks STOP on each broadcast SMS.
    await writeAll(
      seedDb,
      stack.tableName,
      list.map((m) => ({
        ...subscriberKey(m.phone),
        kind: 'subscriber',
        phone: m.phone,
        language: m.language,
        script: m.script,
        topics: [],
        optedOut: false,
        createdAt: NOON.toISOString(),
        updatedAt: NOON.toISOString(),
        version: 1,
      })),
    );
    stack.deps.now = () => NOON;
    const service = stack.deps.broadcasts;
    const draft = await service.create(acting, {
      audience: { regions: prefectures, topics: [], languages: [] },
      texts,
    });
    // Approval by a second admin when the audience is over the threshold.
    if (draft.preview.needsApproval)
      await service.approve(
        { actor: { phone: '+8613800000001', grants: [globalAdmin], configAdmin: false } },
        draft.id,
      );

    // The bench is the tick: the one-time schedule that send sets would fan out on the wall
    // clock (quiet hours, or the whole audience at once) beside it.
    stack.deps.broadcastRuntime.scheduler.at = async () => {};
    await service.send(acting, draft.id);

    const db = (stack.deps.prices as unknown as { db: DynamoDBDocumentClient }).db;
    const rnd = seededRandom(7);
    let armedAt = -1;
    let requests = 0;
    db.middlewareStack.add(
      (next) => async (args) => {
        requests += 1;
        if (requests === armedAt) throw new Error('killed (bench)');
        return next(args);
      },
      { step: 'initialize', name: 'benchKill' },
    );
    // What reaches the gateway, per phone: the figure is about SMS sent, not rows written.
    const atGateway = new Map<string, number>();
    const gateway = stack.deps.sender.gateway;
    const send = gateway.send.bind(gateway);
    gateway.send = async (msg) => {
      if (msg.broadcastId === draft.id) atGateway.set(msg.to, (atGateway.get(msg.to) ?? 0) + 1);
      return send(msg);
    };
    let kills = 0;
    let runs = 0;
    // Each run is a tick a minute after the last, fanning out one page (200 recipients); a kill
    // falls on a random request of it (the paced sender's own requests, on the same client,
    // may take it: the queue retries those, and a send cut off after its lease is not retried).
    for (; runs < 100; runs++) {
      const at = new Date(NOON.getTime() + runs * 60_000);
      stack.deps.now = () => at;
      armedAt = kills < options.kills ? requests + 1 + Math.floor(rnd() * 250) : -1;
      let report: Awaited<ReturnType<typeof service.fanOut>> | undefined;
      try {
        report = await service.fanOut(draft.id, at, 200);
      } catch (err) {
        if (!String((err as Error).message).includes('killed')) throw err;
        kills++;
      }
      armedAt = -1;
      await stack.deps.broadcastRuntime.bulkQueue.drain?.();
      if ((await service.get(acting, draft.id)).broadcast.status === 'finished') break;
      // Idle while a cut-off send's lease runs out (real time): wait a little before the next tick.
      if (report && report.queued === 0) await new Promise((r) => setTimeout(r, 2_000));
    }
    db.middlewareStack.remove('benchKill');
    await stack.deps.broadcastRuntime.bulkQueue.drain?.();
    let sent = 0;
    let duplicates = 0;
    let missing = 0;
    await mapLimited(list, 8, async (m) => {
      const messages = await stack.deps.outbound.listTo(m.phone, 10);
      const rows = messages.filter((x) => x.broadcastId === draft.id).length;
      const out = atGateway.get(m.phone) ?? 0;
      sent += out;
      if (out > 1 || rows > 1) duplicates++;
      if (out === 0) missing++;
    });
    log(`broadcasts: kill test ${kills} kills over ${runs} runs; ${n(sent)} sent to ${n(list.length)} recipients`);
    return { recipients: list.length, sent, duplicates, missing, kills, runs };
  } finally {
    await stack.close();
  }
}

export async function broadcastSection(
  options: BroadcastBenchOptions,
  log: (m: string) => void,
): Promise<{ figures: Figure[]; notes: string[] }> {
  const results: SizeResult[] = [];
  for (const size of options.sizes) results.push(await measureSize(size, options.previews, log));
  const [small, large] = results as [SizeResult, SizeResult];
  const at = (r: SizeResult) => `at ${n(r.size)} subscribers`;
  const perSecond = (r: SizeResult) => r.fanOutQueued / r.fanOutSeconds;
  const perRecipient = (r: SizeResult) => r.fanOutRequests / Math.max(1, r.fanOutQueued);
  const figures: Figure[] = [
    figure({
      group: 'broadcasts',
      name: `preview: DynamoDB requests (max) ${at(large)}`,
      value: large.previewRequestsMax,
      unit: 'count',
      baseline: { name: at(small), value: small.previewRequestsMax },
      target: { of: 'value', op: '<=', limit: 20 },
    }),
    figure({
      group: 'broadcasts',
      name: `preview: p50 in process ${at(large)}`,
      value: large.previewP50,
      unit: 'ms',
      baseline: { name: `p50 ${at(small)}`, value: small.previewP50 },
      target: { of: 'value', op: '<=', limit: 200 },
    }),
    figure({
      group: 'broadcasts',
      name: `fan-out: recipients queued per second ${at(large)}`,
      value: perSecond(large),
      unit: 'msg/s',
      baseline: { name: at(small), value: perSecond(small) },
      note: 'gateway and queue excluded: each SMS recorded once (a conditional put) and handed to a counting queue',
    }),
    figure({
      group: 'broadcasts',
      name: `fan-out: DynamoDB requests per recipient ${at(large)}`,
      value: perRecipient(large),
      unit: 'count',
      baseline: { name: at(small), value: perRecipient(small) },
      target: { of: 'value', op: '<=', limit: 2 },
    }),
  ];
  const kills = await killAndRerun(options.kills, log);
  figures.push(
    figure({
      group: 'broadcasts',
      name: `fan-out killed ${kills.kills}× and rerun: recipients the gateway got more than one SMS for (of ${n(kills.recipients)})`,
      value: kills.duplicates,
      unit: 'count',
      baseline: { name: 'recipients who got none (a send cut off mid-way is not retried)', value: kills.missing },
      target: { of: 'value', op: '<=', limit: 0 },
    }),
  );
  const notes = [
    `broadcasts: preview recipients ${n(large.previewRecipients)} ${at(large)} (${n(small.previewRecipients)} ${at(small)}); ` +
      `fan-out of ${n(large.fanOutQueued)} in ${large.fanOutSeconds.toFixed(1)} s, ${n(large.fanOutRequests)} requests ` +
      `(${n(small.fanOutQueued)} in ${small.fanOutSeconds.toFixed(2)} s, ${n(small.fanOutRequests)} requests ${at(small)})`,
    `broadcasts: kill test — ${kills.kills} kills over ${kills.runs} runs; ${n(kills.sent)} SMS sent to ${n(kills.recipients)} recipients, ` +
      `${kills.duplicates} with more than one, ${kills.missing} with none`,
  ];
  return { figures, notes };
}

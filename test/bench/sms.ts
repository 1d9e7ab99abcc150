/**
 * SMS figures on the local stack (dynalite in memory, reference data seeded), gateway excluded:
 * the inbound pipeline called directly (deps.handleInbound: claim, rate counter, subscriber,
 * parse, act, compose, record, local send, complete), sequentially for latency and with 10 at
 * a time for throughput, each beside a bare GetItem + PutItem on the same dynalite; and the
 * segments of the HELP, JOIN, LANG and STOP replies per language, beside the same text
 * without the sender signature.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { composeSms } from '#core/sms/compose-sms.ts';
import { handleInboundSms } from '#core/sms/handle-inbound.ts';
import type { InboundSms, OutboundSms } from '#core/sms/messages.ts';
import { createMessenger } from '#core/sms/messenger.ts';
import { toWylie } from '#core/text/wylie.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { type Figure, figure } from './report.ts';
import { median, percentile } from './stats.ts';

export interface SmsBenchOptions {
  /** Messages per run (sequential, then concurrent), each from a number of its own. */
  messages: number;
  warmup: number;
  concurrency: number;
}

/** A mix of commands, languages and scripts, bad input and typos included, as farmers send them. */
const MIX = [
  'HELP',
  '帮助',
  'རོགས་རམ',
  'rogs ram',
  'JOIN Gyantse',
  '注册 江孜',
  'ཐོ་འགོད རྒྱལ་རྩེ',
  "tho 'god rgyal rtse",
  'LANG ZH',
  '语言 藏语',
  'SCRIPT WYLIE',
  'SUB PRICE BARLEY',
  '订阅 天气',
  'མངགས་ཉོ ནས',
  'UNSUB PEST',
  'STOP',
  '退订',
  'START',
  'JOIN Gyantze',
  'HLEP',
  '',
  '😀🌾',
];

let counter = 0;
const message = (i: number, run: string): InboundSms => ({
  gateway: 'bench',
  messageId: `${run}-${i}`,
  from: `+86139${String(++counter).padStart(8, '0')}`,
  text: MIX[i % MIX.length]!,
  receivedAt: new Date().toISOString(),
});

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Runs `count` jobs with `concurrency` at a time; per-job times and the wall time. */
async function pool(
  count: number,
  concurrency: number,
  job: (i: number) => Promise<unknown>,
): Promise<{ times: number[]; wallMs: number }> {
  const times: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        times.push(await timed(() => job(i)));
      }
    }),
  );
  return { times, wallMs: performance.now() - t0 };
}

interface Measured {
  p50: number;
  p99: number;
  perSec: number;
}
const summarise = ({ times, wallMs }: { times: number[]; wallMs: number }): Measured => ({
  p50: median(times),
  p99: percentile(times, 99),
  perSec: (times.length / wallMs) * 1000,
});

/**
 * Counts the table requests the stack's adapters make (they share one document client), to
 * show what a message costs beside the baseline's two.
 */
function countRequests(stack: TestStack): { count: () => number } {
  const db = (stack.deps.subscribers as unknown as { db: { send: (...args: unknown[]) => Promise<unknown> } }).db;
  let n = 0;
  const send = db.send.bind(db);
  db.send = (...args: unknown[]) => {
    n++;
    return send(...args);
  };
  return { count: () => n };
}

async function pipeline(stack: TestStack, opts: SmsBenchOptions) {
  let replies = 0;
  const run = (tag: string) => async (i: number) => {
    const result = await stack.deps.handleInbound(message(i, tag));
    if (result.duplicate || result.replies.length !== 1)
      throw new Error(`message ${i} (${JSON.stringify(MIX[i % MIX.length])}) caused ${result.replies.length} replies`);
    replies++;
  };
  const requests = countRequests(stack);
  await pool(opts.warmup, opts.concurrency, run('warm'));
  const before = requests.count();
  const sequential = summarise(await pool(opts.messages, 1, run('seq')));
  const requestsPerMessage = (requests.count() - before) / opts.messages;
  const concurrent = summarise(await pool(opts.messages, opts.concurrency, run('conc')));
  return { sequential, concurrent, replies, requestsPerMessage };
}

/**
 * The same pipeline with a queue that only collects, as the inbound Lambda hands replies to
 * SQS in AWS: what is left when the sending stage (and with it the gateway) is excluded.
 */
async function upToTheQueue(stack: TestStack, opts: SmsBenchOptions) {
  const d = stack.deps;
  const messenger = createMessenger({
    subscribers: d.subscribers,
    outbound: d.outbound,
    queue: { enqueue: async () => {} },
    signature: { signature: d.smsSettings.signature, gsmSignature: d.smsSettings.gsmSignature },
    toWylie,
    now: d.now,
  });
  const deps = {
    claims: d.claims,
    subscribers: d.subscribers,
    outbound: d.outbound,
    rateLimiter: d.rateLimiter,
    messenger,
    catalog: d.catalog,
    inboundPerHour: d.smsSettings.inboundPerHour,
    now: d.now,
    log: () => {},
  };
  const run = (tag: string) => async (i: number) => {
    const result = await handleInboundSms(deps, message(i, tag));
    if (result.replies.length !== 1) throw new Error(`message ${i} caused ${result.replies.length} replies`);
  };
  await pool(opts.warmup, opts.concurrency, run('q-warm'));
  const sequential = summarise(await pool(opts.messages, 1, run('q-seq')));
  const concurrent = summarise(await pool(opts.messages, opts.concurrency, run('q-conc')));
  return { sequential, concurrent };
}

async function bareGetPut(stack: TestStack, opts: SmsBenchOptions) {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  const pair = (tag: string) => async (i: number) => {
    const Key = { pk: `BENCH#${tag}#${i}`, sk: 'BENCH' };
    await db.send(new GetCommand({ TableName: stack.tableName, Key, ConsistentRead: true }));
    await db.send(new PutCommand({ TableName: stack.tableName, Item: { ...Key, n: i } }));
  };
  try {
    await pool(opts.warmup, opts.concurrency, pair('warm'));
    const sequential = summarise(await pool(opts.messages, 1, pair('seq')));
    const concurrent = summarise(await pool(opts.messages, opts.concurrency, pair('conc')));
    return { sequential, concurrent };
  } finally {
    db.destroy();
  }
}

/** HELP, JOIN (every county, the longest reply counted), LANG and STOP per language, through the pipeline. */
async function segmentsPerReply(stack: TestStack) {
  const ways = {
    en: { help: 'HELP', join: (r: Names) => `JOIN ${r.en}`, lang: 'LANG EN', stop: 'STOP', limit: 1 },
    zh: { help: '帮助', join: (r: Names) => `注册 ${r.zh}`, lang: '语言 中文', stop: '退订', limit: 1 },
    bo: { help: 'རོགས་རམ', join: (r: Names) => `ཐོ་འགོད ${r.bo}`, lang: 'སྐད་ཡིག བོད་སྐད', stop: 'མཚམས་འཇོག', limit: 2 },
    'bo (Wylie)': {
      help: 'rogs ram',
      join: (r: Names) => `tho 'god ${r.wylie}`,
      lang: 'skad yig bod skad',
      stop: "mtshams 'jog",
      limit: 2,
    },
  } as const;
  type Names = { en: string; zh: string; bo: string; wylie: string };
  const regions = [...(await stack.deps.catalog()).regions.values()].map((r) => ({ ...r.names, wylie: r.wylie }));
  let n = 0;
  const send = async (from: string, text: string): Promise<OutboundSms> => {
    const { replies } = await stack.deps.handleInbound({
      gateway: 'bench-seg',
      messageId: `seg-${n++}`,
      from,
      text,
      receivedAt: new Date().toISOString(),
    });
    if (replies.length !== 1) throw new Error(`${JSON.stringify(text)} caused ${replies.length} replies`);
    return replies[0]!;
  };
  const rows: Array<{ lang: string; command: string; reply: OutboundSms; bare: number; limit: number; note?: string }> =
    [];
  for (const [lang, way] of Object.entries(ways)) {
    const from = `+86138${String(++counter).padStart(8, '0')}`;
    const sub = async () => (await stack.deps.subscribers.get(from))!;
    /** The same message without the signature: what the signature costs. */
    const bare = async (reply: OutboundSms) => {
      const s = await sub();
      const lines = [{ key: reply.key, params: reply.params }];
      return composeSms(
        { lang: s.language, script: s.script, lines, footer: false, maxSegments: 2 },
        { signature: '', gsmSignature: '' },
        toWylie,
      ).segments;
    };
    const help = await send(from, way.help);
    rows.push({ lang, command: 'HELP', reply: help, bare: await bare(help), limit: way.limit });
    let worst: OutboundSms | undefined;
    for (const region of regions) {
      const reply = await send(from, way.join(region));
      if (reply.key !== 'join.ok') throw new Error(`${way.join(region)} → ${reply.text}`);
      if (
        !worst ||
        reply.segments > worst.segments ||
        (reply.segments === worst.segments && reply.text.length > worst.text.length)
      )
        worst = reply;
    }
    rows.push({
      lang,
      command: `JOIN (longest of ${regions.length} places)`,
      reply: worst!,
      bare: await bare(worst!),
      limit: way.limit,
      note: worst!.text,
    });
    const langReply = await send(from, way.lang);
    rows.push({ lang, command: 'LANG', reply: langReply, bare: await bare(langReply), limit: way.limit });
    const stop = await send(from, way.stop);
    rows.push({ lang, command: 'STOP', reply: stop, bare: await bare(stop), limit: way.limit });
  }
  return rows;
}

export async function smsSection(opts: SmsBenchOptions): Promise<{ figures: Figure[]; notes: string[] }> {
  // A limit no bench run reaches: the rate limiter is counted, never hit.
  const stack = await startTestStack({ SMS_INBOUND_PER_HOUR: '100000' });
  try {
    const { sequential, concurrent, replies, requestsPerMessage } = await pipeline(stack, opts);
    const queued = await upToTheQueue(stack, opts);
    const bare = await bareGetPut(stack, opts);
    const segments = await segmentsPerReply(stack);
    const c = opts.concurrency;
    const base = (m: Measured, what: 'p50' | 'p99' | 'perSec') => ({ name: 'bare GetItem+PutItem', value: m[what] });
    const figures: Figure[] = [
      // The figure is the inbound pipeline with the gateway excluded: receive, dedup,
      // subscriber, rate limit, parse, act, compose, record and queue — where the inbound
      // Lambda's work ends in AWS. Locally the queue sends at once (lease, budget, status,
      // gateway); that fuller path is shown beside it, without a target.
      figure({
        group: 'sms',
        name: 'inbound pipeline, gateway excluded, p50, sequential',
        value: queued.sequential.p50,
        unit: 'ms',
        baseline: base(bare.sequential, 'p50'),
        target: { of: 'value', op: '<=', limit: 10 },
      }),
      figure({
        group: 'sms',
        name: `inbound pipeline, gateway excluded, throughput (c=${c})`,
        value: queued.concurrent.perSec,
        unit: 'msg/s',
        baseline: base(bare.concurrent, 'perSec'),
        target: { of: 'value', op: '>=', limit: 200 },
      }),
      figure({
        group: 'sms',
        name: 'with the local sender, p50, sequential',
        value: sequential.p50,
        unit: 'ms',
        baseline: base(bare.sequential, 'p50'),
      }),
      figure({
        group: 'sms',
        name: 'with the local sender, p99, sequential',
        value: sequential.p99,
        unit: 'ms',
        baseline: base(bare.sequential, 'p99'),
      }),
      figure({
        group: 'sms',
        name: `with the local sender, throughput (c=${c})`,
        value: concurrent.perSec,
        unit: 'msg/s',
        baseline: base(bare.concurrent, 'perSec'),
      }),
      figure({
        group: 'sms',
        name: `with the local sender, p50 (c=${c})`,
        value: concurrent.p50,
        unit: 'ms',
        baseline: base(bare.concurrent, 'p50'),
      }),
      figure({
        group: 'sms',
        name: 'table requests per message',
        value: Math.round(requestsPerMessage * 10) / 10,
        unit: 'count',
        baseline: { name: 'bare GetItem+PutItem', value: 2 },
        note: 'claim, subscriber, rate counter, subscriber write, reply record, then the local sender (read, lease, budget, status), claim done',
      }),
      ...segments.map((r) =>
        figure({
          group: 'sms',
          name: `segments, ${r.command} reply, ${r.lang}`,
          value: r.reply.segments,
          unit: 'count',
          baseline: { name: 'same text unsigned', value: r.bare },
          target: { of: 'value', op: '<=', limit: r.limit },
          ...(r.note ? { note: `${r.reply.encoding}: ${r.note}` } : {}),
        }),
      ),
    ];
    const notes = [
      `sms: ${opts.messages} messages sequentially, then ${opts.messages} ${c} at a time, after ${opts.warmup} warm-up; every message from a new number (so each registers one), ` +
        `${MIX.length} kinds in turn (bo, zh, en, Wylie; typos, empty, emoji); ${replies} replies, all recorded and sent through the local outbox gateway; dynalite in memory, in this process`,
    ];
    return { figures, notes };
  } finally {
    await stack.close();
  }
}

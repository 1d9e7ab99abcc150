/**
 * `npm run bench -- --only=cost`: the measured inputs of the cost model (docs/cost.md,
 * test/bench/cost-model.ts), on the local stack (dynalite in memory, s3rver), each operation run
 * through the code the Lambdas run:
 *
 * - DynamoDB per operation: requests by command, and read and write request units as the table
 *   reports them (every request asks for ReturnConsumedCapacity=TOTAL through a middleware on the
 *   stack's one document client; dynalite sizes items as DynamoDB does). What DynamoDB bills and
 *   dynalite does not report is added by the middleware and said so: a write to an item that
 *   carries a secondary index's key writes that index too (one unit per index, items here are
 *   under 1 KB), a conditional write that fails still costs its unit, and a read that finds
 *   nothing still costs its minimum.
 * - time per operation in process (p50): the handler's work with the store local, the Lambda
 *   duration's floor.
 * - SMS segments per language and script of the PRICE reply, a broadcast alert and the price
 *   digest, as the composer and segmenter of functions/core/sms/ build them (signature included).
 *
 * Inbound SMS run the whole local pipeline, the send stage included (in AWS the sms-send Lambda
 * does that part: its requests are counted here with the message's).
 */

import { runJob } from '#core/alerts/jobs.ts';
import type { Broadcast } from '#core/broadcasts/broadcast.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import { globalAdmin } from '#core/staff/roles.ts';
import { type Api, day, priceStaff } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';
import { type Figure, figure } from './report.ts';
import { type SectionResult, seedPagePrices } from './sections.ts';
import { median } from './stats.ts';

export interface CostBenchOptions {
  /** Runs of each operation measured (after two unmeasured). */
  runs: number;
  /** Subscribers of the digest and recipients of the broadcast. */
  audience: number;
}

/** What one or more operations cost the table. */
export interface Meter {
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  /** Of writeUnits: the secondary indexes' writes and failed conditional writes (not reported by dynalite). */
  addedWriteUnits: number;
}

const emptyMeter = (): Meter => ({ requests: {}, readUnits: 0, writeUnits: 0, addedWriteUnits: 0 });

const INDEX_KEYS = ['gsi1pk', 'gsi2pk', 'gsi3pk', 'gsi4pk', 'gsi5pk'];
const isRead = (command: string) => /^(Get|BatchGet|Query|Scan)/.test(command);

/** Indexes a write touches: those whose partition key the item carries or the update sets. */
function indexesWritten(input: Record<string, unknown>): number {
  const item = input.Item as Record<string, unknown> | undefined;
  if (item) return INDEX_KEYS.filter((k) => k in item).length;
  const names = Object.values((input.ExpressionAttributeNames as Record<string, string> | undefined) ?? {});
  const expression = String(input.UpdateExpression ?? '');
  return INDEX_KEYS.filter((k) => names.includes(k) || expression.includes(k)).length;
}

type Capacity = { CapacityUnits?: number } | Array<{ CapacityUnits?: number }> | undefined;
const units = (c: Capacity) =>
  Array.isArray(c) ? c.reduce((s, x) => s + (x.CapacityUnits ?? 0), 0) : (c?.CapacityUnits ?? 0);

interface MiddlewareClient {
  middlewareStack: {
    add: (
      mw: (
        next: (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
        context: { commandName?: string },
      ) => (args: { input: Record<string, unknown> }) => Promise<{ output: Record<string, unknown> }>,
      options: { step: 'initialize'; name: string },
    ) => void;
  };
}

/** Meters the stack's one document client (every adapter shares it): a middleware, not a mock. */
function meterStack(stack: TestStack): { take: () => Meter } {
  const db = (stack.deps.subscribers as unknown as { db: MiddlewareClient }).db;
  let meter = emptyMeter();
  db.middlewareStack.add(
    (next, context) => async (args) => {
      const command = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      meter.requests[command] = (meter.requests[command] ?? 0) + 1;
      const batch = 'RequestItems' in args.input;
      const input = { ...args.input, ReturnConsumedCapacity: 'TOTAL' };
      try {
        const result = await next({ ...args, input });
        const used = units(result.output.ConsumedCapacity as Capacity);
        // A Query that finds nothing still costs its minimum (half a unit, eventually consistent); dynalite reports 0.
        if (isRead(command)) meter.readUnits += Math.max(used, args.input.ConsistentRead ? 1 : 0.5);
        else {
          const added = batch ? 0 : indexesWritten(args.input);
          meter.writeUnits += used + added;
          meter.addedWriteUnits += added;
        }
        return result;
      } catch (err) {
        if ((err as Error).name === 'ConditionalCheckFailedException') {
          meter.writeUnits += 1;
          meter.addedWriteUnits += 1;
        }
        throw err;
      }
    },
    { step: 'initialize', name: 'meterCapacity' },
  );
  return {
    take() {
      const m = meter;
      meter = emptyMeter();
      return m;
    },
  };
}

export interface OperationCost {
  name: string;
  /** Per operation: averages over the runs. */
  requests: Record<string, number>;
  readUnits: number;
  writeUnits: number;
  addedWriteUnits: number;
  /** In process, per operation. */
  p50Ms: number;
  runs: number;
}

const perOp = (m: Meter, n: number, name: string, times: number[]): OperationCost => ({
  name,
  requests: Object.fromEntries(Object.entries(m.requests).map(([k, v]) => [k, v / n])),
  readUnits: m.readUnits / n,
  writeUnits: m.writeUnits / n,
  addedWriteUnits: m.addedWriteUnits / n,
  p50Ms: median(times),
  runs: n,
});

/** Two unmeasured runs, then `runs` measured: the meter and the time of each, summed. */
async function measure(
  meter: { take: () => Meter },
  name: string,
  runs: number,
  op: (i: number) => Promise<void>,
): Promise<OperationCost> {
  for (let i = 0; i < 2; i++) await op(-1 - i);
  meter.take();
  const times: number[] = [];
  const total = emptyMeter();
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await op(i);
    times.push(performance.now() - t0);
    const m = meter.take();
    for (const [k, v] of Object.entries(m.requests)) total.requests[k] = (total.requests[k] ?? 0) + v;
    total.readUnits += m.readUnits;
    total.writeUnits += m.writeUnits;
    total.addedWriteUnits += m.addedWriteUnits;
  }
  return perOp(total, runs, name, times);
}

export interface Segments {
  message: string;
  /** Segments by reader: bo (Tibetan script), wylie (bo in Wylie), zh, en. */
  bo: number;
  wylie: number;
  zh: number;
  en: number;
}

/** The baseline operation: what the stack costs a request that reads one item. */
const HEALTH = 'GET /health';

const ADMIN_ACTING = { actor: { phone: '+8613800000000', grants: [globalAdmin], configAdmin: true } };

/** The broadcast bench's frost warning (test/bench/broadcasts.ts): a typical alert's length. */
const ALERT = {
  bo: 'སད་ཀྱི་ཉེན་བརྡ། དགོང་མོ་ཞིང་ཁར་ཆུ་གཏོང་།',
  zh: '霜冻预警：今晚请给农田灌水，盖好大棚。',
  en: 'Frost warning: water the fields tonight and close the greenhouses.',
};

/** JOIN and language commands that make a subscriber of Gyantse reading each script. */
const READERS = {
  bo: ['ཐོ་འགོད རྒྱལ་རྩེ'],
  wylie: ['ཐོ་འགོད རྒྱལ་རྩེ', 'SCRIPT WYLIE'],
  zh: ['注册 江孜'],
  en: ['JOIN Gyantse'],
} as const;
type Reader = keyof typeof READERS;
const readers = Object.keys(READERS) as Reader[];

let numbers = 0;
const phone = () => `+86137${String(60_000_000 + numbers++).padStart(8, '0')}`;
let messageIds = 0;

async function sms(stack: TestStack, from: string, text: string) {
  const msg: InboundSms = {
    gateway: 'bench',
    messageId: `cost-${messageIds++}`,
    from,
    text,
    receivedAt: new Date().toISOString(),
  };
  return stack.deps.handleInbound(msg);
}

async function ok(res: Response, what: string): Promise<string> {
  const body = await res.text();
  if (res.status >= 300) throw new Error(`${what} answered ${res.status}: ${body}`);
  return body;
}

export interface CostMeasurements {
  operations: OperationCost[];
  segments: Segments[];
  audience: number;
}

export async function measureCosts(opts: CostBenchOptions, log: (m: string) => void): Promise<CostMeasurements> {
  // Quiet hours off and a fast gateway: a broadcast is sent while the bench waits.
  const stack = await startTestStack({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00', SMS_SEND_RATE: '1000' });
  try {
    await seedPagePrices(stack);
    const meter = meterStack(stack);
    const operations: OperationCost[] = [];
    const segments: Segments[] = [];

    // Inbound SMS: each run from a subscriber of its own (registered before), so no hourly limit is near.
    const subscribed = async (reader: Reader) => {
      const from = phone();
      for (const text of READERS[reader]) await sms(stack, from, text);
      return from;
    };
    const inbound = async (name: string, text: string, fresh = false) => {
      const senders = fresh ? [] : await Promise.all(Array.from({ length: opts.runs + 2 }, () => subscribed('en')));
      let k = 0;
      operations.push(
        await measure(meter, `SMS ${name}`, opts.runs, async () => {
          const result = await sms(stack, fresh ? phone() : (senders[k++] as string), text);
          if (result.replies.length < 1) throw new Error(`${text} caused no reply`);
        }),
      );
    };
    log('cost: inbound SMS…');
    await inbound('JOIN (a new number)', 'JOIN Gyantse', true);
    await inbound('PRICE BARLEY', 'PRICE BARLEY');
    await inbound('SUB PRICE BARLEY', 'SUB PRICE BARLEY');
    await inbound('HELP', 'HELP');
    await inbound('FIND BARLEY', 'FIND BARLEY');

    // PRICE reply in each script.
    const priceSegments: Segments = { message: 'PRICE BARLEY reply', bo: 0, wylie: 0, zh: 0, en: 0 };
    for (const reader of readers) {
      const from = await subscribed(reader);
      const text = reader === 'zh' ? '价格 青稞' : reader === 'en' ? 'PRICE BARLEY' : 'རིན་གོང ནས';
      const [reply] = (await sms(stack, from, text)).replies;
      priceSegments[reader] = reply?.segments ?? Number.NaN;
    }
    segments.push(priceSegments);

    // Pages and API calls through the app, as the http Lambda serves them; /health (one GetItem) the baseline.
    log('cost: pages and API…');
    const get = (path: string) => async () => {
      await ok(await stack.app.request(path), path);
    };
    operations.push(await measure(meter, HEALTH, opts.runs, get('/health')));
    operations.push(await measure(meter, 'page view: /prices', opts.runs, get('/prices?lang=bo')));
    operations.push(await measure(meter, 'page view: / (home)', opts.runs, get('/?lang=zh')));
    operations.push(
      await measure(meter, 'page view: /prices/barley_qingke', opts.runs, get('/prices/barley_qingke?lang=bo')),
    );
    operations.push(
      await measure(
        meter,
        'API: GET /api/v1/prices/latest',
        opts.runs,
        get('/api/v1/prices/latest?commodity=barley_qingke'),
      ),
    );
    operations.push(await measure(meter, 'API: GET /api/v1/listings', opts.runs, get('/api/v1/listings?limit=20')));

    // A price approval: a collector's submission approved through the API by a reviewer.
    log('cost: price approval…');
    const staff = await priceStaff(stack);
    const collector = await staff.member(phone(), 'collector', ['pref_lhasa']);
    const reviewer = await staff.member(phone(), 'reviewer', ['pref_lhasa']);
    const api: Api = staff.api;
    const pending: Array<{ identity: string; version: number }> = [];
    // Not barley, and before the last two weeks: seedPagePrices approved those, and an approved price is not submitted again.
    const commodities = ['tsampa', 'butter', 'wheat', 'rapeseed', 'potato'];
    for (let i = 0; i < opts.runs + 2; i++) {
      const body = await ok(
        await api(
          '/prices',
          postJson({
            commodity: commodities[i % commodities.length],
            market: 'mkt_lhasa_dongga',
            date: day(stack, -15 - Math.floor(i / commodities.length)),
            price: `${4 + (i % 7) / 10}`,
            unit: 'jin',
          }),
          collector,
        ),
        'submit a price',
      );
      pending.push(JSON.parse(body) as { identity: string; version: number });
    }
    let next = 0;
    operations.push(
      await measure(meter, 'price approval (API)', opts.runs, async () => {
        const p = pending[next++]!;
        await ok(
          await api(`/prices/${encodeURIComponent(p.identity)}/approve`, postJson({ version: p.version }), reviewer),
          'approve',
        );
      }),
    );

    // The daily digest: `audience` subscribers of barley prices in every script, then one approved price.
    log(`cost: digest to ${opts.audience} subscribers…`);
    const followers: Array<{ phone: string; reader: Reader }> = [];
    for (let i = 0; i < opts.audience; i++) {
      const reader = readers[i % readers.length] as Reader;
      const from = await subscribed(reader);
      await sms(stack, from, reader === 'zh' ? '订阅 青稞' : 'SUB PRICE BARLEY');
      followers.push({ phone: from, reader });
    }
    await ok(
      await api(
        '/prices',
        postJson({
          commodity: 'barley_qingke',
          market: 'mkt_lhasa_dongga',
          date: day(stack, 0),
          price: '4.85',
          unit: 'jin',
        }),
        reviewer,
      ),
      'a reviewer enters a price',
    );
    meter.take();
    const t0 = performance.now();
    const digest = await runJob(stack.deps, 'price-digest', new Date(`${day(stack, 0)}T10:00:00.000Z`));
    const digestMs = performance.now() - t0;
    const sent = (digest as { report?: { sent?: number } }).report?.sent ?? 0;
    if (sent < opts.audience) throw new Error(`the digest went to ${sent} of ${opts.audience} subscribers`);
    operations.push(perOp(meter.take(), sent, `digest, per subscriber (${sent} sent)`, [digestMs / sent]));
    const digestSegments: Segments = { message: 'price digest (one commodity)', bo: 0, wylie: 0, zh: 0, en: 0 };
    for (const reader of readers) {
      const who = followers.find((f) => f.reader === reader)!;
      const [d] = (await stack.deps.outbound.listTo(who.phone, 20)).filter((m) => m.key === 'digest.item');
      digestSegments[reader] = d?.segments ?? Number.NaN;
    }
    segments.push(digestSegments);

    // A broadcast to Shigatse prefecture (every Gyantse subscriber above), through the paced queue.
    log('cost: broadcast…');
    const broadcasts = stack.deps.broadcasts;
    const draft: Broadcast = await broadcasts.create(ADMIN_ACTING, {
      audience: { regions: ['pref_shigatse'], topics: [], languages: [] },
      texts: ALERT,
    });
    meter.take();
    const b0 = performance.now();
    await broadcasts.send(ADMIN_ACTING, draft.id);
    for (let waited = 0; ; waited += 100) {
      const view = await broadcasts.get(ADMIN_ACTING, draft.id);
      if (view.broadcast.status === 'finished') break;
      if (waited > 120_000) throw new Error(`the broadcast did not finish: ${view.broadcast.status}`);
      await broadcasts.fanOut(draft.id, stack.deps.now());
      await new Promise((r) => setTimeout(r, 100));
    }
    const broadcastMs = performance.now() - b0;
    const alertSegments: Segments = { message: 'broadcast alert (frost warning)', bo: 0, wylie: 0, zh: 0, en: 0 };
    let recipients = 0;
    for (const f of followers) {
      const [a] = (await stack.deps.outbound.listTo(f.phone, 20)).filter((m) => m.broadcastId === draft.id);
      if (a) {
        recipients++;
        alertSegments[f.reader] = a.segments;
      }
    }
    // Every Gyantse subscriber of the earlier steps got it too: divide by everyone the fan-out recorded.
    const total = (await broadcasts.get(ADMIN_ACTING, draft.id)).counts.recipients;
    if (total < recipients) throw new Error(`the broadcast counted ${total} recipients, ${recipients} got it`);
    operations.push(perOp(meter.take(), total, `broadcast, per recipient (${total} sent)`, [broadcastMs / total]));
    segments.push(alertSegments);
    return { operations, segments, audience: opts.audience };
  } finally {
    await stack.close();
  }
}

export async function costSection(
  opts: CostBenchOptions,
  log: (m: string) => void,
): Promise<SectionResult & { cost: CostMeasurements }> {
  const cost = await measureCosts(opts, log);
  const health = cost.operations.find((o) => o.name === HEALTH);
  const total = (o: OperationCost) => Object.values(o.requests).reduce((s, v) => s + v, 0);
  const figures: Figure[] = [];
  for (const o of cost.operations) {
    const against = health && o !== health;
    figures.push(
      figure({
        group: 'cost',
        name: `${o.name}: DynamoDB requests`,
        value: Math.round(total(o) * 100) / 100,
        unit: 'count',
        ...(against ? { baseline: { name: HEALTH, value: total(health) } } : {}),
        note: Object.entries(o.requests)
          .map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(2)}`)
          .join(', '),
      }),
      figure({
        group: 'cost',
        name: `${o.name}: read units`,
        value: o.readUnits,
        unit: 'RU',
        ...(against ? { baseline: { name: HEALTH, value: health.readUnits } } : {}),
      }),
      figure({
        group: 'cost',
        name: `${o.name}: write units`,
        value: o.writeUnits,
        unit: 'RU',
        ...(o.addedWriteUnits
          ? { note: `${o.addedWriteUnits.toFixed(2)} of them index writes and failed conditions` }
          : {}),
      }),
      figure({
        group: 'cost',
        name: `${o.name}: time in process, p50`,
        value: o.p50Ms,
        unit: 'ms',
        ...(against ? { baseline: { name: HEALTH, value: health.p50Ms } } : {}),
      }),
    );
  }
  for (const s of cost.segments)
    for (const reader of ['bo', 'wylie', 'zh'] as const)
      figures.push(
        figure({
          group: 'cost',
          name: `SMS segments: ${s.message}, ${reader}`,
          value: s[reader],
          unit: 'segments',
          baseline: { name: 'en', value: s.en },
        }),
      );
  return {
    cost,
    figures,
    notes: [
      `cost: each operation twice unmeasured, then measured ${cost.operations[0]?.runs ?? 0} times (the digest and the broadcast once, divided by their ${cost.audience}+ recipients); read/write units as dynalite reports them with ReturnConsumedCapacity=TOTAL, plus one unit per secondary index a write touches and per failed conditional write (DynamoDB bills both); inbound SMS include the send stage`,
      'cost: `npm run bench -- --only=cost,bundle --json > cost.json && node --import tsx test/bench/cost-model.ts cost.json` prints the monthly table of docs/cost.md',
    ],
  };
}

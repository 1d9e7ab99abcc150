/**
 * The monthly cost of running Zhingdrok for 10,000, 100,000 and 1,000,000 subscribers, from the
 * bench's measured figures (`npm run -s bench -- --only=cost,bundle,import --json > cost.json`)
 * and the stated assumptions and list prices below. Prints the markdown of docs/cost.md's
 * tables:
 *
 *   node --import tsx test/bench/cost-model.ts cost.json
 *
 * Every price and assumption is a named constant here, so a changed price is one edit and a
 * rerun; docs/cost.md says where each price comes from and which could not be confirmed.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { Figure } from './report.ts';

/** List prices, USD, us-east-1 unless said (docs/cost.md: sources and dates). */
export const PRICES = {
  lambdaGbSecondArm: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoGbMonth: 0.25,
  httpApiPerMillion: 1.0,
  sqsPerMillion: 0.4,
  snsPerMillionPublishes: 0.5,
  /** Always-free: 1 TB out and 10,000,000 requests a month; above it, Asia (HK…) per GB and per 10,000 HTTPS. */
  cloudFrontFreeGb: 1024,
  cloudFrontFreeRequests: 10_000_000,
  cloudFrontAsiaPerGb: 0.12,
  cloudFrontPer10kHttps: 0.012,
  s3GbMonth: 0.023,
  s3PerThousandPut: 0.005,
  logsIngestPerGb: 0.5,
  logsStorePerGbMonth: 0.03,
  alarmPerMonth: 0.1,
  dashboardPerMonth: 3,
  /** Not confirmed (docs/cost.md): outbound SMS to China (+86), per segment. */
  smsChinaPerSegment: 0.035,
  /** Not confirmed: an inbound SMS on the two-way number, per message. */
  smsInboundPerMessage: 0.0075,
};

/** Use per subscriber per month, and the readers' scripts (the broadcast bench's mix). */
export const USE = {
  inbound: { 'PRICE BARLEY': 2, 'FIND BARLEY': 0.5, 'SUB PRICE BARLEY': 0.5, HELP: 0.5, 'JOIN (a new number)': 0.5 },
  /** Half follow a commodity's prices; a followed price changes about weekly: one digest each time. */
  digests: 2,
  /** Weather, pest and market alerts: two a month reach each subscriber. */
  broadcasts: 2,
  pageViews: 3,
  apiCalls: 1,
  readers: { bo: 0.45, wylie: 0.15, zh: 0.35, en: 0.05 },
};

/** Bureau work that does not grow one for one with subscribers: price approvals a month. */
const approvalsFor = (subscribers: number) => Math.min(20_000, 2_000 + subscribers / 50);

/** What the in-process timings leave out. */
export const RUNTIME = {
  memoryGb: 0.5,
  /** Added to each measured time: a DynamoDB round trip over the network, per request (many run in parallel: generous). */
  msPerDynamoRequest: 4,
  /** Share of invocations that start a new container and pay its INIT (the measured cold import). */
  coldShare: 0.02,
  /** sms-status: one delivery receipt per SMS sent, a small handler. */
  statusMs: 20,
  logBytesPerInvocation: 1_000,
  pageBytes: 15_000,
  cloudFrontRequestsPerView: 2,
  /** Profile, index entries, counters and 90 days of messages, per subscriber; plus the price history. */
  storageBytesPerSubscriber: 12_000,
  priceHistoryGb: 2,
  alarms: 40,
  dashboards: 1,
  openDataGb: 1,
};

export const SCALES = [10_000, 100_000, 1_000_000];

interface Op {
  requests: number;
  readUnits: number;
  writeUnits: number;
  ms: number;
}
type Reader = keyof typeof USE.readers;
type Segments = Record<Reader, number>;

export interface Inputs {
  ops: Map<string, Op>;
  segments: Map<string, Segments>;
  coldImportMs: number;
  date: string;
}

export function readInputs(jsonText: string): Inputs {
  const data = JSON.parse(jsonText.slice(jsonText.indexOf('{'))) as {
    meta: { date: string };
    figures: Figure[];
  };
  const ops = new Map<string, Op>();
  const segments = new Map<string, Segments>();
  const op = (name: string) => {
    const o = ops.get(name) ?? { requests: 0, readUnits: 0, writeUnits: 0, ms: 0 };
    ops.set(name, o);
    return o;
  };
  let coldImportMs = Number.NaN;
  for (const f of data.figures) {
    if (f.group === 'import' && f.name.includes('--enable-source-maps')) coldImportMs = f.value;
    if (f.group !== 'cost') continue;
    const seg = /^SMS segments: (.+), (bo|wylie|zh)$/.exec(f.name);
    if (seg) {
      const [, message, reader] = seg as unknown as [string, string, Reader];
      const s = segments.get(message) ?? { bo: 0, wylie: 0, zh: 0, en: f.baseline?.value ?? Number.NaN };
      s[reader] = f.value;
      segments.set(message, s);
      continue;
    }
    const m = /^(.+): (DynamoDB requests|read units|write units|time in process, p50)$/.exec(f.name);
    if (!m) continue;
    const [, name, what] = m as unknown as [string, string, string];
    const key = name.replace(/ \(\d+ sent\)$/, '');
    const o = op(key);
    if (what === 'DynamoDB requests') o.requests = f.value;
    else if (what === 'read units') o.readUnits = f.value;
    else if (what === 'write units') o.writeUnits = f.value;
    else o.ms = f.value;
  }
  return { ops, segments, coldImportMs, date: data.meta.date };
}

const need = <T>(map: Map<string, T>, key: string): T => {
  const v = map.get(key);
  if (!v) throw new Error(`the bench output has no "${key}": run npm run bench -- --only=cost,bundle,import --json`);
  return v;
};

/** Segments a reader mix pays for one message. */
const weighted = (s: Segments, readers: Record<Reader, number>) =>
  (Object.keys(readers) as Reader[]).reduce((sum, r) => sum + readers[r] * s[r], 0);

export interface Scenario {
  name: string;
  /** Changes to the use or to segments. */
  use?: Partial<typeof USE>;
  segments?: (message: string, s: Segments) => Segments;
}

export type Lines = Record<string, number>;

/** The monthly bill, line by line, for `subscribers`. */
export function monthly(inputs: Inputs, subscribers: number, scenario: Scenario = { name: 'as measured' }): Lines {
  const use = { ...USE, ...scenario.use };
  const seg = (message: string) => {
    const s = need(inputs.segments, message);
    return weighted(scenario.segments ? scenario.segments(message, s) : s, use.readers);
  };
  const replySegments = seg('PRICE BARLEY reply');
  const digestSegments = seg('price digest (one commodity)');
  const alertSegments = seg('broadcast alert (frost warning)');

  const inboundOps = Object.entries(use.inbound).map(([name, perSub]) => ({
    op: need(inputs.ops, `SMS ${name}`),
    count: perSub * subscribers,
  }));
  const inbound = inboundOps.reduce((s, x) => s + x.count, 0);
  const digests = use.digests * subscribers;
  const broadcasts = use.broadcasts * subscribers;
  const views = use.pageViews * subscribers;
  const calls = use.apiCalls * subscribers;
  const approvals = approvalsFor(subscribers);
  const smsSent = inbound + digests + broadcasts;
  const segmentsSent = inbound * replySegments + digests * digestSegments + broadcasts * alertSegments;

  // Pages: the mean of the measured page views; API: the mean of the measured calls.
  const mean = (names: string[]) => {
    const os = names.map((n) => need(inputs.ops, n));
    const avg = (k: keyof Op) => os.reduce((s, o) => s + o[k], 0) / os.length;
    return { requests: avg('requests'), readUnits: avg('readUnits'), writeUnits: avg('writeUnits'), ms: avg('ms') };
  };
  const page = mean(['page view: /prices', 'page view: / (home)', 'page view: /prices/barley_qingke']);
  const api = mean(['API: GET /api/v1/prices/latest', 'API: GET /api/v1/listings']);
  const approval = need(inputs.ops, 'price approval (API)');
  const digest = need(inputs.ops, 'digest, per subscriber');
  const broadcast = need(inputs.ops, 'broadcast, per recipient');

  const work: Array<{ op: Op; count: number; invocations: number }> = [
    // An inbound message: sms-inbound, then sms-send for its reply (the measured time covers both).
    ...inboundOps.map((x) => ({ ...x, invocations: 2 })),
    // Per recipient: the jobs Lambda works through pages of 200, sms-send takes SQS batches of 10.
    { op: digest, count: digests, invocations: 1 / 200 + 1 / 10 },
    { op: broadcast, count: broadcasts, invocations: 1 / 200 + 1 / 10 },
    { op: page, count: views, invocations: 1 },
    { op: api, count: calls, invocations: 1 },
    { op: approval, count: approvals, invocations: 1 },
  ];
  const billedMs = (o: Op) => Math.ceil(o.ms + o.requests * RUNTIME.msPerDynamoRequest);
  const invocations = work.reduce((s, w) => s + w.count * w.invocations, 0) + smsSent; // + sms-status receipts
  const gbSeconds =
    ((work.reduce((s, w) => s + w.count * billedMs(w.op), 0) +
      smsSent * RUNTIME.statusMs +
      invocations * RUNTIME.coldShare * (Number.isFinite(inputs.coldImportMs) ? inputs.coldImportMs : 300)) /
      1000) *
    RUNTIME.memoryGb;
  const readUnits = work.reduce((s, w) => s + w.count * w.op.readUnits, 0);
  const writeUnits = work.reduce((s, w) => s + w.count * w.op.writeUnits, 0) + smsSent; // + the status write per SMS
  const storageGb = (subscribers * RUNTIME.storageBytesPerSubscriber) / 1024 ** 3 + RUNTIME.priceHistoryGb;
  const cfRequests = views * RUNTIME.cloudFrontRequestsPerView + calls;
  const cfGb = ((views + calls) * RUNTIME.pageBytes) / 1024 ** 3;
  const logsGb = (invocations * RUNTIME.logBytesPerInvocation) / 1024 ** 3;

  return {
    'SMS out (China, per segment)': segmentsSent * PRICES.smsChinaPerSegment,
    'SMS in (two-way number)': inbound * PRICES.smsInboundPerMessage,
    'Lambda (requests + arm64 GB-s)':
      (invocations / 1e6) * PRICES.lambdaPerMillionRequests + gbSeconds * PRICES.lambdaGbSecondArm,
    'DynamoDB on-demand (RRU + WRU + storage)':
      (readUnits / 1e6) * PRICES.dynamoPerMillionReadUnits +
      (writeUnits / 1e6) * PRICES.dynamoPerMillionWriteUnits +
      storageGb * PRICES.dynamoGbMonth,
    'API Gateway HTTP API': ((views + calls + approvals) / 1e6) * PRICES.httpApiPerMillion,
    'SQS (send, receive, delete per SMS)': ((smsSent * 3) / 1e6) * PRICES.sqsPerMillion,
    'SNS (inbound SMS to Lambda)': (inbound / 1e6) * PRICES.snsPerMillionPublishes,
    CloudFront:
      Math.max(0, cfGb - PRICES.cloudFrontFreeGb) * PRICES.cloudFrontAsiaPerGb +
      (Math.max(0, cfRequests - PRICES.cloudFrontFreeRequests) / 10_000) * PRICES.cloudFrontPer10kHttps,
    'S3 (open data, files)': RUNTIME.openDataGb * PRICES.s3GbMonth + (31 * 8 * PRICES.s3PerThousandPut) / 1000,
    'CloudWatch (logs, alarms, dashboard)':
      logsGb * (PRICES.logsIngestPerGb + PRICES.logsStorePerGbMonth) +
      RUNTIME.alarms * PRICES.alarmPerMonth +
      RUNTIME.dashboards * PRICES.dashboardPerMonth,
  };
}

const usd = (v: number) =>
  v >= 100 ? `$${Math.round(v).toLocaleString('en-US')}` : v >= 1 ? `$${v.toFixed(2)}` : `$${v.toFixed(3)}`;
const total = (l: Lines) => Object.values(l).reduce((s, v) => s + v, 0);

export function render(inputs: Inputs): string {
  const out: string[] = [];
  const per = SCALES.map((n) => monthly(inputs, n));
  out.push(`| line (USD a month) | ${SCALES.map((n) => `${n.toLocaleString('en-US')} subscribers`).join(' | ')} |`);
  out.push(`|---|${SCALES.map(() => '---:').join('|')}|`);
  for (const line of Object.keys(per[0] as Lines))
    out.push(`| ${line} | ${per.map((l) => usd(l[line] ?? 0)).join(' | ')} |`);
  out.push(`| **total** | ${per.map((l) => `**${usd(total(l))}**`).join(' | ')} |`);
  out.push(`| per subscriber | ${per.map((l, i) => usd(total(l) / (SCALES[i] as number))).join(' | ')} |`);
  const sms = (l: Lines) => (l['SMS out (China, per segment)'] ?? 0) + (l['SMS in (two-way number)'] ?? 0);
  out.push(`| SMS share | ${per.map((l) => `${((100 * sms(l)) / total(l)).toFixed(1)} %`).join(' | ')} |`);

  const one = (s: Segments): Segments => ({ ...s, bo: 1, wylie: 1 });
  const scenarios: Scenario[] = [
    { name: 'as measured' },
    { name: 'every Tibetan message in one segment (shorter texts)', segments: (_m, s) => one(s) },
    // A comparison, not a proposal: the service exists to answer Tibetan readers in Tibetan.
    {
      name: 'Tibetan readers sent the Chinese text (comparison only)',
      segments: (_m, s) => ({ ...s, bo: s.zh, wylie: s.zh }),
    },
    { name: 'digests weekly (one a month per subscriber)', use: { digests: 1 } },
    { name: 'PRICE asked on the voice line half the time', use: { inbound: { ...USE.inbound, 'PRICE BARLEY': 1 } } },
    {
      name: 'digests weekly, alerts monthly, and Tibetan in one segment',
      use: { digests: 1, broadcasts: 1 },
      segments: (_m, s) => one(s),
    },
    {
      name: 'all of that, and PRICE on the voice line half the time',
      use: { digests: 1, broadcasts: 1, inbound: { ...USE.inbound, 'PRICE BARLEY': 1 } },
      segments: (_m, s) => one(s),
    },
  ];
  const n = 100_000;
  const base = total(monthly(inputs, n));
  out.push('');
  out.push(`| what changes (at ${n.toLocaleString('en-US')} subscribers) | total a month | against as measured |`);
  out.push('|---|---:|---:|');
  for (const s of scenarios) {
    const t = total(monthly(inputs, n, s));
    out.push(`| ${s.name} | ${usd(t)} | ${((100 * t) / base).toFixed(0)} % |`);
  }
  out.push('');
  out.push('| measured input | value |');
  out.push('|---|---|');
  for (const [message, s] of inputs.segments)
    out.push(`| segments: ${message} | bo ${s.bo}, Wylie ${s.wylie}, zh ${s.zh}, en ${s.en} |`);
  for (const [name, o] of inputs.ops)
    out.push(
      `| ${name} | ${o.requests.toFixed(1)} DynamoDB requests, ${o.readUnits.toFixed(1)} RRU, ${o.writeUnits.toFixed(1)} WRU, ${o.ms.toFixed(1)} ms in process |`,
    );
  if (Number.isFinite(inputs.coldImportMs))
    out.push(`| http Lambda cold import (INIT) | ${inputs.coldImportMs.toFixed(0)} ms |`);
  out.push(`| bench run | ${inputs.date} |`);
  return out.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node --import tsx test/bench/cost-model.ts <bench JSON>\n');
    process.exit(2);
  }
  process.stdout.write(`${render(readInputs(readFileSync(file, 'utf8')))}\n`);
}

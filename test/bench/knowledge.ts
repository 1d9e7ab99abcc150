/**
 * Knowledge figures, each beside a baseline from the same run:
 *
 * 1. TIP by SMS with 10,000 published guides in the library: DynamoDB requests of the whole
 *    inbound pipeline, and those on the knowledge keys (`ktip#`, `kmeta`), beside the same for
 *    PRICE (its price keys) — counted by a middleware on the stack's own document client (real
 *    requests to dynalite), subscriber registered, reference cache warm.
 * 2. The experts' queue with 10,000 open questions: DynamoDB Queries per page (first page,
 *    a later page, a prefecture's, one filtered by commodity), beside a page of the broadcast
 *    history.
 * 3. Page weight (HTML, gzip as served): /guide, a guide page and /alerts in bo, zh and en,
 *    beside /prices.
 *
 * Guides and questions are written through the real stores (DynamoKnowledgeStore.publish,
 * DynamoQuestionStore.create) in their own item layout: 10,000 publications through the review
 * workflow would take long and measure nothing of these figures.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoBroadcastStore } from '#adapters/dynamodb/broadcast-store.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoKnowledgeStore } from '#adapters/dynamodb/knowledge-store.ts';
import { DynamoQuestionStore } from '#adapters/dynamodb/question-store.ts';
import { shanghaiDay } from '#core/dates.ts';
import type { AlertKind, GuideTopic, Item, Severity, Stage, Versions } from '#core/knowledge/item.ts';
import { guideTopics, stages } from '#core/knowledge/item.ts';
import type { Question } from '#core/knowledge/question.ts';
import { mapLimited } from '#core/limited.ts';
import { globalAdmin } from '#core/staff/roles.ts';
import { startTestServer, type TestServer } from '#test/support/server.ts';
import type { TestStack } from '#test/support/stack.ts';
import { weighPages } from './page-weight.ts';
import { type Figure, figure } from './report.ts';
import type { SectionResult } from './sections.ts';
import { seededRandom } from './stats.ts';

export interface KnowledgeBenchOptions {
  /** Published guides in the library (the issue's 10,000). */
  guides: number;
  /** Open questions in the experts' queue (the issue's 10,000). */
  questions: number;
}

const n = (v: number) => v.toLocaleString('en-US');
const kb = (bytes: number) => bytes / 1024;
const BARLEY = 'barley_qingke';
const ADMIN = '+8613800000000';
const acting = { actor: { phone: ADMIN, grants: [globalAdmin], configAdmin: true } };

/**
 * Text of `length` characters drawn from `pool`'s tokens in a seeded order (a linear
 * congruential generator: the same library every run). Drawn, not repeated: gzip packs a
 * repeated sentence to almost nothing, and prose of real words sits between the two, so the
 * weights measured on this are an upper bound for a real guide of the same length.
 */
function drawn(
  pool: readonly string[],
  joiner: string,
  stops: readonly string[],
  length: number,
  seed: number,
): string {
  let state = seed >>> 0 || 1;
  const next = () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  };
  let out = '';
  let run = 0;
  while ([...out].length < length) {
    out += pool[next() % pool.length];
    run++;
    if (run >= 6 && next() % 4 === 0) {
      out += stops[next() % stops.length];
      run = 0;
    } else out += joiner;
  }
  return out;
}

const boSyllables = 'ནས ས་བོན འདེབས སྐབས ས་ཞིང ལུད བླུགས ཆུ དུས ཐོག གཏོང སྲུང སྐྱོབ འབྲུ གཡག འབྲི ནད འབུ རྩྭ ཞིང་པ སྔོན ལོ་ཐོག'.split(' ');
const zhChars = [...'青稞播种前整地施足底肥出苗后及时灌水除草注意防治病虫害牦牛草场越冬饲料储存收获晾晒'];
const enWords =
  'before sowing plough and manure the field after emergence water on time weed watch for pests store dry grain yak winter fodder'.split(
    ' ',
  );

/**
 * A guide's text in three languages: for the first 50 (the ones the pages measured show) the
 * length of a notice-board page (bo 2,000, zh 1,000, en 2,000 characters); the rest a tenth of it,
 * since TIP and the queue never read a body and the seeding of 10,000 stays quick.
 */
function guideVersions(i: number, commodity: string): Versions {
  const scale = i < 50 ? 1 : 0.1;
  return {
    bo: {
      title: `${commodity} ལས་ཀ ${i}`,
      body: drawn(boSyllables, '་', ['། ', '་ '], 2_000 * scale, i * 3 + 1),
      summary: 'ནས་འདེབས་སྔོན་ལ་ལུད་བླུགས། ཆུ་དུས་ཐོག་ཏུ་གཏོང་།',
    },
    zh: {
      title: `${commodity} 技术要点 ${i}`,
      body: drawn(zhChars, '', ['，', '。'], 1_000 * scale, i * 3 + 2),
      summary: '青稞播种前施足底肥，出苗后及时灌水。',
    },
    en: {
      title: `${commodity} technique ${i}`,
      body: drawn(enWords, ' ', ['. ', ', '], 2_000 * scale, i * 3 + 3),
      summary: 'Manure before sowing barley; water on time after emergence.',
    },
  };
}

interface Library {
  guideIds: string[];
  /** Guides of barley that apply in the current month (what TIP BARLEY chooses among). */
  barleyThisMonth: number;
}

const itemId = (letter: string, i: number) => `${letter}${String(i).padStart(10, '0')}`;

/**
 * Publishes `count` guides through the store: a quarter barley, the rest over the other
 * commodities; 1–3 consecutive months each; most for everywhere ('*'), some for a prefecture
 * or a county. Then 12 current alerts (for /alerts).
 */
async function seedLibrary(stack: TestStack, count: number, log: (msg: string) => void): Promise<Library> {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  const store = new DynamoKnowledgeStore(db, stack.tableName, stack.deps.authz.regionPath);
  const catalog = await stack.deps.catalog();
  const commodities = [...catalog.commodities.keys()].filter((c) => c !== BARLEY);
  const counties = [...catalog.regions.values()].filter((r) => r.parentId);
  const rnd = seededRandom(12);
  const now = stack.deps.now();
  const month = Number(shanghaiDay(now).slice(5, 7));
  const at = now.toISOString();
  let barleyThisMonth = 0;
  const guides: Item[] = Array.from({ length: count }, (_, i) => {
    const commodityId = rnd() < 0.25 ? BARLEY : commodities[Math.floor(rnd() * commodities.length)]!;
    const start = 1 + Math.floor(rnd() * 12);
    const months = [
      ...new Set(Array.from({ length: 1 + Math.floor(rnd() * 3) }, (_, k) => ((start + k - 1) % 12) + 1)),
    ];
    const r = rnd();
    const county = counties[Math.floor(rnd() * counties.length)]!;
    const regions = r < 0.6 ? ['*'] : r < 0.85 ? [county.parentId!] : [county.id];
    if (commodityId === BARLEY && months.includes(month)) barleyThisMonth++;
    const content = {
      regions,
      fields: {
        kind: 'guide' as const,
        commodityId,
        stage: stages[Math.floor(rnd() * 3)] as Stage,
        topic: guideTopics[Math.floor(rnd() * guideTopics.length)] as GuideTopic,
        months: months.sort((a, b) => a - b),
      },
      versions: guideVersions(i, commodityId),
    };
    return {
      id: itemId('g', i),
      kind: 'guide',
      status: 'published',
      version: 1,
      content,
      reviews: {
        bo: { state: 'approved', by: '+8613900000001', at, version: 1 },
        zh: { state: 'approved', by: '+8613900000002', at, version: 1 },
      },
      authors: [ADMIN],
      attachments: [],
      published: {
        version: 1,
        content,
        publishedAt: at,
        approvals: { bo: { by: '+8613900000001', at }, zh: { by: '+8613900000002', at } },
        attachments: [],
      },
      createdBy: ADMIN,
      createdAt: at,
      updatedAt: at,
      seq: 1,
    };
  });
  let done = 0;
  await mapLimited(guides, 8, async (g) => {
    await store.create(g);
    await store.publish(g);
    if (++done % 2000 === 0) log(`knowledge: ${n(done)} guides published`);
  });
  const kinds: AlertKind[] = ['weather', 'pest', 'disease', 'market'];
  const severities: Severity[] = ['minor', 'moderate', 'severe', 'extreme'];
  const alerts: Item[] = Array.from({ length: 12 }, (_, i) => {
    const content = {
      regions: [counties[i % counties.length]!.parentId!],
      fields: {
        kind: 'alert' as const,
        alertKind: kinds[i % 4]!,
        severity: severities[i % 4]!,
        onset: new Date(now.getTime() - 3_600_000).toISOString(),
        expires: new Date(now.getTime() + 3 * 86_400_000).toISOString(),
        urgent: false,
        mainLanguage: 'bo' as const,
      },
      versions: guideVersions(i, 'alert'),
    };
    return {
      ...guides[0]!,
      id: itemId('a', i),
      kind: 'alert',
      content,
      published: { ...guides[0]!.published!, content },
    };
  });
  for (const a of alerts) {
    await store.create(a);
    await store.publish(a);
  }
  return { guideIds: guides.map((g) => g.id), barleyThisMonth };
}

/** `count` open questions from as many numbers, over every county, a third of them about barley. */
async function seedQueue(stack: TestStack, count: number, log: (msg: string) => void): Promise<void> {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  const store = new DynamoQuestionStore(db, stack.tableName);
  const catalog = await stack.deps.catalog();
  const counties = [...catalog.regions.values()].filter((r) => r.parentId);
  const rnd = seededRandom(34);
  const base = stack.deps.now().getTime() - 30 * 86_400_000;
  let done = 0;
  await mapLimited(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const county = counties[Math.floor(rnd() * counties.length)]!;
      const askedAt = new Date(base + i * 60_000).toISOString();
      const q: Question = {
        code: `Q${String(100_000 + i)}`,
        phone: `+86137${String(i).padStart(8, '0')}`,
        language: rnd() < 0.6 ? 'bo' : 'zh',
        script: 'tibetan',
        regionPath: [county.id, county.parentId!],
        ...(rnd() < 0.33 ? { commodityId: BARLEY } : {}),
        status: 'open',
        level: 1,
        messages: [{ from: 'farmer', text: '牦牛咳嗽不吃草，怎么办？', at: askedAt, messageId: `bench:${i}` }],
        escalations: [],
        askedAt,
        waitingSince: askedAt,
        dueAt: new Date(Date.parse(askedAt) + 86_400_000).toISOString(),
        version: 1,
      };
      const made = await store.create(q, `bench:${i}`);
      if (!made) throw new Error(`question code ${q.code} clashed`);
      if (++done % 2000 === 0) log(`knowledge: ${n(done)} questions asked`);
    },
  );
}

/** Counts the requests a client sends, and those whose input names one of `keys` (partition prefixes). */
function countOn(db: DynamoDBDocumentClient, keys: RegExp) {
  const counter = { total: 0, matching: 0, queries: 0 };
  db.middlewareStack.add(
    (next, context) => async (args) => {
      counter.total += 1;
      if (context.commandName === 'QueryCommand') counter.queries += 1;
      if (keys.test(JSON.stringify(args.input))) counter.matching += 1;
      return next(args);
    },
    { step: 'initialize', name: `benchCount${keys.source.replace(/\W/g, '')}` },
  );
  return {
    counter,
    async during<T>(work: () => Promise<T>) {
      counter.total = 0;
      counter.matching = 0;
      counter.queries = 0;
      const result = await work();
      return { result, ...counter };
    },
  };
}

let messageSeq = 0;
const sms = (stack: TestStack, phone: string, text: string) =>
  stack.deps.handleInbound({
    gateway: 'bench-knowledge',
    messageId: `k-${Date.now()}-${messageSeq++}`,
    from: phone,
    text,
    receivedAt: new Date().toISOString(),
  });

/** The stack's own document client (every store of createDeps shares it). */
const stackClient = (stack: TestStack) => (stack.deps.prices as unknown as { db: DynamoDBDocumentClient }).db;

async function tipFigures(
  stack: TestStack,
  library: Library,
  guides: number,
): Promise<{ figures: Figure[]; notes: string[] }> {
  if (!(stack.deps as { knowledge?: unknown }).knowledge)
    throw new Error('the knowledge library is not wired into createDeps: TIP cannot be measured');
  const db = stackClient(stack);
  const tip = countOn(db, /"k(tip|meta|guide|item)#?/);
  const price = countOn(db, /"(LATEST|PRICE|MKTOBS)#/);
  const phone = '+8613700000088';
  await sms(stack, phone, 'JOIN Gyantse');
  // A price to answer with, and both commands once, so the caches are as a warm process has them.
  const today = shanghaiDay(stack.deps.now());
  await stack.deps.prices.enterApproved(
    {
      commodityId: BARLEY,
      marketId: 'mkt_lhasa_dongga',
      date: today,
      priceFen: 420,
      unit: 'jin',
      kind: 'retail',
      source: 'bench',
      collector: ADMIN,
      regionId: 'cty_lhasa_doilungdeqen',
      submittedAt: `${today}T04:00:00.000Z`,
    },
    ADMIN,
  );
  await sms(stack, phone, 'TIP BARLEY');
  await sms(stack, phone, 'PRICE BARLEY');
  const tipRun = await tip.during(() => sms(stack, phone, 'TIP BARLEY'));
  const tipNext = await tip.during(() => sms(stack, phone, 'TIP BARLEY 2'));
  const tipZh = await tip.during(() => sms(stack, phone, '建议 青稞'));
  // With the latest-price cache empty (a cold process, or the first ask after its 5 s), as the
  // prices bench counts it: warm, PRICE reads no price item at all.
  (stack.deps.prices as unknown as { latestCache: { invalidate(): void } }).latestCache.invalidate();
  const priceRun = await price.during(() => sms(stack, phone, 'PRICE BARLEY'));
  const replies = await stack.deps.outbound.listTo(phone, 20);
  const lastTip = replies.find((m) => /barley|青稞/i.test(m.text) && !/\d+(\.\d+)?\s*(yuan|元)/.test(m.text));
  const priceBase = { name: 'SMS PRICE BARLEY, price keys, cache cold', value: priceRun.matching };
  return {
    figures: [
      figure({
        group: 'knowledge',
        name: `SMS TIP BARLEY: DynamoDB requests on the library, ${n(guides)} guides`,
        value: tipRun.matching,
        unit: 'count',
        baseline: priceBase,
        target: { of: 'value', op: '<=', limit: 2 },
        note: `${n(library.barleyThisMonth)} barley guides apply this month; requests on ktip#/kmeta/kguide#/kitem# keys during one TIP through the whole inbound pipeline`,
      }),
      figure({
        group: 'knowledge',
        name: `SMS TIP BARLEY 2 / 建议 青稞: library requests, ${n(guides)} guides`,
        value: Math.max(tipNext.matching, tipZh.matching),
        unit: 'count',
        baseline: priceBase,
        target: { of: 'value', op: '<=', limit: 2 },
      }),
      figure({
        group: 'knowledge',
        name: `SMS TIP BARLEY: whole pipeline requests, ${n(guides)} guides`,
        value: tipRun.total,
        unit: 'count',
        baseline: { name: 'SMS PRICE BARLEY, whole pipeline', value: priceRun.total },
      }),
    ],
    notes: lastTip
      ? [`knowledge: a TIP reply (${lastTip.segments ?? '?'} segments): ${lastTip.text.slice(0, 120)}`]
      : [],
  };
}

async function queueFigures(stack: TestStack, questions: number): Promise<Figure[]> {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  const count = countOn(db, /"qq#/);
  const queue = new DynamoQuestionStore(db, stack.tableName);
  const history = new DynamoBroadcastStore(db, stack.tableName, stack.deps.authz.regionPath);
  const now = stack.deps.now();
  const page = { limit: 20 };
  // The baseline: a page of the broadcast history, with 60 broadcasts in it.
  for (let i = 0; i < 60; i++)
    await stack.deps.broadcasts.create(acting, {
      audience: { regions: ['pref_shigatse'], topics: [], languages: [] },
      texts: { en: `Bench broadcast ${i}.` },
    });
  const historyRun = await count.during(() => history.list('*', page));
  const first = await count.during(() => queue.queue('*', { status: 'open' }, page, now));
  const later = await count.during(() =>
    queue.queue('*', { status: 'open' }, { ...page, cursor: first.result.cursor }, now),
  );
  const prefecture = await count.during(() => queue.queue('pref_shigatse', { status: 'open' }, page, now));
  const barley = await count.during(() => queue.queue('*', { status: 'open', commodityId: BARLEY }, page, now));
  const base = { name: 'broadcast history page (20 of 60)', value: historyRun.queries };
  const rows = [
    ['first page', first],
    ['a later page (cursor)', later],
    ["a prefecture's first page", prefecture],
    ['first page, commodity filter', barley],
  ] as const;
  return rows.map(([name, run]) =>
    figure({
      group: 'knowledge',
      name: `experts' queue, ${name}: Queries, ${n(questions)} open`,
      value: run.queries,
      unit: 'count',
      baseline: base,
      target: { of: 'value', op: '<=', limit: 1 },
      note: `${run.result.items.length} rows; ${run.total} requests in all`,
    }),
  );
}

async function pageFigures(server: TestServer, library: Library): Promise<{ figures: Figure[]; notes: string[] }> {
  const guide = library.guideIds[0]!;
  const langs = ['bo', 'zh', 'en'];
  const paths = (p: string) => langs.map((l) => `${p}${p.includes('?') ? '&' : '?'}lang=${l}`);
  const groups = [
    { name: '/guide', paths: paths('/guide') },
    { name: `/guide/<id>`, paths: paths(`/guide/${guide}`) },
    { name: '/alerts', paths: paths('/alerts') },
  ];
  const weights = await weighPages(server.url, [...groups.flatMap((g) => g.paths), ...paths('/prices')]);
  const gzip = (w: (typeof weights)[number]) => (w.htmlEncoding === 'gzip' ? w.htmlWire : w.htmlGzip9);
  const of = (list: string[]) => weights.filter((w) => list.includes(w.url));
  const prices = of(paths('/prices'));
  const base = { name: 'largest /prices', value: kb(Math.max(...prices.map(gzip))) };
  const notes: string[] = [];
  const figures: Figure[] = [];
  for (const g of groups) {
    const ws = of(g.paths);
    const missing = ws.filter((w) => w.status !== 200);
    if (missing.length) {
      notes.push(`knowledge: ${missing.map((w) => `${w.url} → ${w.status}`).join(', ')} (not measured)`);
      continue;
    }
    const largest = ws.reduce((a, b) => (gzip(b) > gzip(a) ? b : a));
    figures.push(
      figure({
        group: 'knowledge',
        name: `${g.name} HTML, gzip, largest of bo/zh/en (${largest.url})`,
        value: kb(gzip(largest)),
        unit: 'KB',
        baseline: base,
        target: { of: 'value', op: '<=', limit: 14 },
        note: `raw ${kb(largest.htmlRaw).toFixed(1)} KB`,
      }),
    );
  }
  return { figures, notes };
}

/** The section: one server, the library and the queue seeded once, then each measure. */
export async function knowledgeSection(
  opts: KnowledgeBenchOptions,
  log: (msg: string) => void,
): Promise<SectionResult> {
  const server = await startTestServer();
  try {
    const stack = server.stack;
    const t0 = performance.now();
    const library = await seedLibrary(stack, opts.guides, log);
    const t1 = performance.now();
    await seedQueue(stack, opts.questions, log);
    const t2 = performance.now();
    const notes = [
      `knowledge: ${n(opts.guides)} guides published through DynamoKnowledgeStore in ${((t1 - t0) / 1000).toFixed(0)} s, ` +
        `${n(opts.questions)} questions through DynamoQuestionStore in ${((t2 - t1) / 1000).toFixed(0)} s (dynalite in memory)`,
    ];
    const figures: Figure[] = [];
    const tip = await tipFigures(stack, library, opts.guides).catch((err: Error) => {
      notes.push(`knowledge: TIP not measured: ${err.message}`);
      return { figures: [], notes: [] };
    });
    figures.push(...tip.figures, ...(await queueFigures(stack, opts.questions)));
    notes.push(...tip.notes);
    const pages = await pageFigures(server, library);
    figures.push(...pages.figures);
    notes.push(...pages.notes);
    return { figures, notes };
  } finally {
    await server.close();
  }
}

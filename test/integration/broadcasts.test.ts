/**
 * Broadcasts end to end on the real local stack: subscribers made by SMS (POST /dev/sms), the
 * service as the routes and jobs call it, the paced sender and GET /dev/outbox. Quiet hours
 * are off here (start = end) unless a test sets them; the clock is the app's (stack.deps.now).
 */
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { DynamoAudienceReader } from '#adapters/dynamodb/audience.ts';
import { DynamoBroadcastStore } from '#adapters/dynamodb/broadcast-store.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoSmsBudget } from '#adapters/dynamodb/counters.ts';
import { broadcastCountsKey } from '#adapters/dynamodb/keys.ts';
import { DynamoOutboundStore } from '#adapters/dynamodb/outbound-store.ts';
import type { Broadcast, Texts } from '#core/broadcasts/broadcast.ts';
import { createBroadcasts } from '#core/broadcasts/broadcasts.ts';
import { broadcastMessageId, STALE_WINDOW_MS } from '#core/broadcasts/fan-out.ts';
import type { BroadcastInput, BroadcastService } from '#core/broadcasts/service.ts';
import { type BroadcastSettings, defaultBroadcastSettings } from '#core/broadcasts/settings.ts';
import { AppError } from '#core/errors.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { sendQueuedSms } from '#core/sms/sender.ts';
import type { Acting } from '#core/staff/guard.ts';
import { toWylie } from '#core/text/wylie.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { freshNumber, outbox, type Reply, replyTo, TIBETAN, texts } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const SHIGATSE = 'pref_shigatse';
const LHASA = 'pref_lhasa';

const staff = (phone: string, regions: string[], role: 'operator' | 'editor' | 'collector' = 'operator'): Acting => ({
  actor: { phone, grants: [{ role, regions }], configAdmin: false },
});
const author = staff('+8613900000001', [SHIGATSE]);
const second = staff('+8613900000002', [SHIGATSE]);
const lhasaOperator = staff('+8613900000003', [LHASA]);

const TEXTS = { bo: 'སང་ཉིན་ཁ་བ་འབབ།', zh: '明天有雪。', en: 'Snow tomorrow.' };

let stack: TestStack;

/** SMS a phone got whose text contains `needle`. */
const received = async (phone: string, needle: string): Promise<Reply[]> =>
  (await outbox(stack, phone)).filter((m) => m.text.includes(needle));

/** Sends now and waits until every recorded recipient's SMS moved on from `queued`. */
async function sendAndSettle(b: Broadcast, acting = author): Promise<void> {
  await stack.deps.broadcasts.send(acting, b.id);
  await vi.waitFor(
    async () => {
      const view = await stack.deps.broadcasts.get(acting, b.id);
      if (view.broadcast.status !== 'finished') await stack.deps.broadcasts.fanOut(b.id, stack.deps.now());
      expect((await stack.deps.broadcasts.get(acting, b.id)).broadcast.status).toBe('finished');
    },
    { timeout: 20_000, interval: 100 },
  );
}

beforeAll(async () => {
  stack = await startTestStack({ QUIET_HOURS_START: '00:00', QUIET_HOURS_END: '00:00' });
});
afterAll(async () => {
  await stack?.close();
});

describe('a broadcast to a prefecture', () => {
  const people = {
    en: freshNumber(),
    zh: freshNumber(),
    bo: freshNumber(),
    wylie: freshNumber(),
    stopped: freshNumber(),
    lhasa: freshNumber(),
    foreign: '+14155550123',
  };

  beforeAll(async () => {
    await replyTo(stack, people.en, 'JOIN Gyantse');
    await replyTo(stack, people.zh, '注册 江孜');
    await replyTo(stack, people.bo, 'ཐོ་འགོད་རྒྱལ་རྩེ།');
    await replyTo(stack, people.wylie, 'ཐོ་འགོད་རྒྱལ་རྩེ།');
    await replyTo(stack, people.wylie, 'SCRIPT WYLIE');
    await replyTo(stack, people.stopped, 'JOIN Gyantse');
    await replyTo(stack, people.stopped, 'STOP');
    await replyTo(stack, people.lhasa, 'JOIN Lhunzhub');
  });

  test('create → preview → send: each subscriber of the region gets it once, in their language and script', async () => {
    const input: BroadcastInput = { audience: { regions: [SHIGATSE], topics: [], languages: [] }, texts: TEXTS };
    const preview = await stack.deps.broadcasts.preview(author, input);
    expect(preview.recipients).toBeGreaterThanOrEqual(4);
    const b = await stack.deps.broadcasts.create(author, input);
    expect(b.status).toBe('draft');
    expect(b.preview.rows.map((r) => r.group)).toEqual(['bo-tibetan', 'bo-wylie', 'zh', 'en']);

    await sendAndSettle(b);

    const en = await received(people.en, TEXTS.en);
    expect(en).toHaveLength(1);
    expect(en[0]!.text).toMatch(/Reply TD to stop/);
    expect(en[0]!.text.startsWith('[Zhingdrok]') || en[0]!.text.startsWith('【')).toBe(true);
    expect(en[0]!.text).toBe(b.preview.rows.find((r) => r.group === 'en')!.rendering);

    const zh = await received(people.zh, TEXTS.zh);
    expect(zh).toHaveLength(1);
    expect(zh[0]!.text).toMatch(/回T退订/);

    const bo = await received(people.bo, 'ཁ་བ');
    expect(bo).toHaveLength(1);
    expect(bo[0]!.text).toBe(b.preview.rows.find((r) => r.group === 'bo-tibetan')!.rendering);

    const wylie = (await outbox(stack, people.wylie)).filter((m) => /kha ba/.test(m.text));
    expect(wylie).toHaveLength(1);
    expect(wylie[0]!.text).not.toMatch(TIBETAN);
    expect(wylie[0]!.text).toBe(b.preview.rows.find((r) => r.group === 'bo-wylie')!.rendering);

    expect(await received(people.stopped, TEXTS.en)).toHaveLength(0);
    expect(await received(people.lhasa, TEXTS.en)).toHaveLength(0);

    const view = await stack.deps.broadcasts.get(author, b.id);
    expect(view.counts.sent).toBe(view.counts.recipients);
    expect(view.counts.queued).toBe(0);
  });
});

/**
 * A broadcast service on the stack's real table and sender, whose one-time schedules are only
 * written down and whose bulk queue holds messages until `deliver` hands them to the sender:
 * so a test decides when the fan-out runs and when the sender sends (pause between the two,
 * quiet hours at either, a crash anywhere). `db` may be a client that dies.
 */
function harness(
  options: { settings?: Partial<BroadcastSettings>; db?: DynamoDBDocumentClient; clock?: () => Date } = {},
) {
  const db = options.db ?? createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  const clock = options.clock ?? (() => stack.deps.now());
  const queued: OutboundSms[] = [];
  const schedules: Array<{ id: string; at: Date } | { id: string; cancelled: true }> = [];
  const service: BroadcastService = createBroadcasts({
    authz: stack.deps.authz,
    audit: stack.deps.audit,
    now: clock,
    store: new DynamoBroadcastStore(db, stack.tableName, stack.deps.authz.regionPath),
    audience: new DynamoAudienceReader(db, stack.tableName),
    scheduler: {
      at: async (id, at) => void schedules.push({ id, at }),
      cancel: async (id) => void schedules.push({ id, cancelled: true }),
    },
    outbound: new DynamoOutboundStore(db, stack.tableName),
    bulkQueue: { enqueue: async (messages) => void queued.push(...messages) },
    budget: new DynamoSmsBudget(db, stack.tableName),
    dailySegmentLimit: 1_000_000,
    catalog: stack.deps.catalog,
    signature: { signature: stack.deps.smsSettings.signature, gsmSignature: stack.deps.smsSettings.gsmSignature },
    toWylie: async () => toWylie,
    settings: { ...defaultBroadcastSettings, quietStart: '00:00', quietEnd: '00:00', ...options.settings },
    log: () => {},
  });
  return {
    service,
    queued,
    schedules,
    /** Hands every waiting message to the real sender (gate and opt-out included), as the paced queue would. */
    async deliver(service_ = service) {
      const batch = queued.splice(0);
      const sender = { ...stack.deps.sender, broadcasts: { gate: (id: string) => service_.gate(id, clock()) } };
      const outcomes = [];
      for (const m of batch) outcomes.push(await sendQueuedSms(sender, m.id));
      return outcomes;
    },
  };
}

/** Subscribers joined by SMS to a county (English name), each checked to be at home there. */
async function join(county: string, regionId: string, n: number, extra?: string): Promise<string[]> {
  const phones: string[] = [];
  for (let i = 0; i < n; i++) {
    const phone = freshNumber('138');
    await replyTo(stack, phone, `JOIN ${county}`);
    if (extra) await replyTo(stack, phone, extra);
    expect((await stack.deps.subscribers.get(phone))?.homeRegionId).toBe(regionId);
    phones.push(phone);
  }
  return phones;
}

const only = (regionId: string, texts: Texts = TEXTS): BroadcastInput => ({
  audience: { regions: [regionId], topics: [], languages: [] },
  texts,
});

/** How many SMS each phone received whose text contains `needle`. */
const receivedCounts = async (phones: string[], needle: string) =>
  Promise.all(phones.map(async (p) => (await received(p, needle)).length));

describe('audience: topics, regions, STOP and the country allow-list', () => {
  test('a weather broadcast reaches the weather subscribers of its region only; STOP after the fan-out still stops it', async () => {
    const weather = await join('Lhatse', 'cty_shigatse_lhatse', 3, 'SUB WEATHER');
    const plain = await join('Lhatse', 'cty_shigatse_lhatse', 1);
    const elsewhere = await join('Nedong', 'cty_shannan_nedong', 1, 'SUB WEATHER');
    const h = harness();
    const text = { en: 'Frost tonight in Lhatse.' };
    const b = await h.service.create(author, {
      audience: { regions: ['cty_shigatse_lhatse'], topics: ['weather'], languages: [] },
      texts: text,
    });
    expect(b.preview.recipients).toBe(3);
    await h.service.send(author, b.id);
    await h.service.fanOut(b.id, stack.deps.now());
    expect(h.queued).toHaveLength(3);
    // Between the fan-out and the sender, one of them sends STOP.
    await replyTo(stack, weather[2]!, 'STOP');
    const outcomes = await h.deliver();
    expect(outcomes.sort()).toEqual(['blocked', 'sent', 'sent']);
    expect(await receivedCounts(weather, 'Frost tonight')).toEqual([1, 1, 0]);
    expect(await receivedCounts([...plain, ...elsewhere], 'Frost tonight')).toEqual([0, 0]);
    const view = await h.service.get(author, b.id);
    expect(view.counts).toMatchObject({ recipients: 3, sent: 2, blocked: 1, reasons: { opted_out: 1 } });
    await h.service.fanOut(b.id, stack.deps.now());
    expect((await h.service.get(author, b.id)).broadcast.status).toBe('finished');
  });

  test('a number outside the allow-list is never sent to', async () => {
    const foreign = '+14155550199';
    // The JOIN is taken (its reply is blocked by the same guard, so none comes): the number is in the audience.
    expect(await texts(stack, foreign, 'JOIN Tingri')).toEqual([]);
    expect((await stack.deps.subscribers.get(foreign))?.homeRegionId).toBe('cty_shigatse_tingri');
    const local = await join('Tingri', 'cty_shigatse_tingri', 1);
    const h = harness();
    const b = await h.service.create(author, only('cty_shigatse_tingri', { en: 'Tingri meeting moved.' }));
    await h.service.send(author, b.id);
    await h.service.fanOut(b.id, stack.deps.now());
    await h.deliver();
    expect(await receivedCounts([...local, foreign], 'Tingri meeting')).toEqual([1, 0]);
    const counts = (await h.service.get(author, b.id)).counts;
    expect(counts).toMatchObject({ recipients: 2, blocked: 1, reasons: { country: 1 } });
    expect(counts.sent).toBe(1);
  });
});

describe('the preview reads counters, not subscribers', () => {
  test('one Query per audience region and one budget read, whatever the audience’s size', async () => {
    const counted = countingDocumentClient(stack);
    const h = harness({ db: counted.db });
    const input: BroadcastInput = {
      audience: {
        regions: ['pref_shigatse', 'pref_shannan', 'pref_lhasa'],
        topics: ['weather', 'pest'],
        languages: [],
      },
      texts: TEXTS,
    };
    const admin: Acting = {
      actor: { phone: '+8613800000000', grants: [{ role: 'admin', regions: ['*'] }], configAdmin: true },
    };
    await h.service.preview(admin, input); // warms the region and catalog caches, as any running process has them
    counted.requests = 0;
    const preview = await h.service.preview(admin, input);
    expect(counted.requests).toBe(3 + 1);
    expect(preview.upperBound).toBe(true);
    counted.db.destroy();
  });
});

describe('approval', () => {
  test('over the threshold a second staff member approves; never the author, never twice; then it may go', async () => {
    await join('Nyalam', 'cty_shigatse_nyalam', 3);
    const h = harness({ settings: { approvalThreshold: 2 } });
    const b = await h.service.create(author, only('cty_shigatse_nyalam'));
    expect(b.preview.needsApproval).toBe(true);
    await expect(h.service.send(author, b.id)).rejects.toMatchObject({
      code: 'conflict',
      details: [{ key: 'errors:broadcast.needs_approval' }],
    });
    await expect(h.service.approve(author, b.id)).rejects.toMatchObject({
      code: 'conflict',
      details: [{ key: 'errors:broadcast.own_approval' }],
    });
    await expect(h.service.approve(staff('+8613900000009', [SHIGATSE], 'collector'), b.id)).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(h.service.approve(lhasaOperator, b.id)).rejects.toMatchObject({ code: 'forbidden' });
    const unchanged = (await h.service.get(author, b.id)).broadcast;
    expect(unchanged.version).toBe(b.version);
    const approved = await h.service.approve(second, b.id);
    expect(approved.approvedBy).toBe(second.actor.phone);
    await expect(h.service.approve(second, b.id)).rejects.toMatchObject({
      details: [{ key: 'errors:broadcast.already_approved' }],
    });
    // An edit withdraws the approval.
    const edited = await h.service.update(author, b.id, only('cty_shigatse_nyalam', { en: 'Edited.' }));
    expect(edited.approvedBy).toBeUndefined();
    await h.service.approve(second, b.id);
    expect((await h.service.send(author, b.id)).status).toBe('sending');
    expect(h.schedules.at(-1)).toMatchObject({ id: b.id });
    // Under the threshold: nothing to approve.
    const small = await harness({ settings: { approvalThreshold: 100 } }).service.create(
      author,
      only('cty_shigatse_nyalam'),
    );
    await expect(h.service.approve(second, small.id)).rejects.toMatchObject({
      details: [{ key: 'errors:broadcast.no_approval_needed' }],
    });
  });
});

describe('schedule, pause, resume, cancel, quiet hours', () => {
  test('scheduled: a one-time schedule at its time; not before; then it goes', async () => {
    const phones = await join('Namling', 'cty_shigatse_namling', 2);
    let now = stack.deps.now();
    const h = harness({ clock: () => now });
    const at = new Date(now.getTime() + 3600_000);
    const b = await h.service.create(author, {
      ...only('cty_shigatse_namling', { en: 'Namling vaccination at noon.' }),
      sendAt: at.toISOString(),
    });
    const sent = await h.service.send(author, b.id);
    expect(sent.status).toBe('scheduled');
    expect(h.schedules.at(-1)).toEqual({ id: b.id, at });
    expect((await h.service.run(b.id, now)).idle).toBe('not_due');
    expect(h.queued).toHaveLength(0);
    now = new Date(at.getTime() + 1000);
    const report = await h.service.run(b.id, now);
    expect(report).toMatchObject({ status: 'sending', queued: 2 });
    await h.deliver();
    expect(await receivedCounts(phones, 'Namling vaccination')).toEqual([1, 1]);
  });

  test('pause holds what the sender has not sent; resume sends it, each once', async () => {
    const phones = await join('Yadong', 'cty_shigatse_yadong', 4);
    const h = harness({ settings: { pageSize: 2 } });
    const b = await h.service.create(author, only('cty_shigatse_yadong', { en: 'Yadong road closed.' }));
    await h.service.send(author, b.id);
    await h.service.fanOut(b.id, stack.deps.now());
    expect(h.queued).toHaveLength(4);
    // One goes, then staff pause: the rest are held back, left queued.
    const [first, ...rest] = h.queued.splice(0);
    h.queued.push(first!);
    expect(await h.deliver()).toEqual(['sent']);
    await h.service.pause(author, b.id);
    h.queued.push(...rest);
    expect(await h.deliver()).toEqual(['skipped', 'skipped', 'skipped']);
    expect((await h.service.fanOut(b.id, stack.deps.now())).idle).toBe('paused');
    await expect(h.service.pause(author, b.id)).rejects.toMatchObject({
      details: [{ key: 'errors:broadcast.status' }],
    });
    await h.service.resume(author, b.id);
    const replay = await h.service.fanOut(b.id, stack.deps.now());
    expect(replay.queued).toBe(3);
    expect(await h.deliver()).toEqual(['sent', 'sent', 'sent']);
    expect(await receivedCounts(phones, 'Yadong road')).toEqual([1, 1, 1, 1]);
    await h.service.fanOut(b.id, stack.deps.now());
    const view = await h.service.get(author, b.id);
    expect(view.broadcast.status).toBe('finished');
    expect(view.counts).toMatchObject({ recipients: 4, sent: 4, queued: 0 });
    await expect(h.service.cancel(author, b.id)).rejects.toMatchObject({
      code: 'conflict',
      details: [{ key: 'errors:broadcast.status', params: { status: 'finished' } }],
    });
  });

  test('cancel: what was not sent is never sent (blocked, reason cancelled)', async () => {
    const phones = await join('Saga', 'cty_shigatse_saga', 3);
    const h = harness();
    const b = await h.service.create(author, only('cty_shigatse_saga', { en: 'Saga market day.' }));
    await h.service.send(author, b.id);
    await h.service.fanOut(b.id, stack.deps.now());
    await h.service.cancel(author, b.id);
    expect(h.schedules.at(-1)).toEqual({ id: b.id, cancelled: true });
    expect(await h.deliver()).toEqual(['blocked', 'blocked', 'blocked']);
    expect(await receivedCounts(phones, 'Saga market')).toEqual([0, 0, 0]);
    expect((await h.service.get(author, b.id)).counts).toMatchObject({ blocked: 3, reasons: { cancelled: 3 } });
    expect((await h.service.fanOut(b.id, stack.deps.now())).idle).toBe('cancelled');
  });

  test('quiet hours: nothing is fanned out or sent in them; it resumes at their end', async () => {
    const phones = await join('Gamba', 'cty_shigatse_gamba', 2);
    let now = new Date('2026-12-05T20:00:00+08:00');
    const h = harness({ clock: () => now, settings: { quietStart: '21:00', quietEnd: '08:00' } });
    const b = await h.service.create(author, only('cty_shigatse_gamba', { en: 'Gamba hail warning.' }));
    await h.service.send(author, b.id);
    // Fanned out at 20:59, but the sender's turn comes at 21:00.
    now = new Date('2026-12-05T20:59:00+08:00');
    await h.service.fanOut(b.id, now);
    expect(h.queued).toHaveLength(2);
    now = new Date('2026-12-05T21:00:00+08:00');
    expect(await h.deliver()).toEqual(['skipped', 'skipped']);
    const quiet = await h.service.get(author, b.id);
    expect(quiet.quiet).toEqual({ until: new Date('2026-12-06T08:00:00+08:00').toISOString() });
    now = new Date('2026-12-06T03:00:00+08:00');
    // The minute tick finds it (and any other active broadcast) quiet: nothing is queued.
    expect((await h.service.tick(now)).find((r) => r.broadcastId === b.id)?.idle).toBe('quiet');
    expect(h.queued).toHaveLength(0);
    now = new Date('2026-12-06T08:00:00+08:00');
    const report = await h.service.fanOut(b.id, now);
    expect(report.queued).toBe(2);
    // The gate's cache of "quiet" lasts a few seconds of real time: wait it out.
    await new Promise((r) => setTimeout(r, 5_100));
    expect(await h.deliver()).toEqual(['sent', 'sent']);
    expect(await receivedCounts(phones, 'Gamba hail')).toEqual([1, 1]);
  });
});

/** A client on the same table that fails every request after the first `n`, as a Lambda killed mid-page. */
function dyingClient(n: number): DynamoDBDocumentClient {
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  let left = n;
  db.middlewareStack.add(
    (next) => async (args) => {
      if (left-- <= 0) throw new Error('killed');
      return next(args);
    },
    { step: 'initialize', name: 'dieAfterN' },
  );
  return db;
}

describe('crashes', () => {
  test('a fan-out killed at random points and run again 5 times sends each recipient exactly one SMS', async () => {
    const phones = await join('Bainang', 'cty_shigatse_bainang', 9);
    const healthy = harness({ settings: { pageSize: 2 } });
    const b = await healthy.service.create(author, only('cty_shigatse_bainang', { en: 'Bainang seed delivery.' }));
    await healthy.service.send(author, b.id);
    const enqueued: OutboundSms[] = [];
    let kills = 0;
    for (let run = 0; run < 5; run++) {
      // 3 to 8 requests in: after the read, the counts, the window, the page's Query, either
      // recordOnce, the page count or the progress. A run moves on by a page at most, so each dies.
      const dying = harness({ settings: { pageSize: 2 }, db: dyingClient(3 + Math.floor(Math.random() * 6)) });
      try {
        for (let i = 0; i < 10; i++) {
          const r = await dying.service.fanOut(b.id, stack.deps.now());
          if (r.idle) break;
        }
      } catch (err) {
        expect((err as Error).message).toMatch(/killed/);
        kills++;
      }
      enqueued.push(...dying.queued);
    }
    // Then it runs to its end, and everything that was ever queued reaches the sender.
    for (let i = 0; i < 10 && (await healthy.service.fanOut(b.id, stack.deps.now())).idle === undefined; i++);
    healthy.queued.push(...enqueued);
    await healthy.deliver();
    await healthy.service.fanOut(b.id, stack.deps.now());
    expect(kills).toBe(5);
    expect(await receivedCounts(phones, 'Bainang seed')).toEqual(phones.map(() => 1));
    const view = await healthy.service.get(author, b.id);
    expect(view.counts).toMatchObject({ recipients: 9, sent: 9, queued: 0 });
    expect(view.broadcast.status).toBe('finished');
    for (const p of phones) expect((await stack.deps.outbound.get(broadcastMessageId(b.id, p)))?.status).toBe('sent');
  });
});

describe('replays of lost queue entries', () => {
  test('a replay cut off part-way goes on from the page it reached, not from its first page', async () => {
    const phones = await join('Kangmar', 'cty_shigatse_kangmar', 6);
    let now = stack.deps.now();
    const clock = () => now;
    const healthy = harness({ settings: { pageSize: 2 }, clock });
    const b = await healthy.service.create(author, only('cty_shigatse_kangmar', { en: 'Kangmar fodder ready.' }));
    await healthy.service.send(author, b.id);
    for (let i = 0; i < 5 && (await healthy.service.fanOut(b.id, now)).idle === undefined; i++);
    expect(healthy.queued).toHaveLength(6);
    // The queue loses every entry; after STALE_WINDOW_MS the window is replayed.
    healthy.queued.splice(0);
    now = new Date(now.getTime() + STALE_WINDOW_MS + 60_000);
    // Cut off in its second page: after the read, the counts, the first page (Query, the read of
    // its messages, the page count, the saved place) and the second page's Query.
    const dying = harness({ settings: { pageSize: 2 }, clock, db: dyingClient(7) });
    await expect(dying.service.fanOut(b.id, now)).rejects.toThrow(/killed/);
    expect(dying.queued).toHaveLength(2);
    const saved = (await healthy.service.get(author, b.id)).broadcast.progress;
    expect(saved.replay).toMatchObject({ queued: 2, whole: true, from: { partition: 0 } });
    expect(saved.replay!.from.cursor).toBeDefined();
    // The next tick reads the pages left (two, and the empty one a full last page leaves), not the first again.
    const next = await healthy.service.fanOut(b.id, now);
    expect(next).toMatchObject({ queued: 4, pages: 3 });
    expect((await healthy.service.get(author, b.id)).broadcast.progress.replay).toBeUndefined();
    healthy.queued.push(...dying.queued);
    expect(await healthy.deliver()).toEqual(phones.map(() => 'sent'));
    await healthy.service.fanOut(b.id, now);
    expect(await receivedCounts(phones, 'Kangmar fodder')).toEqual(phones.map(() => 1));
    expect((await healthy.service.get(author, b.id)).broadcast.status).toBe('finished');
  });

  test('counters left behind by a lost count: a whole replay that finds nothing queued raises them and finishes', async () => {
    const phones = await join('Sakya', 'cty_shigatse_sagya', 3);
    let now = stack.deps.now();
    const h = harness({ clock: () => now });
    const b = await h.service.create(author, only('cty_shigatse_sagya', { en: 'Sakya market moved.' }));
    await h.service.send(author, b.id);
    await h.service.fanOut(b.id, now);
    expect(await h.deliver()).toEqual(['sent', 'sent', 'sent']);
    // One status change stored and its count lost (a crash between the two writes).
    const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
    await db.send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: broadcastCountsKey(b.id),
        UpdateExpression: 'ADD sent :minus',
        ExpressionAttributeValues: { ':minus': -1 },
      }),
    );
    expect((await h.service.fanOut(b.id, now)).status).toBe('sending');
    expect((await h.service.get(author, b.id)).counts).toMatchObject({ sent: 2, queued: 1 });
    now = new Date(now.getTime() + STALE_WINDOW_MS + 60_000);
    const replay = await h.service.fanOut(b.id, now);
    expect(replay).toMatchObject({ status: 'finished', queued: 0 });
    const view = await h.service.get(author, b.id);
    expect(view.broadcast.status).toBe('finished');
    expect(view.counts).toMatchObject({ recipients: 3, sent: 3, queued: 0 });
    // Nothing was sent again.
    expect(await receivedCounts(phones, 'Sakya market')).toEqual([1, 1, 1]);
  });
});

describe('bad input: a clear refusal, nothing created or changed', () => {
  const cases: Array<[string, BroadcastInput, string]> = [
    ['an empty audience', { audience: { regions: [], topics: [], languages: [] }, texts: TEXTS }, 'audience_empty'],
    [
      'no text in any language',
      { audience: { regions: [SHIGATSE], topics: [], languages: [] }, texts: { bo: ' ', en: '' } },
      'text_missing',
    ],
    ['a version over 10 segments', only(SHIGATSE, { en: 'word '.repeat(400) }), 'text_too_long'],
    ['a time in the past', { ...only(SHIGATSE), sendAt: '2020-01-01T08:00:00+08:00' }, 'send_at_past'],
    ['a time that is no time', { ...only(SHIGATSE), sendAt: 'tomorrow' }, 'send_at_invalid'],
    ['a time too far ahead', { ...only(SHIGATSE), sendAt: '2099-01-01T08:00:00+08:00' }, 'send_at_far'],
    ['an unknown region', only('cty_nowhere'), 'region_unknown'],
    [
      'an unknown topic',
      { audience: { regions: [SHIGATSE], topics: ['gossip' as 'weather'], languages: [] }, texts: TEXTS },
      'topic_unknown',
    ],
    [
      'an unknown commodity’s prices',
      { audience: { regions: [SHIGATSE], topics: ['price:unobtainium'], languages: [] }, texts: TEXTS },
      'topic_unknown',
    ],
    [
      'an unknown language',
      { audience: { regions: [SHIGATSE], topics: [], languages: ['fr' as 'en'] }, texts: TEXTS },
      'language_unknown',
    ],
    [
      'an unknown template',
      { audience: { regions: [SHIGATSE], topics: [], languages: [] }, template: { key: 'help.commands', params: {} } },
      'template_unknown',
    ],
  ];

  for (const [name, input, key] of cases) {
    test(`${name} → validation_failed (${key})`, async () => {
      const admin: Acting = {
        actor: { phone: '+8613800000000', grants: [{ role: 'admin', regions: ['*'] }], configAdmin: true },
      };
      const before = (await stack.deps.broadcasts.list(admin, { region: '*', limit: 100 })).items.length;
      const err = await stack.deps.broadcasts.create(author, input).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: 'validation_failed' });
      expect((err as AppError).details.map((d) => d.key)).toContain(`errors:broadcast.${key}`);
      await expect(stack.deps.broadcasts.preview(author, input)).rejects.toMatchObject({ code: 'validation_failed' });
      expect((await stack.deps.broadcasts.list(admin, { region: '*', limit: 100 })).items.length).toBe(before);
    });
  }

  test('every problem at once', async () => {
    const err = (await stack.deps.broadcasts
      .create(author, {
        audience: { regions: [], topics: ['x' as 'weather'], languages: [] },
        texts: {},
        sendAt: 'soon',
      })
      .catch((e: unknown) => e)) as AppError;
    expect(err.details.map((d) => d.key).sort()).toEqual([
      'errors:broadcast.audience_empty',
      'errors:broadcast.send_at_invalid',
      'errors:broadcast.text_missing',
      'errors:broadcast.topic_unknown',
    ]);
  });

  test('a region outside the author’s scope → forbidden, before any input problem; a collector may not broadcast', async () => {
    await expect(
      stack.deps.broadcasts.create(lhasaOperator, { ...only(SHIGATSE), sendAt: 'soon' }),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      stack.deps.broadcasts.create(staff('+8613900000010', [SHIGATSE], 'collector'), only(SHIGATSE)),
    ).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(stack.deps.broadcasts.get(lhasaOperator, 'b0000000000')).rejects.toMatchObject({ code: 'not_found' });
  });

  test('a resubmitted form makes one broadcast; a step the state does not allow is a conflict', async () => {
    const first = await stack.deps.broadcasts.create(author, only(SHIGATSE), 'form-123');
    const again = await stack.deps.broadcasts.create(author, only(SHIGATSE), 'form-123');
    expect(again.id).toBe(first.id);
    await expect(stack.deps.broadcasts.resume(author, first.id)).rejects.toMatchObject({
      code: 'conflict',
      details: [{ key: 'errors:broadcast.status', params: { status: 'draft' } }],
    });
    await stack.deps.broadcasts.cancel(author, first.id);
    await expect(stack.deps.broadcasts.send(author, first.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(stack.deps.broadcasts.cancel(author, first.id)).rejects.toMatchObject({ code: 'conflict' });
  });
});

/**
 * The broadcast store against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT): create
 * once, versioned saves, history lines per audience region, its ancestors and '*', the day
 * range, the active set following the status, recipients counted once per fan-out page, and
 * the counters the outbound store moves as a broadcast's messages change status (receipts out
 * of order included), and counters raised to what a replay read. Request counts come from a counting middleware, not a mock.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoBroadcastStore } from '#adapters/dynamodb/broadcast-store.ts';
import { DynamoSmsBudget } from '#adapters/dynamodb/counters.ts';
import { DynamoOutboundStore, reasonCode } from '#adapters/dynamodb/outbound-store.ts';
import { type Broadcast, emptyProgress } from '#core/broadcasts/broadcast.ts';
import { AppError } from '#core/errors.ts';
import type { DeliveryStatus, OutboundSms } from '#core/sms/messages.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let store: DynamoBroadcastStore;
let outbound: DynamoOutboundStore;
beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  store = new DynamoBroadcastStore(counted.db, stack.tableName, stack.deps.authz.regionPath);
  outbound = new DynamoOutboundStore(counted.db, stack.tableName);
});
afterAll(async () => {
  counted.db.destroy();
  await stack.close();
});

let serial = 0;
const fresh = () => String(++serial).padStart(6, '0');

/** Counts the DynamoDB requests `work` sends. */
async function requestsOf(work: () => Promise<unknown>): Promise<number> {
  const before = counted.requests;
  await work();
  return counted.requests - before;
}

function broadcast(fields: Partial<Broadcast> = {}): Broadcast {
  const at = fields.createdAt ?? '2026-11-20T02:00:00.000Z';
  return {
    id: `b${fresh()}test`,
    status: 'draft',
    audience: { regions: ['cty_lhasa_chengguan'], topics: ['weather'], languages: [] },
    texts: { bo: 'ཁ་བ་འབབ།', zh: '明天有雪' },
    createdBy: '+8613800000001',
    createdAt: at,
    updatedAt: at,
    preview: {
      recipients: 3,
      upperBound: false,
      rows: [],
      segments: { 'bo-tibetan': 1 },
      totalSegments: 3,
      costFen: 15,
      segmentPriceFen: 5,
      budget: { day: '2026-11-20', limit: 1000, remaining: 1000, needed: 3, fits: true },
      needsApproval: false,
      timing: { rate: 20, seconds: 1, startsAt: at, quietHoldsIt: false },
      at,
    },
    progress: emptyProgress(),
    version: 1,
    ...fields,
  };
}

/** A region of its own per test, so history partitions of tests sharing the table never meet. */
async function listAll(region: string, range?: { from?: string; to?: string }) {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list(region, { limit: 2, ...(cursor ? { cursor } : {}) }, range);
    ids.push(...page.items.map((i) => i.id));
    cursor = page.cursor;
  } while (cursor);
  return ids;
}

describe('create, get, save', () => {
  test('an id is created once; the second create changes nothing', async () => {
    const b = broadcast();
    expect(await store.create(b)).toBe(true);
    expect(await store.create({ ...b, texts: { en: 'other' } })).toBe(false);
    expect(await store.get(b.id)).toEqual(b);
    expect(await store.get('bnothere')).toBeUndefined();
    expect(await store.counts(b.id)).toMatchObject({ recipients: 0, queued: 0, sent: 0, reasons: {} });
  });

  test('save increments the version; a save of a stale version is a conflict and changes nothing', async () => {
    const b = broadcast();
    await store.create(b);
    const saved = await store.save({ ...b, texts: { zh: '改了' } });
    expect(saved.version).toBe(2);
    expect((await store.get(b.id))?.texts).toEqual({ zh: '改了' });
    const stale = store.save({ ...b, texts: { zh: '旧的' } });
    await expect(stale).rejects.toBeInstanceOf(AppError);
    await expect(stale).rejects.toMatchObject({ code: 'conflict' });
    expect(await store.get(b.id)).toMatchObject({ version: 2, texts: { zh: '改了' } });
  });

  test('saveProgress keeps the version and refuses a stale one', async () => {
    const b = broadcast();
    await store.create(b);
    const progress = { ...emptyProgress(), next: { partition: 1, cursor: 'abc' }, pages: 3 };
    expect(await store.saveProgress(b.id, 1, progress)).toBe(true);
    expect(await store.saveProgress(b.id, 2, { ...progress, pages: 9 })).toBe(false);
    expect(await store.get(b.id)).toMatchObject({ version: 1, progress });
  });
});

describe('history', () => {
  test('a line per audience region, each ancestor and *, with the summary; newest first', async () => {
    const b = broadcast({ audience: { regions: ['cty_shigatse_gyantse'], topics: [], languages: [] } });
    const later = broadcast({
      createdAt: '2026-11-21T02:00:00.000Z',
      audience: { regions: ['cty_shigatse_gyantse', 'cty_shigatse_tingri'], topics: [], languages: [] },
    });
    await store.create(b);
    await store.create(later);
    expect(await listAll('cty_shigatse_gyantse')).toEqual([later.id, b.id]);
    expect(await listAll('cty_shigatse_tingri')).toEqual([later.id]);
    expect(await listAll('pref_shigatse')).toEqual([later.id, b.id]);
    const everywhere = await store.list('*', { limit: 100 });
    expect(everywhere.items.map((i) => i.id)).toEqual(expect.arrayContaining([later.id, b.id]));
    const [line] = (await store.list('cty_shigatse_tingri', { limit: 1 })).items;
    expect(line).toEqual({
      id: later.id,
      status: 'draft',
      audience: later.audience,
      createdBy: later.createdBy,
      createdAt: later.createdAt,
      firstText: 'ཁ་བ་འབབ།',
      recipients: 0,
      costFen: 0,
    });
  });

  test('a save moves the lines with the audience and keeps their summary up to date', async () => {
    const b = broadcast({ audience: { regions: ['cty_nagqu_amdo'], topics: [], languages: [] } });
    await store.create(b);
    const moved = await store.save({
      ...b,
      status: 'sending',
      startedAt: '2026-11-20T03:00:00.000Z',
      audience: { regions: ['cty_ngari_burang'], topics: [], languages: [] },
    });
    expect(await listAll('cty_nagqu_amdo')).toEqual([]);
    expect(await listAll('pref_nagqu')).not.toContain(b.id);
    expect(await listAll('cty_ngari_burang')).toEqual([b.id]);
    expect(await listAll('pref_ngari')).toContain(b.id);
    const [line] = (await store.list('cty_ngari_burang', { limit: 5 })).items;
    expect(line).toMatchObject({ status: 'sending', startedAt: moved.startedAt });
  });

  test('from/to are Asia/Shanghai days of creation, inclusive', async () => {
    const region = 'cty_chamdo_karub';
    // 2026-11-09 23:30 and 2026-11-10 00:30 in Shanghai; 2026-11-12 12:00.
    const times = ['2026-11-09T15:30:00.000Z', '2026-11-09T16:30:00.000Z', '2026-11-12T04:00:00.000Z'];
    const made = times.map((createdAt) =>
      broadcast({ createdAt, audience: { regions: [region], topics: [], languages: [] } }),
    );
    for (const b of made) await store.create(b);
    const [b9, b10, b12] = made.map((b) => b.id);
    expect(await listAll(region, { from: '2026-11-10' })).toEqual([b12, b10]);
    expect(await listAll(region, { to: '2026-11-10' })).toEqual([b10, b9]);
    expect(await listAll(region, { from: '2026-11-10', to: '2026-11-11' })).toEqual([b10]);
    expect(await listAll(region, { from: '2026-11-09', to: '2026-11-09' })).toEqual([b9]);
    await expect(store.list(region, { limit: 5 }, { from: '2026-02-30' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  test('a page is one Query and one BatchGet of the counters', async () => {
    const region = 'cty_shannan_nedong';
    for (let i = 0; i < 3; i++)
      await store.create(broadcast({ audience: { regions: [region], topics: [], languages: [] } }));
    expect(await requestsOf(() => store.list(region, { limit: 10 }))).toBe(2);
  });
});

describe('active set', () => {
  test('follows the status: scheduled, sending and paused are in it; draft, finished and cancelled are not', async () => {
    const b = broadcast();
    await store.create(b);
    expect(await store.active()).not.toContain(b.id);
    let saved = await store.save({ ...b, status: 'scheduled' });
    expect(await store.active()).toContain(b.id);
    saved = await store.save({ ...saved, status: 'sending' });
    saved = await store.save({ ...saved, status: 'paused' });
    expect(await store.active()).toContain(b.id);
    saved = await store.save({ ...saved, status: 'finished' });
    expect(await store.active()).not.toContain(b.id);
    const sending = broadcast({ status: 'sending' });
    await store.create(sending);
    expect(await store.active()).toContain(sending.id);
    await store.save({ ...sending, status: 'cancelled' });
    expect(await store.active()).not.toContain(sending.id);
    expect(await requestsOf(() => store.active())).toBe(1);
  });
});

describe('counters', () => {
  test('addRecipients counts a page once', async () => {
    const b = broadcast();
    await store.create(b);
    expect(await store.addRecipients(b.id, '0:start', 200)).toBe(true);
    expect(await store.addRecipients(b.id, '0:start', 200)).toBe(false);
    expect(await store.addRecipients(b.id, '0:abc', 50)).toBe(true);
    expect(await requestsOf(() => store.addRecipients(b.id, '0:abc', 50))).toBe(1);
    expect(await store.counts(b.id)).toMatchObject({ recipients: 250, queued: 250 });
  });

  test('raiseCounts raises a counter to what was read, never lowers one, and leaves the others', async () => {
    const b = broadcast();
    await store.create(b);
    await store.addRecipients(b.id, '0:start', 10);
    await store.raiseCounts(b.id, { sent: 4, delivered: 2, segmentsSent: 6 });
    expect(await store.counts(b.id)).toMatchObject({ sent: 4, delivered: 2, segmentsSent: 6, queued: 4 });
    // Lower figures change nothing, higher ones raise only their own counter.
    await store.raiseCounts(b.id, { sent: 1, delivered: 3, segmentsSent: 0 });
    expect(await store.counts(b.id)).toMatchObject({ sent: 4, delivered: 3, segmentsSent: 6, failed: 0, queued: 3 });
    // Nothing to raise: one read, no write.
    expect(await requestsOf(() => store.raiseCounts(b.id, { sent: 4 }))).toBe(1);
  });

  const message = (b: Broadcast, n: number, segments = 2): OutboundSms => ({
    id: `sms-${b.id}-${n}`,
    to: `+86139${String(n).padStart(8, '0')}`,
    text: 'ཁ་བ་འབབ།',
    encoding: 'UCS-2',
    segments,
    key: 'broadcast.text',
    params: { text: 'ཁ་བ་འབབ།' },
    essential: false,
    createdAt: '2026-11-20T03:00:00.000Z',
    broadcastId: b.id,
    broadcastPage: '0:start',
  });

  test('getMany reads the messages there are, leaves out the missing, one request per hundred ids', async () => {
    const b = broadcast();
    await store.create(b);
    const msgs = Array.from({ length: 3 }, (_, i) => message(b, 900 + i));
    for (const m of msgs) await outbound.recordOnce(m);
    await outbound.markStatus(msgs[1]!.id, 'sent');
    const ids = [...msgs.map((m) => m.id), `sms-${b.id}-missing`];
    const found = await outbound.getMany(ids);
    expect([...found.keys()].sort()).toEqual(msgs.map((m) => m.id).sort());
    expect(found.get(msgs[1]!.id)?.status).toBe('sent');
    expect(await requestsOf(() => outbound.getMany(ids))).toBe(1);
    expect(await requestsOf(() => outbound.getMany(Array.from({ length: 150 }, (_, i) => `none-${i}`)))).toBe(2);
    expect(await requestsOf(() => outbound.getMany([]))).toBe(0);
  });

  test('status changes move the counters; queued is derived; receipts out of order count once', async () => {
    const b = broadcast({ status: 'sending' });
    await store.create(b);
    const msgs = Array.from({ length: 6 }, (_, i) => message(b, i));
    for (const m of msgs) expect((await outbound.recordOnce(m)).recorded).toBe(true);
    await store.addRecipients(b.id, '0:start', msgs.length);
    const [m0, m1, m2, m3, m4, m5] = msgs.map((m) => m.id) as [string, string, string, string, string, string];
    const gw = (n: string) => ({ gateway: 'eum', gatewayMessageId: `g-${n}` });

    // m0: sent, then delivered.
    await outbound.markStatus(m0, 'sent', gw(m0));
    await outbound.markStatus(m0, 'delivered', gw(m0));
    // m1: the delivery receipt beats the sender's own "sent", which is then refused.
    await outbound.markStatus(m1, 'delivered', gw(m1));
    expect(await outbound.markStatus(m1, 'sent', gw(m1))).toBe(false);
    // m2: sent, a carrier failure, then the carrier's retry delivered it.
    await outbound.markStatus(m2, 'sent', gw(m2));
    await outbound.markStatus(m2, 'failed', { ...gw(m2), error: 'carrier unreachable' });
    await outbound.markStatus(m2, 'delivered', gw(m2));
    // m3: blocked by the opt-out check; a late failure with no text keeps the reason.
    await outbound.markStatus(m3, 'blocked', { error: 'the number sent STOP' });
    await outbound.markStatus(m3, 'failed', gw(m3));
    // m4: the gateway refused it (never left).
    await outbound.markStatus(m4, 'failed', { error: 'InvalidParameter' });
    // m5: still queued.

    expect(await store.counts(b.id)).toEqual({
      recipients: 6,
      queued: 1,
      sent: 0,
      delivered: 3,
      failed: 2,
      blocked: 0,
      unknown: 0,
      segmentsSent: 6,
      reasons: { opted_out: 1, gateway: 1 },
    });
    // A delivered message stays delivered: a late failure moves nothing.
    expect(await outbound.markStatus(m0, 'failed', gw(m0))).toBe(false);
    await outbound.markStatus(m5, 'blocked', { error: 'broadcast cancelled' });
    expect(await store.counts(b.id)).toMatchObject({ queued: 0, blocked: 1, reasons: { cancelled: 1 } });
    const [line] = (await store.list('*', { limit: 50 })).items.filter((i) => i.id === b.id);
    expect(line).toMatchObject({ recipients: 6, costFen: 6 * 5 });
  });

  test('reason codes from the error texts', () => {
    expect(reasonCode('the number sent STOP')).toBe('opted_out');
    expect(reasonCode('destination +1 not in the allow-list')).toBe('country');
    expect(reasonCode('daily SMS cap reached (SMS_DAILY_SEGMENT_LIMIT 10 segments)')).toBe('budget');
    expect(reasonCode('broadcast cancelled')).toBe('cancelled');
    expect(reasonCode('Throttled by carrier')).toBe('gateway');
    expect(reasonCode(undefined)).toBe('gateway');
  });

  test('a message without a broadcast moves no counters: one request, as before', async () => {
    const { broadcastId: _b, broadcastPage: _p, ...plain } = message(broadcast(), 99);
    await outbound.record(plain);
    expect(
      await requestsOf(() => outbound.markStatus(plain.id, 'sent', { gateway: 'eum', gatewayMessageId: 'x' })),
    ).toBe(1);
  });
});

describe('outbound recordOnce and the day budget', () => {
  test('recordOnce records once and hands back the existing message', async () => {
    const msg: OutboundSms = {
      id: `once-${fresh()}`,
      to: '+8613912345678',
      text: 'hi',
      encoding: 'GSM-7',
      segments: 1,
      key: 'broadcast.text',
      params: { text: 'hi' },
      essential: false,
      createdAt: '2026-11-20T03:00:00.000Z',
      broadcastId: 'bx',
      broadcastPage: '0:start',
    };
    expect(await outbound.recordOnce(msg)).toEqual({ recorded: true });
    await outbound.markStatus(msg.id, 'sent', { gateway: 'eum', gatewayMessageId: 'g1' });
    const again = await outbound.recordOnce({ ...msg, text: 'changed' });
    expect(again.recorded).toBe(false);
    expect(again.recorded === false && again.existing).toMatchObject({
      id: msg.id,
      text: 'hi',
      status: 'sent' as DeliveryStatus,
      broadcastPage: '0:start',
    });
  });

  test('spent(day) reads what spend added, without adding', async () => {
    const budget = new DynamoSmsBudget(counted.db, stack.tableName);
    expect(await budget.spent('2031-01-01')).toBe(0);
    await budget.spend('2031-01-01', 7, undefined);
    await budget.spend('2031-01-01', 3, 100);
    expect(await requestsOf(async () => expect(await budget.spent('2031-01-01')).toBe(10))).toBe(1);
    expect(await budget.spent('2031-01-01')).toBe(10);
  });
});

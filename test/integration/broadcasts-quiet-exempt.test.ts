/**
 * Broadcasts drafted by a publication (BroadcastService.draftFrom) on the real local stack:
 * a severe alert's (`throughQuietHours`) is fanned out and passes the sender's gate inside
 * quiet hours, another's is held until they end; the same source drafts one broadcast however
 * often it is replayed; the broadcast page and the API name the alert or bulletin it came from.
 * Subscribers are made by SMS (POST /dev/sms); the fan-out's queue holds messages until the
 * test hands them to the real sender, so each step runs at a clock the test sets.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoAudienceReader } from '#adapters/dynamodb/audience.ts';
import { DynamoBroadcastStore } from '#adapters/dynamodb/broadcast-store.ts';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoSmsBudget } from '#adapters/dynamodb/counters.ts';
import { DynamoOutboundStore } from '#adapters/dynamodb/outbound-store.ts';
import type { BroadcastSource } from '#core/broadcasts/broadcast.ts';
import { createBroadcasts } from '#core/broadcasts/broadcasts.ts';
import type { BroadcastInput, BroadcastService } from '#core/broadcasts/service.ts';
import { defaultBroadcastSettings } from '#core/broadcasts/settings.ts';
import type { OutboundSms } from '#core/sms/messages.ts';
import { sendQueuedSms } from '#core/sms/sender.ts';
import type { Acting } from '#core/staff/guard.ts';
import { toWylie } from '#core/text/wylie.ts';
import { freshNumber, outbox, replyTo } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { bearer, from, signIn } from '#test/support/staff.ts';

const COUNTY = 'cty_shigatse_sagya';
const PUBLISHER = '+8613900000071';
const operator: Acting = {
  actor: { phone: '+8613900000072', grants: [{ role: 'operator', regions: ['pref_shigatse'] }], configAdmin: false },
};
/** 22:30 in Asia/Shanghai: inside the default quiet hours (21:00–08:00). */
const NIGHT = new Date('2026-12-05T22:30:00+08:00');
const MORNING = new Date('2026-12-06T08:00:00+08:00');

let stack: TestStack;
let now = NIGHT;
let service: BroadcastService;
const queued: OutboundSms[] = [];
const subscribers: string[] = [];

/** Hands every queued message to the stack's real sender, with the gate of this service at the test's clock. */
async function deliver(): Promise<string[]> {
  const sender = { ...stack.deps.sender, broadcasts: { gate: (id: string) => service.gate(id, now) } };
  const outcomes: string[] = [];
  for (const m of queued.splice(0)) outcomes.push(await sendQueuedSms(sender, m.id));
  return outcomes;
}

const alertText = (words: string): BroadcastInput => ({
  audience: { regions: [COUNTY], topics: ['weather'], languages: [] },
  texts: { en: words, zh: `预警：${words.length}`, bo: 'ཉེན་བརྡ། ཁ་བ་ཆེན་པོ་འབབ།' },
});
const received = async (phone: string, needle: string) =>
  (await outbox(stack, phone)).filter((m) => m.text.includes(needle)).length;

beforeAll(async () => {
  // Quiet hours as shipped: 21:00 to 08:00 Asia/Shanghai.
  stack = await startTestStack({ QUIET_HOURS_START: '21:00', QUIET_HOURS_END: '08:00' });
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  service = createBroadcasts({
    authz: stack.deps.authz,
    audit: stack.deps.audit,
    now: () => now,
    store: new DynamoBroadcastStore(db, stack.tableName, stack.deps.authz.regionPath),
    audience: new DynamoAudienceReader(db, stack.tableName),
    scheduler: { at: async () => {}, cancel: async () => {} },
    outbound: new DynamoOutboundStore(db, stack.tableName),
    bulkQueue: { enqueue: async (messages) => void queued.push(...messages) },
    budget: new DynamoSmsBudget(db, stack.tableName),
    dailySegmentLimit: 1_000_000,
    catalog: stack.deps.catalog,
    signature: { signature: stack.deps.smsSettings.signature, gsmSignature: stack.deps.smsSettings.gsmSignature },
    toWylie: async () => toWylie,
    settings: { ...defaultBroadcastSettings, quietStart: '21:00', quietEnd: '08:00' },
    log: () => {},
  });
  for (let i = 0; i < 2; i++) {
    const phone = freshNumber('138');
    await replyTo(stack, phone, 'JOIN Sakya');
    await replyTo(stack, phone, 'SUB WEATHER');
    expect((await stack.deps.subscribers.get(phone))?.homeRegionId).toBe(COUNTY);
    subscribers.push(phone);
  }
});
afterAll(() => stack?.close());

describe('quiet hours and broadcasts drafted by a publication', () => {
  test('a severe alert’s broadcast (throughQuietHours) is fanned out and sent inside quiet hours', async () => {
    now = NIGHT;
    const source: BroadcastSource = { kind: 'alert', id: 'a0000000001', version: 1 };
    const b = await service.draftFrom(source, alertText('Sakya blizzard tonight'), PUBLISHER, {
      throughQuietHours: true,
    });
    expect(b).toMatchObject({ status: 'draft', source, throughQuietHours: true, createdBy: PUBLISHER });
    expect(b.preview.timing.quietHoldsIt).toBe(false);
    await service.send(operator, b.id);
    expect((await service.get(operator, b.id)).quiet).toBeUndefined();
    const report = await service.fanOut(b.id, now);
    expect(report.queued).toBe(2);
    expect(await service.gate(b.id, now)).toBe('send');
    expect(await deliver()).toEqual(['sent', 'sent']);
    for (const phone of subscribers) expect(await received(phone, 'Sakya blizzard')).toBe(1);
  });

  test('a broadcast drafted without it is held by quiet hours, and goes at their end', async () => {
    now = NIGHT;
    const b = await service.draftFrom(
      { kind: 'bulletin', id: 'n0000000001', version: 1 },
      alertText('Sakya sowing advice'),
      PUBLISHER,
    );
    expect(b.throughQuietHours).toBeUndefined();
    expect(b.preview.timing.quietHoldsIt).toBe(true);
    await service.send(operator, b.id);
    expect((await service.get(operator, b.id)).quiet).toEqual({ until: MORNING.toISOString() });
    expect((await service.tick(now)).find((r) => r.broadcastId === b.id)?.idle).toBe('quiet');
    expect(queued).toHaveLength(0);
    expect(await service.gate(b.id, now)).toBe('hold');
    for (const phone of subscribers) expect(await received(phone, 'Sakya sowing')).toBe(0);

    now = MORNING;
    expect((await service.fanOut(b.id, now)).queued).toBe(2);
    // The gate caches "hold" for a few seconds of real time: wait it out.
    await new Promise((r) => setTimeout(r, 5_100));
    expect(await deliver()).toEqual(['sent', 'sent']);
    for (const phone of subscribers) expect(await received(phone, 'Sakya sowing')).toBe(1);
  });

  test('the same source drafted twice (a replayed publication) is one broadcast; a new version is another', async () => {
    now = NIGHT;
    const source: BroadcastSource = { kind: 'alert', id: 'a0000000002', version: 1 };
    const first = await service.draftFrom(source, alertText('Sakya frost'), PUBLISHER, { throughQuietHours: true });
    const again = await service.draftFrom(source, alertText('Sakya frost'), PUBLISHER, { throughQuietHours: true });
    expect(again.id).toBe(first.id);
    const history = await service.list(operator, { region: COUNTY, limit: 100 });
    expect(history.items.filter((s) => s.id === first.id)).toHaveLength(1);
    const correction = await service.draftFrom({ ...source, version: 2 }, alertText('Sakya frost, later'), PUBLISHER);
    expect(correction.id).not.toBe(first.id);
  });
});

describe('the broadcast page and the API name the source', () => {
  let alertId = '';
  let bulletinId = '';
  let cookie = '';
  let token = '';

  beforeAll(async () => {
    now = NIGHT;
    alertId = (
      await service.draftFrom({ kind: 'alert', id: 'a0000000003', version: 2 }, alertText('Sakya hail'), PUBLISHER, {
        throughQuietHours: true,
      })
    ).id;
    bulletinId = (
      await service.draftFrom({ kind: 'bulletin', id: 'n0000000003', version: 1 }, alertText('Sakya fodder'), PUBLISHER)
    ).id;
    await stack.deps.staff.create({
      phone: operator.actor.phone,
      grants: operator.actor.grants,
      invitedBy: '+8613800000000',
      createdAt: 'x',
      updatedAt: 'x',
      version: 1,
    });
    ({ cookie, token } = await signIn(stack, operator.actor.phone));
  });

  const page = async (id: string, lang: string) => {
    const res = await from(stack)(`http://localhost/staff/broadcasts/${id}?lang=${lang}`, { headers: { cookie } });
    expect(res.status).toBe(200);
    return res.text();
  };

  test('an alert’s page links to /alerts/<id> with its version, and says it goes through quiet hours, in en, zh and bo', async () => {
    const en = await page(alertId, 'en');
    expect(en).toContain('<a href="/alerts/a0000000003">Drafted from alert a0000000003 (version 2)</a>');
    expect(en).toContain('sent through quiet hours');
    expect(await page(alertId, 'zh')).toContain('来自预警 a0000000003（第 2 版）');
    expect(await page(alertId, 'bo')).toContain('href="/alerts/a0000000003"');
  });

  test('a bulletin’s page links to /bulletins/<id>; no quiet-hours line', async () => {
    const en = await page(bulletinId, 'en');
    expect(en).toContain('<a href="/bulletins/n0000000003">Drafted from bulletin n0000000003 (version 1)</a>');
    expect(en).not.toContain('sent through quiet hours');
  });

  test('GET /api/v1/broadcasts/<id> carries the source and throughQuietHours', async () => {
    const res = await from(stack)(`/api/v1/broadcasts/${alertId}`, bearer(token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { broadcast: { source?: BroadcastSource; throughQuietHours?: boolean } };
    expect(body.broadcast.source).toEqual({ kind: 'alert', id: 'a0000000003', version: 2 });
    expect(body.broadcast.throughQuietHours).toBe(true);
  });
});

/**
 * Broadcasts end to end on the real local stack: subscribers made by SMS (POST /dev/sms), the
 * service as the routes and jobs call it, the paced sender and GET /dev/outbox. Quiet hours
 * are off here (start = end) unless a test sets them; the clock is the app's (stack.deps.now).
 */
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import type { Broadcast } from '#core/broadcasts/broadcast.ts';
import type { BroadcastInput } from '#core/broadcasts/service.ts';
import { AppError } from '#core/errors.ts';
import type { Acting } from '#core/staff/guard.ts';
import { freshNumber, outbox, type Reply, replyTo, TIBETAN } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const SHIGATSE = 'pref_shigatse';
const GYANTSE = 'cty_shigatse_gyantse';
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

describe('refusals change nothing', () => {
  test('a region outside the author’s scope is forbidden', async () => {
    const input: BroadcastInput = { audience: { regions: [SHIGATSE], topics: [], languages: [] }, texts: TEXTS };
    await expect(stack.deps.broadcasts.create(lhasaOperator, input)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(stack.deps.broadcasts.create(lhasaOperator, input)).rejects.toBeInstanceOf(AppError);
  });
});

/**
 * The question store against the DynamoDB protocol (dynalite, or DYNAMODB_ENDPOINT): create once
 * per inbound message (a redelivery finds the first question, a clash of codes is refused and the
 * next code taken), saves conditional on `version`, the experts' queue per region of the path and
 * '*' (filters, age as a key condition, 1 Query per page and paging that skips nothing when the
 * filter drops rows), the escalation index, statistics per month, and DELETE ME's erasure.
 * Request counts come from a counting middleware, not a mock.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoQuestionStore } from '#adapters/dynamodb/question-store.ts';
import { AppError } from '#core/errors.ts';
import type { QueueFilter } from '#core/knowledge/ports.ts';
import type { Question } from '#core/knowledge/question.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let store: DynamoQuestionStore;
beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  store = new DynamoQuestionStore(counted.db, stack.tableName);
});
afterAll(async () => {
  counted.db.destroy();
  await stack.close();
});

async function requestsOf(work: () => Promise<unknown>): Promise<number> {
  const before = counted.requests;
  await work();
  return counted.requests - before;
}

let serial = 0;
const fresh = () => String(++serial).padStart(4, '0');
/** A county of its own per test (queue partitions of tests sharing the table never meet). */
const county = () => `cty_test_${fresh()}`;

function question(over: Partial<Question> = {}): Question {
  const at = over.askedAt ?? '2026-11-20T02:00:00.000Z';
  return {
    code: `Q${fresh()}`,
    phone: '+8613900000001',
    language: 'bo',
    script: 'tibetan',
    regionPath: ['cty_shigatse_gyantse', 'pref_shigatse'],
    commodityId: 'yak',
    status: 'open',
    level: 1,
    messages: [{ from: 'farmer', text: 'གཡག་ན་ཚ།', at, messageId: `test:${fresh()}` }],
    escalations: [],
    askedAt: at,
    waitingSince: at,
    dueAt: '2026-11-21T02:00:00.000Z',
    version: 1,
    ...over,
  };
}

async function queueAll(region: string, filter: QueueFilter, now = new Date('2026-11-25T00:00:00.000Z'), limit = 2) {
  const codes: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await store.queue(region, filter, { limit, ...(cursor ? { cursor } : {}) }, now);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    codes.push(...page.items.map((s) => s.code));
    cursor = page.cursor;
    pages += 1;
  } while (cursor && pages < 100);
  return codes;
}

describe('create', () => {
  test('once per message: a redelivery answers the first question; a taken code is refused', async () => {
    const q = question();
    expect(await store.create(q, 'eum:m1')).toEqual({ question: q, created: true });
    // The redelivery drew another code: it gets the first question back, and nothing new.
    const again = await store.create({ ...q, code: `Q${fresh()}` }, 'eum:m1');
    expect(again).toEqual({ question: q, created: false });

    const clash = await store.create(question({ code: q.code }), 'eum:m2');
    expect(clash).toBeUndefined();
    const next = question();
    const made = await store.create(next, 'eum:m2');
    expect(made?.created).toBe(true);
    expect(made?.question.code).toBe(next.code);
    expect((await store.get(q.code))?.messages[0]?.text).toBe('གཡག་ན་ཚ།');
    // The redelivery of the second message finds its own question, not the clashing one.
    expect((await store.create(question(), 'eum:m2'))?.question.code).toBe(next.code);
  });

  test('a create a crash cut off after its claim is finished by the redelivery with the same code', async () => {
    const q = question();
    const failing = countingDocumentClient(stack);
    failing.db.middlewareStack.add(
      (next) => async (args) => {
        if (failing.requests > 2) throw new Error('crash');
        return next(args);
      },
      { step: 'initialize', name: 'crashAfter', priority: 'low' },
    );
    const crashing = new DynamoQuestionStore(failing.db, stack.tableName);
    await expect(crashing.create(q, 'eum:crash1')).rejects.toThrow('crash');
    failing.db.destroy();
    expect(await store.get(q.code)).toBeUndefined();

    const made = await store.create({ ...q, code: `Q${fresh()}` }, 'eum:crash1');
    expect(made).toMatchObject({ created: true, question: { code: q.code } });
    expect(await queueAll('*', {})).toContain(q.code);
  });
});

describe('save and the queue', () => {
  test('saves only over the version read; the queue follows the status in every region of the path and *', async () => {
    const region = county();
    const q = question({ regionPath: [region, 'pref_shigatse'] });
    await store.create(q, `m:${q.code}`);
    expect(await queueAll(region, {})).toEqual([q.code]);
    expect(await queueAll('pref_shigatse', {})).toContain(q.code);
    expect(await queueAll('*', {})).toContain(q.code);

    const answered = await store.save({
      ...q,
      status: 'answered',
      answeredAt: '2026-11-20T05:00:00.000Z',
      firstAnsweredAt: '2026-11-20T05:00:00.000Z',
      messages: [...q.messages, { from: 'expert', text: 'ok', at: '2026-11-20T05:00:00.000Z', by: '+8613800000009' }],
    });
    expect(answered.version).toBe(2);
    await expect(store.save(q)).rejects.toBeInstanceOf(AppError);
    await expect(store.save(q)).rejects.toMatchObject({ code: 'conflict' });
    expect(await queueAll(region, {})).toEqual([]);
    expect(await queueAll(region, { status: 'answered' })).toEqual([q.code]);
    expect(
      (await store.due(new Date('2026-11-22T00:00:00.000Z'), { limit: 100 })).items.map((s) => s.code),
    ).not.toContain(q.code);

    // A follow-up reopens it: open again, from the new wait.
    await store.save({ ...answered, status: 'open', waitingSince: '2026-11-21T00:00:00.000Z' });
    expect(await queueAll(region, {})).toEqual([q.code]);
    expect(await queueAll(region, { status: 'answered' })).toEqual([]);
  });

  test('filters by commodity, language, level and age; 1 Query a page; paging skips nothing the filter keeps', async () => {
    const region = county();
    const made: Question[] = [];
    for (let n = 0; n < 24; n++) {
      const at = new Date(Date.UTC(2026, 10, 20, n)).toISOString();
      const q = question({
        regionPath: [region],
        askedAt: at,
        waitingSince: at,
        commodityId: n % 3 === 0 ? 'barley' : 'yak',
        language: n % 2 === 0 ? 'zh' : 'bo',
        level: n % 4 === 0 ? 2 : 1,
      });
      await store.create(q, `m:${q.code}`);
      made.push(q);
    }
    const codes = (keep: (q: Question) => boolean) => made.filter(keep).map((q) => q.code);
    expect(await queueAll(region, {})).toEqual(codes(() => true));
    expect(await queueAll(region, { commodityId: 'barley' })).toEqual(codes((q) => q.commodityId === 'barley'));
    expect(await queueAll(region, { commodityId: 'barley', language: 'zh' }, undefined, 1)).toEqual(
      codes((q) => q.commodityId === 'barley' && q.language === 'zh'),
    );
    expect(await queueAll(region, { level: 2 })).toEqual(codes((q) => q.level === 2));
    // Waiting at least 10 hours at 2026-11-21T00:00Z: since 14:00 on the 20th or before.
    const now = new Date('2026-11-21T00:00:00.000Z');
    expect(await queueAll(region, { olderThanHours: 10 }, now)).toEqual(
      codes((q) => q.waitingSince! <= '2026-11-20T14:00:00.000Z'),
    );

    for (const filter of [{}, { commodityId: 'barley' }, { olderThanHours: 10, language: 'bo' as const }])
      expect(await requestsOf(() => store.queue(region, filter, { limit: 5 }, now))).toBe(1);
    const first = await store.queue(region, { commodityId: 'barley' }, { limit: 3 }, now);
    expect(first.items).toHaveLength(3);
    expect(first.cursor).toBeDefined();
    // A cursor past another age limit, or of another region, is refused as such.
    const young = await store.queue(region, {}, { limit: 20 }, now);
    await expect(
      store.queue(region, { olderThanHours: 20 }, { limit: 2, cursor: young.cursor! }, now),
    ).rejects.toMatchObject({ code: 'invalid_cursor' });
    await expect(store.queue('*', {}, { limit: 2, cursor: first.cursor! }, now)).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });

  test('due: open questions below level 3 whose escalation is due, oldest first, paged', async () => {
    const region = county();
    const early = question({ regionPath: [region], dueAt: '2026-10-01T00:00:00.000Z' });
    const later = question({ regionPath: [region], dueAt: '2026-10-01T01:00:00.000Z' });
    const notYet = question({ regionPath: [region], dueAt: '2026-10-05T00:00:00.000Z' });
    const top = question({ regionPath: [region], dueAt: '2026-10-01T00:30:00.000Z', level: 3 });
    for (const q of [later, notYet, early, top]) await store.create(q, `m:${q.code}`);
    const now = new Date('2026-10-02T00:00:00.000Z');
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.due(now, { limit: 1, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((s) => s.code));
      cursor = page.cursor;
    } while (cursor);
    const ours = seen.filter((c) => [early, later, notYet, top].some((q) => q.code === c));
    expect(ours).toEqual([early.code, later.code]);

    // Escalated: a new due time moves its entry (the old one is gone).
    const stored = (await store.get(early.code))!;
    await store.save({ ...stored, level: 2, dueAt: '2026-10-03T00:00:00.000Z' });
    const after = (await store.due(now, { limit: 100 })).items.map((s) => s.code);
    expect(after).not.toContain(early.code);
    expect(after).toContain(later.code);
  });
});

describe('stats and erasure', () => {
  test('stats over [from, to) across months, updated by saves', async () => {
    const inOct = question({ askedAt: '2031-10-31T23:00:00.000Z' });
    const inNov = question({ askedAt: '2031-11-02T00:00:00.000Z' });
    const atEnd = question({ askedAt: '2031-11-10T00:00:00.000Z' });
    for (const q of [inOct, inNov, atEnd]) await store.create(q, `m:${q.code}`);
    await store.save({
      ...inNov,
      status: 'answered',
      firstAnsweredAt: '2031-11-02T05:00:00.000Z',
      answeredAt: '2031-11-02T05:00:00.000Z',
    });

    const stats = await store.stats('2031-10-15T00:00:00.000Z', '2031-11-10T00:00:00.000Z');
    expect(stats.map((s) => s.code)).toEqual([inOct.code, inNov.code]);
    expect(stats[1]).toMatchObject({ firstAnsweredAt: '2031-11-02T05:00:00.000Z', escalations: 0, level: 1 });
    expect(await store.stats('2031-11-10T00:00:00.000Z', '2031-11-01T00:00:00.000Z')).toEqual([]);
  });

  test("eraseNumber closes the number's questions, blanks text and phone, removes them from the queue; a rerun does nothing", async () => {
    const region = county();
    const phone = '+8613900005555';
    const a = question({ regionPath: [region], phone });
    const b = question({ regionPath: [region], phone, status: 'answered', answeredAt: '2026-11-20T03:00:00.000Z' });
    const other = question({ regionPath: [region] });
    for (const q of [a, b, other]) await store.create(q, `m:${q.code}`);

    expect(await store.eraseNumber(phone)).toBe(2);
    for (const code of [a.code, b.code]) {
      const q = await store.get(code);
      expect(q).toMatchObject({ status: 'closed', phone: '' });
      expect(q?.messages.every((m) => m.text === '')).toBe(true);
    }
    expect(await queueAll(region, {})).toEqual([other.code]);
    expect(await queueAll(region, { status: 'answered' })).toEqual([]);
    expect((await store.get(other.code))?.phone).toBe('+8613900000001');
    expect(await store.eraseNumber(phone)).toBe(0);
  });
});

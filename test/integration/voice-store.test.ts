/**
 * The voice line's calls, callers and ask counters against the DynamoDB protocol (dynalite, or
 * DYNAMODB_ENDPOINT): a provider's retried first request makes one call; saves conditional on
 * `version` (a stale one is a conflict); the dashboard's day (Asia/Shanghai, newest first, one
 * Query per page, the working state left out); the daily count of calls and the remembered
 * language; the most-asked counters; and DELETE ME, by the store and through POST /dev/sms.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoAskCounters, DynamoCallerStore, DynamoCallStore } from '#adapters/dynamodb/voice-store.ts';
import { AppError } from '#core/errors.ts';
import type { Call } from '#core/voice/call.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { freshNumber, texts } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

let stack: TestStack;
let counted: ReturnType<typeof countingDocumentClient>;
let calls: DynamoCallStore;
let callers: DynamoCallerStore;
beforeAll(async () => {
  stack = await startTestStack();
  counted = countingDocumentClient(stack);
  calls = new DynamoCallStore(counted.db, stack.tableName);
  callers = new DynamoCallerStore(counted.db, stack.tableName);
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
const callId = () => `CA${String(++serial).padStart(6, '0')}${Date.now()}`;

function call(over: Partial<Call> = {}): Call {
  const at = over.startedAt ?? '2026-11-20T02:00:00.000Z';
  return {
    callId: callId(),
    provider: 'twiml',
    phone: freshNumber(),
    to: '+8689100000',
    node: 'language',
    tries: 0,
    path: [],
    heardLog: [],
    smsSent: 0,
    seq: 1,
    lastSteps: [{ kind: 'gather', prompt: [], numDigits: 1, timeoutSeconds: 5 }],
    outcome: 'in_progress',
    startedAt: at,
    updatedAt: at,
    version: 0,
    ...over,
  };
}

describe('calls', () => {
  test('a retried first request makes one call, and the retry gets the call as the first made it', async () => {
    const first = call();
    expect(await calls.create(first)).toEqual({ call: first, created: true });
    const retry = { ...first, lang: 'zh' as const, startedAt: '2026-11-20T02:00:03.000Z' };
    const again = await calls.create(retry);
    expect(again.created).toBe(false);
    expect(again.call).toEqual(first);
    expect(await calls.get(first.callId)).toEqual(first);
  });

  test('a save is conditional on the version it read: a stale save is a conflict and changes nothing', async () => {
    const { call: made } = await calls.create(call());
    const saved = await calls.save({ ...made, node: 'main', lang: 'bo', path: ['language:1'] });
    expect(saved.version).toBe(made.version + 1);
    const stale = calls.save({ ...made, node: 'prices.commodity', path: ['language:2'] });
    await expect(stale).rejects.toBeInstanceOf(AppError);
    await expect(stale).rejects.toMatchObject({ code: 'conflict' });
    expect(await calls.get(made.callId)).toEqual(saved);
  });

  test('the day of a call is its Asia/Shanghai day; newest first; one Query per page; no working state', async () => {
    // 2026-11-20T17:30Z is already the 21st in Beijing; 15:59Z is still the 20th.
    const late = call({ startedAt: '2026-11-20T17:30:00.000Z', callId: 'CAday-late' });
    const evening = call({ startedAt: '2026-11-20T15:59:00.000Z', callId: 'CAday-evening' });
    const morning = call({ startedAt: '2026-11-20T01:00:00.000Z', callId: 'CAday-morning' });
    for (const c of [morning, late, evening]) await calls.create(c);
    await calls.save({ ...morning, outcome: 'completed', heardLog: ['prices:barley_qingke'], durationSeconds: 42 });

    let page: Awaited<ReturnType<DynamoCallStore['byDay']>> | undefined;
    expect(await requestsOf(async () => (page = await calls.byDay('2026-11-20', { limit: 1 })))).toBe(1);
    const first = page!;
    expect(first.items.map((c) => c.callId)).toEqual(['CAday-evening']);
    expect(first.items[0]).not.toHaveProperty('lastSteps');
    expect(first.items[0]).not.toHaveProperty('gsi1pk');
    const rest = await calls.byDay('2026-11-20', { limit: 10, cursor: first.cursor! });
    const ids = rest.items.map((c) => c.callId).filter((id) => id.startsWith('CAday-'));
    expect(ids).toEqual(['CAday-morning']);
    expect(rest.items.find((c) => c.callId === 'CAday-morning')).toMatchObject({
      outcome: 'completed',
      heardLog: ['prices:barley_qingke'],
      durationSeconds: 42,
      version: 1,
    });
    const next = await calls.byDay('2026-11-21', { limit: 10 });
    expect(next.items.map((c) => c.callId)).toContain('CAday-late');
    await expect(calls.byDay('2026-11-21', { limit: 10, cursor: first.cursor! })).rejects.toMatchObject({
      code: 'invalid_cursor',
    });
  });

  test("DELETE ME: the number's calls keep path, outcome and duration and lose the number", async () => {
    const phone = freshNumber();
    const other = freshNumber();
    const a = (await calls.create(call({ phone }))).call;
    const b = (await calls.create(call({ phone, startedAt: '2026-11-21T03:00:00.000Z' }))).call;
    const kept = (await calls.create(call({ phone: other }))).call;
    const ended = await calls.save({
      ...a,
      path: ['language:1', 'main:1'],
      outcome: 'completed',
      durationSeconds: 30,
      endedAt: '2026-11-20T02:00:30.000Z',
    });

    expect(await calls.eraseNumber(phone)).toBe(2);
    const erased = await calls.get(a.callId);
    expect(erased).toMatchObject({
      phone: '',
      path: ['language:1', 'main:1'],
      outcome: 'completed',
      durationSeconds: 30,
      version: ended.version + 1,
    });
    expect((await calls.get(b.callId))?.phone).toBe('');
    expect((await calls.get(kept.callId))?.phone).toBe(other);
    // The phone entries went with it: a second run finds nothing to do.
    expect(await calls.eraseNumber(phone)).toBe(0);
    const day = await calls.byDay('2026-11-20', { limit: 100 });
    expect(day.items.some((c) => c.phone === phone)).toBe(false);
  });

  test('an in-progress call saved with the number it read before the erasure is a conflict, not a resurrection', async () => {
    const phone = freshNumber();
    const live = (await calls.create(call({ phone }))).call;
    await calls.eraseNumber(phone);
    await expect(calls.save({ ...live, node: 'main' })).rejects.toMatchObject({ code: 'conflict' });
    expect((await calls.get(live.callId))?.phone).toBe('');
  });
});

describe('callers', () => {
  test('the language is remembered; calls are counted per day, atomically, and start again the next day', async () => {
    const phone = freshNumber();
    expect(await callers.get(phone)).toBeUndefined();
    const at = new Date('2026-11-20T02:00:00.000Z');
    const counts = await Promise.all(Array.from({ length: 5 }, () => callers.countCall(phone, '2026-11-20', at)));
    expect(counts.sort()).toEqual([1, 2, 3, 4, 5]);
    await callers.setLanguage(phone, 'bo', at);
    expect(await callers.get(phone)).toMatchObject({ phone, lang: 'bo', day: '2026-11-20', callsToday: 5 });
    expect(await callers.countCall(phone, '2026-11-21', at)).toBe(1);
    expect(await callers.countCall(phone, '2026-11-21', at)).toBe(2);
    await callers.setLanguage(phone, 'zh', new Date('2026-11-21T02:00:00.000Z'));
    expect(await callers.get(phone)).toMatchObject({
      lang: 'zh',
      callsToday: 2,
      updatedAt: '2026-11-21T02:00:00.000Z',
    });
    await callers.erase(phone);
    expect(await callers.get(phone)).toBeUndefined();
  });
});

describe('ask counters', () => {
  test('counts per commodity, read in one request', async () => {
    const counters = new DynamoAskCounters(counted.db, stack.tableName);
    await Promise.all([
      counters.count('barley_qingke'),
      counters.count('barley_qingke'),
      counters.count('yak'),
      counters.count('butter_yak'),
      counters.count('barley_qingke'),
    ]);
    let all: Record<string, number> = {};
    expect(await requestsOf(async () => (all = await counters.all()))).toBe(1);
    expect(all).toEqual({ barley_qingke: 3, yak: 1, butter_yak: 1 });
  });
});

describe('DELETE ME by SMS', () => {
  test('a number that called, then sent DELETE ME: no call record holds it, and the line forgot the caller', async () => {
    const phone = freshNumber();
    const voice = stack.deps.voiceStores;
    await texts(stack, phone, 'JOIN Gyantse');
    const made = (await voice.calls.create(call({ phone }))).call;
    await voice.calls.save({ ...made, lang: 'zh', path: ['language:2', 'main:1'], outcome: 'completed' });
    await voice.callers.setLanguage(phone, 'zh', new Date());
    await voice.callers.countCall(phone, '2026-11-20', new Date());

    await texts(stack, phone, 'DELETE ME');

    const after = await voice.calls.get(made.callId);
    expect(after).toMatchObject({ phone: '', path: ['language:2', 'main:1'], outcome: 'completed' });
    expect(await voice.callers.get(phone)).toBeUndefined();
    expect(await voice.calls.eraseNumber(phone)).toBe(0);
  });

  test('a number the SMS service never knew: its calls are erased all the same', async () => {
    const phone = freshNumber();
    const voice = stack.deps.voiceStores;
    const made = (await voice.calls.create(call({ phone }))).call;
    await voice.callers.setLanguage(phone, 'bo', new Date());
    await texts(stack, phone, 'DELETE ME');
    expect((await voice.calls.get(made.callId))?.phone).toBe('');
    expect(await voice.callers.get(phone)).toBeUndefined();
  });
});

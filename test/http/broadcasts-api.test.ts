/**
 * The broadcasts API against the real stack (dynalite, the real service, the local paced
 * sender): compose, preview, the bad inputs of the issue (each a 400 or 403 with nothing
 * created), approval by a second staff member, send, the states that refuse a step, and the
 * Idempotency-Key.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import type { Grant } from '#core/staff/roles.ts';
import { outsideQuietHours } from '#test/support/broadcasts.ts';
import { freshNumber, outbox, texts } from '#test/support/dev-sms.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { bearer, from, postJson, signIn } from '#test/support/staff.ts';

let stack: TestStack;
/** Three subscribers at home in Gyantse (Shigatse), reading Tibetan, Chinese and English: above the approval threshold of 2. */
const SUBSCRIBERS: string[] = [];
const tokens: Record<'author' | 'second' | 'lhasa' | 'collector', string> = {
  author: '',
  second: '',
  lhasa: '',
  collector: '',
};

async function staffToken(phone: string, grants: Grant[]) {
  await stack.deps.staff.create({
    phone,
    grants,
    invitedBy: '+8613800000000',
    createdAt: 'x',
    updatedAt: 'x',
    version: 1,
  });
  return (await signIn(stack, phone)).token;
}

const api = (who: keyof typeof tokens, path: string, init: RequestInit = {}) =>
  from(stack)(`/api/v1${path}`, bearer(tokens[who], init));

interface Problem {
  code: string;
  status: number;
  errors?: Array<{ path?: string; message: string }>;
}

const body = (over: Record<string, unknown> = {}) => ({
  audience: { regions: ['pref_shigatse'] },
  texts: { bo: 'སང་ཉིན་ཁ་བ་འབབ།', zh: '明天有霜冻，请保护青稞。', en: 'Frost tomorrow: cover the barley.' },
  ...over,
});

/** Every broadcast the author can see in Shigatse: the count proves a refusal created nothing. */
async function historyIds(): Promise<string[]> {
  const res = await api('author', '/broadcasts?region=pref_shigatse');
  assert.equal(res.status, 200);
  return ((await res.json()) as { items: Array<{ id: string }> }).items.map((i) => i.id);
}

beforeAll(async () => {
  stack = await startTestStack({ BROADCAST_APPROVAL_THRESHOLD: '2', ...outsideQuietHours() });
  for (let i = 0; i < 3; i++) {
    const phone = freshNumber('138');
    SUBSCRIBERS.push(phone);
    await texts(stack, phone, 'JOIN Gyantse');
  }
  await texts(stack, SUBSCRIBERS[0]!, 'LANG BO');
  await texts(stack, SUBSCRIBERS[1]!, 'LANG ZH');
  tokens.author = await staffToken('+8613900000801', [{ role: 'operator', regions: ['pref_shigatse'] }]);
  tokens.second = await staffToken('+8613900000802', [{ role: 'editor', regions: ['pref_shigatse'] }]);
  tokens.lhasa = await staffToken('+8613900000803', [{ role: 'operator', regions: ['pref_lhasa'] }]);
  tokens.collector = await staffToken('+8613900000804', [{ role: 'collector', regions: ['pref_shigatse'] }]);
});
afterAll(() => stack.close());

describe('broadcasts API', () => {
  test('preview counts and renders without storing anything', async () => {
    const before = await historyIds();
    const res = await api('author', '/broadcasts/preview', postJson(body()));
    assert.equal(res.status, 200);
    const preview = (await res.json()) as {
      recipients: number;
      rows: Array<{ group: string; recipients: number; rendering: string; segments: number }>;
      totalSegments: number;
      costFen: number;
      cost: { currency: string; fen: number; yuan: string };
      segmentPriceFen: number;
      needsApproval: boolean;
      budget: { fits: boolean };
    };
    assert.equal(preview.recipients, 3);
    assert.equal(preview.needsApproval, true);
    assert.equal(preview.budget.fits, true);
    const zh = preview.rows.find((r) => r.group === 'zh');
    assert.equal(zh?.recipients, 1);
    assert.match(zh!.rendering, /明天有霜冻/);
    assert.equal(
      preview.totalSegments,
      preview.rows.reduce((n, r) => n + r.recipients * r.segments, 0),
    );
    assert.ok(preview.costFen > 0);
    assert.equal(preview.costFen, preview.totalSegments * preview.segmentPriceFen);
    assert.deepEqual(preview.cost, {
      currency: 'CNY',
      fen: preview.costFen,
      yuan: (preview.costFen / 100).toFixed(2),
    });
    assert.deepEqual(await historyIds(), before, 'nothing stored');
  });

  test('create: 201 with the draft and its preview; the same Idempotency-Key is the same broadcast', async () => {
    const key = { 'Idempotency-Key': 'frost-2026-12-05' };
    const first = await api('author', '/broadcasts', postJson(body(), key));
    assert.equal(first.status, 201);
    const made = (await first.json()) as { id: string; status: string; preview: { recipients: number } };
    assert.match(made.id, /^b[0-9a-z]{10}$/);
    assert.equal(made.status, 'draft');
    assert.equal(made.preview.recipients, 3);
    assert.equal(first.headers.get('location'), `/api/v1/broadcasts/${made.id}`);
    const again = await api('author', '/broadcasts', postJson(body(), key));
    assert.equal(again.status, 201);
    assert.equal(((await again.json()) as { id: string }).id, made.id);
    const other = await api('author', '/broadcasts', postJson(body(), { 'Idempotency-Key': 'frost-other' }));
    assert.notEqual(((await other.json()) as { id: string }).id, made.id);
    const bad = await api('author', '/broadcasts', postJson(body(), { 'Idempotency-Key': 'a key with spaces' }));
    assert.equal(bad.status, 400);

    const got = await api('author', `/broadcasts/${made.id}`);
    assert.equal(got.status, 200);
    const view = (await got.json()) as {
      id: string;
      status: string;
      broadcast: { id: string; status: string };
      counts: Record<string, number>;
      costFen: number;
      may: Record<string, boolean>;
    };
    assert.equal(view.broadcast.status, 'draft');
    assert.equal(view.status, 'draft');
    assert.equal(view.id, made.id);
    for (const k of ['queued', 'sent', 'delivered', 'failed', 'blocked']) assert.equal(view.counts[k], 0, k);
    assert.equal(view.costFen, 0);
    assert.equal(view.may.approve, false, 'never your own');
    assert.ok((await historyIds()).includes(made.id));
  });

  test('each bad input of the issue is a 400 naming the field, and creates nothing', async () => {
    const before = await historyIds();
    const past = new Date(Date.now() - 3600_000).toISOString();
    const cases: Array<[string, unknown]> = [
      ['empty audience', body({ audience: { regions: [] } })],
      ['no text in any language', body({ texts: { bo: '  ', zh: '' } })],
      ['no texts at all', { audience: { regions: ['pref_shigatse'] } }],
      ['a version over 10 segments', body({ texts: { zh: '霜冻'.repeat(400) } })],
      ['a time in the past', body({ sendAt: past })],
      ['a time that is no time', body({ sendAt: 'tomorrow' })],
      ['an unknown topic', body({ audience: { regions: ['pref_shigatse'], topics: ['gossip'] } })],
      ['an unknown language', body({ audience: { regions: ['pref_shigatse'], languages: ['fr'] } })],
      ['an unknown region', body({ audience: { regions: ['pref_atlantis'] } })],
      ['not an object', 'frost'],
    ];
    for (const [name, input] of cases) {
      const res = await api('author', '/broadcasts', postJson(input));
      assert.equal(res.status, 400, name);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, name);
      const problem = (await res.json()) as Problem;
      assert.equal(problem.code, 'validation_failed', name);
      assert.ok(problem.errors?.length, `${name}: the refused field is named`);
    }
    assert.deepEqual(await historyIds(), before, 'nothing created');
  });

  test('a refusal is in the language asked for', async () => {
    const res = await api('author', '/broadcasts?lang=zh', postJson(body({ audience: { regions: [] } })));
    assert.equal(res.status, 400);
    const problem = (await res.json()) as Problem;
    assert.match(problem.errors!.map((e) => e.message).join(' '), /[\u4e00-\u9fff]/);
  });

  test('403 outside your regions or without the role; 401 without signing in', async () => {
    const lhasa = await api('lhasa', '/broadcasts', postJson(body()));
    assert.equal(lhasa.status, 403);
    const collector = await api('collector', '/broadcasts', postJson(body()));
    assert.equal(collector.status, 403);
    const mixed = await api(
      'author',
      '/broadcasts',
      postJson(body({ audience: { regions: ['pref_shigatse', 'pref_lhasa'] } })),
    );
    assert.equal(mixed.status, 403);
    const nobody = await from(stack)('/api/v1/broadcasts', postJson(body()));
    assert.equal(nobody.status, 401);
    const made = (await (await api('author', '/broadcasts', postJson(body()))).json()) as { id: string };
    assert.equal((await api('lhasa', `/broadcasts/${made.id}`)).status, 403, 'reading another region’s');
    assert.equal((await api('lhasa', `/broadcasts/${made.id}/approve`, { method: 'POST' })).status, 403);
  });

  test('404 for an unknown broadcast', async () => {
    assert.equal((await api('author', '/broadcasts/b0000000000')).status, 404);
    for (const step of ['approve', 'send', 'pause', 'resume', 'cancel'])
      assert.equal((await api('author', `/broadcasts/b0000000000/${step}`, { method: 'POST' })).status, 404, step);
  });

  test('approval by another staff member, then send: every subscriber gets it once, in their language', async () => {
    const made = (await (await api('author', '/broadcasts', postJson(body()))).json()) as { id: string };
    const step = (who: keyof typeof tokens, name: string) =>
      api(who, `/broadcasts/${made.id}/${name}`, { method: 'POST' });

    // Not before approval; never by its author; once.
    const early = await step('author', 'send');
    assert.equal(early.status, 409, 'send before approval');
    const own = await step('author', 'approve');
    assert.equal(own.status, 409, 'own approval');
    assert.match(((await own.json()) as { detail: string }).detail, /\S/);
    const unchanged = (await (await api('author', `/broadcasts/${made.id}`)).json()) as {
      broadcast: { status: string; approvedBy?: string };
    };
    assert.equal(unchanged.broadcast.status, 'draft');
    assert.equal(unchanged.broadcast.approvedBy, undefined, 'nothing changed');
    const approved = await step('second', 'approve');
    assert.equal(approved.status, 200);
    assert.equal(((await approved.json()) as { approvedBy: string }).approvedBy, '+8613900000802');
    assert.equal((await step('second', 'approve')).status, 409, 'approving twice');
    assert.equal((await step('author', 'resume')).status, 409, 'resume a draft');

    const sent = await step('author', 'send');
    assert.equal(sent.status, 200);
    assert.ok(['sending', 'finished'].includes(((await sent.json()) as { status: string }).status));

    // The local paced sender works at once: wait for every SMS to leave.
    let counts: Record<string, number> = {};
    for (let i = 0; i < 100; i++) {
      const view = (await (await api('author', `/broadcasts/${made.id}`)).json()) as { counts: Record<string, number> };
      counts = view.counts;
      if (counts.recipients === 3 && counts.queued === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(counts.recipients, 3);
    assert.equal(counts.queued, 0);
    assert.equal((counts.sent ?? 0) + (counts.delivered ?? 0), 3);
    const zh = await outbox(stack, SUBSCRIBERS[1]!);
    assert.equal(zh.filter((m) => m.text.includes('明天有霜冻')).length, 1, 'once, in Chinese');
    const bo = await outbox(stack, SUBSCRIBERS[0]!);
    assert.equal(
      bo.filter((m) => m.text.includes('སང་ཉིན་ཁ་བ་འབབ')).length,
      1,
      `once, in Tibetan: ${JSON.stringify(bo)}`,
    );

    // A finished (or sending) broadcast cannot be sent again; once finished it cannot be cancelled.
    assert.equal((await step('author', 'send')).status, 409);
    const final = (await (await api('author', `/broadcasts/${made.id}`)).json()) as { broadcast: { status: string } };
    if (final.broadcast.status === 'finished') assert.equal((await step('author', 'cancel')).status, 409);
  });

  test('cancel a draft; then nothing more may happen to it', async () => {
    const made = (await (await api('author', '/broadcasts', postJson(body({ texts: { en: 'Meeting' } })))).json()) as {
      id: string;
    };
    const cancelled = await api('author', `/broadcasts/${made.id}/cancel`, { method: 'POST' });
    assert.equal(cancelled.status, 200);
    assert.equal(((await cancelled.json()) as { status: string }).status, 'cancelled');
    for (const name of ['cancel', 'send', 'pause', 'approve']) {
      const res = await api('second', `/broadcasts/${made.id}/${name}`, { method: 'POST' });
      assert.equal(res.status, 409, name);
    }
  });

  test('the history: filtered by region and date, paged by cursor', async () => {
    const res = await api('author', '/broadcasts?region=pref_shigatse');
    const page = (await res.json()) as { items: Array<{ id: string; recipients: number; firstText: string }> };
    assert.ok(page.items.length >= 3);
    const future = await api('author', '/broadcasts?region=pref_shigatse&from=2099-01-01');
    assert.equal(((await future.json()) as { items: unknown[] }).items.length, 0);
    assert.equal((await api('author', '/broadcasts?from=yesterday')).status, 400);
  });

  test('the OpenAPI document describes the routes', async () => {
    const doc = (await (await from(stack)('/api/v1/openapi.json')).json()) as { paths: Record<string, object> };
    for (const path of [
      '/broadcasts',
      '/broadcasts/preview',
      '/broadcasts/{id}',
      '/broadcasts/{id}/approve',
      '/broadcasts/{id}/send',
      '/broadcasts/{id}/pause',
      '/broadcasts/{id}/resume',
      '/broadcasts/{id}/cancel',
    ])
      assert.ok(doc.paths[path], path);
  });
});

/**
 * The experts' questions API against the real stack: a farmer asks by SMS (POST /dev/sms), the
 * question waits in the county's queue, an expert of the region claims and answers it by API and
 * the answer goes to the farmer by SMS (GET /dev/outbox). Who may (401, 403 by role and region),
 * a claim held by another expert (409), an answer too long (400 with the count), hand on, the
 * figures.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from 'vitest';
import { freshNumber, outbox, texts } from '#test/support/dev-sms.ts';
import { apiAs, type Problem, staffToken } from '#test/support/knowledge-api.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';
import { postJson } from '#test/support/staff.ts';

let stack: TestStack;
let api: ReturnType<typeof apiAs>;
const tokens = { expert: '', second: '', lhasa: '', editor: '' };

/** A farmer at home in Gyantse (Chinese) asks a question; returns the code from the acknowledgement. */
async function ask(text = '问 牦牛咳嗽不吃草怎么办'): Promise<{ phone: string; code: string }> {
  const phone = freshNumber('137');
  await texts(stack, phone, '注册 江孜');
  const replies = await texts(stack, phone, text);
  const code = /Q\d{3,}/.exec(replies.map((r) => r.text).join(' '))?.[0];
  assert.ok(code, `an acknowledgement with a code: ${JSON.stringify(replies)}`);
  return { phone, code };
}

interface Row {
  code: string;
  status: string;
  level: number;
}

beforeAll(async () => {
  stack = await startTestStack();
  api = apiAs(stack);
  tokens.expert = await staffToken(stack, '+8613900001301', [{ role: 'expert', regions: ['pref_shigatse'] }]);
  tokens.second = await staffToken(stack, '+8613900001302', [{ role: 'expert', regions: ['pref_shigatse'] }]);
  tokens.lhasa = await staffToken(stack, '+8613900001303', [{ role: 'expert', regions: ['pref_lhasa'] }]);
  tokens.editor = await staffToken(stack, '+8613900001304', [{ role: 'editor', regions: ['pref_shigatse'] }]);
});
afterAll(() => stack?.close());

describe('questions API', () => {
  test('a stranger gets 401; another role or another region 403', async () => {
    const { code } = await ask();
    for (const [path, init] of [
      ['/questions?status=open', {}],
      [`/questions/${code}`, {}],
      [`/questions/${code}/answer`, postJson({ text: '多喝水' })],
      ['/questions/figures', {}],
    ] as const) {
      const res = await api(undefined, path, init);
      assert.equal(res.status, 401, path);
    }
    assert.equal((await api(tokens.editor, `/questions/${code}/answer`, postJson({ text: '多喝水' }))).status, 403);
    const lhasa = await api(tokens.lhasa, `/questions/${code}/answer`, postJson({ text: '多喝水' }));
    assert.equal(lhasa.status, 403);
    assert.equal(((await lhasa.json()) as Problem).code, 'forbidden');
  });

  test('the queue lists the open question; its thread masks the number; the answer goes by SMS', async () => {
    const { phone, code } = await ask();
    const queue = await api(tokens.expert, '/questions?status=open&region=cty_shigatse_gyantse');
    assert.equal(queue.status, 200, await queue.clone().text());
    const rows = ((await queue.json()) as { items: Row[] }).items;
    const row = rows.find((r) => r.code === code);
    assert.ok(row, `${code} in the queue`);
    assert.equal(row.level, 1);

    const one = await api(tokens.expert, `/questions/${code.toLowerCase()}`);
    assert.equal(one.status, 200);
    const view = (await one.json()) as {
      question: { phone: string; messages: Array<{ text: string }> };
      may: { answer: boolean };
    };
    assert.notEqual(view.question.phone, phone);
    assert.ok(!JSON.stringify(view).includes(phone.slice(3)), 'the number appears nowhere whole');
    assert.match(view.question.phone, /\*{4}/);
    assert.match(view.question.messages[0]!.text, /牦牛咳嗽/);
    assert.equal(view.may.answer, true);

    const before = (await outbox(stack, phone)).length;
    const answered = await api(
      tokens.expert,
      `/questions/${code}/answer`,
      postJson({ text: '请隔离病牛，保暖，联系兽医站。' }),
    );
    assert.equal(answered.status, 200, await answered.clone().text());
    assert.equal(((await answered.json()) as Row).status, 'answered');
    const sms = await outbox(stack, phone);
    assert.equal(sms.length, before + 1);
    // Newest first: the answer, with the question's code.
    assert.match(sms[0]!.text, /请隔离病牛/);
    assert.match(sms[0]!.text, new RegExp(code));

    const answeredList = (await (
      await api(tokens.expert, '/questions?status=answered&region=pref_shigatse')
    ).json()) as {
      items: Row[];
    };
    assert.ok(answeredList.items.some((r) => r.code === code));
    const open = (await (await api(tokens.expert, '/questions?region=pref_shigatse')).json()) as { items: Row[] };
    assert.ok(!open.items.some((r) => r.code === code));

    // An editor makes a draft guide of it: anonymised (no number), for the usual review.
    const guide = await api(
      tokens.editor,
      `/questions/${code}/guide`,
      postJson({ commodity: 'yak_live', stage: 'during' }),
    );
    assert.equal(guide.status, 201, await guide.clone().text());
    const { id } = (await guide.json()) as { id: string };
    const draft = await api(tokens.editor, `/knowledge/${id}`);
    const item = (await draft.json()) as { item: { status: string; kind: string } };
    assert.equal(item.item.kind, 'guide');
    assert.equal(item.item.status, 'draft');
    assert.ok(!JSON.stringify(item).includes(phone.slice(3)));
  });

  test('an answer over its segments is refused with the count, and nothing is sent', async () => {
    const { phone, code } = await ask();
    const before = (await outbox(stack, phone)).length;
    const check = await api(tokens.expert, `/questions/${code}/answer-check`, postJson({ text: '请'.repeat(300) }));
    assert.equal(check.status, 200);
    assert.equal(((await check.json()) as { fits: boolean }).fits, false);
    const res = await api(tokens.expert, `/questions/${code}/answer`, postJson({ text: '请'.repeat(300) }));
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as Problem).code, 'validation_failed');
    assert.equal((await outbox(stack, phone)).length, before);
    assert.equal((await api(tokens.expert, `/questions/${code}/answer`, postJson({ text: '' }))).status, 400);
  });

  test('a claim keeps other experts off; hand on moves it up a level', async () => {
    const { code } = await ask();
    assert.equal((await api(tokens.expert, `/questions/${code}/claim`, postJson({}))).status, 200);
    const taken = await api(tokens.second, `/questions/${code}/answer`, postJson({ text: '多喝水' }));
    assert.equal(taken.status, 409);
    // Not answered yet: no guide of it.
    const early = await api(
      tokens.editor,
      `/questions/${code}/guide`,
      postJson({ commodity: 'yak_live', stage: 'during' }),
    );
    assert.equal(early.status, 409);
    const handed = await api(tokens.expert, `/questions/${code}/hand-on`, postJson({}));
    assert.equal(handed.status, 200, await handed.clone().text());
    assert.equal(((await handed.json()) as Row).level, 2);
  });

  test('unknown and malformed codes; figures count what happened', async () => {
    assert.equal((await api(tokens.expert, '/questions/Q99999999')).status, 404);
    assert.equal((await api(tokens.expert, '/questions/nonsense')).status, 400);
    assert.equal((await api(tokens.expert, '/questions?olderThanHours=-1')).status, 400);
    const figures = await api(tokens.expert, '/questions/figures');
    assert.equal(figures.status, 200, await figures.clone().text());
    const f = (await figures.json()) as { asked: number; answered: number };
    assert.ok(f.asked >= 4, JSON.stringify(f));
    assert.ok(f.answered >= 1);
    assert.equal((await api(tokens.expert, '/questions/figures?from=yesterday')).status, 400);
  });
});

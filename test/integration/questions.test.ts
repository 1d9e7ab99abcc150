/**
 * The experts' questions on the real local stack: ASK by SMS (POST /dev/sms), the daily limit,
 * follow-ups, the escalation ladder on a clock (county → prefecture → everyone), answers by SMS
 * (GET /dev/outbox), hand-on, claims, figures, a guide made from a question, DELETE ME.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { shanghaiDay } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import { freshNumber, outbox, replyTo, smsText, texts } from '#test/support/dev-sms.ts';
import { acting, editorOf, expertOf } from '#test/support/knowledge.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const GYANTSE = 'cty_shigatse_gyantse';
const gyantseExpert = expertOf('+8613900000301', [GYANTSE]);
const shigatseExpert = expertOf('+8613900000302', ['pref_shigatse']);
const lhasaExpert = expertOf('+8613900000303', ['pref_lhasa']);
const anyExpert = expertOf('+8613900000304');
const HOUR = 3600_000;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(() => stack?.close());

const q = () => stack.deps.questions;

/** A farmer of Gyantse asks; the code from the acknowledgement. */
async function asked(text = 'ASK my yak is coughing', phone = freshNumber()): Promise<{ phone: string; code: string }> {
  await replyTo(stack, phone, 'JOIN Gyantse');
  const ack = await replyTo(stack, phone, text);
  const code = /Q\d{4,6}/u.exec(ack.text)?.[0];
  if (!code) throw new Error(ack.text);
  return { phone, code };
}

async function refusalOf(p: Promise<unknown>): Promise<{ code: string; keys: string[] }> {
  try {
    await p;
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { code: err.code, keys: err.details.map((d) => d.key ?? '') };
  }
  throw new Error('expected a refusal');
}

describe('answers', () => {
  test("the county's expert answers; the answer goes back by SMS; the farmer follows up in the thread", async () => {
    const { phone, code } = await asked();
    const queue = await q().queue(gyantseExpert, { region: GYANTSE });
    expect(queue.items.map((i) => i.code)).toContain(code);
    expect((await refusalOf(q().answer(lhasaExpert, code, 'Keep it warm.'))).code).toBe('forbidden');
    const view = await q().get(gyantseExpert, code);
    expect(view.question.phone).toMatch(/\*{4}/u);
    expect(view.question.phone).not.toBe(phone);
    expect(view.may.answer).toBe(true);
    const answered = await q().answer(gyantseExpert, code, 'Keep it warm and give it water.');
    expect(answered.status).toBe('answered');
    const sms = await outbox(stack, phone);
    const answer = sms.find((m) => m.text.includes('Keep it warm'));
    expect(answer?.text).toContain(smsText('en', 'ask.answer', { code, text: 'Keep it warm and give it water.' }));
    expect(await auditActionsOf(code)).toContain('question.answer');
    // A follow-up reopens it, at the same level.
    const follow = await replyTo(stack, phone, `ASK ${code} It still does not eat`);
    expect(follow.text).toContain(code);
    const reopened = await q().get(gyantseExpert, code);
    expect(reopened.question.status).toBe('open');
    expect(reopened.question.messages.map((m) => m.from)).toEqual(['farmer', 'expert', 'farmer']);
  });

  test('an answer over two segments is refused; a claim by another expert holds', async () => {
    const { code } = await asked();
    const long = 'Give the yak warm water and keep it out of the wind. '.repeat(8);
    expect((await refusalOf(q().answer(gyantseExpert, code, long))).keys).toEqual(['errors:knowledge.answerTooLong']);
    expect(await q().checkAnswer(code, long)).toMatchObject({ fits: false, limit: 2 });
    await q().claim(gyantseExpert, code);
    const other = expertOf('+8613900000305', [GYANTSE]);
    expect((await refusalOf(q().answer(other, code, 'Rest.'))).keys).toEqual(['errors:knowledge.claimed']);
    expect((await q().get(gyantseExpert, code)).question.status).toBe('open');
  });

  test('hand on: at once one level up, visible on the prefecture queue', async () => {
    const { code } = await asked();
    const handed = await q().handOn(gyantseExpert, code);
    expect(handed.level).toBe(2);
    expect(handed.escalations.at(-1)).toMatchObject({ level: 2, reason: 'handed_on' });
    // Level 2: the prefecture's expert may answer.
    await q().answer(shigatseExpert, code, 'Call the vet.');
  });
});

describe('escalation', () => {
  test('1 → 2 after 24 hours, 2 → 3 after 48; each step on the question; reruns change nothing', async () => {
    const { code } = await asked();
    const askedAt = new Date((await q().get(gyantseExpert, code)).question.askedAt);
    await q().escalate(new Date(askedAt.getTime() + 23 * HOUR));
    expect((await q().get(gyantseExpert, code)).question.level).toBe(1);
    await q().escalate(new Date(askedAt.getTime() + 24 * HOUR + 60_000));
    const two = (await q().get(shigatseExpert, code)).question;
    expect(two.level).toBe(2);
    expect(two.escalations).toEqual([expect.objectContaining({ level: 2, reason: 'time' })]);
    await q().escalate(new Date(askedAt.getTime() + 24 * HOUR + 120_000));
    expect((await q().get(shigatseExpert, code)).question.escalations).toHaveLength(1);
    await q().escalate(new Date(askedAt.getTime() + 48 * HOUR + 60_000));
    const three = (await q().get(anyExpert, code)).question;
    expect(three.level).toBe(3);
    // Every expert now, even Lhasa's.
    expect((await q().get(lhasaExpert, code)).may.answer).toBe(true);
    expect((await q().queue(lhasaExpert, { region: '*' })).items.map((i) => i.code)).toContain(code);
    await q().escalate(new Date(askedAt.getTime() + 100 * HOUR));
    expect((await q().get(anyExpert, code)).question.escalations).toHaveLength(2);
  });
});

describe('ASK by SMS', () => {
  test('a redelivered message (same id) is one question', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, 'JOIN Gyantse');
    const first = await texts(stack, phone, 'ASK same message twice', 'm-dup-1');
    const again = await texts(stack, phone, 'ASK same message twice', 'm-dup-1');
    expect(first).toHaveLength(1);
    expect(again).toHaveLength(0);
  });

  test('DELETE ME erases the number’s questions', async () => {
    const { phone, code } = await asked('ASK my barley is yellow');
    await texts(stack, phone, 'DELETE ME');
    await expect(q().get(gyantseExpert, code)).rejects.toMatchObject({ code: 'not_found' });
    const again = await replyTo(stack, phone, `ASK ${code} hello`);
    expect(again.text).toContain(smsText('en', 'ask.notYours', { code }));
  });
});

describe('figures and guides from questions', () => {
  test('asked, answered, median and p90 hours, escalated', async () => {
    const admin = acting('+8613800000000', { role: 'admin', regions: ['*'] });
    const before = await q().figures(admin, { now: new Date() });
    const { code } = await asked();
    await q().answer(gyantseExpert, code, 'Give it salt.');
    const after = await q().figures(admin, { now: new Date() });
    expect(after.asked).toBe(before.asked + 1);
    expect(after.answered).toBe(before.answered + 1);
    expect(after.medianHours).toBeGreaterThanOrEqual(0);
    expect(after.p90Hours).toBeGreaterThanOrEqual(after.medianHours!);
    expect(after.escalated).toBeGreaterThanOrEqual(1);
    expect(after.to).toBe(shanghaiDay(new Date()));
  });

  test('an answered question becomes an anonymised draft guide, through the same review', async () => {
    const { code } = await asked('ASK my yak coughs, call me on 13800001111');
    await q().answer(gyantseExpert, code, `Keep it warm (${code}).`);
    const guide = await stack.deps.knowledge.guideFromQuestion(editorOf('+8613900000306'), code, {
      commodityId: 'yak_live',
      stage: 'during',
    });
    expect(guide).toMatchObject({ kind: 'guide', status: 'draft', fromQuestion: code });
    const text = JSON.stringify(guide.content.versions);
    expect(text).not.toContain('13800001111');
    expect(text).not.toContain(code);
    expect(text).toContain('Keep it warm');
    await expect(q().get(gyantseExpert, code)).rejects.toMatchObject({ code: 'not_found' });
  });
});

async function auditActionsOf(target: string): Promise<string[]> {
  const page = await stack.deps.audit.listDay(shanghaiDay(new Date()), { limit: 500 });
  return page.items.filter((e) => e.target === target).map((e) => e.action);
}

/**
 * The experts' questions as the voice line uses them, on the real local stack: a spoken
 * question (audio, no text) joins the queue once per call and is marked spoken; an expert's
 * recorded answer (authorized and audit-logged as a text answer), offered to the caller until
 * heard (one Query of the phone index), completed by a text answer whose SMS still goes; a new
 * recording on an answered question; DELETE ME deletes the number's recordings.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DynamoQuestionStore } from '#adapters/dynamodb/question-store.ts';
import { answerAudioKey, questionAudioKey } from '#adapters/s3/voice-audio.ts';
import { shanghaiDay } from '#core/dates.ts';
import { AppError } from '#core/errors.ts';
import type { Subscriber } from '#core/subscribers/subscriber.ts';
import { countingDocumentClient } from '#test/support/counting-db.ts';
import { freshNumber, outbox, replyTo, smsText, texts } from '#test/support/dev-sms.ts';
import { expertOf } from '#test/support/knowledge.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const GYANTSE = 'cty_shigatse_gyantse';
const gyantseExpert = expertOf('+8613900000401', [GYANTSE]);
const lhasaExpert = expertOf('+8613900000403', ['pref_lhasa']);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
}, 60_000);
afterAll(() => stack?.close());

const q = () => stack.deps.questions!;
const WAV = Uint8Array.from([...new TextEncoder().encode('RIFF'), ...new Array(64).fill(1)]);

let calls = 0;
/** A farmer of Gyantse (joined by SMS) leaves a spoken question on a call; its code from the acknowledgement. */
async function spoken(
  phone = freshNumber(),
): Promise<{ phone: string; code: string; subscriber: Subscriber; callId: string; audioKey: string }> {
  await replyTo(stack, phone, 'JOIN Gyantse');
  const subscriber = (await stack.deps.subscribers.get(phone))!;
  const callId = `CAvoice${++calls}${Date.now()}`;
  const audioKey = questionAudioKey(callId);
  await stack.deps.voiceStores.audio!.put(audioKey, WAV, 'audio/wav');
  const lines = await q().ask(subscriber, { text: '', audioKey }, `voice:${callId}`, new Date());
  expect(lines[0]?.key).toBe('ask.ack');
  const code = String(lines[0]?.params?.code);
  return { phone, code, subscriber, callId, audioKey };
}

async function auditActionsOf(target: string): Promise<string[]> {
  const page = await stack.deps.audit.listDay(shanghaiDay(new Date()), { limit: 500 });
  return page.items.filter((e) => e.target === target).map((e) => e.action);
}

describe('spoken questions', () => {
  test('a recording without text is a question: kept with its audio, marked spoken on the queue, one per call', async () => {
    const { code, subscriber, callId, audioKey } = await spoken();
    const view = await q().get(gyantseExpert, code);
    expect(view.question.messages).toEqual([expect.objectContaining({ from: 'farmer', text: '', audioKey })]);
    const queue = await q().queue(gyantseExpert, { region: GYANTSE, limit: 100 });
    expect(queue.items.find((i) => i.code === code)).toMatchObject({ spoken: true, preview: '' });
    // The provider retried the turn: the same question, not a second.
    const again = await q().ask(subscriber, { text: '', audioKey }, `voice:${callId}`, new Date());
    expect(again[0]?.params?.code).toBe(code);
  });

  test('no text and no audio is the usage reply; a key outside voice/ is refused; SMS ASK is unchanged', async () => {
    const phone = freshNumber();
    await replyTo(stack, phone, 'JOIN Gyantse');
    const subscriber = (await stack.deps.subscribers.get(phone))!;
    expect(await q().ask(subscriber, { text: '  ' }, 'voice:empty', new Date())).toEqual([{ key: 'ask.usage' }]);
    await expect(
      q().ask(subscriber, { text: '', audioKey: 'attachments/../secret.wav' }, 'voice:bad', new Date()),
    ).rejects.toMatchObject({ code: 'validation_failed' });
    const ack = await replyTo(stack, phone, 'ASK my yak is coughing');
    const code = /Q\d{4,6}/u.exec(ack.text)![0];
    const summary = (await q().queue(gyantseExpert, { region: GYANTSE, limit: 100 })).items.find(
      (i) => i.code === code,
    );
    expect(summary).not.toHaveProperty('spoken');
  });
});

describe('recorded answers', () => {
  test('an expert records an answer: authorized as answer, audit-logged, offered until heard, then not again', async () => {
    const { phone, code } = await spoken();
    const key = answerAudioKey(code, 1);
    await expect(q().answerAudio(lhasaExpert, code, key)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(q().answerAudio(gyantseExpert, code, 'https://evil.example/a.wav')).rejects.toBeInstanceOf(AppError);
    expect(await q().unheardAnswers(phone)).toEqual([]);

    const answered = await q().answerAudio(gyantseExpert, code, key);
    expect(answered.status).toBe('answered');
    expect(answered.messages.at(-1)).toMatchObject({
      from: 'expert',
      text: '',
      audioKey: key,
      by: gyantseExpert.actor.phone,
    });
    expect(await auditActionsOf(code)).toContain('question.answer_audio');
    // An asker who never calls learns by SMS that the answer waits on the line (once, however often it is saved).
    const told = (await outbox(stack, phone)).filter((m) =>
      m.text.includes(smsText('en', 'ask.answerVoice', { code })),
    );
    expect(told).toHaveLength(1);
    const unheard = await q().unheardAnswers(phone);
    expect(unheard).toEqual([{ code, audioKey: key, at: answered.messages.at(-1)!.at }]);
    // The same upload again changes nothing.
    expect((await q().answerAudio(gyantseExpert, code, key)).version).toBe(answered.version);

    await q().markAnswerHeard(code, new Date('2026-11-20T03:00:00.000Z'));
    expect(await q().unheardAnswers(phone)).toEqual([]);
    const heard = await q().get(gyantseExpert, code);
    expect(heard.question.messages.at(-1)).toMatchObject({ audioKey: key, heardAt: '2026-11-20T03:00:00.000Z' });
    // Twice is harmless.
    await q().markAnswerHeard(code, new Date());
    expect((await q().get(gyantseExpert, code)).question.version).toBe(heard.question.version);
  });

  test('the text given separately completes the recorded answer, and its SMS goes', async () => {
    const { phone, code } = await spoken();
    await q().answerAudio(gyantseExpert, code, answerAudioKey(code, 1));
    const view = await q().get(gyantseExpert, code);
    expect(view.may).toMatchObject({ answer: true, answerAudio: true });
    const done = await q().answer(gyantseExpert, code, 'Keep it warm and give it water.');
    expect(done.messages.map((m) => m.from)).toEqual(['farmer', 'expert']);
    expect(done.messages.at(-1)).toMatchObject({
      text: 'Keep it warm and give it water.',
      audioKey: answerAudioKey(code, 1),
    });
    const sms = await outbox(stack, phone);
    expect(
      sms.some((m) => m.text.includes(smsText('en', 'ask.answer', { code, text: 'Keep it warm and give it water.' }))),
    ).toBe(true);
    // The voice answer's notice and the text answer are two SMS, neither swallowing the other.
    expect(sms.filter((m) => m.text.includes(smsText('en', 'ask.answerVoice', { code })))).toHaveLength(1);
    // Now it has its text: a second text answer is refused as before (answered).
    await expect(q().answer(gyantseExpert, code, 'Again.')).rejects.toMatchObject({ code: 'conflict' });
  });

  test('a recording added to a text answer goes on that answer; a new recording replaces it and is offered again', async () => {
    const { phone, code } = await spoken();
    await q().answer(gyantseExpert, code, 'Call the vet.');
    const first = await q().answerAudio(gyantseExpert, code, answerAudioKey(code, 1));
    expect(first.messages.map((m) => m.from)).toEqual(['farmer', 'expert']);
    expect(first.messages.at(-1)).toMatchObject({ text: 'Call the vet.', audioKey: answerAudioKey(code, 1) });
    await q().markAnswerHeard(code, new Date());
    await q().answerAudio(gyantseExpert, code, answerAudioKey(code, 2));
    expect((await q().unheardAnswers(phone)).map((u) => u.audioKey)).toEqual([answerAudioKey(code, 2)]);
  });

  test("a number's unheard answers come oldest first, from one Query", async () => {
    const phone = freshNumber();
    const a = await spoken(phone);
    const b = await spoken(phone);
    await q().answerAudio(gyantseExpert, b.code, answerAudioKey(b.code, 1));
    await q().answerAudio(gyantseExpert, a.code, answerAudioKey(a.code, 1));
    const counted = countingDocumentClient(stack);
    try {
      const store = new DynamoQuestionStore(counted.db, stack.tableName);
      const unheard = await store.unheardAnswers(phone);
      expect(counted.requests).toBe(1);
      expect(unheard.map((u) => u.code)).toEqual([b.code, a.code]);
    } finally {
      counted.db.destroy();
    }
  });
});

describe('DELETE ME', () => {
  test("the number's spoken questions and recorded answers are deleted with the questions' text", async () => {
    const { phone, code, audioKey } = await spoken();
    const answerKey = answerAudioKey(code, 1);
    const audio = stack.deps.voiceStores.audio!;
    await audio.put(answerKey, WAV, 'audio/wav');
    await q().answerAudio(gyantseExpert, code, answerKey);
    expect(await audio.get(audioKey)).toEqual(WAV);

    await texts(stack, phone, 'DELETE ME');

    expect(await audio.get(audioKey)).toBeUndefined();
    expect(await audio.get(answerKey)).toBeUndefined();
    expect(await q().unheardAnswers(phone)).toEqual([]);
    const erased = await stack.deps.questions!.eraseNumber(phone);
    expect(erased).toBe(0);
  });
});

/**
 * The voice line's call flow on the real local stack: its calls, callers, counters and clips in
 * the table (dynalite), prices entered through the price repository, alerts and guides published
 * through the knowledge service, spoken questions joining the experts' queue, and the SMS it
 * sends composed and recorded by the stack's messenger (what GET /dev/outbox shows).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createDocumentClient } from '#adapters/dynamodb/client.ts';
import { DynamoKnowledgeStore } from '#adapters/dynamodb/knowledge-store.ts';
import { newSubscriber } from '#core/subscribers/subscriber.ts';
import type { CallEvent, CallInput, PlayClip, Step, Turn, VoiceLanguage } from '#core/voice/call.ts';
import { defaultVoiceSettings, type VoiceSettings } from '#core/voice/settings.ts';
import { sheetNumbers } from '#core/voice/speech/sheet-numbers.ts';
import { createVoiceLine, type VoiceLineDeps } from '#core/voice/voice-line.ts';
import { freshNumber, outbox, smsText } from '#test/support/dev-sms.ts';
import { alertInput, expertOf, guideInput, publish } from '#test/support/knowledge.ts';
import { day, priceSubmission } from '#test/support/prices.ts';
import { startTestStack, type TestStack } from '#test/support/stack.ts';

const LINE = '+868916300000';
const CHENGGUAN = 'cty_lhasa_chengguan';
const ADMIN = '+8613800000000';
const HAN = /\p{Script=Han}/u;
/** The registered signature is the one Chinese a Tibetan SMS may carry. */
const unsigned = (text: string) => text.replace(/【[^】]*】/gu, '');

let stack: TestStack;
let library: DynamoKnowledgeStore;
const logs: Record<string, unknown>[] = [];

beforeAll(async () => {
  stack = await startTestStack();
  // The stack's region: DynamoDB Local keeps each region's tables apart.
  const db = createDocumentClient({ region: 'local', endpoint: stack.dynamoEndpoint });
  library = new DynamoKnowledgeStore(db, stack.tableName, (id) => stack.deps.authz.regionPath(id));
  await seedPrices();
}, 60_000);
afterAll(() => stack?.close());

function voiceLine(settings: Partial<VoiceSettings> = {}, over: Partial<VoiceLineDeps> = {}) {
  const v = stack.deps.voiceStores;
  return createVoiceLine({
    calls: v.calls,
    callers: v.callers,
    counters: v.counters,
    clips: v.clips,
    subscribers: stack.deps.subscribers,
    prices: stack.deps.prices,
    library,
    questions: stack.deps.questions!,
    messenger: stack.deps.messenger,
    catalog: stack.deps.catalog,
    allowedCallingCodes: ['86'],
    settings: { ...defaultVoiceSettings, placeholders: true, ...settings },
    now: () => stack.deps.now(),
    log: (e) => logs.push(e),
    ...over,
  });
}

/** A caller on the line: each method is one provider request carrying the seq the last turn gave. */
function dial(line: ReturnType<typeof createVoiceLine>, from: string, callId = `CA${randomUUID()}`) {
  let seq: number | undefined;
  const send = async (input: CallInput, at = seq): Promise<Turn> => {
    const event: CallEvent = {
      provider: 'dev',
      callId,
      from,
      to: LINE,
      ...(at !== undefined ? { seq: at } : {}),
      input,
    };
    const turn = await line.turn(event);
    seq = turn.seq;
    return turn;
  };
  return {
    callId,
    get seq() {
      return seq;
    },
    start: () => send({ kind: 'start' }),
    press: (digits: string) => send({ kind: 'digits', digits }),
    silence: () => send({ kind: 'silence' }),
    hangup: () => send({ kind: 'hangup' }),
    recorded: (input: Omit<Extract<CallInput, { kind: 'recorded' }>, 'kind'>) => send({ kind: 'recorded', ...input }),
    /** The same request again (a provider's retry), with an older seq. */
    retry: (input: CallInput, at: number) => send(input, at),
  };
}

const clipsOf = (steps: Step[]): PlayClip[] =>
  steps.flatMap((s) => (s.kind === 'play' ? s.clips : s.kind === 'gather' || s.kind === 'record' ? s.prompt : []));
const ids = (turn: Turn) => clipsOf(turn.steps).map((c) => c.id);
const last = (turn: Turn) => turn.steps[turn.steps.length - 1]!;

async function subscriber(lang: 'bo' | 'zh', over: { home?: string; topics?: string[] } = {}) {
  const phone = freshNumber('138');
  await stack.deps.subscribers.createIfAbsent({
    ...newSubscriber(phone, lang, stack.deps.now()),
    ...(over.home ? { homeRegionId: over.home } : {}),
    topics: over.topics ?? [],
  });
  return phone;
}

/**
 * Barley at four markets: Barkhor (the caller's county, today), Dongga (the same prefecture,
 * yesterday), Gyirong (Shigatse, 3 days ago) and Xining (Qinghai, 30 days ago: old). Butter at
 * Xining only, 30 days ago.
 */
async function seedPrices() {
  const p = stack.deps.prices;
  await p.enterApproved(
    priceSubmission('barley_qingke', day(stack), 450, { marketId: 'mkt_lhasa_barkhor', regionId: CHENGGUAN }),
    ADMIN,
  );
  await p.enterApproved(priceSubmission('barley_qingke', day(stack, -1), 430), ADMIN);
  await p.enterApproved(
    priceSubmission('barley_qingke', day(stack, -3), 420, {
      marketId: 'mkt_shigatse_gyirong_port',
      regionId: 'cty_shigatse_gyirong',
    }),
    ADMIN,
  );
  await p.enterApproved(
    priceSubmission('barley_qingke', day(stack, -30), 400, { marketId: 'mkt_qinghai_xining', regionId: 'XZ' }),
    ADMIN,
  );
  await p.enterApproved(
    priceSubmission('butter', day(stack, -30), 3500, { marketId: 'mkt_qinghai_xining', regionId: 'XZ' }),
    ADMIN,
  );
}

describe('language', () => {
  test('a new number chooses its language once; the line remembers it for the next call', async () => {
    const line = voiceLine();
    const phone = freshNumber();
    const call = dial(line, phone);
    const first = await call.start();
    expect(first.steps).toHaveLength(1);
    expect(last(first)).toMatchObject({ kind: 'gather', numDigits: 1 });
    const prompt = clipsOf(first.steps);
    expect(prompt.map((c) => `${c.lang}:${c.id}`)).toEqual(['bo:say.welcome', 'bo:say.chooseBo', 'zh:say.chooseZh']);
    expect(prompt.every((c) => c.placeholder && c.text.length > 0 && c.durationMs > 0)).toBe(true);

    const main = await call.press('2');
    expect(ids(main)).toEqual(['say.mainMenu']);
    expect(clipsOf(main.steps).every((c) => c.lang === 'zh')).toBe(true);
    await call.hangup();
    const record = await stack.deps.voiceStores.calls.get(call.callId);
    expect(record).toMatchObject({ lang: 'zh', outcome: 'hung_up', path: ['language:2'], node: 'ended' });
    expect(record?.durationSeconds).toBeGreaterThanOrEqual(0);

    const again = await dial(line, phone).start();
    expect(ids(again)).toEqual(['say.welcome', 'say.mainMenu']);
    expect(clipsOf(again.steps).every((c) => c.lang === 'zh')).toBe(true);
  });

  test("a subscriber's language is taken without asking; English asks", async () => {
    const line = voiceLine();
    const bo = await dial(line, await subscriber('bo')).start();
    expect(ids(bo)).toEqual(['say.welcome', 'say.mainMenu']);
    expect(clipsOf(bo.steps).every((c) => c.lang === 'bo')).toBe(true);
    const en = freshNumber();
    await stack.deps.subscribers.createIfAbsent(newSubscriber(en, 'en', stack.deps.now()));
    expect(ids(await dial(line, en).start())).toContain('say.chooseBo');
  });
});

describe('prices', () => {
  test('the nearest three markets (county, prefecture, anywhere), each with unit and date; SMS 8 sends the same', async () => {
    const line = voiceLine();
    const phone = await subscriber('zh', { home: CHENGGUAN, topics: ['price:butter'] });
    const call = dial(line, phone);
    await call.start();
    const menu = await call.press('1');
    expect(last(menu)).toMatchObject({ kind: 'gather', numDigits: 2 });
    // The followed commodity first; then the rest up to five items; and the sheet numbers.
    const menuIds = ids(menu);
    expect(menuIds[0]).toBe('say.chooseCommodity');
    expect(menuIds[1]).toBe('commodity.butter');
    expect(menuIds.filter((id) => id.startsWith('commodity.'))).toHaveLength(defaultVoiceSettings.menuItems);
    expect(menuIds.at(-1)).toBe('say.orSheetNumber');

    const price = await call.press(String(sheetNumbers.barley_qingke));
    const spoken = ids(price);
    expect(spoken.slice(0, 2)).toEqual(['say.priceOf', 'commodity.barley_qingke']);
    expect(spoken.filter((id) => id.startsWith('market.'))).toEqual([
      'market.mkt_lhasa_barkhor',
      'market.mkt_lhasa_dongga',
      'market.mkt_shigatse_gyirong_port',
    ]);
    expect(spoken.filter((id) => id.startsWith('unit.'))).toEqual(['unit.jin', 'unit.jin', 'unit.jin']);
    expect(spoken).toContain('say.today');
    expect(spoken).toContain('say.yesterday');
    expect(spoken).not.toContain('say.old');
    expect(spoken.at(-1)).toBe('say.afterContent');

    const sent = await call.press('8');
    expect(ids(sent)[0]).toBe('say.smsSent');
    const sms = (await outbox(stack, phone)).map((m) => m.text);
    expect(sms).toHaveLength(1);
    expect(sms[0]).toContain(smsText('zh', 'price.head', { commodity: '青稞' }));
    expect(sms[0]).toContain('八廓街');

    // 9 says it again without reading anything; 0 goes back to the commodity menu.
    expect((await call.press('9')).steps).toEqual(price.steps);
    expect(ids(await call.press('0'))[0]).toBe('say.chooseCommodity');
    // The menu's key 1: the followed butter, only at Xining, 30 days ago: old.
    const butter = ids(await call.press('1'));
    expect(butter).toContain('market.mkt_qinghai_xining');
    expect(butter).toContain('say.old');
    await call.hangup();
    const record = await stack.deps.voiceStores.calls.get(call.callId);
    expect(record?.heardLog).toEqual(['prices:barley_qingke', 'prices:butter']);
    expect(record?.outcome).toBe('completed');
    expect(record?.smsSent).toBe(1);
    expect(await stack.deps.voiceStores.counters.all()).toMatchObject({ barley_qingke: expect.any(Number) });
  });

  test('the most asked come after the followed ones; a commodity without a price says so', async () => {
    for (let i = 0; i < 50; i++) await stack.deps.voiceStores.counters.count('yak_live');
    const line = voiceLine();
    const call = dial(line, await subscriber('bo', { topics: ['price:walnut'] }));
    await call.start();
    const menu = ids(await call.press('1')).filter((id) => id.startsWith('commodity.'));
    expect(menu.slice(0, 2)).toEqual(['commodity.walnut', 'commodity.yak_live']);
    const none = ids(await call.press('1'));
    expect(none).toEqual(['say.priceOf', 'commodity.walnut', 'say.noPrice', 'say.afterContent']);
  });

  test('SMS by 8 stops at the per-call limit; a number that never subscribed gets it in the language of the call', async () => {
    const line = voiceLine({ smsPerCall: 2 });
    const phone = freshNumber();
    const call = dial(line, phone);
    await call.start();
    await call.press('1'); // Tibetan
    await call.press('1'); // prices
    const price = await call.press(String(sheetNumbers.barley_qingke));
    expect(ids(price).filter((id) => id.startsWith('market.'))).toHaveLength(3);
    for (const clip of clipsOf(price.steps))
      expect(clip).toMatchObject({ lang: 'bo', text: expect.not.stringMatching(HAN) });
    expect(ids(await call.press('8'))[0]).toBe('say.smsSent');
    expect(ids(await call.press('8'))[0]).toBe('say.smsSent');
    expect(ids(await call.press('8'))[0]).toBe('say.smsLimit');
    const sms = await outbox(stack, phone);
    expect(sms).toHaveLength(2);
    for (const m of sms) {
      expect(m.text).toMatch(/[\u0F00-\u0FFF]/u);
      expect(unsigned(m.text)).not.toMatch(HAN);
    }
    expect(await stack.deps.subscribers.get(phone)).toBeUndefined();
  });
});

describe('alerts and tips', () => {
  test('alerts of the home region, severest first, with their text; none without a home', async () => {
    const now = stack.deps.now();
    const minor = await publish(
      stack.deps.knowledge!,
      'alert',
      alertInput(now, { regions: ['pref_lhasa'], severity: 'minor', broadcast: false }),
    );
    const extreme = await publish(
      stack.deps.knowledge!,
      'alert',
      alertInput(now, { regions: [CHENGGUAN], severity: 'extreme', broadcast: false }),
    );
    const line = voiceLine();
    const phone = await subscriber('bo', { home: CHENGGUAN });
    const call = dial(line, phone);
    await call.start();
    const turn = await call.press('2');
    const spoken = ids(turn);
    const first = spoken.indexOf(`item.${extreme.id}.${extreme.version}`);
    const second = spoken.indexOf(`item.${minor.id}.${minor.version}`);
    expect(first).toBeGreaterThan(-1);
    expect(second).toBeGreaterThan(first);
    expect(spoken.indexOf('say.severity.extreme')).toBeLessThan(spoken.indexOf('say.severity.minor'));
    for (const clip of clipsOf(turn.steps)) expect(clip.text).not.toMatch(HAN);
    await call.press('8');
    const [sms] = await outbox(stack, phone);
    expect(unsigned(sms!.text)).toContain('སེར་བ་འབབ');
    expect(unsigned(sms!.text)).not.toMatch(HAN);

    const homeless = dial(line, await subscriber('zh'));
    await homeless.start();
    expect(ids(await homeless.press('2'))).toEqual(['say.noHome', 'say.afterContent']);
  });

  test("this month's tips for a commodity, each read from its summary; SMS 8 sends them", async () => {
    const guide = await publish(stack.deps.knowledge!, 'guide', guideInput());
    const line = voiceLine();
    const phone = await subscriber('zh', { home: CHENGGUAN });
    const call = dial(line, phone);
    await call.start();
    expect(ids(await call.press('3'))[0]).toBe('say.chooseCommodity');
    const tips = await call.press(String(sheetNumbers.barley_qingke));
    const item = clipsOf(tips.steps).find((c) => c.id === `item.${guide.id}.${guide.version}`);
    expect(ids(tips).slice(0, 2)).toEqual(['say.tipIntro', 'commodity.barley_qingke']);
    expect(item?.text).toBe('青稞出苗后及时浇水。');
    await call.press('8');
    expect((await outbox(stack, phone))[0]?.text).toContain('青稞出苗后及时浇水');
    // A commodity without guides.
    await call.press('0');
    expect(ids(await call.press(String(sheetNumbers.walnut)))).toEqual(['say.noTips', 'say.afterContent']);
  });
});

describe('ask', () => {
  test('a spoken question joins the experts’ queue with its audio; its code is spoken and acknowledged by SMS', async () => {
    const line = voiceLine();
    const phone = await subscriber('zh', { home: CHENGGUAN });
    const call = dial(line, phone);
    await call.start();
    const record = await call.press('4');
    expect(last(record)).toMatchObject({ kind: 'record', maxSeconds: 60 });
    expect(ids(record)).toEqual(['say.askPrompt']);
    const audioKey = `voice/questions/${call.callId}.wav`;
    const done = await call.recorded({ audioKey, durationSeconds: 12 });
    const spoken = ids(done);
    expect(spoken[0]).toBe('say.askReceived');
    expect(spoken).toContain('say.answerWithin');
    const stored = await stack.deps.voiceStores.calls.get(call.callId);
    const code = stored!.questionCode!;
    expect(code).toMatch(/^Q\d{4,}$/u);
    // The code's digits, one by one.
    const digits = spoken.slice(1, spoken.indexOf('say.answerWithin'));
    expect(digits).toEqual([...code.slice(1)].map((d) => `num.${d}`));
    const queue = await stack.deps.questions!.queue(expertOf('+8613900000401', ['pref_lhasa']), {
      region: 'pref_lhasa',
    });
    expect(queue.items.map((i) => i.code)).toContain(code);
    const view = await stack.deps.questions!.get(expertOf('+8613900000401', ['pref_lhasa']), code);
    expect(view.question.messages[0]).toMatchObject({ audioKey });
    const sms = await outbox(stack, phone);
    expect(sms.map((m) => m.text).join('\n')).toContain(code);
    // A retry of the recording's turn asks nothing twice.
    await call.retry({ kind: 'recorded', audioKey, durationSeconds: 12 }, call.seq! - 1);
    expect(await outbox(stack, phone)).toHaveLength(1);
  });

  test("an expert's recorded answer is offered on the next call until heard; 0 leaves it for later", async () => {
    const line = voiceLine();
    const phone = await subscriber('bo', { home: CHENGGUAN });
    const asking = dial(line, phone);
    await asking.start();
    await asking.press('4');
    await asking.recorded({ audioKey: `voice/questions/${asking.callId}.wav`, durationSeconds: 8 });
    await asking.hangup();
    const code = (await stack.deps.voiceStores.calls.get(asking.callId))!.questionCode!;
    const audioKey = `voice/answers/${code}/1.wav`;
    await stack.deps.questions!.answerAudio(expertOf('+8613900000402', ['pref_lhasa']), code, audioKey);

    const later = dial(line, phone);
    expect(ids(await later.start())).toEqual(['say.welcome', 'say.answerWaiting']);
    expect(ids(await later.press('0'))).toEqual(['say.mainMenu']);
    await later.hangup();

    const call = dial(line, phone);
    await call.start();
    const heard = await call.press('1');
    expect(ids(heard)).toEqual(['say.answerIntro', `answer.${code}`, 'say.answerBySms', 'say.afterContent']);
    expect(clipsOf(heard.steps)[1]).toMatchObject({ key: audioKey, lang: 'bo' });
    expect(ids(await call.press('8'))[0]).toBe('say.answerBySms');
    await call.hangup();
    expect((await stack.deps.voiceStores.calls.get(call.callId))?.heardLog).toEqual([`answer:${code}`]);
    expect(ids(await dial(line, phone).start())).toEqual(['say.welcome', 'say.mainMenu']);
  });

  test('a recording with nothing in it (or a hang-up before any) is no question', async () => {
    const line = voiceLine();
    const call = dial(line, await subscriber('bo'));
    await call.start();
    await call.press('4');
    const empty = await call.recorded({ durationSeconds: 0 });
    expect(ids(empty)).toEqual(['say.askEmpty', 'say.mainMenu']);
    expect((await stack.deps.voiceStores.calls.get(call.callId))?.questionCode).toBeUndefined();
    // Hung up while recording, the provider handing over nothing.
    await call.press('4');
    expect(last(await call.hangup()).kind).toBe('hangup');
    const record = await stack.deps.voiceStores.calls.get(call.callId);
    expect(record).toMatchObject({ node: 'ended', outcome: 'hung_up', path: ['main:4', 'ask.record:rec', 'main:4'] });
    expect(record?.questionCode).toBeUndefined();
  });
});

describe('bad input', () => {
  test('three unknown keys or silences in a row: goodbye, hang up, and one SMS of how to use the line', async () => {
    const line = voiceLine();
    const phone = await subscriber('zh');
    const call = dial(line, phone);
    await call.start();
    const once = await call.press('7');
    expect(ids(once)).toEqual(['say.notUnderstood', 'say.mainMenu']);
    await call.silence();
    const bye = await call.press('*');
    expect(bye.steps.map((s) => s.kind)).toEqual(['play', 'hangup']);
    expect(ids(bye)).toEqual(['say.goodbyeHelp']);
    const record = await stack.deps.voiceStores.calls.get(call.callId);
    expect(record).toMatchObject({ outcome: 'tries_exhausted', path: ['main:7', 'main:-', 'main:*'] });
    const sms = await outbox(stack, phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.text).toContain(smsText('zh', 'voice.help', { phone: LINE }));
    // A key after the goodbye changes nothing.
    expect((await call.press('1')).steps).toEqual(bye.steps);
  });

  test('a good key in between starts the count again', async () => {
    const line = voiceLine();
    const call = dial(line, await subscriber('zh'));
    await call.start();
    await call.press('7');
    await call.press('7');
    await call.press('1');
    await call.press('0');
    await call.press('7');
    expect(last(await call.press('7')).kind).toBe('gather');
  });

  test('a number outside the allow-list hears a short goodbye; so does one over the calls of a day', async () => {
    const line = voiceLine({ callsPerDay: 2 });
    const abroad = await dial(line, '+14155550100').start();
    expect(abroad.steps.map((s) => s.kind)).toEqual(['play', 'hangup']);
    expect(ids(abroad)).toEqual(['say.notServed', 'say.notServed']);
    const unreadable = await dial(line, '').start();
    expect(ids(unreadable)).toEqual(['say.notServed', 'say.notServed']);

    const phone = await subscriber('bo');
    await dial(line, phone).start();
    await dial(line, phone).start();
    const third = dial(line, phone);
    const refused = await third.start();
    expect(ids(refused)).toEqual(['say.tooManyCalls']);
    expect(last(refused).kind).toBe('hangup');
    expect((await stack.deps.voiceStores.calls.get(third.callId))?.outcome).toBe('blocked');
  });

  test('a replayed turn gets the same steps and changes nothing; a retried first request counts one call', async () => {
    const line = voiceLine();
    const phone = await subscriber('zh', { home: CHENGGUAN });
    const call = dial(line, phone);
    const first = await call.start();
    expect(
      await line.turn({ provider: 'dev', callId: call.callId, from: phone, to: LINE, input: { kind: 'start' } }),
    ).toEqual(first);
    await call.press('1');
    const price = await call.press(String(sheetNumbers.barley_qingke));
    const sms = await call.press('8');
    const again = await call.retry({ kind: 'digits', digits: '8' }, call.seq! - 1);
    expect(again.steps).toEqual(sms.steps);
    expect(again.seq).toBe(sms.seq);
    expect(await outbox(stack, phone)).toHaveLength(1);
    const record = await stack.deps.voiceStores.calls.get(call.callId);
    expect(record?.smsSent).toBe(1);
    expect(record?.heardLog).toEqual(['prices:barley_qingke']);
    expect(price.seq).toBeLessThan(sms.seq);
    expect((await stack.deps.voiceStores.callers.get(phone))?.callsToday).toBe(1);

    // The same request twice at once: one moves the call, the other meets the version check,
    // reads again and answers the same; one SMS.
    await call.press('0');
    await call.press(String(sheetNumbers.barley_qingke));
    const seq = call.seq!;
    const event = {
      provider: 'dev',
      callId: call.callId,
      from: phone,
      to: LINE,
      seq,
      input: { kind: 'digits', digits: '8' },
    } as const;
    const [a, b] = await Promise.all([line.turn(event), line.turn(event)]);
    expect(a).toEqual(b);
    expect(await outbox(stack, phone)).toHaveLength(2);
  });

  test('random keys never throw and always answer with steps that end in gather, record, redirect or hangup', async () => {
    const line = voiceLine();
    const phone = await subscriber('bo', { home: CHENGGUAN });
    const keys = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', '12', '99', '00', '1#', 'x', ''];
    let random = 7;
    const next = (n: number) => {
      random = (random * 1103515245 + 12345) % 2 ** 31;
      return random % n;
    };
    let call = dial(line, phone);
    await call.start();
    for (let i = 0; i < 200; i++) {
      const r = next(20);
      const input: CallInput =
        r < 15
          ? { kind: 'digits', digits: keys[next(keys.length)]! }
          : r < 18
            ? { kind: 'silence' }
            : r < 19
              ? {
                  kind: 'recorded',
                  durationSeconds: next(3),
                  ...(next(2) ? { audioKey: `voice/questions/x${i}.wav` } : {}),
                }
              : { kind: 'hangup' };
      const turn = await (input.kind === 'digits'
        ? call.press(input.digits)
        : input.kind === 'silence'
          ? call.silence()
          : input.kind === 'recorded'
            ? call.recorded(input)
            : call.hangup());
      expect(turn.steps.length).toBeGreaterThan(0);
      expect(['gather', 'record', 'redirect', 'hangup']).toContain(last(turn).kind);
      for (const clip of clipsOf(turn.steps)) expect(clip.text).not.toMatch(HAN);
      if (last(turn).kind === 'hangup') {
        call = dial(line, phone);
        await call.start();
      }
    }
  });
});

describe('clips', () => {
  test("a clip missing in the caller's language plays the other's; one missing in both is dropped and `missing` offers the SMS", async () => {
    const v = stack.deps.voiceStores;
    const approve = async (lang: VoiceLanguage, id: string) => {
      const rec = await v.clips.add({
        lang,
        id,
        key: `voice/clips/${lang}/${id}/1.wav`,
        durationMs: 1200,
        bytes: 19_244,
        recordedBy: '+8613900000501',
        recordedAt: stack.deps.now().toISOString(),
      });
      await v.clips.approve(lang, id, rec.version, '+8613900000502', stack.deps.now());
    };
    await approve('zh', 'say.mainMenu');
    await approve('bo', 'say.welcome');
    await approve('bo', 'say.missing');
    const line = voiceLine({ placeholders: false });
    const turn = await dial(line, await subscriber('bo')).start();
    const clips = clipsOf(turn.steps);
    expect(clips.map((c) => `${c.lang}:${c.id}`)).toEqual(['bo:say.welcome', 'zh:say.mainMenu']);
    expect(clips[0]).toMatchObject({ key: 'voice/clips/bo/say.welcome/1.wav', durationMs: 1200 });
    expect(clips.some((c) => c.placeholder)).toBe(false);

    const call = dial(line, await subscriber('bo', { home: CHENGGUAN }));
    await call.start();
    await call.press('1');
    const price = clipsOf((await call.press(String(sheetNumbers.barley_qingke))).steps);
    expect(price.map((c) => c.id)).toEqual(['say.missing']);
  });
});

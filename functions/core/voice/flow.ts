/**
 * The call's state machine: one input at one node → the call moved on and the steps that
 * answer. Every node has a prompt it can say again; an unknown key or silence says it again
 * after "not understood", and the third in a row ends the call politely with an SMS of how to
 * use the line. docs/voice.md "Call flow" draws the tree.
 */
import { shanghaiDay } from '../dates.ts';
import type { KnowledgeStore } from '../knowledge/ports.ts';
import type { QuestionService } from '../knowledge/service.ts';
import { callingCodeOf } from '../phone.ts';
import type { PriceRepository } from '../prices/ports.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { ReplyLine } from '../sms/messages.ts';
import type { Messenger } from '../sms/ports.ts';
import type { SubscriberRepository } from '../subscribers/ports.ts';
import { newSubscriber, type Subscriber } from '../subscribers/subscriber.ts';
import type { Call, CallInput, CallNode, ClipId, Heard, PlayClip, Step, VoiceLanguage } from './call.ts';
import { type ClipContext, joinClips, resolveClips } from './clips.ts';
import { alertsSpoken, pricesSpoken, type Spoken, tipsSpoken } from './content.ts';
import type { CommodityMenus } from './menus.ts';
import type { AskCounters, CallerStore, ClipRegistry, VoiceQuestions, VoiceRecordings } from './ports.ts';
import type { VoiceSettings } from './settings.ts';
import { answerWithinClips, askReceivedClips, menuOptionClips } from './speech/phrases.ts';
import { commodityOfSheetNumber } from './speech/sheet-numbers.ts';

/** What the line reads and writes (createVoiceLine's deps, voice-line.ts). */
export interface FlowDeps {
  callers: CallerStore;
  counters: AskCounters;
  clips: Pick<ClipRegistry, 'playable'>;
  subscribers: Pick<SubscriberRepository, 'get'>;
  prices: Pick<PriceRepository, 'latestForCommodity'>;
  library: Pick<KnowledgeStore, 'tipEntries' | 'currentAlerts'>;
  questions: Pick<QuestionService, 'ask'> & VoiceQuestions;
  recordings?: VoiceRecordings;
  messenger: Pick<Messenger, 'send'>;
  /** Country calling codes the line serves (the SMS allow-list: SMS_ALLOWED_COUNTRIES). */
  allowedCallingCodes: string[];
  settings: VoiceSettings;
  log: (entry: Record<string, unknown>) => void;
}

/** One turn's reads, made once and only when needed. */
export interface TurnContext {
  deps: FlowDeps;
  now: Date;
  catalog: Catalog;
  clips: ClipContext;
  menus: CommodityMenus;
  subscriber(): Promise<Subscriber | undefined>;
}

/** The nodes that follow content: 8 SMS, 9 again, 0 back. */
const heardNodes: ReadonlySet<CallNode> = new Set([
  'prices.heard',
  'alerts.heard',
  'tips.heard',
  'ask.done',
  'answer.heard',
] as const);

/** Where 0 goes back to. */
const backOf: Partial<Record<CallNode, CallNode>> = {
  'prices.heard': 'prices.commodity',
  'tips.heard': 'tips.commodity',
};

const say = (ctx: TurnContext, lang: VoiceLanguage, ids: readonly ClipId[]): PlayClip[] =>
  resolveClips(ctx.clips, lang, ids);

const gather = (ctx: TurnContext, prompt: PlayClip[], numDigits = 1): Step => ({
  kind: 'gather',
  prompt,
  numDigits,
  timeoutSeconds: ctx.deps.settings.gatherTimeoutSeconds,
});

/** The call's language; only the language node runs before it is known. */
const langOf = (call: Call): VoiceLanguage => call.lang ?? 'bo';

function endCall(call: Call, now: Date, outcome: Call['outcome']) {
  call.node = 'ended';
  call.outcome = outcome;
  call.endedAt = now.toISOString();
  call.durationSeconds = Math.max(0, Math.round((now.getTime() - Date.parse(call.startedAt)) / 1000));
}

/** The caller hung up (or the provider says the call is over). */
export function hangUp(call: Call, now: Date) {
  if (call.node === 'ended') return;
  endCall(call, now, call.heardLog.length > 0 ? 'completed' : 'hung_up');
}

async function sendSms(
  ctx: TurnContext,
  call: Call,
  lines: ReadonlyArray<ReplyLine & { optional?: boolean; shortKey?: string }>,
  input: { idempotencyKey: string; essential: boolean; maxSegments: number; lang: VoiceLanguage },
) {
  const [first, ...rest] = lines;
  if (!first) return;
  await ctx.deps.messenger.send({
    to: call.phone,
    key: first.key,
    params: first.params ?? {},
    ...(rest.length ? { more: () => rest.map((l) => ({ ...l, params: l.params ?? {} })) } : {}),
    essential: input.essential,
    idempotencyKey: input.idempotencyKey,
    maxSegments: input.maxSegments,
    language: input.lang,
  });
}

// ── Prompts ──

function languagePrompt(ctx: TurnContext, before: { bo: ClipId[]; zh: ClipId[] } = { bo: [], zh: [] }): Step[] {
  return [
    gather(ctx, [
      ...say(ctx, 'bo', [...before.bo, 'say.welcome', 'say.chooseBo']),
      ...say(ctx, 'zh', [...before.zh, 'say.chooseZh']),
    ]),
  ];
}

function commodityPrompt(call: Call): ClipId[] {
  const lang = langOf(call);
  const options = (call.menu ?? []).flatMap((id, i) => menuOptionClips(lang, [`commodity.${id}`], i + 1));
  return ['say.chooseCommodity', ...options, 'say.orSheetNumber'];
}

/** The node's prompt, with `before` (e.g. "not understood") first. */
function promptOf(ctx: TurnContext, call: Call, before: ClipId[] = []): Step[] {
  const lang = langOf(call);
  const clips = (ids: ClipId[]) => say(ctx, lang, [...before, ...ids]);
  switch (call.node) {
    case 'language':
      return languagePrompt(ctx, { bo: before, zh: before });
    case 'answer.offer':
      return [gather(ctx, clips(['say.answerWaiting']))];
    case 'main':
      return [gather(ctx, clips(['say.mainMenu']))];
    case 'prices.commodity':
    case 'tips.commodity':
      return [gather(ctx, clips(commodityPrompt(call)), 2)];
    case 'ask.record':
      return [{ kind: 'record', prompt: clips(['say.askPrompt']), maxSeconds: ctx.deps.settings.recordSeconds }];
    case 'ended':
      return [{ kind: 'hangup' }];
    default:
      return [gather(ctx, clips(['say.afterContent']))];
  }
}

/** An unknown key or silence: the prompt again, or after `maxTries` in a row the polite goodbye. */
async function notUnderstood(ctx: TurnContext, call: Call): Promise<Step[]> {
  call.tries += 1;
  if (call.tries < ctx.deps.settings.maxTries) return promptOf(ctx, call, ['say.notUnderstood']);
  const lang = call.lang ?? (await helpLanguage(ctx));
  const sms = call.smsSent < ctx.deps.settings.smsPerCall;
  if (sms) {
    await sendSms(ctx, call, [{ key: 'voice.help', params: { number: call.to } }], {
      idempotencyKey: `voice:${call.callId}:help`,
      essential: false,
      maxSegments: 1,
      lang,
    });
    call.smsSent += 1;
  }
  endCall(call, ctx.now, 'tries_exhausted');
  return [{ kind: 'play', clips: say(ctx, lang, [sms ? 'say.goodbyeHelp' : 'say.goodbye']) }, { kind: 'hangup' }];
}

/** Before a language is chosen: the subscriber's, else Tibetan (the line's first language). */
async function helpLanguage(ctx: TurnContext): Promise<VoiceLanguage> {
  const lang = (await ctx.subscriber())?.language;
  return lang === 'zh' ? 'zh' : 'bo';
}

// ── Start ──

/** The call's first turn. `fresh`: this request made the call (so it counts toward the day's calls). */
export async function start(ctx: TurnContext, call: Call, fresh: boolean): Promise<Step[]> {
  const { deps, now } = ctx;
  const code = call.phone ? callingCodeOf(call.phone) : undefined;
  if (!code || !deps.allowedCallingCodes.includes(code)) {
    endCall(call, now, 'blocked');
    return [
      { kind: 'play', clips: [...say(ctx, 'zh', ['say.notServed']), ...say(ctx, 'bo', ['say.notServed'])] },
      { kind: 'hangup' },
    ];
  }
  const caller = await deps.callers.get(call.phone);
  if (fresh) {
    const calls = await deps.callers.countCall(call.phone, shanghaiDay(now), now);
    if (calls > deps.settings.callsPerDay) {
      const lang = caller?.lang ?? (await helpLanguage(ctx));
      call.lang = lang;
      endCall(call, now, 'blocked');
      return [{ kind: 'play', clips: say(ctx, lang, ['say.tooManyCalls']) }, { kind: 'hangup' }];
    }
  }
  const known = caller?.lang ?? (await ctx.subscriber())?.language;
  if (known === 'bo' || known === 'zh') {
    call.lang = known;
    return afterLanguage(ctx, call, ['say.welcome']);
  }
  call.node = 'language';
  return languagePrompt(ctx);
}

/** The language is known: an unheard answer first, else the main menu. */
async function afterLanguage(ctx: TurnContext, call: Call, before: ClipId[] = []): Promise<Step[]> {
  const unheard = await ctx.deps.questions.unheardAnswers(call.phone);
  call.node = unheard.length > 0 ? 'answer.offer' : 'main';
  return promptOf(ctx, call, before);
}

// ── Content ──

function present(
  ctx: TurnContext,
  call: Call,
  node: CallNode,
  spoken: Spoken | (Omit<Heard, 'steps'> & { clips?: ClipId[]; audio?: PlayClip[] }),
): Step[] {
  const lang = langOf(call);
  const clips = 'clips' in spoken && spoken.clips ? spoken.clips : [];
  const audio = 'audio' in spoken && spoken.audio ? spoken.audio : [];
  const steps = [gather(ctx, joinClips(say(ctx, lang, clips), audio, say(ctx, lang, ['say.afterContent'])))];
  call.node = node;
  call.heard = { what: spoken.what, lines: spoken.lines, maxSegments: spoken.maxSegments, steps };
  call.heardLog.push(spoken.what);
  return steps;
}

async function homeAndTopics(ctx: TurnContext) {
  const sub = await ctx.subscriber();
  return { homeRegionId: sub?.homeRegionId, topics: sub?.topics ?? [] };
}

async function openCommodityMenu(ctx: TurnContext, call: Call, node: 'prices.commodity' | 'tips.commodity') {
  const { topics } = await homeAndTopics(ctx);
  call.menu = await ctx.menus.menu(topics, ctx.catalog, ctx.deps.settings.menuItems);
  call.node = node;
  return promptOf(ctx, call);
}

/** The commodity a key or two chose: a menu item (one key) or a price-sheet number (two keys). */
function chosenCommodity(ctx: TurnContext, call: Call, digits: string): string | undefined {
  if (/^[1-9]$/u.test(digits)) return call.menu?.[Number(digits) - 1];
  if (/^\d\d$/u.test(digits)) {
    const id = commodityOfSheetNumber(Number(digits));
    return id && ctx.catalog.commodities.has(id) ? id : undefined;
  }
  return undefined;
}

async function prices(ctx: TurnContext, call: Call, commodityId: string): Promise<Step[]> {
  const { homeRegionId } = await homeAndTopics(ctx);
  try {
    await ctx.deps.counters.count(commodityId);
  } catch (error) {
    // The menu's order is a convenience: a lost count never costs the caller the price.
    ctx.deps.log({ level: 'warn', msg: 'voice_ask_count_failed', commodityId, error: String(error) });
  }
  const spoken = await pricesSpoken(ctx.deps, {
    lang: langOf(call),
    commodityId,
    ...(homeRegionId ? { homeRegionId } : {}),
    markets: ctx.deps.settings.markets,
    catalog: ctx.catalog,
    now: ctx.now,
  });
  return present(ctx, call, 'prices.heard', spoken);
}

async function tips(ctx: TurnContext, call: Call, commodityId: string): Promise<Step[]> {
  const { homeRegionId } = await homeAndTopics(ctx);
  const spoken = await tipsSpoken(ctx.deps, {
    lang: langOf(call),
    commodityId,
    ...(homeRegionId ? { homeRegionId } : {}),
    catalog: ctx.catalog,
    clips: ctx.clips,
    now: ctx.now,
  });
  return present(ctx, call, 'tips.heard', spoken);
}

async function alerts(ctx: TurnContext, call: Call): Promise<Step[]> {
  const { homeRegionId } = await homeAndTopics(ctx);
  const spoken = await alertsSpoken(ctx.deps, {
    lang: langOf(call),
    ...(homeRegionId ? { homeRegionId } : {}),
    catalog: ctx.catalog,
    clips: ctx.clips,
    now: ctx.now,
  });
  return present(ctx, call, 'alerts.heard', spoken);
}

async function playAnswer(ctx: TurnContext, call: Call): Promise<Step[]> {
  const [answer] = await ctx.deps.questions.unheardAnswers(call.phone);
  if (!answer) {
    call.node = 'main';
    return promptOf(ctx, call);
  }
  const lang = langOf(call);
  await ctx.deps.questions.markAnswerHeard(answer.code, ctx.now);
  // The expert's own recording, from the files bucket: it is no clip of the studio's.
  const audio: PlayClip = { id: `answer.${answer.code}`, lang, text: answer.code, key: answer.audioKey, durationMs: 0 };
  return present(ctx, call, 'answer.heard', {
    what: `answer:${answer.code}`,
    clips: ['say.answerIntro'],
    audio: [audio, ...say(ctx, lang, ['say.answerBySms'])],
    lines: [],
    maxSegments: 1,
  });
}

// ── Ask ──

async function recorded(
  ctx: TurnContext,
  call: Call,
  input: Extract<CallInput, { kind: 'recorded' }>,
): Promise<Step[]> {
  const { deps, now } = ctx;
  const lang = langOf(call);
  const empty = !(input.durationSeconds > 0) || (!input.audioKey && !input.recordingUrl);
  if (empty) {
    call.node = 'main';
    return promptOf(ctx, call, ['say.askEmpty']);
  }
  let audioKey = input.audioKey;
  if (!audioKey && input.recordingUrl && deps.recordings)
    audioKey = await deps.recordings.keep({ url: input.recordingUrl, callId: call.callId });
  if (!audioKey) {
    // Not fetched yet (the provider's store was slow, or no fetcher here): the question keeps
    // the key the fetcher writes this call's recording to, so no spoken question is lost.
    audioKey = `voice/questions/${call.callId}.wav`;
    deps.log({ level: 'warn', msg: 'voice_recording_pending', callId: call.callId });
  }
  const subscriber = (await ctx.subscriber()) ?? newSubscriber(call.phone, lang, now);
  const lines = await deps.questions.ask(subscriber, { text: '', audioKey }, `voice:${call.callId}`, now);
  await sendSms(ctx, call, lines, {
    idempotencyKey: `voice:${call.callId}:ask`,
    essential: true,
    maxSegments: 2,
    lang,
  });
  const ack = lines.find((l) => l.key === 'ask.ack');
  if (ack?.params?.code !== undefined) {
    const code = String(ack.params.code);
    const hours = Number(ack.params.hours ?? 0);
    call.questionCode = code;
    return present(ctx, call, 'ask.done', {
      what: `ask:${code}`,
      clips: [...askReceivedClips(lang, code), ...answerWithinClips(lang, hours)],
      lines,
      maxSegments: 2,
    });
  }
  // Refused (the day's limit): the reason went by SMS, in words the line has no clips for.
  return present(ctx, call, 'ask.done', { what: 'ask', clips: ['say.bySms'], lines, maxSegments: 2 });
}

// ── Keys after content ──

async function smsOfHeard(ctx: TurnContext, call: Call, seq: number): Promise<Step[]> {
  const lang = langOf(call);
  const heard = call.heard;
  let note: ClipId;
  if (!heard || heard.lines.length === 0) note = 'say.answerBySms';
  else if (call.smsSent >= ctx.deps.settings.smsPerCall) note = 'say.smsLimit';
  else {
    await sendSms(ctx, call, heard.lines, {
      idempotencyKey: `voice:${call.callId}:${seq}`,
      essential: true,
      maxSegments: heard.maxSegments,
      lang,
    });
    call.smsSent += 1;
    note = 'say.smsSent';
  }
  return promptOf(ctx, call, [note]);
}

/** One input at the call's node. `seq` is this turn's (key 8's SMS is keyed by it). */
export async function advance(ctx: TurnContext, call: Call, input: CallInput, seq: number): Promise<Step[]> {
  if (call.node === 'ended') return [{ kind: 'hangup' }];
  const node = call.node;
  if (input.kind === 'recorded') {
    call.path.push(`${node}:rec`);
    if (node !== 'ask.record') return promptOf(ctx, call);
    call.tries = 0;
    return recorded(ctx, call, input);
  }
  if (input.kind !== 'digits') {
    if (input.kind === 'silence') {
      call.path.push(`${node}:-`);
      // Silence while recording is a question not asked.
      if (node === 'ask.record') return recorded(ctx, call, { kind: 'recorded', durationSeconds: 0 });
      return notUnderstood(ctx, call);
    }
    // A start on a call already going (the provider began again): where it was.
    return promptOf(ctx, call);
  }
  const digits = input.digits.trim().slice(0, 32);
  call.path.push(`${node}:${digits}`);
  const steps = await onDigits(ctx, call, digits, seq);
  if (steps) {
    call.tries = 0;
    return steps;
  }
  return notUnderstood(ctx, call);
}

/** The answer to keys at the node, or undefined for keys that mean nothing there. */
async function onDigits(ctx: TurnContext, call: Call, digits: string, seq: number): Promise<Step[] | undefined> {
  switch (call.node) {
    case 'language': {
      const lang = digits === '1' ? 'bo' : digits === '2' ? 'zh' : undefined;
      if (!lang) return undefined;
      call.lang = lang;
      await ctx.deps.callers.setLanguage(call.phone, lang, ctx.now);
      return afterLanguage(ctx, call);
    }
    case 'answer.offer':
      if (digits === '1') return playAnswer(ctx, call);
      if (digits === '0') {
        call.node = 'main';
        return promptOf(ctx, call);
      }
      return undefined;
    case 'main':
      if (digits === '1') return openCommodityMenu(ctx, call, 'prices.commodity');
      if (digits === '2') return alerts(ctx, call);
      if (digits === '3') return openCommodityMenu(ctx, call, 'tips.commodity');
      if (digits === '4') {
        call.node = 'ask.record';
        return promptOf(ctx, call);
      }
      // 9 again, 0 back: the main menu is both.
      if (digits === '9' || digits === '0') return promptOf(ctx, call);
      return undefined;
    case 'prices.commodity':
    case 'tips.commodity': {
      const id = chosenCommodity(ctx, call, digits);
      if (id) return call.node === 'prices.commodity' ? prices(ctx, call, id) : tips(ctx, call, id);
      if (digits === '0') {
        call.node = 'main';
        return promptOf(ctx, call);
      }
      if (digits === '9') return promptOf(ctx, call);
      return undefined;
    }
    case 'ask.record':
      return undefined;
    default:
      if (!heardNodes.has(call.node)) return undefined;
      if (digits === '8') return smsOfHeard(ctx, call, seq);
      if (digits === '9' && call.heard) return call.heard.steps;
      if (digits === '0') {
        const back = backOf[call.node];
        if (back) {
          call.node = back;
          return promptOf(ctx, call);
        }
        call.node = 'main';
        return promptOf(ctx, call);
      }
      return undefined;
  }
}

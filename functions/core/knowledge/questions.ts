/**
 * Farmers' questions to the experts (ASK by SMS): a short code, routed to the experts of the
 * asker's county, escalated to the prefecture's and then to every expert while unanswered (the
 * Kisan Call Centre's ladder, 12316's transfers); the answer goes back by SMS, and the farmer
 * may follow up in the same thread. Staff steps authorize (`advice.answer` where the question
 * stands on the ladder) and audit-log themselves.
 */
import { addDays, shanghaiDay } from '../dates.ts';
import { AppError, type ErrorDetail } from '../errors.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { ReplyLine } from '../sms/messages.ts';
import type { Messenger } from '../sms/ports.ts';
import { auditEntry } from '../staff/audit.ts';
import { regionsWith } from '../staff/authz.ts';
import { type Acting, type GuardDeps, guard } from '../staff/guard.ts';
import type { QuotaCounter } from '../staff/ports.ts';
import { ALL_REGIONS } from '../staff/roles.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import { tokenise } from '../text/normalise.ts';
import { newQuestionCode, normaliseQuestionCode } from './ids.ts';
import type { QuestionAudio, QuestionStore } from './ports.ts';
import { maskPhone, type Question, type QuestionLevel, type QuestionStat } from './question.ts';
import { bareText, pathOf } from './reading.ts';
import { refusal } from './review.ts';
import type { QuestionFigures, QuestionService, QuestionView } from './service.ts';
import type { KnowledgeSettings } from './settings.ts';
import { knowledgeProblem } from './validate.ts';

export interface QuestionDeps extends GuardDeps {
  store: QuestionStore;
  /** The daily limit of questions per number (bucket `ask`): counts only what it lets through. */
  quota: Pick<QuotaCounter, 'take'>;
  /** The answer's SMS to the asker. */
  messenger: Messenger;
  catalog: () => Promise<Pick<Catalog, 'regions' | 'commodities' | 'matcher'>>;
  /**
   * Segments of an SMS as the asker will get it (their language and script, signature included):
   * the composer's count, handed in so that a function that only takes questions (the voice
   * Lambda) carries no composer (adapters/wiring.ts builds it with composeSms).
   */
  countSegments: (sms: {
    lang: Question['language'];
    script: Question['script'];
    lines: ReplyLine[];
  }) => Promise<number>;
  settings: KnowledgeSettings;
  log: (entry: Record<string, unknown>) => void;
  /** Spoken questions' and recorded answers' audio: DELETE ME deletes the number's. Unset: none is kept. */
  audio?: QuestionAudio;
}

export type QuestionServiceWithErase = QuestionService & {
  /** DELETE ME: the number's questions closed, their text and number erased. */
  eraseNumber(phone: string): Promise<number>;
};

const DAY_SECONDS = 24 * 3600;
const HOUR_MS = 3600_000;
/** Codes drawn at each width before widening (Q1234 → Q12345 → Q123456). */
const CLASHES_PER_WIDTH = 3;
/** The escalation job reads the due index in pages of this many. */
const DUE_PAGE = 100;
/** The actor the audit log names for the escalation job. */
const JOB_ACTOR = 'job:question-escalate';

const invalid = (details: ErrorDetail[]) => new AppError('validation_failed', {}, details);
/** Voice audio the line or the studio put in the files bucket (keys the adapters build, never a client's path). */
const AUDIO_KEY = /^voice\/[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\.wav$/u;
/** markAnswerHeard retries on a question an expert changes at the same moment. */
const HEARD_TRIES = 3;

/** When the next rung is due: 1 → 2 after escalateToPrefectureHours, 2 → 3 after escalateToAllHours, both from the wait's start. */
export function dueAtOf(level: QuestionLevel, waitingSince: string, settings: KnowledgeSettings): string | undefined {
  if (level >= 3) return undefined;
  const hours = level === 1 ? settings.escalateToPrefectureHours : settings.escalateToAllHours;
  return new Date(Date.parse(waitingSince) + hours * HOUR_MS).toISOString();
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

/** The dashboard's figures from the questions asked in the period (pure). */
export function figuresOf(
  stats: readonly QuestionStat[],
  period: { from: string; to: string },
  now: Date,
  answerWithinHours: number,
): QuestionFigures {
  const hours = stats
    .filter((s) => s.firstAnsweredAt)
    .map((s) => (Date.parse(s.firstAnsweredAt!) - Date.parse(s.askedAt)) / HOUR_MS)
    .sort((a, b) => a - b);
  const round = (h: number) => Math.round(h * 10) / 10;
  const byLevel: QuestionFigures['byLevel'] = { '1': 0, '2': 0, '3': 0 };
  for (const s of stats) byLevel[String(s.level) as '1' | '2' | '3']++;
  const late = stats.filter((s) => {
    const end = s.firstAnsweredAt ? Date.parse(s.firstAnsweredAt) : now.getTime();
    return end - Date.parse(s.askedAt) > answerWithinHours * HOUR_MS;
  }).length;
  return {
    from: period.from,
    to: period.to,
    asked: stats.length,
    answered: hours.length,
    ...(hours.length ? { medianHours: round(percentile(hours, 50)), p90Hours: round(percentile(hours, 90)) } : {}),
    escalated: stats.filter((s) => s.escalations > 0).length,
    late,
    byLevel,
  };
}

const shanghaiMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

export function createQuestions(deps: QuestionDeps): QuestionServiceWithErase {
  const { settings } = deps;

  const audit = (acting: Acting | string, action: string, q: Question, detail?: Record<string, string | number>) =>
    deps.audit.record(
      auditEntry(
        {
          actor: typeof acting === 'string' ? acting : acting.actor.phone,
          action: `question.${action}`,
          target: q.code,
          ...(q.regionPath.length ? { regions: [...q.regionPath] } : {}),
          outcome: 'ok',
          detail: { level: q.level, ...detail },
          ...(typeof acting !== 'string' && acting.requestId ? { requestId: acting.requestId } : {}),
        },
        deps.now(),
      ),
    );

  const load = async (code: string): Promise<Question> => {
    const canonical = normaliseQuestionCode(code);
    const q = canonical ? await deps.store.get(canonical) : undefined;
    if (!q || q.status === 'closed') throw new AppError('not_found', { id: code });
    return q;
  };

  /** The region an expert must cover at the question's rung ('anywhere' for the top one). */
  const rungRegion = (q: Question): string | undefined =>
    q.level === 3 || q.regionPath.length === 0 ? undefined : (q.regionPath[q.level - 1] ?? q.regionPath[0]);

  const mayAnswer = (acting: Acting, q: Question) => deps.authz.can(acting.actor, 'advice.answer', rungRegion(q));
  const guardAnswer = (acting: Acting, q: Question) => {
    const region = rungRegion(q);
    return guard(deps, acting, 'advice.answer', region ? [region] : []);
  };

  const claimedByOther = (q: Question, phone: string, now: Date) =>
    q.claimedBy !== undefined && q.claimedBy !== phone && (q.claimedUntil ?? '') > now.toISOString();

  const withoutClaim = (q: Question): Question => {
    const { claimedBy: _b, claimedUntil: _u, ...rest } = q;
    return rest;
  };

  /** Segments of an answer as the asker will get it (their language and script, signature included). */
  const answerSegments = async (q: Question, text: string) => {
    const segments = await deps.countSegments({
      lang: q.language,
      script: q.script,
      lines: [{ key: 'ask.answer', params: { code: q.code, text: bareText(text) } }],
    });
    const limit = settings.maxAnswerSegments;
    return { segments, limit, fits: segments <= limit };
  };

  /** The first catalog commodity the text names (a word run the matcher knows), if any. */
  const commodityIn = (catalog: Pick<Catalog, 'matcher'>, text: string): string | undefined => {
    for (const m of catalog.matcher.findInTokens(tokenise(text), ['commodity'])) {
      const ids = [...new Set(m.hits.map((h) => h.item.id))];
      if (ids.length === 1) return ids[0];
    }
    return undefined;
  };

  const ack = (key: 'ask.ack' | 'ask.followAck', code: string): ReplyLine[] => [
    { key, params: { code, hours: settings.answerWithinHours } },
  ];

  const takeQuota = async (phone: string, now: Date) =>
    (await deps.quota.take('ask', phone, settings.askDailyLimit, DAY_SECONDS, now)).allowed;

  const followUp = async (
    subscriber: Subscriber,
    code: string,
    text: string,
    messageId: string,
    now: Date,
    audioKey: string | undefined,
  ) => {
    const canonical = normaliseQuestionCode(code) ?? code;
    const q = await deps.store.get(canonical);
    if (!q || q.phone !== subscriber.phone || q.status === 'closed')
      return [{ key: 'ask.notYours', params: { code: canonical } }];
    if (q.messages.some((m) => m.messageId === messageId)) return ack('ask.followAck', q.code);
    if (!(await takeQuota(subscriber.phone, now)))
      return [{ key: 'ask.limit', params: { limit: settings.askDailyLimit } }];
    const at = now.toISOString();
    const waitingSince = q.status === 'open' && q.waitingSince ? q.waitingSince : at;
    const dueAt = dueAtOf(q.level, waitingSince, settings);
    const { dueAt: _d, ...rest } = q;
    await deps.store.save({
      ...rest,
      status: 'open',
      messages: [...q.messages, { from: 'farmer', text, at, messageId, ...(audioKey ? { audioKey } : {}) }],
      waitingSince,
      ...(dueAt ? { dueAt } : {}),
    });
    return ack('ask.followAck', q.code);
  };

  const service: QuestionServiceWithErase = {
    async ask(subscriber, input, messageId, now) {
      const text = input.text.trim();
      // A spoken question (the voice line) may have no text: its recording is the question.
      const audioKey = input.audioKey && AUDIO_KEY.test(input.audioKey) ? input.audioKey : undefined;
      if (input.audioKey !== undefined && !audioKey) throw new AppError('validation_failed', { audioKey: 'invalid' });
      if (!text && !audioKey) return [{ key: 'ask.usage' }];
      if ([...text].length > settings.maxQuestionChars)
        return [{ key: 'ask.tooLong', params: { max: settings.maxQuestionChars } }];
      if (input.code) return followUp(subscriber, input.code, text, messageId, now, audioKey);
      if (!(await takeQuota(subscriber.phone, now)))
        return [{ key: 'ask.limit', params: { limit: settings.askDailyLimit } }];
      const catalog = await deps.catalog();
      const regionPath = pathOf(catalog, subscriber.homeRegionId).slice(0, 2);
      const level: QuestionLevel = regionPath.length ? 1 : 3;
      const at = now.toISOString();
      const dueAt = dueAtOf(level, at, settings);
      const commodityId = commodityIn(catalog, text);
      for (let attempt = 0; attempt < CLASHES_PER_WIDTH * 3; attempt++) {
        const question: Question = {
          code: newQuestionCode(4 + Math.floor(attempt / CLASHES_PER_WIDTH)),
          phone: subscriber.phone,
          language: subscriber.language,
          script: subscriber.script,
          regionPath,
          ...(commodityId ? { commodityId } : {}),
          status: 'open',
          level,
          messages: [{ from: 'farmer', text, at, messageId, ...(audioKey ? { audioKey } : {}) }],
          escalations: [],
          askedAt: at,
          waitingSince: at,
          ...(dueAt ? { dueAt } : {}),
          version: 0,
        };
        const made = await deps.store.create(question, messageId);
        if (made) return ack('ask.ack', made.question.code);
      }
      throw new AppError('unavailable');
    },

    async queue(acting, query) {
      const mine = regionsWith(acting.actor, 'advice.answer');
      const region = query.region ?? (mine.has(ALL_REGIONS) || mine.size === 0 ? ALL_REGIONS : [...mine][0]!);
      const filter = {
        ...(query.commodityId ? { commodityId: query.commodityId } : {}),
        ...(query.language ? { language: query.language } : {}),
        ...(query.olderThanHours !== undefined ? { olderThanHours: query.olderThanHours } : {}),
        ...(query.level ? { level: query.level } : {}),
        status: query.status ?? 'open',
      } as const;
      if (region === ALL_REGIONS) {
        // Everyone's list: the whole of it for an expert of every region, the top rung for the rest.
        await guard(deps, acting, 'advice.answer');
        const everywhere = await deps.authz.can(acting.actor, 'advice.answer', ALL_REGIONS);
        return deps.store.queue(
          region,
          everywhere ? filter : { ...filter, level: 3 },
          { limit: Math.min(Math.max(query.limit ?? 50, 1), 100), ...(query.cursor ? { cursor: query.cursor } : {}) },
          deps.now(),
        );
      }
      await guard(deps, acting, 'advice.answer', [region]);
      return deps.store.queue(
        region,
        filter,
        { limit: Math.min(Math.max(query.limit ?? 50, 1), 100), ...(query.cursor ? { cursor: query.cursor } : {}) },
        deps.now(),
      );
    },

    async get(acting, code): Promise<QuestionView> {
      const q = await load(code);
      const canAnswer = await mayAnswer(acting, q);
      const sees =
        canAnswer ||
        (q.regionPath[0] !== undefined && (await deps.authz.can(acting.actor, 'advice.answer', q.regionPath[0])));
      if (!sees) await guardAnswer(acting, q);
      const now = deps.now();
      const open = q.status === 'open';
      const free = !claimedByOther(q, acting.actor.phone, now);
      const last = q.messages.at(-1);
      const answeredLast = q.status === 'answered' && last?.from === 'expert';
      return {
        question: { ...q, phone: maskPhone(q.phone), messages: q.messages.map(({ by: _by, ...m }) => m) },
        may: {
          claim: canAnswer && open && free && q.claimedBy !== acting.actor.phone,
          // A recorded answer without text yet still takes the text (and its SMS).
          answer: canAnswer && ((open && free) || (answeredLast && last.text === '' && Boolean(last.audioKey))),
          answerAudio: canAnswer && ((open && free) || answeredLast),
          handOn: canAnswer && open && q.level < 3,
          makeGuide: q.status === 'answered' && (await deps.authz.can(acting.actor, 'content.edit')),
        },
      };
    },

    async claim(acting, code) {
      const q = await load(code);
      await guardAnswer(acting, q);
      const now = deps.now();
      if (q.status !== 'open') throw refusal('status', { status: q.status });
      if (claimedByOther(q, acting.actor.phone, now)) throw refusal('claimed');
      const saved = await deps.store.save({
        ...q,
        claimedBy: acting.actor.phone,
        claimedUntil: new Date(now.getTime() + settings.claimMinutes * 60_000).toISOString(),
      });
      await audit(acting, 'claim', saved);
      return saved;
    },

    async answer(acting, code, rawText) {
      const q = await load(code);
      await guardAnswer(acting, q);
      const now = deps.now();
      // A recorded answer without text yet (answerAudio): the text completes it, and its SMS goes.
      const last = q.messages.at(-1);
      const spoken = q.status === 'answered' && last?.from === 'expert' && last.text === '' && last.audioKey;
      if (q.status !== 'open' && !spoken) throw refusal('status', { status: q.status });
      if (!spoken && claimedByOther(q, acting.actor.phone, now)) throw refusal('claimed');
      const text = rawText.normalize('NFC').replace(/\s+/gu, ' ').trim();
      if (!text) throw invalid([{ path: 'text', message: 'required', key: 'errors:input.required' }]);
      const check = await answerSegments(q, text);
      if (!check.fits)
        throw invalid([
          knowledgeProblem('text', 'answerTooLong', `${check.segments} SMS parts, at most ${check.limit}`, {
            segments: check.segments,
            limit: check.limit,
          }),
        ]);
      const n = q.messages.filter((m) => m.from === 'expert').length + (spoken ? 0 : 1);
      // Sent before it is saved: a retry after a failed save sends nothing twice (the key), and
      // an answer is never recorded as given without its SMS.
      await deps.messenger.send({
        to: q.phone,
        key: 'ask.answer',
        params: { code: q.code, text: bareText(text) },
        essential: true,
        idempotencyKey: `ask:answer:${q.code}:${n}`,
        maxSegments: settings.maxAnswerSegments,
      });
      const at = now.toISOString();
      const { waitingSince: _w, dueAt: _d, ...rest } = withoutClaim(q);
      const saved = await deps.store.save(
        spoken
          ? { ...q, messages: [...q.messages.slice(0, -1), { ...last, text }] }
          : {
              ...rest,
              status: 'answered',
              messages: [...q.messages, { from: 'expert', text, at, by: acting.actor.phone }],
              answeredAt: at,
              firstAnsweredAt: q.firstAnsweredAt ?? at,
            },
      );
      await audit(acting, 'answer', saved, { segments: check.segments });
      return saved;
    },

    async answerAudio(acting, code, audioKey) {
      const q = await load(code);
      await guardAnswer(acting, q);
      if (!AUDIO_KEY.test(audioKey))
        throw invalid([{ path: 'audioKey', message: 'not a voice recording key', key: 'errors:input.invalid' }]);
      const now = deps.now();
      const at = now.toISOString();
      const last = q.messages.at(-1);
      let saved: Question;
      if (q.status === 'answered' && last?.from === 'expert') {
        if (last.audioKey === audioKey) return q; // the same upload again
        // On the latest answer (a new recording replaces one not yet right); offered to the caller again.
        const { heardAt: _h, ...answer } = last;
        saved = await deps.store.save({
          ...q,
          messages: [...q.messages.slice(0, -1), { ...answer, audioKey }],
        });
      } else {
        if (q.status !== 'open') throw refusal('status', { status: q.status });
        if (claimedByOther(q, acting.actor.phone, now)) throw refusal('claimed');
        // The asker may have asked by SMS and never call: an SMS says the answer waits on the line.
        // Sent before it is saved, keyed per answer, as a text answer's SMS is.
        const n = q.messages.filter((m) => m.from === 'expert').length + 1;
        await deps.messenger.send({
          to: q.phone,
          key: 'ask.answerVoice',
          params: { code: q.code },
          essential: true,
          // Its own key: the text this answer may get later sends its SMS under `ask:answer:…`.
          idempotencyKey: `ask:answer-voice:${q.code}:${n}`,
        });
        const { waitingSince: _w, dueAt: _d, ...rest } = withoutClaim(q);
        saved = await deps.store.save({
          ...rest,
          status: 'answered',
          messages: [...q.messages, { from: 'expert', text: '', at, by: acting.actor.phone, audioKey }],
          answeredAt: at,
          firstAnsweredAt: q.firstAnsweredAt ?? at,
        });
      }
      await audit(acting, 'answer_audio', saved);
      return saved;
    },

    unheardAnswers: (phone) => deps.store.unheardAnswers(phone),

    async markAnswerHeard(code, at) {
      for (let attempt = 0; ; attempt++) {
        const q = await deps.store.get(code);
        if (!q || q.status === 'closed') return;
        if (!q.messages.some((m) => m.from === 'expert' && m.audioKey && !m.heardAt)) return;
        const heardAt = at.toISOString();
        try {
          await deps.store.save({
            ...q,
            messages: q.messages.map((m) => (m.from === 'expert' && m.audioKey && !m.heardAt ? { ...m, heardAt } : m)),
          });
          return;
        } catch (err) {
          if (!(err instanceof AppError && err.code === 'conflict') || attempt + 1 >= HEARD_TRIES) throw err;
        }
      }
    },

    async handOn(acting, code) {
      const q = await load(code);
      await guardAnswer(acting, q);
      if (q.status !== 'open' || q.level >= 3) throw refusal('status', { status: q.status });
      const level = (q.level + 1) as QuestionLevel;
      const at = deps.now().toISOString();
      const { dueAt: _d, ...rest } = withoutClaim(q);
      const dueAt = dueAtOf(level, q.waitingSince ?? at, settings);
      const saved = await deps.store.save({
        ...rest,
        level,
        escalations: [...q.escalations, { level, at, reason: 'handed_on', by: acting.actor.phone }],
        ...(dueAt ? { dueAt } : {}),
      });
      await audit(acting, 'hand_on', saved);
      return saved;
    },

    async checkAnswer(code, text) {
      return answerSegments(await load(code), text.normalize('NFC').replace(/\s+/gu, ' ').trim());
    },

    async figures(acting, query) {
      await guard(deps, acting, 'advice.answer');
      const today = shanghaiDay(query.now);
      const to = query.to && /^\d{4}-\d{2}-\d{2}$/u.test(query.to) ? query.to : today;
      const from = query.from && /^\d{4}-\d{2}-\d{2}$/u.test(query.from) ? query.from : addDays(to, -29);
      if (from > to)
        throw invalid([
          { path: 'from', message: 'from after to', key: 'errors:input.invalid', params: { value: from } },
        ]);
      const stats = await deps.store.stats(shanghaiMidnight(from), shanghaiMidnight(addDays(to, 1)));
      return figuresOf(stats, { from, to }, query.now, settings.answerWithinHours);
    },

    async escalate(now) {
      let escalated = 0;
      let cursor: string | undefined;
      do {
        const page = await deps.store.due(now, { limit: DUE_PAGE, ...(cursor ? { cursor } : {}) });
        for (const row of page.items) {
          const q = await deps.store.get(row.code);
          if (q?.status !== 'open' || q.level >= 3 || !q.dueAt || q.dueAt > now.toISOString()) continue;
          const level = (q.level + 1) as QuestionLevel;
          const { dueAt: _d, ...rest } = q;
          const dueAt = dueAtOf(level, q.waitingSince ?? q.askedAt, settings);
          try {
            const saved = await deps.store.save({
              ...rest,
              level,
              escalations: [...q.escalations, { level, at: now.toISOString(), reason: 'time' }],
              ...(dueAt ? { dueAt } : {}),
            });
            escalated++;
            await audit(JOB_ACTOR, 'escalate', saved);
          } catch (err) {
            // Another run (or an answer) changed it first: the next run sees where it stands.
            if (!(err instanceof AppError && err.code === 'conflict')) throw err;
          }
        }
        cursor = page.cursor;
      } while (cursor);
      if (escalated) deps.log({ level: 'info', msg: 'questions escalated', escalated });
      return { escalated };
    },

    eraseNumber: (phone) =>
      deps.store.eraseNumber(
        phone,
        deps.audio
          ? async (q) => {
              // The recordings go before the question forgets their keys (a rerun deletes them again).
              for (const m of q.messages) if (m.audioKey) await deps.audio!.delete(m.audioKey);
            }
          : undefined,
      ),
  };
  return service;
}

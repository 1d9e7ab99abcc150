/**
 * The experts' questions over the API: the queue (filtered by commodity, language, age, level),
 * a question's thread, claim, answer (it goes to the farmer by SMS), hand on, make a guide of
 * it, and the dashboard's figures. The question service authorizes (`advice.answer` in the
 * question's region at its level), checks the answer's segments and writes the audit log; the
 * asker's number is masked in every answer here.
 */
import { stages } from '#core/knowledge/item.ts';
import type { Question } from '#core/knowledge/question.ts';
import { maskPhone, type questionLevels, questionStatuses } from '#core/knowledge/question.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf } from '../middleware/auth.ts';
import { ApiRouter, component } from '../openapi.ts';
import { serviceOf } from './knowledge.ts';
import { describe, json, pageFields, pageOf, problem } from './schemas.ts';

const languages = ['bo', 'zh', 'en'] as const;
const idText = z.string().check(z.minLength(1), z.maxLength(100));
/** `Q4821`, `q4821` or `4821`: farmers and experts type it both ways. */
const codeText = describe(
  z.string().check(z.regex(/^[Qq]?\d{3,8}$/, 'Q1234')),
  "A question's code: Q and its digits (the Q may be left out)",
);
const canonical = (code: string) => `Q${code.replace(/^[Qq]/, '')}`;
const codeParam = z.object({ code: codeText });
const day = z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')));

const Message = z.object({
  from: z.enum(['farmer', 'expert']),
  text: z.string(),
  at: z.string(),
  by: describe(z.optional(z.string()), "The expert's number (staff only)"),
});
const QuestionOut = component(
  'Question',
  z.object({
    code: z.string(),
    phone: describe(z.string(), "The asker's number, masked (+86 138****0001)"),
    language: z.enum(languages),
    script: z.string(),
    regionPath: describe(z.array(z.string()), "The asker's home region, county first (empty: unknown)"),
    commodityId: z.optional(z.string()),
    status: z.enum(questionStatuses),
    level: describe(z.number(), '1: the county’s experts, 2: the prefecture’s, 3: everyone'),
    messages: describe(z.array(Message), 'The thread, oldest first'),
    escalations: z.array(
      z.object({
        level: z.number(),
        at: z.string(),
        reason: z.enum(['time', 'handed_on']),
        by: z.optional(z.string()),
      }),
    ),
    askedAt: z.string(),
    waitingSince: z.optional(z.string()),
    dueAt: describe(z.optional(z.string()), 'When it moves up a level unless answered'),
    firstAnsweredAt: z.optional(z.string()),
    answeredAt: z.optional(z.string()),
    claimedBy: z.optional(z.string()),
    claimedUntil: z.optional(z.string()),
    guideId: z.optional(z.string()),
    version: z.number(),
  }),
  "A farmer's question and its thread",
);
const QuestionDetail = component(
  'QuestionView',
  z.object({
    question: QuestionOut,
    may: describe(
      z.object({ claim: z.boolean(), answer: z.boolean(), handOn: z.boolean(), makeGuide: z.boolean() }),
      'The steps open to you now',
    ),
  }),
);
const QuestionRow = component(
  'QuestionSummary',
  z.object({
    code: z.string(),
    language: z.enum(languages),
    regionPath: z.array(z.string()),
    commodityId: z.optional(z.string()),
    status: z.enum(questionStatuses),
    level: z.number(),
    preview: describe(z.string(), 'The start of the latest farmer message'),
    askedAt: z.string(),
    waitingSince: z.optional(z.string()),
    claimedBy: z.optional(z.string()),
    claimedUntil: z.optional(z.string()),
    escalations: z.number(),
  }),
);
const Figures = component(
  'QuestionFigures',
  z.object({
    from: z.string(),
    to: z.string(),
    asked: z.number(),
    answered: z.number(),
    medianHours: describe(z.optional(z.number()), 'Hours from asking to the first answer; absent: none answered'),
    p90Hours: z.optional(z.number()),
    escalated: describe(z.number(), 'Questions escalated at least once'),
    late: describe(z.number(), 'Answered after the promised time, or still open past it'),
    byLevel: z.object({ '1': z.number(), '2': z.number(), '3': z.number() }),
  }),
  'Questions asked and answered over a span of days, and how fast',
);

/** A question as the API shows it: the asker's number masked whatever the service gave. */
const questionOf = (q: Omit<Question, 'phone'> & { phone: string }) => ({
  ...q,
  phone: q.phone.includes('*') ? q.phone : maskPhone(q.phone),
  messages: q.messages.map(({ messageId: _m, audioKey: _a, ...m }) => m),
});

const errors = {
  400: problem('Invalid input: each refused field named, with a translated message'),
  401: problem('Not signed in'),
  403: problem("Outside your role or the question's region at its level (logged)"),
};
const notFound = problem('No such question');
const conflict = problem('Claimed by another expert, or its status does not allow this step');

export function questionRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const staff = { tags: ['questions'], auth: true };
  const questions = () => serviceOf(deps.questions);

  api.route(
    {
      ...staff,
      method: 'get',
      path: '/questions',
      summary: "The experts' queue of a region: open questions, oldest wait first (experts)",
      query: z.object({
        status: describe(z._default(z.enum(['open', 'answered']), 'open'), 'open (default) or answered'),
        region: describe(z.optional(idText), 'A region id, or *; default: your first region'),
        commodity: describe(z.optional(idText), 'A commodity id'),
        language: describe(z.optional(z.enum(languages)), "The asker's language"),
        olderThanHours: describe(
          z.optional(z.coerce.number().check(z.minimum(0), z.maximum(24 * 365))),
          'Only questions waiting at least this long',
        ),
        level: describe(
          z.optional(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(3))),
          '1 county, 2 prefecture, 3 everyone',
        ),
        limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 50),
        cursor: pageFields.cursor,
        lang: pageFields.lang,
      }),
      responses: { 200: json(pageOf(QuestionRow), 'A page of the queue'), ...errors },
    },
    async (c, { query }) => {
      const page = await questions().queue(actingOf(c), {
        status: query.status,
        ...(query.region ? { region: query.region } : {}),
        ...(query.commodity ? { commodityId: query.commodity } : {}),
        ...(query.language ? { language: query.language } : {}),
        ...(query.olderThanHours !== undefined ? { olderThanHours: query.olderThanHours } : {}),
        ...(query.level ? { level: query.level as (typeof questionLevels)[number] } : {}),
        ...(query.cursor ? { cursor: query.cursor } : {}),
        limit: query.limit,
      });
      c.header('Cache-Control', 'no-store');
      return c.json({ items: page.items, ...(page.cursor ? { cursor: page.cursor } : {}) }, 200);
    },
  );

  // Registered before /questions/{code}: "figures" is a path, not a code (the code schema refuses it anyway).
  api.route(
    {
      ...staff,
      method: 'get',
      path: '/questions/figures',
      summary: 'Questions asked, answered, median and 90th-percentile hours to answer, escalations (default: 30 days)',
      query: z.object({
        from: describe(day, 'First Asia/Shanghai day'),
        to: describe(day, 'Last Asia/Shanghai day'),
        lang: pageFields.lang,
      }),
      responses: { 200: json(Figures, 'The figures'), ...errors },
    },
    async (c, { query }) => {
      const figures = await questions().figures(actingOf(c), {
        ...(query.from ? { from: query.from } : {}),
        ...(query.to ? { to: query.to } : {}),
        now: deps.now(),
      });
      c.header('Cache-Control', 'no-store');
      return c.json(figures, 200);
    },
  );

  api.route(
    {
      ...staff,
      method: 'get',
      path: '/questions/{code}',
      summary: 'A question with its thread (the number masked) and the steps open to you',
      params: codeParam,
      query: z.object({ lang: pageFields.lang }),
      responses: { 200: json(QuestionDetail, 'The question'), ...errors, 404: notFound },
    },
    async (c, { params }) => {
      const view = await questions().get(actingOf(c), canonical(params.code));
      c.header('Cache-Control', 'no-store');
      return c.json({ question: questionOf(view.question), may: view.may }, 200);
    },
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/questions/{code}/claim',
      summary: 'Claim a question for a while, so that other experts leave it to you',
      params: codeParam,
      responses: { 200: json(QuestionOut, 'The question'), ...errors, 404: notFound, 409: conflict },
    },
    async (c, { params }) => c.json(questionOf(await questions().claim(actingOf(c), canonical(params.code))), 200),
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/questions/{code}/answer',
      summary: 'Answer: the text goes to the farmer by SMS (at most 2 segments; longer is refused with the count)',
      params: codeParam,
      body: z.object({
        text: describe(z.string().check(z.minLength(1), z.maxLength(2000)), "The answer, in the asker's language"),
      }),
      responses: { 200: json(QuestionOut, 'The question, answered'), ...errors, 404: notFound, 409: conflict },
    },
    async (c, { params, body }) =>
      c.json(questionOf(await questions().answer(actingOf(c), canonical(params.code), body.text)), 200),
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/questions/{code}/answer-check',
      summary: "Segments an answer would take in the asker's script (nothing sent)",
      params: codeParam,
      body: z.object({ text: z.string().check(z.maxLength(2000)) }),
      responses: {
        200: json(z.object({ segments: z.number(), limit: z.number(), fits: z.boolean() }), 'The count'),
        ...errors,
        404: notFound,
      },
    },
    async (c, { params, body }) => {
      actingOf(c);
      return c.json(await questions().checkAnswer(canonical(params.code), body.text), 200);
    },
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/questions/{code}/hand-on',
      summary: 'Release it and move it one level up at once (the prefecture’s experts, then everyone)',
      params: codeParam,
      responses: { 200: json(QuestionOut, 'The question'), ...errors, 404: notFound, 409: conflict },
    },
    async (c, { params }) => c.json(questionOf(await questions().handOn(actingOf(c), canonical(params.code))), 200),
  );

  api.route(
    {
      ...staff,
      method: 'post',
      path: '/questions/{code}/guide',
      summary: 'Make a draft guide of an answered question (anonymised), for the usual review',
      params: codeParam,
      body: z.object({ commodity: describe(idText, 'A commodity id'), stage: z.enum(stages) }),
      responses: {
        201: json(z.object({ id: z.string(), version: z.number() }), 'The draft guide'),
        ...errors,
        404: notFound,
        409: conflict,
      },
    },
    async (c, { params, body }) => {
      const item = await serviceOf(deps.knowledge).guideFromQuestion(actingOf(c), canonical(params.code), {
        commodityId: body.commodity,
        stage: body.stage,
      });
      c.header('Location', `/api/v1/knowledge/${item.id}`);
      return c.json({ id: item.id, version: item.version }, 201);
    },
  );

  return api;
}

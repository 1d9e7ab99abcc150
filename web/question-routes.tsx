/**
 * The experts' pages under /staff/questions: the queue (filters by commodity, language, age,
 * level, region; claim), a question (thread, answer with its segment check, hand on, make a
 * guide) and the figures dashboard. Every action is a CSRF-checked POST answered by a redirect;
 * the question service authorizes (advice.answer in the question's region at its level),
 * validates and logs — these routes only read forms and show answers.
 */
import { type Context, Hono } from 'hono';
import { AppError } from '#core/errors.ts';
import { type Stage, stages } from '#core/knowledge/item.ts';
import { type QuestionLevel, questionLevels } from '#core/knowledge/question.ts';
import type { QuestionService } from '#core/knowledge/service.ts';
import { languages } from '#core/reference/schemas.ts';
import { languagesWith } from '#core/staff/authz.ts';
import { type Actor, ALL_REGIONS } from '#core/staff/roles.ts';
import { commodityChoices } from './components/offer-bits.tsx';
import { type Acting, staffPage } from './components/price-bits.tsx';
import { type Form, field, withQuery } from './forms.ts';
import type { PageDeps, PageEnv, PageKit } from './kit.ts';
import { regionOptions } from './knowledge-routes.tsx';
import { refusalText } from './knowledge-staff-routes.tsx';
import { knowledgeNamer } from './pages/knowledge/bits.tsx';
import { FiguresPage, QuestionPage, type QueueFilterValues, QueuePage } from './pages/knowledge/questions.tsx';
import { sendPage } from './render.tsx';
import { pageContext, renderNotFound } from './routes.tsx';

/** Codes as farmers type them and the service keeps them: Q and 3 to 6 digits. */
const CODE = /^Q\d{3,6}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DONE = new Set(['claimed', 'answered', 'handedOn', 'guide', 'audio']);

/**
 * An expert who reads one language starts with the queue in it (the routing by language); the
 * filter's "any" (an empty value) shows every language.
 */
const firstLanguage = (actor: Actor): string => {
  const mine = languagesWith(actor, 'advice.answer');
  return mine.size === 1 ? [...mine][0]! : '';
};

export function questionWebRoutes(deps: PageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();
  const questionsOf = (c: Context<PageEnv>): QuestionService | undefined => (c ? deps.questions : undefined);
  const counter = () => ({ signature: deps.smsSignature?.signature, gsmSignature: deps.smsSignature?.gsmSignature });

  /** The voice line's part of the page: play a spoken question, record an answer (when the line is set up). */
  const voiceOf = () => {
    const audio = deps.voiceAudio;
    if (!audio) return {};
    return {
      audioUrl: (key: string) => audio.url(key),
      ...(deps.voiceAnswers ? { answerAudio: { maxSeconds: deps.voiceSettings?.recordSeconds ?? 60 } } : {}),
    };
  };

  async function renderQuestion(
    c: Context<PageEnv>,
    acting: Acting,
    questions: QuestionService,
    code: string,
    extra: {
      answer?: string;
      check?: { segments: number; limit: number; fits: boolean };
      done?: string;
      error?: string;
    } = {},
    status: 200 | 400 | 409 = 200,
  ) {
    const ctx = pageContext(c);
    const catalog = await deps.catalog();
    const page = {
      csrf: c.get('csrfToken')(),
      view: await questions.get(acting, code),
      names: knowledgeNamer(catalog, ctx.t, ctx.lang),
      commodities: commodityChoices(catalog, ctx.lang),
      answer: extra.answer ?? '',
      check: extra.check,
      counter: counter(),
      done: extra.done,
      error: extra.error,
      ...voiceOf(),
    };
    return sendPage(c, <QuestionPage ctx={ctx} page={page} />, status);
  }

  web.get(
    '/staff/questions',
    staffPage(kit, async (c, acting) => {
      const questions = questionsOf(c);
      if (!questions) return renderNotFound(c);
      const ctx = pageContext(c);
      const catalog = await deps.catalog();
      const q = c.req.query();
      const filter: QueueFilterValues = {
        status: q.status === 'answered' ? 'answered' : 'open',
        commodity: q.commodity && catalog.commodities.has(q.commodity) ? q.commodity : '',
        language: (languages as readonly string[]).includes(q.language ?? '')
          ? q.language!
          : q.language === undefined
            ? firstLanguage(acting.actor)
            : '',
        olderThanHours: /^\d{1,4}$/.test(q.olderThanHours ?? '') ? q.olderThanHours! : '',
        level: /^[123]$/.test(q.level ?? '') ? q.level! : '',
        region: q.region && (q.region === ALL_REGIONS || catalog.regions.has(q.region)) ? q.region : '',
      };
      const cursor = q.cursor && q.cursor.length <= 1024 ? q.cursor : undefined;
      const read = (at?: string) =>
        questions.queue(acting, {
          status: filter.status,
          ...(filter.commodity ? { commodityId: filter.commodity } : {}),
          ...(filter.language ? { language: filter.language as (typeof languages)[number] } : {}),
          ...(filter.olderThanHours ? { olderThanHours: Number(filter.olderThanHours) } : {}),
          ...(filter.level && (questionLevels as readonly number[]).includes(Number(filter.level))
            ? { level: Number(filter.level) as QuestionLevel }
            : {}),
          ...(filter.region ? { region: filter.region } : {}),
          ...(at ? { cursor: at } : {}),
          limit: 30,
        });
      const page = await read(cursor).catch((err) => {
        if (cursor && err instanceof AppError && err.code === 'invalid_cursor') return read();
        throw err;
      });
      const view = {
        csrf: c.get('csrfToken')(),
        filter,
        commodities: commodityChoices(catalog, ctx.lang),
        regions: regionOptions(catalog, ctx.lang),
        items: page.items,
        next: page.cursor
          ? withQuery('/staff/questions', {
              ...Object.fromEntries(Object.entries(filter).filter(([, v]) => v)),
              cursor: page.cursor,
            })
          : undefined,
        names: knowledgeNamer(catalog, ctx.t, ctx.lang),
        now: deps.now(),
        error: q.error === 'claimed' ? ctx.t('errors:knowledge.claimed') : undefined,
      };
      return sendPage(c, <QueuePage ctx={ctx} view={view} />);
    }),
  );

  web.get(
    '/staff/questions/figures',
    staffPage(kit, async (c, acting) => {
      const questions = questionsOf(c);
      if (!questions) return renderNotFound(c);
      const day = (name: string) => {
        const v = c.req.query(name) ?? '';
        return DAY.test(v) ? v : undefined;
      };
      const from = day('from');
      const to = day('to');
      const figures = await questions.figures(acting, {
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        now: deps.now(),
      });
      return sendPage(c, <FiguresPage ctx={pageContext(c)} figures={figures} />);
    }),
  );

  const questionRoute = (
    handler: (c: Context<PageEnv>, acting: Acting, q: QuestionService, code: string) => Promise<Response>,
  ) =>
    staffPage(kit, async (c, acting) => {
      const questions = questionsOf(c);
      const code = (c.req.param('code') ?? '').toUpperCase();
      if (!questions || !CODE.test(code)) return renderNotFound(c);
      try {
        return await handler(c, acting, questions, code);
      } catch (err) {
        if (err instanceof AppError && err.code === 'not_found') return renderNotFound(c);
        throw err;
      }
    });

  web.get(
    '/staff/questions/:code',
    questionRoute(async (c, acting, questions, code) => {
      const done = c.req.query('done');
      return renderQuestion(c, acting, questions, code, { done: done && DONE.has(done) ? done : undefined });
    }),
  );

  /** A step: done → back to the page with its outcome; refused → the page as it is, with why (nothing sent). */
  const step = (
    name: string,
    act: (
      acting: Acting,
      q: QuestionService,
      code: string,
      form: Form,
      c: Context<PageEnv>,
    ) => Promise<string | Response>,
  ) =>
    web.post(
      `/staff/questions/:code/${name}`,
      questionRoute(async (c, acting, questions, code) => {
        const form = (await c.req.parseBody({ all: true })) as Form;
        try {
          const done = await act(acting, questions, code, form, c);
          if (done instanceof Response) return done;
          return c.redirect(done.startsWith('/') ? done : `/staff/questions/${code}?done=${done}`, 303);
        } catch (err) {
          if (!(err instanceof AppError) || (err.code !== 'conflict' && err.code !== 'validation_failed')) throw err;
          const text = field(form, 'text').slice(0, 1000);
          const check = text ? await questions.checkAnswer(code, text).catch(() => undefined) : undefined;
          const error = refusalText(pageContext(c).t, err);
          return renderQuestion(
            c,
            acting,
            questions,
            code,
            { answer: text, check, error },
            err.code === 'conflict' ? 409 : 400,
          );
        }
      }),
    );

  step('claim', async (acting, q, code) => {
    await q.claim(acting, code);
    return 'claimed';
  });
  step('hand-on', async (acting, q, code) => {
    await q.handOn(acting, code);
    return 'handedOn';
  });
  step('answer', async (acting, q, code, form) => {
    await q.answer(acting, code, field(form, 'text').slice(0, 1000));
    return 'answered';
  });
  // Check: the server's segment count of the typed answer under the form; nothing sent.
  step('check', async (acting, q, code, form, c) => {
    const text = field(form, 'text').slice(0, 1000);
    const check = await q.checkAnswer(code, text);
    return renderQuestion(c, acting, q, code, { answer: text, check }, check.fits ? 200 : 400);
  });
  step('answer-audio', async (acting, _q, code, form) => {
    const answers = deps.voiceAnswers;
    if (!answers) throw new AppError('not_found', { kind: 'question', id: code });
    const file = form.file;
    if (!(file instanceof File) || file.size === 0)
      throw new AppError('validation_failed', {}, [
        { path: 'file', message: 'no file', key: 'errors:voice.studio.noFile' },
      ]);
    await answers.upload(acting, code, new Uint8Array(await file.arrayBuffer()));
    return 'audio';
  });
  step('guide', async (acting, _q, code, form) => {
    const knowledge = deps.knowledge;
    if (!knowledge) throw new AppError('not_found', { kind: 'guide', id: code });
    const stage = field(form, 'stage');
    const item = await knowledge.guideFromQuestion(acting, code, {
      commodityId: field(form, 'commodity').slice(0, 100),
      stage: (stages as readonly string[]).includes(stage) ? (stage as Stage) : 'during',
    });
    return `/staff/knowledge/${item.id}?done=created`;
  });

  return web;
}

/**
 * The experts' pages: the question queue (filters, claim), a question (its thread with the
 * asker's number masked, the answer form with its segment counter, hand on, make a guide) and the
 * dashboard of figures. Everything works with JavaScript off; segment-counter.js only adds a live count.
 */
import type { Language } from '#core/i18n.ts';
import { stages } from '#core/knowledge/item.ts';
import { type QuestionSummary, questionLevels } from '#core/knowledge/question.ts';
import type { QuestionFigures, QuestionView } from '#core/knowledge/service.ts';
import { AudioFileInput } from '../../components/audio-input.tsx';
import { Layout, type PageContext } from '../../components/layout.tsx';
import { NextPageLink } from '../../components/paging.tsx';
import { LabelledSelect, type Option } from '../../components/select.tsx';
import { CsrfInput } from '../sign-in.tsx';
import type { KnowledgeNamer } from './bits.tsx';
import { shanghai } from './bits.tsx';

export interface QueueFilterValues {
  status: 'open' | 'answered';
  commodity: string;
  language: string;
  olderThanHours: string;
  level: string;
  region: string;
}

export interface QueueView {
  csrf: string;
  filter: QueueFilterValues;
  commodities: Option[];
  regions: Option[];
  items: QuestionSummary[];
  next?: string | undefined;
  names: KnowledgeNamer;
  now: Date;
  error?: string | undefined;
}

const hoursSince = (iso: string | undefined, now: Date) =>
  iso ? Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 3600_000)) : 0;

function Pick(props: { name: string; label: string; value: string; options: Option[]; any?: string }) {
  return <LabelledSelect id={`q-${props.name}`} blank={props.any} {...props} />;
}

const langs = ['bo', 'zh', 'en'] as const satisfies readonly Language[];

/** /staff/questions: the questions waiting in the viewer's regions, oldest first. */
export function QueuePage(props: { ctx: PageContext; view: QueueView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  const f = view.filter;
  return (
    <Layout ctx={ctx} title={t('web:questions.title')}>
      <h1>{t('web:questions.title')}</h1>
      <p>
        <a href="/staff/questions/figures">{t('web:questions.links.figures')}</a>
      </p>
      {view.error ? (
        <p class="notice notice-error" role="alert">
          {view.error}
        </p>
      ) : null}
      <form method="get" action="/staff/questions" class="pick">
        <input type="hidden" name="lang" value={lang} />
        <Pick
          name="status"
          label={t('web:questions.statusLabel')}
          value={f.status}
          options={(['open', 'answered'] as const).map((s) => ({ id: s, label: t(`web:questions.status.${s}`) }))}
        />{' '}
        <Pick
          name="commodity"
          label={t('web:knowledge.commodity')}
          value={f.commodity}
          any={t('web:knowledge.any')}
          options={view.commodities}
        />{' '}
        <Pick
          name="language"
          label={t('web:questions.language')}
          value={f.language}
          any={t('web:knowledge.any')}
          options={langs.map((l) => ({ id: l, label: t(`web:knowledge.lang.${l}`) }))}
        />{' '}
        <Pick
          name="olderThanHours"
          label={t('web:questions.age')}
          value={f.olderThanHours}
          any={t('web:knowledge.any')}
          options={[6, 24, 48, 72].map((h) => ({ id: String(h), label: t('web:questions.olderThan', { hours: h }) }))}
        />{' '}
        <Pick
          name="level"
          label={t('web:questions.levelLabel')}
          value={f.level}
          any={t('web:knowledge.any')}
          options={questionLevels.map((l) => ({ id: String(l), label: t(`web:questions.level.${l}`) }))}
        />{' '}
        <Pick
          name="region"
          label={t('web:knowledge.region')}
          value={f.region}
          any={t('web:knowledge.staff.yourRegions')}
          options={view.regions}
        />{' '}
        <button type="submit">{t('web:knowledge.show')}</button>
      </form>
      {view.items.length ? (
        <ul class="k-list">
          {view.items.map((q) => (
            <li>
              <a href={`/staff/questions/${q.code}`}>
                <strong>{q.code}</strong>
              </a>{' '}
              · {t(`web:questions.level.${q.level}`)} · {t(`web:knowledge.lang.${q.language}`)}
              {q.commodityId ? ` · ${view.names.commodity(q.commodityId)}` : ''} ·{' '}
              {t('web:questions.waiting', { hours: hoursSince(q.waitingSince ?? q.askedAt, view.now) })}
              {q.escalations ? ` · ${t('web:questions.escalations', { count: q.escalations })}` : ''}
              <br />
              <span lang={q.language}>{q.preview}</span>
              <br />
              <small class="muted">{q.regionPath.map(view.names.region).join(' · ')}</small>
              {q.claimedUntil && Date.parse(q.claimedUntil) > view.now.getTime() ? (
                <small class="muted"> · {t('web:questions.claimed')}</small>
              ) : q.status === 'open' ? (
                <form method="post" action={`/staff/questions/${q.code}/claim`} class="inline-form">
                  <CsrfInput token={view.csrf} />
                  <button type="submit">{t('web:questions.claim')}</button>
                </form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('web:questions.none')}</p>
      )}
      <NextPageLink t={t} next={view.next} />
    </Layout>
  );
}

export interface QuestionPageView {
  csrf: string;
  view: QuestionView;
  names: KnowledgeNamer;
  commodities: Option[];
  answer: string;
  /** The server's count of the answer typed (after Check or a refused Send). */
  check?: { segments: number; limit: number; fits: boolean } | undefined;
  counter: { signature?: string | undefined; gsmSignature?: string | undefined };
  done?: string | undefined;
  error?: string | undefined;
  /** Where the browser fetches a message's audio (a spoken question, a recorded answer); unset: no voice line here. */
  audioUrl?: ((key: string) => string) | undefined;
  /** The expert may record an answer the caller hears on the line (the voice line is set up). */
  answerAudio?: { maxSeconds: number } | undefined;
}

/** /staff/questions/:code: the thread, and what the expert may do with it. */
export function QuestionPage(props: { ctx: PageContext; page: QuestionPageView }) {
  const { ctx, page } = props;
  const { t } = ctx;
  const { question: q, may } = page.view;
  const base = `/staff/questions/${q.code}`;
  return (
    <Layout
      ctx={ctx}
      title={q.code}
      head={
        <>
          <script src="/static/segment-counter.js" defer />
          {may.answerAudio && page.answerAudio ? <script src="/static/voice-recorder.js" defer /> : null}
        </>
      }
    >
      <p class="muted">
        <a href="/staff/questions">{t('web:questions.title')}</a>
      </p>
      <h1>{q.code}</h1>
      {page.done ? (
        <p class="notice" role="status">
          {page.done === 'audio' ? t('web:voice.question.done') : t(`web:questions.done.${page.done}`)}
        </p>
      ) : null}
      {page.error ? (
        <p class="notice notice-error" role="alert">
          {page.error}
        </p>
      ) : null}
      <dl class="k-facts">
        <dt>{t('web:questions.asker')}</dt>
        <dd>{q.phone}</dd>
        <dt>{t('web:knowledge.region')}</dt>
        <dd>{q.regionPath.length ? q.regionPath.map(page.names.region).join(' · ') : '—'}</dd>
        <dt>{t('web:questions.statusLabel')}</dt>
        <dd>
          {t(`web:questions.status.${q.status}`)} · {t(`web:questions.level.${q.level}`)}
          {q.commodityId ? ` · ${page.names.commodity(q.commodityId)}` : ''}
        </dd>
      </dl>
      <h2>{t('web:questions.thread')}</h2>
      <ol class="k-list">
        {q.messages.map((m) => (
          <li>
            <small class="muted">
              {t(`web:questions.from.${m.from}`)} · {shanghai(m.at)}
            </small>
            <p class="k-summary" lang={m.from === 'farmer' ? q.language : undefined}>
              {m.text}
            </p>
            {m.audioKey && page.audioUrl ? (
              <p>
                <small>{t(m.from === 'farmer' ? 'web:voice.question.spoken' : 'web:voice.question.answerHeard')}</small>
                <br />
                {/* biome-ignore lint/a11y/useMediaCaption: a caller's voice has no transcript; the expert's text answer is beside it */}
                <audio controls preload="none" src={page.audioUrl(m.audioKey)} />
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      {q.escalations.length ? (
        <>
          <h2>{t('web:questions.ladder')}</h2>
          <ul>
            {q.escalations.map((e) => (
              <li>
                {t(`web:questions.level.${e.level}`)} · {t(`web:questions.reason.${e.reason}`)} · {shanghai(e.at)}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {may.claim ? (
        <form method="post" action={`${base}/claim`} class="inline-form">
          <CsrfInput token={page.csrf} />
          <button type="submit">{t('web:questions.claim')}</button>
        </form>
      ) : null}{' '}
      {may.handOn ? (
        <form method="post" action={`${base}/hand-on`} class="inline-form">
          <CsrfInput token={page.csrf} />
          <button type="submit">{t('web:questions.handOn')}</button>
        </form>
      ) : null}
      {may.answer ? (
        <form method="post" action={`${base}/answer`} class="stack">
          <h2>{t('web:questions.answer')}</h2>
          <CsrfInput token={page.csrf} />
          <p>
            <label for="q-answer">
              {t('web:questions.answerLabel', { language: t(`web:knowledge.lang.${q.language}`) })}
            </label>
            <br />
            <textarea
              id="q-answer"
              name="text"
              rows={4}
              maxlength={1000}
              lang={q.language}
              data-counter="q-answer-count"
              data-signature={page.counter.signature}
              data-gsm-signature={page.counter.gsmSignature}
              data-max="2"
              data-label={t('web:knowledge.staff.counter')}
            >
              {page.answer}
            </textarea>
            <br />
            <output id="q-answer-count" class="muted" aria-live="polite" />
            {page.check ? (
              <span class={page.check.fits ? 'muted' : 'field-error'} role={page.check.fits ? undefined : 'alert'}>
                {' '}
                {t('web:knowledge.staff.segmentsOf', { segments: page.check.segments, limit: page.check.limit })}
              </span>
            ) : null}
          </p>
          <p>
            <button type="submit" formaction={`${base}/check`}>
              {t('web:questions.check')}
            </button>{' '}
            <button type="submit">{t('web:questions.send')}</button>
          </p>
        </form>
      ) : null}
      {may.answerAudio && page.answerAudio ? (
        <form method="post" action={`${base}/answer-audio`} enctype="multipart/form-data" class="stack">
          <h2>{t('web:voice.question.answerAudio')}</h2>
          <CsrfInput token={page.csrf} />
          <p>
            <AudioFileInput t={t} id="q-answer-audio" maxSeconds={page.answerAudio.maxSeconds} />
            <br />
            <small class="muted">{t('web:voice.question.answerAudioHint', { max: '1 MB' })}</small>
          </p>
          <p>
            <button type="submit">{t('web:knowledge.staff.upload')}</button>
          </p>
        </form>
      ) : null}
      {may.makeGuide ? (
        <form method="post" action={`${base}/guide`} class="stack">
          <h2>{t('web:questions.makeGuide')}</h2>
          <CsrfInput token={page.csrf} />
          <p>
            <label for="q-commodity">{t('web:knowledge.commodity')}</label>
            <br />
            <select id="q-commodity" name="commodity">
              {page.commodities.map((c) => (
                <option value={c.id} selected={c.id === q.commodityId}>
                  {c.label}
                </option>
              ))}
            </select>
          </p>
          <p>
            <label for="q-stage">{t('web:knowledge.stageLabel')}</label>
            <br />
            <select id="q-stage" name="stage">
              {stages.map((s) => (
                <option value={s}>{t(`web:knowledge.stage.${s}`)}</option>
              ))}
            </select>
          </p>
          <p>
            <button type="submit">{t('web:questions.makeGuide')}</button>
          </p>
        </form>
      ) : null}
      {q.guideId ? (
        <p>
          <a href={`/staff/knowledge/${q.guideId}`}>{t('web:questions.guideLink')}</a>
        </p>
      ) : null}
    </Layout>
  );
}

/** /staff/questions/figures: asked, answered, time to answer, escalations, late — over days chosen. */
export function FiguresPage(props: { ctx: PageContext; figures: QuestionFigures }) {
  const { ctx, figures: f } = props;
  const { t, lang } = ctx;
  const hours = (h: number | undefined) => (h === undefined ? '—' : t('web:questions.hours', { hours: h.toFixed(1) }));
  const rows: Array<[string, string]> = [
    [t('web:questions.figures.asked'), String(f.asked)],
    [t('web:questions.figures.answered'), String(f.answered)],
    [t('web:questions.figures.median'), hours(f.medianHours)],
    [t('web:questions.figures.p90'), hours(f.p90Hours)],
    [t('web:questions.figures.escalated'), String(f.escalated)],
    [t('web:questions.figures.late'), String(f.late)],
    ...questionLevels.map((l): [string, string] => [
      t(`web:questions.level.${l}`),
      String(f.byLevel[String(l) as '1']),
    ]),
  ];
  return (
    <Layout ctx={ctx} title={t('web:questions.figures.title')}>
      <p class="muted">
        <a href="/staff/questions">{t('web:questions.title')}</a>
      </p>
      <h1>{t('web:questions.figures.title')}</h1>
      <form method="get" action="/staff/questions/figures" class="pick">
        <input type="hidden" name="lang" value={lang} />
        <label for="fig-from">
          {t('web:questions.figures.from')} <input id="fig-from" type="date" name="from" value={f.from} />
        </label>{' '}
        <label for="fig-to">
          {t('web:questions.figures.to')} <input id="fig-to" type="date" name="to" value={f.to} />
        </label>{' '}
        <button type="submit">{t('web:knowledge.show')}</button>
      </form>
      <dl class="k-facts">
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd class="num">{v}</dd>
          </>
        ))}
      </dl>
    </Layout>
  );
}

/**
 * The prompt studio's pages: every clip the voice line needs in a language (filters, coverage,
 * paging) and one clip's page (its script, its recordings to listen to, the upload form and the
 * approval). Everything works with JavaScript off: a WAV file is uploaded by the form;
 * voice-recorder.js only adds a Record button that fills the same file input.
 */
import type { VoiceLanguage } from '#core/voice/call.ts';
import type { ClipRecording, ClipStatus } from '#core/voice/ports.ts';
import type { StudioClip, StudioCoverage } from '#core/voice/service.ts';
import { AudioFileInput } from '../../components/audio-input.tsx';
import { Layout, type PageContext } from '../../components/layout.tsx';
import { NextPageLink } from '../../components/paging.tsx';
import { LabelledSelect } from '../../components/select.tsx';
import { CsrfInput } from '../sign-in.tsx';

export const clipFamilies = ['say', 'num', 'commodity', 'market', 'region', 'unit'] as const;
export const clipStatuses = ['missing', 'recorded', 'approved'] as const satisfies readonly ClipStatus[];
export const studioLanguages = ['bo', 'zh'] as const satisfies readonly VoiceLanguage[];

export interface StudioListView {
  /** The clips' language (the tab), not the page's. */
  language: VoiceLanguage;
  family: string;
  status: string;
  coverage: StudioCoverage[];
  items: StudioClip[];
  next?: string | undefined;
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;

export const clipPath = (lang: VoiceLanguage, id: string) => `/staff/voice/clips/${lang}/${encodeURIComponent(id)}`;

function Coverage(props: { ctx: PageContext; coverage: StudioCoverage[] }) {
  const { t } = props.ctx;
  return (
    <dl class="k-facts voice-coverage">
      {props.coverage.map((c) => (
        <>
          <dt>{t(`web:knowledge.lang.${c.lang}`)}</dt>
          <dd>
            {t('web:voice.studio.coverage', {
              approved: c.approved,
              recorded: c.recorded,
              needed: c.needed,
              share: percent(c.share),
            })}
          </dd>
        </>
      ))}
    </dl>
  );
}

/** /staff/voice: the clips of one language, filtered, with the coverage of both. */
export function StudioListPage(props: { ctx: PageContext; view: StudioListView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  const tab = (l: VoiceLanguage) => `/staff/voice?language=${l}&lang=${lang}`;
  return (
    <Layout ctx={ctx} title={t('web:voice.studio.title')}>
      <h1>{t('web:voice.studio.title')}</h1>
      <p class="muted">{t('web:voice.studio.lead')}</p>
      <Coverage ctx={ctx} coverage={view.coverage} />
      <nav class="main-nav" aria-label={t('web:voice.studio.tabs')}>
        {studioLanguages.map((l) => (
          <a href={tab(l)} aria-current={l === view.language ? 'page' : undefined}>
            {t(`web:knowledge.lang.${l}`)}
          </a>
        ))}
      </nav>
      <form method="get" action="/staff/voice" class="pick">
        <input type="hidden" name="language" value={view.language} />
        <input type="hidden" name="lang" value={lang} />
        <LabelledSelect
          id="v-family"
          name="family"
          label={t('web:voice.studio.familyLabel')}
          value={view.family}
          blank={t('web:knowledge.any')}
          options={clipFamilies.map((f) => ({ id: f, label: t(`web:voice.studio.family.${f}`) }))}
        />{' '}
        <LabelledSelect
          id="v-status"
          name="status"
          label={t('web:knowledge.staff.statusLabel')}
          value={view.status}
          blank={t('web:knowledge.any')}
          options={clipStatuses.map((s) => ({ id: s, label: t(`web:voice.studio.status.${s}`) }))}
        />{' '}
        <button type="submit">{t('web:knowledge.show')}</button>
      </form>
      {view.items.length ? (
        <ul class="k-list voice-clips">
          {view.items.map((c) => (
            <li>
              <a href={clipPath(c.lang, c.id)}>
                <code>{c.id}</code>
              </a>{' '}
              · <span class={`voice-status voice-${c.status}`}>{t(`web:voice.studio.status.${c.status}`)}</span>
              {c.latest ? ` · ${t('web:voice.studio.seconds', { seconds: seconds(c.latest.durationMs) })}` : ''}
              {c.mayApprove ? ` · ${t('web:voice.studio.waitsForYou')}` : ''}
              <br />
              <span lang={c.lang}>{c.text}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('web:voice.studio.none')}</p>
      )}
      <NextPageLink t={t} next={view.next} />
    </Layout>
  );
}

export interface ClipPageView {
  csrf: string;
  clip: StudioClip;
  /** Where the browser fetches a recording (the files route). */
  audioUrl: (key: string) => string;
  mayRecord: boolean;
  maxSeconds: number;
  done?: string | undefined;
  error?: string | undefined;
}

function Take(props: { ctx: PageContext; title: string; rec: ClipRecording; audioUrl: (key: string) => string }) {
  const { t } = props.ctx;
  const r = props.rec;
  return (
    <section class="voice-take">
      <h2>{props.title}</h2>
      <p class="muted">
        {t('web:voice.studio.take', {
          version: r.version,
          seconds: seconds(r.durationMs),
          at: r.recordedAt.slice(0, 10),
        })}
      </p>
      {/* biome-ignore lint/a11y/useMediaCaption: the clip's script, printed above, is its transcript */}
      <audio controls preload="none" src={props.audioUrl(r.key)} />
    </section>
  );
}

/** /staff/voice/clips/:lang/:id: what to say, what was recorded, record again, approve. */
export function ClipPage(props: { ctx: PageContext; view: ClipPageView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  const c = view.clip;
  const base = clipPath(c.lang, c.id);
  return (
    <Layout ctx={ctx} title={c.id} head={view.mayRecord ? <script src="/static/voice-recorder.js" defer /> : undefined}>
      <p class="muted">
        <a href={`/staff/voice?language=${c.lang}&lang=${lang}`}>{t('web:voice.studio.title')}</a>
      </p>
      <h1>
        <code>{c.id}</code>
      </h1>
      {view.done ? (
        <p class="notice" role="status">
          {t(`web:voice.studio.done.${view.done}`)}
        </p>
      ) : null}
      {view.error ? (
        <p class="notice notice-error" role="alert">
          {view.error}
        </p>
      ) : null}
      <dl class="k-facts">
        <dt>{t('web:voice.studio.script')}</dt>
        <dd>
          <strong lang={c.lang} class="voice-script">
            {c.text || '—'}
          </strong>
        </dd>
        <dt>{t('web:questions.language')}</dt>
        <dd>{t(`web:knowledge.lang.${c.lang}`)}</dd>
        <dt>{t('web:knowledge.staff.statusLabel')}</dt>
        <dd>{t(`web:voice.studio.status.${c.status}`)}</dd>
      </dl>
      {c.latest ? (
        <Take ctx={ctx} title={t('web:voice.studio.latest')} rec={c.latest} audioUrl={view.audioUrl} />
      ) : null}
      {c.approved ? (
        <Take ctx={ctx} title={t('web:voice.studio.approved')} rec={c.approved} audioUrl={view.audioUrl} />
      ) : null}
      {c.mayApprove && c.latest ? (
        <form method="post" action={`${base}/approve`} class="inline-form">
          <CsrfInput token={view.csrf} />
          <input type="hidden" name="version" value={String(c.latest.version)} />
          <button type="submit">{t('web:voice.studio.approve', { version: c.latest.version })}</button>
        </form>
      ) : null}
      {view.mayRecord ? (
        <form method="post" action={`${base}/upload`} enctype="multipart/form-data" class="stack voice-upload">
          <h2>{t('web:voice.studio.upload')}</h2>
          <CsrfInput token={view.csrf} />
          <p>
            <AudioFileInput t={t} id="clip-file" maxSeconds={view.maxSeconds} />
            <br />
            <small class="muted">{t('web:voice.studio.format', { seconds: view.maxSeconds, max: '1 MB' })}</small>
          </p>
          <p>
            <button type="submit">{t('web:knowledge.staff.upload')}</button>
          </p>
        </form>
      ) : null}
    </Layout>
  );
}

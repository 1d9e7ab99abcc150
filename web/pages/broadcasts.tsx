/**
 * The broadcast pages: the history, the compose form (with its preview under it, made by a
 * plain POST), and a broadcast's own page with its counts and the steps the viewer may take.
 * Everything works with JavaScript off; web/static/segment-counter.js only adds a live count
 * beside each text.
 */
import type { BroadcastSummary, CharWarning, Preview, PreviewRow, ScriptGroup } from '#core/broadcasts/broadcast.ts';
import type { BroadcastView } from '#core/broadcasts/service.ts';
import { shanghaiMinute } from '#core/dates.ts';
import type { Language } from '#core/i18n.ts';
import { formatFen } from '#core/prices/money.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { FieldError, maskedPhone } from '../components/price-bits.tsx';
import { type Option, Select } from '../components/select.tsx';
import { CsrfInput } from './sign-in.tsx';

export const textLanguages = ['bo', 'zh', 'en'] as const satisfies readonly Language[];
export const plainTopics = ['weather', 'pest', 'disease', 'market'] as const;

/** Names in the page language for what a broadcast carries: regions, topics, script groups. */
export interface BroadcastNamer {
  region: (id: string) => string;
  /** `weather` → "Weather"; `price:<commodity>` → "Prices of <commodity>". */
  topic: (topic: string) => string;
}

/** The form's fields as typed (kept as typed when the form comes back with its errors). */
export interface ComposeValues {
  regions: string[];
  /** Of `plainTopics`. */
  topics: string[];
  /** A commodity id: the audience follows its prices (`price:<id>`); '' none. */
  price: string;
  languages: string[];
  texts: Record<(typeof textLanguages)[number], string>;
  /** A `notice.*` key of the sms namespace, or '' for free texts. */
  template: string;
  /** One `name=value` a line. */
  params: string;
  /** datetime-local, Asia/Shanghai; '' now. */
  sendAt: string;
  /** Carried by the form so that sending it twice makes one broadcast. */
  requestId: string;
}

export const composeFields = [
  'regions',
  'topics',
  'languages',
  'text_bo',
  'text_zh',
  'text_en',
  'template',
  'sendAt',
] as const;
export type ComposeField = (typeof composeFields)[number];
/** Translated messages by field; `form` holds what belongs to no one field (the budget, a refusal). */
export type ComposeErrors = Partial<Record<ComposeField | 'form', string>>;

/** What the live counter needs per language: the fixed parts every SMS of that language carries. */
export interface CounterData {
  footer: string;
  signature?: string | undefined;
  gsmSignature?: string | undefined;
  maxSegments: number;
}

export interface ComposeView {
  csrf: string;
  values: ComposeValues;
  errors: ComposeErrors;
  /** Prefectures, each with its counties, as far as the viewer may broadcast there. */
  regionGroups: Array<{ prefecture: Option; counties: Option[] }>;
  commodities: Option[];
  templates: Option[];
  names: BroadcastNamer;
  /** Editing a draft: its id and version. */
  editing?: { id: string; version: number } | undefined;
  preview?: Preview | undefined;
  counter: Record<(typeof textLanguages)[number], CounterData>;
}

const yuan = (fen: number) => formatFen(fen);

/** The staff pages of broadcasts, linked from each other and from the staff home. */
function BroadcastLinks(props: { ctx: PageContext }) {
  const { t } = props.ctx;
  return (
    <p class="exchange-links">
      <a href="/staff/broadcasts">{t('web:broadcasts.links.history')}</a> ·{' '}
      <a href="/staff/broadcasts/new">{t('web:broadcasts.links.new')}</a> · <a href="/staff">{t('staff:home.title')}</a>
    </p>
  );
}

const groupName = (ctx: PageContext, group: ScriptGroup) => ctx.t(`web:broadcasts.groups.${group}`);

function Warnings(props: { ctx: PageContext; warnings: CharWarning[] }) {
  const { t } = props.ctx;
  if (!props.warnings.length) return null;
  return (
    <ul class="notice notice-error broadcast-warnings">
      {props.warnings.map((w) => (
        <li>
          {t(`web:broadcasts.warnings.${w.kind}`)}{' '}
          {w.chars.length ? (
            <code>{w.chars.map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase()}`).join(' ')}</code>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** One group of recipients: how many, what it costs, and the SMS exactly as their phones show it. */
function PreviewGroup(props: { ctx: PageContext; row: PreviewRow }) {
  const { ctx, row } = props;
  const { t } = ctx;
  return (
    <li class="preview-group">
      <h3>{groupName(ctx, row.group)}</h3>
      <p>
        {t('web:broadcasts.preview.groupLine', {
          recipients: row.recipients,
          segments: row.segments,
          total: row.totalSegments,
          cost: yuan(row.costFen),
        })}
        {row.version ? (
          <> · {t('web:broadcasts.preview.version', { language: t(`web:broadcasts.languages.${row.version}`) })}</>
        ) : null}{' '}
        <small class="muted">{row.encoding}</small>
      </p>
      {row.version ? (
        <pre class="sms-render" lang={row.group === 'bo-wylie' ? 'bo-Latn' : row.version}>
          {row.rendering}
        </pre>
      ) : (
        <p class="notice notice-error">{t('web:broadcasts.preview.noVersion')}</p>
      )}
      <Warnings ctx={ctx} warnings={row.warnings} />
    </li>
  );
}

/** The preview: recipients per language × script, segments, cost, the day's budget, approval, timing. */
export function PreviewBlock(props: { ctx: PageContext; preview: Preview; heading?: string }) {
  const { ctx, preview: p } = props;
  const { t } = ctx;
  return (
    <section class="broadcast-preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{props.heading ?? t('web:broadcasts.preview.title')}</h2>
      <p>
        <strong>
          {t(p.upperBound ? 'web:broadcasts.preview.recipientsAtMost' : 'web:broadcasts.preview.recipients', {
            n: p.recipients,
          })}
        </strong>{' '}
        ·{' '}
        {t('web:broadcasts.preview.total', {
          total: p.totalSegments,
          cost: yuan(p.costFen),
          price: yuan(p.segmentPriceFen),
        })}
      </p>
      <p class={p.budget.fits ? 'notice' : 'notice notice-error'} role={p.budget.fits ? undefined : 'alert'}>
        {t(p.budget.fits ? 'web:broadcasts.preview.budgetFits' : 'web:broadcasts.preview.budgetShort', {
          day: p.budget.day,
          needed: p.budget.needed,
          remaining: p.budget.remaining,
          limit: p.budget.limit,
        })}
      </p>
      {p.freeTextRefused ? (
        <p class="notice notice-error" role="alert">
          {t('web:broadcasts.preview.freeTextRefused')}
        </p>
      ) : null}
      {p.needsApproval ? <p class="notice">{t('web:broadcasts.preview.needsApproval')}</p> : null}
      <p>
        {t('web:broadcasts.preview.timing', {
          minutes: Math.max(1, Math.ceil(p.timing.seconds / 60)),
          rate: p.timing.rate,
          start: shanghaiMinute(p.timing.startsAt),
        })}
        {p.timing.quietHoldsIt ? <strong> {t('web:broadcasts.preview.quiet')}</strong> : null}
      </p>
      {p.rows.length ? (
        <ul class="preview-groups">
          {p.rows.map((row) => (
            <PreviewGroup ctx={ctx} row={row} />
          ))}
        </ul>
      ) : (
        <p class="muted">{t('web:broadcasts.preview.nobody')}</p>
      )}
    </section>
  );
}

function CheckList(props: { name: string; options: Option[]; values: string[]; error?: string | undefined }) {
  return (
    <>
      {props.options.map((o) => (
        <label class="check">
          <input
            type="checkbox"
            name={props.name}
            value={o.id}
            checked={props.values.includes(o.id)}
            aria-describedby={props.error ? `${props.name}-error` : undefined}
          />{' '}
          {o.label}
        </label>
      ))}
    </>
  );
}

/** The compose form; after a preview the preview sits under it, the values kept. */
export function ComposePage(props: { ctx: PageContext; view: ComposeView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { values: v, errors: e } = view;
  const title = view.editing
    ? t('web:broadcasts.edit.title', { id: view.editing.id })
    : t('web:broadcasts.compose.title');
  const save = view.editing ? `/staff/broadcasts/${view.editing.id}/edit` : '/staff/broadcasts';
  return (
    <Layout ctx={ctx} title={title} head={<script src="/static/segment-counter.js" defer />}>
      <h1>{title}</h1>
      {Object.keys(e).length ? (
        <p class="notice notice-error" role="alert">
          {t('web:broadcasts.compose.fixBelow')}
        </p>
      ) : null}
      {e.form ? (
        <p class="notice notice-error" role="alert" id="form-error">
          {e.form}
        </p>
      ) : null}
      <p class="lead">{t('web:broadcasts.compose.intro')}</p>
      <form method="post" action={save} class="stack broadcast-form">
        <CsrfInput token={view.csrf} />
        <input type="hidden" name="requestId" value={v.requestId} />
        {view.editing ? (
          <>
            <input type="hidden" name="id" value={view.editing.id} />
            <input type="hidden" name="version" value={String(view.editing.version)} />
          </>
        ) : null}
        <fieldset aria-invalid={e.regions ? 'true' : undefined}>
          <legend>{t('web:broadcasts.compose.regions')}</legend>
          <FieldError id="regions-error" text={e.regions} />
          {view.regionGroups.map((g) => (
            <details
              class="region-group"
              open={v.regions.some((r) => r === g.prefecture.id || g.counties.some((c) => c.id === r))}
            >
              <summary>{g.prefecture.label}</summary>
              <CheckList
                name="regions"
                options={[
                  // '' is a prefecture the member may not choose whole (granted some of its counties only).
                  ...(g.prefecture.id
                    ? [
                        {
                          id: g.prefecture.id,
                          label: t('web:broadcasts.compose.wholePrefecture', { name: g.prefecture.label }),
                        },
                      ]
                    : []),
                  ...g.counties,
                ]}
                values={v.regions}
                error={e.regions}
              />
            </details>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t('web:broadcasts.compose.topics')}</legend>
          <p class="muted">{t('web:broadcasts.compose.topicsHint')}</p>
          <FieldError id="topics-error" text={e.topics} />
          <CheckList
            name="topics"
            options={plainTopics.map((id) => ({ id, label: view.names.topic(id) }))}
            values={v.topics}
            error={e.topics}
          />
          <label for="price">{t('web:broadcasts.compose.price')}</label>
          <Select id="price" name="price" value={v.price} options={view.commodities} blank="—" />
        </fieldset>
        <fieldset>
          <legend>{t('web:broadcasts.compose.languages')}</legend>
          <p class="muted">{t('web:broadcasts.compose.languagesHint')}</p>
          <FieldError id="languages-error" text={e.languages} />
          <CheckList
            name="languages"
            options={textLanguages.map((id) => ({ id, label: t(`web:broadcasts.languages.${id}`) }))}
            values={v.languages}
            error={e.languages}
          />
        </fieldset>
        <p class="muted">{t('web:broadcasts.compose.textsHint')}</p>
        {textLanguages.map((lang) => {
          const name = `text_${lang}` as const;
          const counter = view.counter[lang];
          return (
            <p>
              <label for={name}>{t(`web:broadcasts.compose.text.${lang}`)}</label>
              <textarea
                id={name}
                name={name}
                rows={4}
                lang={lang}
                maxlength={5000}
                aria-invalid={e[name] ? 'true' : undefined}
                aria-describedby={`${e[name] ? `${name}-error ` : ''}${name}-count`}
                data-counter={`${name}-count`}
                data-footer={counter.footer}
                data-signature={counter.signature}
                data-gsm-signature={counter.gsmSignature}
                data-max={String(counter.maxSegments)}
                data-label={t('web:broadcasts.compose.counter')}
              >
                {v.texts[lang]}
              </textarea>
              <small class="muted counter" id={`${name}-count`} aria-live="polite"></small>
              <FieldError id={`${name}-error`} text={e[name]} />
            </p>
          );
        })}
        {view.templates.length ? (
          <fieldset>
            <legend>{t('web:broadcasts.compose.templateTitle')}</legend>
            <p class="muted">{t('web:broadcasts.compose.templateHint')}</p>
            <label for="template">{t('web:broadcasts.compose.template')}</label>
            <Select
              id="template"
              name="template"
              value={v.template}
              options={view.templates}
              blank="—"
              error={e.template}
            />
            <label for="params">{t('web:broadcasts.compose.params')}</label>
            <textarea id="params" name="params" rows={3} maxlength={2000} placeholder="place=…">
              {v.params}
            </textarea>
            <FieldError id="template-error" text={e.template} />
          </fieldset>
        ) : null}
        <p>
          <label for="sendAt">{t('web:broadcasts.compose.sendAt')}</label>
          <input
            id="sendAt"
            name="sendAt"
            type="datetime-local"
            value={v.sendAt}
            aria-invalid={e.sendAt ? 'true' : undefined}
            aria-describedby={e.sendAt ? 'sendAt-error' : 'sendAt-hint'}
          />
          <small class="muted" id="sendAt-hint">
            {t('web:broadcasts.compose.sendAtHint')}
          </small>
          <FieldError id="sendAt-error" text={e.sendAt} />
        </p>
        <p>
          <button type="submit" formaction="/staff/broadcasts/preview" class="secondary">
            {t('web:broadcasts.compose.preview')}
          </button>{' '}
          <button type="submit">{t(view.editing ? 'web:broadcasts.edit.save' : 'web:broadcasts.compose.save')}</button>
        </p>
      </form>
      {view.preview ? <PreviewBlock ctx={ctx} preview={view.preview} /> : null}
      <BroadcastLinks ctx={ctx} />
    </Layout>
  );
}

export interface HistoryView {
  regions: Option[];
  region: string;
  from: string;
  to: string;
  items: BroadcastSummary[];
  cursor?: string | undefined;
  names: BroadcastNamer;
}

/** Broadcasts of a region, newest first, with their figures. */
export function HistoryPage(props: { ctx: PageContext; view: HistoryView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const title = t('web:broadcasts.history.title');
  const next = view.cursor
    ? `/staff/broadcasts?${new URLSearchParams({ region: view.region, from: view.from, to: view.to, cursor: view.cursor })}`
    : undefined;
  return (
    <Layout ctx={ctx} title={title}>
      <h1>{title}</h1>
      <p>
        <a href="/staff/broadcasts/new">{t('web:broadcasts.links.new')}</a>
      </p>
      <form method="get" action="/staff/broadcasts" class="stack broadcast-filter">
        <p>
          <label for="region">{t('web:broadcasts.history.region')}</label>
          <Select id="region" name="region" value={view.region} options={view.regions} />
        </p>
        <p>
          <label for="from">{t('web:broadcasts.history.from')}</label>
          <input id="from" name="from" type="date" value={view.from} />
        </p>
        <p>
          <label for="to">{t('web:broadcasts.history.to')}</label>
          <input id="to" name="to" type="date" value={view.to} />
        </p>
        <p>
          <button type="submit" class="secondary">
            {t('web:broadcasts.history.show')}
          </button>
        </p>
      </form>
      {view.items.length ? (
        <ul class="broadcast-list">
          {view.items.map((b) => (
            <li>
              <p>
                <a href={`/staff/broadcasts/${encodeURIComponent(b.id)}`}>
                  <strong>{b.firstText ? b.firstText.slice(0, 80) : b.id}</strong>
                </a>{' '}
                · {t(`web:broadcasts.status.${b.status}`)}
              </p>
              <p class="muted">
                {shanghaiMinute(b.createdAt)} · {b.audience.regions.map(view.names.region).join(', ')} ·{' '}
                {t('web:broadcasts.history.figures', { recipients: b.recipients, cost: yuan(b.costFen) })}
              </p>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('web:broadcasts.history.none')}</p>
      )}
      {next ? (
        <p>
          <a href={next}>{t('web:broadcasts.history.next')}</a>
        </p>
      ) : null}
      <BroadcastLinks ctx={ctx} />
    </Layout>
  );
}

export const broadcastSteps = ['approve', 'send', 'pause', 'resume', 'cancel'] as const;
export type BroadcastStep = (typeof broadcastSteps)[number];

/** Statuses that still change on their own: the page reloads itself while in them. */
const live = new Set(['scheduled', 'sending']);

export interface BroadcastPageView {
  csrf: string;
  view: BroadcastView;
  names: BroadcastNamer;
  /** The step just done (after the redirect), or a refusal's translated message. */
  done?: BroadcastStep | 'created' | 'saved' | undefined;
  error?: string | undefined;
}

function Facts(props: { ctx: PageContext; page: BroadcastPageView }) {
  const { ctx, page } = props;
  const { t } = ctx;
  const b = page.view.broadcast;
  const a = b.audience;
  const who = (phone: string | undefined, at: string | undefined) =>
    phone ? `${maskedPhone(phone)}${at ? ` · ${shanghaiMinute(at)}` : ''}` : at ? shanghaiMinute(at) : undefined;
  const rows: Array<[string, string | undefined]> = [
    ['regions', a.regions.map(page.names.region).join(', ')],
    ['topics', a.topics.length ? a.topics.map(page.names.topic).join(', ') : t('web:broadcasts.facts.everyone')],
    [
      'languages',
      a.languages.length
        ? a.languages.map((l) => t(`web:broadcasts.languages.${l}`)).join(', ')
        : t('web:broadcasts.facts.allLanguages'),
    ],
    ['sendAt', b.sendAt ? shanghaiMinute(b.sendAt) : t('web:broadcasts.facts.whenSent')],
    ['template', b.template ? b.template.key : undefined],
    ['created', who(b.createdBy, b.createdAt)],
    ['approved', who(b.approvedBy, b.approvedAt)],
    ['sent', who(b.sentBy, b.startedAt)],
    ['finished', b.finishedAt ? shanghaiMinute(b.finishedAt) : undefined],
    ['cancelled', who(b.cancelledBy, b.cancelledAt)],
  ];
  return (
    <dl class="facts">
      {rows
        .filter((r): r is [string, string] => Boolean(r[1]))
        .map(([key, value]) => (
          <>
            <dt>{t(`web:broadcasts.facts.${key}`)}</dt>
            <dd>{value}</dd>
          </>
        ))}
    </dl>
  );
}

/** A broadcast: where it is, its counts as they change, failures by reason, cost, and the viewer's steps. */
export function BroadcastPage(props: { ctx: PageContext; page: BroadcastPageView }) {
  const { ctx, page } = props;
  const { t } = ctx;
  const { broadcast: b, counts, may, quiet } = page.view;
  const self = `/staff/broadcasts/${encodeURIComponent(b.id)}`;
  const title = t('web:broadcasts.page.title', { id: b.id });
  const price = b.preview.segmentPriceFen;
  const ended = b.status === 'finished' || b.status === 'cancelled';
  const refresh = live.has(b.status);
  const reasons = Object.entries(counts.reasons).filter(([, n]) => n > 0);
  return (
    <Layout
      ctx={ctx}
      title={title}
      head={refresh ? <meta http-equiv="refresh" content={`15; url=${self}`} /> : undefined}
    >
      <h1>{title}</h1>
      {page.error ? (
        <p class="notice notice-error" role="alert">
          {page.error}
        </p>
      ) : null}
      {page.done ? (
        <p class="notice" role="status">
          {t(`web:broadcasts.done.${page.done}`)}
        </p>
      ) : null}
      <p>
        <strong class="broadcast-status">{t(`web:broadcasts.status.${b.status}`)}</strong>
        {quiet ? <> · {t('web:broadcasts.page.quiet', { until: shanghaiMinute(quiet.until) })}</> : null}
        {refresh ? (
          <>
            {' '}
            · <a href={self}>{t('web:broadcasts.page.refresh')}</a>
          </>
        ) : null}
      </p>
      {b.source ? (
        <p class="broadcast-source">
          <a href={`/${b.source.kind}s/${encodeURIComponent(b.source.id)}`}>
            {t(b.source.kind === 'alert' ? 'web:broadcasts.sourceAlert' : 'web:broadcasts.sourceBulletin', {
              id: b.source.id,
              version: b.source.version,
            })}
          </a>
          {b.throughQuietHours ? <> · {t('web:broadcasts.sourceQuiet')}</> : null}
        </p>
      ) : null}
      <div class="broadcast-actions">
        {broadcastSteps
          .filter((step) => may[step])
          .map((step) => (
            <form method="post" action={`${self}/${step}`} class="inline-form">
              <CsrfInput token={page.csrf} />
              <button type="submit" class={step === 'cancel' || step === 'pause' ? 'secondary' : undefined}>
                {t(`web:broadcasts.actions.${step}`)}
              </button>{' '}
            </form>
          ))}
        {may.edit ? <a href={`${self}/edit`}>{t('web:broadcasts.actions.edit')}</a> : null}
      </div>
      <Facts ctx={ctx} page={page} />
      <h2>{t('web:broadcasts.page.counts')}</h2>
      <dl class="facts broadcast-counts">
        <dt>{t('web:broadcasts.counts.previewed')}</dt>
        <dd class="num">{b.preview.recipients}</dd>
        <dt>{t('web:broadcasts.counts.recipients')}</dt>
        <dd class="num">{counts.recipients}</dd>
        {(['queued', 'sent', 'delivered', 'failed', 'blocked', 'unknown'] as const).map((k) => (
          <>
            <dt>{t(`web:broadcasts.counts.${k}`)}</dt>
            <dd class="num" data-count={k}>
              {counts[k]}
            </dd>
          </>
        ))}
      </dl>
      {reasons.length ? (
        <>
          <h3>{t('web:broadcasts.page.reasons')}</h3>
          <ul class="items">
            {reasons.map(([reason, n]) => {
              const code = reason.split(':')[0]!;
              const known = ['opted_out', 'country', 'budget', 'cancelled', 'gateway'].includes(code);
              return (
                <li>
                  {known ? t(`web:broadcasts.reasons.${code}`) : reason}
                  {reason.includes(':') ? <code> {reason.slice(code.length + 1)}</code> : null}: {n}
                </li>
              );
            })}
          </ul>
        </>
      ) : null}
      <p>
        {t(ended ? 'web:broadcasts.page.finalCost' : 'web:broadcasts.page.costSoFar', {
          segments: counts.segmentsSent,
          cost: yuan(counts.segmentsSent * price),
        })}
      </p>
      <PreviewBlock
        ctx={ctx}
        preview={b.preview}
        heading={t('web:broadcasts.page.previewAt', { at: shanghaiMinute(b.preview.at) })}
      />
      <BroadcastLinks ctx={ctx} />
    </Layout>
  );
}

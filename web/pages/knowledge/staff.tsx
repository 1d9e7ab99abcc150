/**
 * The knowledge staff pages: the lists (my drafts, the review queues, published, archived), an
 * item's page (its reviews, summary checks, the next steps the viewer may take, attachments)
 * with its edit form, the new-item form per kind, and the upload page whose plain HTML form posts
 * the file straight to S3. Everything works with JavaScript off; web/static/segment-counter.js
 * only adds a live count beside each SMS summary (Preview and Save give the server's figures).
 */
import type { Child } from 'hono/jsx';
import type { Language, Translator } from '#core/i18n.ts';
import {
  alertKinds,
  guideTopics,
  type Item,
  type ItemKind,
  type ItemStatus,
  type ItemSummary,
  itemStatuses,
  reviewedLanguages,
  severities,
  stages,
} from '#core/knowledge/item.ts';
import type { ItemView, SummaryCheck } from '#core/knowledge/service.ts';
import { Layout, type PageContext } from '../../components/layout.tsx';
import { NextPageLink } from '../../components/paging.tsx';
import { type Option, Select } from '../../components/select.tsx';
import { CsrfInput } from '../sign-in.tsx';
import { AttachmentLinks, fileSize, itemLanguages, type KnowledgeNamer, SeverityBadge, shanghai } from './bits.tsx';

type TextLanguage = (typeof itemLanguages)[number];
export interface VersionValues {
  title: string;
  body: string;
  summary: string;
  instruction: string;
}
/** The item form as typed (every field a string or a list of them: the service validates the rest). */
export interface ItemFormValues {
  kind: ItemKind;
  regions: string[];
  commodity: string;
  stage: string;
  topic: string;
  months: string[];
  date: string;
  bulletinTopic: string;
  alertKind: string;
  severity: string;
  onset: string;
  expires: string;
  urgent: boolean;
  mainLanguage: string;
  broadcast: boolean;
  versions: Record<TextLanguage, VersionValues>;
  requestId: string;
  seq?: number | undefined;
}

export interface CounterSettings {
  signature?: string | undefined;
  gsmSignature?: string | undefined;
}

export interface ItemFormView {
  csrf: string;
  values: ItemFormValues;
  regions: Option[];
  commodities: Option[];
  /** Messages beside fields (or `form` for the whole), in the page language. */
  errors: Record<string, string>;
  checks?: SummaryCheck[] | undefined;
  counter: CounterSettings;
  /** Editing an existing item: its id (the form posts there). */
  editing?: string | undefined;
}

const kindTitle = (t: Translator, kind: ItemKind) => t(`web:knowledge.staff.kind.${kind}`);

/** The summary limits as the form's counter shows them: guides answer TIP in one segment in zh and en. */
const summaryLimit = (kind: ItemKind, lang: TextLanguage) => (kind === 'guide' && lang !== 'bo' ? 1 : 2);

export function StaffLinks(props: { ctx: PageContext; may: { edit: boolean; review: boolean; answer: boolean } }) {
  const { t } = props.ctx;
  const { edit, review, answer } = props.may;
  if (!edit && !review && !answer) return null;
  return (
    <section>
      <h2>{t('web:knowledge.staff.links.title')}</h2>
      <ul class="price-links">
        {edit || review ? (
          <li>
            <a href="/staff/knowledge">{t('web:knowledge.staff.links.library')}</a>
          </li>
        ) : null}
        {edit ? (
          <li>
            <a href="/staff/knowledge/new?kind=guide">{t('web:knowledge.staff.new.guide')}</a> ·{' '}
            <a href="/staff/knowledge/new?kind=bulletin">{t('web:knowledge.staff.new.bulletin')}</a> ·{' '}
            <a href="/staff/knowledge/new?kind=alert">{t('web:knowledge.staff.new.alert')}</a>
          </li>
        ) : null}
        {answer ? (
          <li>
            <a href="/staff/questions">{t('web:questions.links.queue')}</a> ·{' '}
            <a href="/staff/questions/figures">{t('web:questions.links.figures')}</a>
          </li>
        ) : null}
      </ul>
    </section>
  );
}

export interface ListPageView {
  status: ItemStatus;
  kind: ItemKind;
  region: string;
  regions: Option[];
  items: ItemSummary[];
  next?: string | undefined;
  names: KnowledgeNamer;
  /** The languages the viewer reviews (the in-review tab marks what waits for them). */
  reviews: Language[];
}

/** /staff/knowledge: the lists by status and kind, in the viewer's regions. */
export function StaffListPage(props: { ctx: PageContext; view: ListPageView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  const tab = (status: ItemStatus) => `/staff/knowledge?kind=${view.kind}&status=${status}&lang=${lang}`;
  return (
    <Layout ctx={ctx} title={t('web:knowledge.staff.title')}>
      <h1>{t('web:knowledge.staff.title')}</h1>
      <p>
        <a href={`/staff/knowledge/new?kind=${view.kind}`}>{t(`web:knowledge.staff.new.${view.kind}`)}</a>
      </p>
      <nav class="main-nav" aria-label={t('web:knowledge.staff.tabs')}>
        {itemStatuses.map((s) => (
          <a href={tab(s)} aria-current={s === view.status ? 'page' : undefined}>
            {t(`web:knowledge.staff.status.${s}`)}
          </a>
        ))}
      </nav>
      <form method="get" action="/staff/knowledge" class="pick">
        <input type="hidden" name="status" value={view.status} />
        <input type="hidden" name="lang" value={lang} />
        <label for="k-kind">
          {t('web:knowledge.staff.kindLabel')}{' '}
          <select id="k-kind" name="kind">
            {(['guide', 'bulletin', 'alert'] as const).map((k) => (
              <option value={k} selected={k === view.kind}>
                {kindTitle(t, k)}
              </option>
            ))}
          </select>
        </label>{' '}
        <label for="k-region">
          {t('web:knowledge.region')}{' '}
          <select id="k-region" name="region">
            <option value="">{t('web:knowledge.staff.yourRegions')}</option>
            {view.regions.map((r) => (
              <option value={r.id} selected={r.id === view.region}>
                {r.label}
              </option>
            ))}
          </select>
        </label>{' '}
        <button type="submit">{t('web:knowledge.show')}</button>
      </form>
      {view.items.length ? (
        <ul class="k-list">
          {view.items.map((s) => (
            <li>
              <a href={`/staff/knowledge/${s.id}`}>{s.titles[lang] || s.titles.zh || s.titles.bo || s.id}</a>
              <br />
              <small class="muted">
                {t('web:knowledge.staff.versionN', { version: s.version })} ·{' '}
                {s.regions.map(view.names.region).join(', ')} · {shanghai(s.updatedAt)}
              </small>
              <br />
              <small>
                {reviewedLanguages.map((l) => (
                  <span class={view.reviews.includes(l) && s.reviews[l] !== 'approved' ? 'field-error' : undefined}>
                    {t(`web:knowledge.lang.${l}`)}: {t(`web:knowledge.staff.review.${s.reviews[l]}`)}{' '}
                  </span>
                ))}
              </small>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('web:knowledge.staff.none')}</p>
      )}
      <NextPageLink t={t} next={view.next} />
    </Layout>
  );
}

function Err(props: { id: string; text?: string | undefined }) {
  return props.text ? (
    <span id={props.id} class="field-error" role="alert">
      {props.text}
    </span>
  ) : null;
}

function Choice(props: { name: string; label: string; value: string; options: Option[]; blank?: string }) {
  const id = `k-${props.name}`;
  return (
    <p>
      <label for={id}>{props.label}</label>
      <br />
      <Select id={id} {...props} />
    </p>
  );
}

/** The summary segments per script the server counted (Preview, Save, the item page). */
export function ChecksTable(props: { t: Translator; checks: SummaryCheck[] }) {
  const { t } = props;
  if (!props.checks.length) return null;
  return (
    <table class="prices">
      <caption>{t('web:knowledge.staff.checks')}</caption>
      <thead>
        <tr>
          <th>{t('web:knowledge.staff.script')}</th>
          <th>{t('web:knowledge.staff.segments')}</th>
        </tr>
      </thead>
      <tbody>
        {props.checks.flatMap((c) =>
          c.groups.map((g) => (
            <tr>
              <td>{t(`web:knowledge.staff.group.${g.group}`)}</td>
              <td class={g.fits ? undefined : 'field-error'}>
                {t('web:knowledge.staff.segmentsOf', { segments: g.segments, limit: g.limit })}{' '}
                {g.fits ? '✓' : t('web:knowledge.staff.tooLong')}
              </td>
            </tr>
          )),
        )}
      </tbody>
    </table>
  );
}

/** A version's fields in one language: title, body, SMS summary (with its live counter), alerts' what-to-do. */
function VersionFields(props: { ctx: PageContext; view: ItemFormView; lang: TextLanguage }) {
  const { ctx, view, lang } = props;
  const { t } = ctx;
  const v = view.values.versions[lang];
  const n = (f: string) => `${lang}_${f}`;
  const err = (f: string) => view.errors[n(f)];
  return (
    <fieldset lang={lang}>
      <legend>{t(`web:knowledge.lang.${lang}`)}</legend>
      <p>
        <label for={`k-${n('title')}`}>{t('web:knowledge.staff.field.title')}</label>
        <br />
        <input id={`k-${n('title')}`} type="text" name={n('title')} value={v.title} maxlength={200} />
        <Err id={`e-${n('title')}`} text={err('title')} />
      </p>
      <p>
        <label for={`k-${n('body')}`}>{t('web:knowledge.staff.field.body')}</label>
        <br />
        <textarea id={`k-${n('body')}`} name={n('body')} rows={8} maxlength={20000}>
          {v.body}
        </textarea>
        <Err id={`e-${n('body')}`} text={err('body')} />
      </p>
      {view.values.kind === 'alert' ? (
        <p>
          <label for={`k-${n('instruction')}`}>{t('web:knowledge.whatToDo')}</label>
          <br />
          <textarea id={`k-${n('instruction')}`} name={n('instruction')} rows={3} maxlength={2000}>
            {v.instruction}
          </textarea>
          <Err id={`e-${n('instruction')}`} text={err('instruction')} />
        </p>
      ) : null}
      <p>
        <label for={`k-${n('summary')}`}>{t('web:knowledge.staff.field.summary')}</label>
        <br />
        <textarea
          id={`k-${n('summary')}`}
          name={n('summary')}
          rows={3}
          maxlength={500}
          data-counter={`c-${n('summary')}`}
          data-signature={view.counter.signature}
          data-gsm-signature={view.counter.gsmSignature}
          data-max={String(summaryLimit(view.values.kind, lang))}
          data-label={t('web:knowledge.staff.counter')}
        >
          {v.summary}
        </textarea>
        <br />
        <small class="muted">
          {t('web:knowledge.staff.summaryHint', { limit: summaryLimit(view.values.kind, lang) })}
        </small>{' '}
        <output id={`c-${n('summary')}`} class="muted" aria-live="polite" />
        <Err id={`e-${n('summary')}`} text={err('summary')} />
      </p>
    </fieldset>
  );
}

/** The fields of a kind: a guide's commodity, stage, topic and months; a bulletin's date; an alert's kind, severity, times. */
function KindFields(props: { ctx: PageContext; view: ItemFormView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const v = view.values;
  if (v.kind === 'guide')
    return (
      <>
        <Choice name="commodity" label={t('web:knowledge.commodity')} value={v.commodity} options={view.commodities} />
        <Err id="e-commodity" text={view.errors.commodity} />
        <Choice
          name="stage"
          label={t('web:knowledge.stageLabel')}
          value={v.stage}
          options={stages.map((s) => ({ id: s, label: t(`web:knowledge.stage.${s}`) }))}
        />
        <Choice
          name="topic"
          label={t('web:knowledge.staff.topicLabel')}
          value={v.topic}
          options={guideTopics.map((s) => ({ id: s, label: t(`web:knowledge.topic.${s}`) }))}
        />
        <fieldset class="k-months">
          <legend>{t('web:knowledge.monthLabel')}</legend>
          {[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => (
            <label>
              <input type="checkbox" name="months" value={String(m)} checked={v.months.includes(String(m))} />{' '}
              {t(`web:knowledge.month.${m}`)}
            </label>
          ))}
          <Err id="e-months" text={view.errors.months} />
        </fieldset>
      </>
    );
  if (v.kind === 'bulletin')
    return (
      <>
        <p>
          <label for="k-date">{t('web:knowledge.staff.field.date')}</label>
          <br />
          <input id="k-date" type="date" name="date" value={v.date} required />
          <Err id="e-date" text={view.errors.date} />
        </p>
        <Choice
          name="bulletinTopic"
          label={t('web:knowledge.staff.broadcastTopic')}
          value={v.bulletinTopic}
          blank={t('web:knowledge.staff.everyone')}
          options={alertKinds.map((k) => ({ id: k, label: t(`web:knowledge.alertKind.${k}`) }))}
        />
      </>
    );
  return (
    <>
      <Choice
        name="alertKind"
        label={t('web:knowledge.staff.kindLabel')}
        value={v.alertKind}
        options={alertKinds.map((k) => ({ id: k, label: t(`web:knowledge.alertKind.${k}`) }))}
      />
      <Choice
        name="severity"
        label={t('web:knowledge.severityLabel')}
        value={v.severity}
        options={severities.map((s) => ({ id: s, label: t(`web:knowledge.severity.${s}`) }))}
      />
      <p>
        <label for="k-onset">{t('web:knowledge.onset')}</label>
        <br />
        <input id="k-onset" type="datetime-local" name="onset" value={v.onset} required />
        <Err id="e-onset" text={view.errors.onset} />
      </p>
      <p>
        <label for="k-expires">{t('web:knowledge.expires')}</label>
        <br />
        <input id="k-expires" type="datetime-local" name="expires" value={v.expires} required />
        <Err id="e-expires" text={view.errors.expires} />
      </p>
      <p>
        <label>
          <input type="checkbox" name="urgent" value="1" checked={v.urgent} /> {t('web:knowledge.staff.urgent')}
        </label>
      </p>
      <Choice
        name="mainLanguage"
        label={t('web:knowledge.staff.mainLanguage')}
        value={v.mainLanguage}
        options={reviewedLanguages.map((l) => ({ id: l, label: t(`web:knowledge.lang.${l}`) }))}
      />
    </>
  );
}

/** The item form (new or edit): shared fields, the kind's fields, a version per language. */
export function ItemForm(props: { ctx: PageContext; view: ItemFormView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const v = view.values;
  const action = view.editing ? `/staff/knowledge/${view.editing}` : '/staff/knowledge';
  return (
    <form method="post" action={action} class="stack">
      <CsrfInput token={view.csrf} />
      <input type="hidden" name="kind" value={v.kind} />
      <input type="hidden" name="requestId" value={v.requestId} />
      {v.seq !== undefined ? <input type="hidden" name="seq" value={String(v.seq)} /> : null}
      {view.errors.form ? (
        <p class="notice notice-error" role="alert">
          {view.errors.form}
        </p>
      ) : null}
      <fieldset>
        <legend>{t('web:knowledge.region')}</legend>
        {view.regions.map((r) => (
          <label class="block">
            <input type="checkbox" name="regions" value={r.id} checked={v.regions.includes(r.id)} /> {r.label}
          </label>
        ))}
        <Err id="e-regions" text={view.errors.regions} />
      </fieldset>
      <KindFields ctx={ctx} view={view} />
      {v.kind !== 'guide' ? (
        <p>
          <label>
            <input type="checkbox" name="broadcast" value="1" checked={v.broadcast} />{' '}
            {t('web:knowledge.staff.broadcast')}
          </label>
        </p>
      ) : null}
      <div class="k-versions">
        {itemLanguages.map((l) => (
          <VersionFields ctx={ctx} view={view} lang={l} />
        ))}
      </div>
      {view.checks ? <ChecksTable t={t} checks={view.checks} /> : null}
      <p>
        <button
          type="submit"
          formaction={`${action === '/staff/knowledge' ? '/staff/knowledge/preview' : `${action}/preview`}`}
        >
          {t('web:knowledge.staff.preview')}
        </button>{' '}
        <button type="submit">{t('web:knowledge.staff.save')}</button>
      </p>
    </form>
  );
}

const head = <script src="/static/segment-counter.js" defer />;

/** /staff/knowledge/new?kind=…: a new draft. */
export function NewItemPage(props: { ctx: PageContext; view: ItemFormView }) {
  const { ctx, view } = props;
  const title = ctx.t(`web:knowledge.staff.new.${view.values.kind}`);
  return (
    <Layout ctx={ctx} title={title} head={head}>
      <p class="muted">
        <a href="/staff/knowledge">{ctx.t('web:knowledge.staff.title')}</a>
      </p>
      <h1>{title}</h1>
      <ItemForm ctx={ctx} view={view} />
    </Layout>
  );
}

/** A step's small form: CSRF, the version it acts on, and its one button. */
function StepForm(props: { csrf: string; action: string; label: string; hidden?: Record<string, string> }) {
  return (
    <form method="post" action={props.action} class="inline-form">
      <CsrfInput token={props.csrf} />
      {Object.entries(props.hidden ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <button type="submit">{props.label}</button>
    </form>
  );
}

export interface ItemPageView {
  csrf: string;
  view: ItemView;
  names: KnowledgeNamer;
  form?: ItemFormView | undefined;
  done?: string | undefined;
  error?: string | undefined;
  fileUrl: (key: string) => string;
}

/** /staff/knowledge/:id: where the item stands, what the viewer may do next, its attachments, and its edit form. */
export function StaffItemPage(props: { ctx: PageContext; page: ItemPageView }) {
  const { ctx, page } = props;
  const { t } = ctx;
  const { item, may, checks } = page.view;
  const title = item.content.versions[ctx.lang]?.title || item.content.versions.zh?.title || item.id;
  const base = `/staff/knowledge/${item.id}`;
  const version = String(item.version);
  const publicPath = { guide: '/guide', bulletin: '/bulletins', alert: '/alerts' }[item.kind];
  const rows: Array<[string, Child]> = [
    [t('web:knowledge.staff.kindLabel'), kindTitle(t, item.kind)],
    [t('web:knowledge.staff.statusLabel'), t(`web:knowledge.staff.status.${item.status}`)],
    [t('web:knowledge.staff.versionLabel'), version],
    [t('web:knowledge.region'), item.content.regions.map(page.names.region).join(', ')],
  ];
  if (item.content.fields.kind === 'alert')
    rows.push([t('web:knowledge.severityLabel'), <SeverityBadge t={t} severity={item.content.fields.severity} />]);
  return (
    <Layout ctx={ctx} title={title} head={head}>
      <p class="muted">
        <a href={`/staff/knowledge?kind=${item.kind}&status=${item.status}`}>{t('web:knowledge.staff.title')}</a>
      </p>
      <h1>{title}</h1>
      {page.done ? (
        <p class="notice" role="status">
          {t(`web:knowledge.staff.done.${page.done}`)}
        </p>
      ) : null}
      {page.error ? (
        <p class="notice notice-error" role="alert">
          {page.error}
        </p>
      ) : null}
      <dl class="k-facts">
        {rows.map(([k, v]) => (
          <>
            <dt>{k}</dt>
            <dd>{v}</dd>
          </>
        ))}
        <dt>{t('web:knowledge.staff.reviews')}</dt>
        <dd>
          {reviewedLanguages.map((l) => {
            const r = item.reviews[l];
            return (
              <>
                {t(`web:knowledge.lang.${l}`)}: {t(`web:knowledge.staff.review.${r.state}`)}
                {r.state === 'approved' && r.version
                  ? ` (${t('web:knowledge.staff.versionN', { version: r.version })})`
                  : ''}
                <br />
              </>
            );
          })}
        </dd>
      </dl>
      {item.published ? (
        <p>
          <a href={`${publicPath}/${item.id}`}>
            {t('web:knowledge.staff.publishedVersion', { version: item.published.version })}
          </a>
        </p>
      ) : null}
      {item.broadcastId ? (
        <p>
          <a href={`/staff/broadcasts/${item.broadcastId}`}>{t('web:knowledge.staff.broadcastLink')}</a>
        </p>
      ) : null}
      <ChecksTable t={t} checks={checks} />
      <p>
        {may.submit ? (
          <StepForm csrf={page.csrf} action={`${base}/submit`} label={t('web:knowledge.staff.submit')} />
        ) : null}{' '}
        {may.approve.map((l) => (
          <StepForm
            csrf={page.csrf}
            action={`${base}/approve`}
            label={t('web:knowledge.staff.approve', { language: t(`web:knowledge.lang.${l}`) })}
            hidden={{ language: l, version }}
          />
        ))}{' '}
        {may.publishUrgent ? (
          <StepForm
            csrf={page.csrf}
            action={`${base}/publish-urgent`}
            label={t('web:knowledge.staff.publishUrgent')}
            hidden={{ version }}
          />
        ) : null}{' '}
        {may.archive ? (
          <StepForm csrf={page.csrf} action={`${base}/archive`} label={t('web:knowledge.staff.archive')} />
        ) : null}
      </p>
      <section>
        <AttachmentLinks t={t} files={item.attachments} url={page.fileUrl} />
        {may.attach && item.attachments.length ? (
          <ul class="files">
            {item.attachments.map((a) => (
              <li>
                {a.name}{' '}
                <StepForm
                  csrf={page.csrf}
                  action={`${base}/attachments/${a.id}/delete`}
                  label={t('web:knowledge.staff.removeFile')}
                />
              </li>
            ))}
          </ul>
        ) : null}
        {may.attach ? (
          <p>
            <a href={`${base}/upload`}>{t('web:knowledge.staff.addFile')}</a>
          </p>
        ) : null}
      </section>
      {page.form ? (
        <section>
          <h2>{t('web:knowledge.staff.edit')}</h2>
          {item.status === 'published' ? <p class="muted">{t('web:knowledge.staff.correctionHint')}</p> : null}
          <ItemForm ctx={ctx} view={page.form} />
        </section>
      ) : (
        <ReadOnlyVersions ctx={ctx} item={item} />
      )}
    </Layout>
  );
}

function ReadOnlyVersions(props: { ctx: PageContext; item: Item }) {
  const { t } = props.ctx;
  return (
    <div class="k-versions">
      {itemLanguages.map((l) => {
        const v = props.item.content.versions[l];
        return v ? (
          <section lang={l}>
            <h2>{t(`web:knowledge.lang.${l}`)}</h2>
            <h3>{v.title}</h3>
            <p class="k-summary">{v.body}</p>
            {v.instruction ? <p class="k-summary">{v.instruction}</p> : null}
            <p class="k-summary">
              <strong>{t('web:knowledge.smsText')}:</strong> {v.summary}
            </p>
          </section>
        ) : null;
      })}
    </div>
  );
}

/**
 * /staff/knowledge/:id/upload: a plain HTML form that posts the file straight to the bucket with
 * the presigned fields as hidden inputs (no JavaScript); S3 sends the browser back to /uploaded.
 */
export function UploadPage(props: {
  ctx: PageContext;
  page: { item: Item; url: string; fields: Record<string, string>; maxBytes: number };
}) {
  const { ctx, page } = props;
  const { t } = ctx;
  return (
    <Layout ctx={ctx} title={t('web:knowledge.staff.addFile')}>
      <p class="muted">
        <a href={`/staff/knowledge/${page.item.id}`}>{t('web:knowledge.back')}</a>
      </p>
      <h1>{t('web:knowledge.staff.addFile')}</h1>
      <p>{t('web:knowledge.staff.fileHint', { max: fileSize(page.maxBytes) })}</p>
      <form method="post" action={page.url} enctype="multipart/form-data" class="stack">
        {Object.entries(page.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <p>
          <label for="k-file">{t('web:knowledge.staff.file')}</label>
          <br />
          <input
            id="k-file"
            type="file"
            name="file"
            required
            accept="image/jpeg,image/png,image/webp,application/pdf"
          />
        </p>
        <p>
          <button type="submit">{t('web:knowledge.staff.upload')}</button>
        </p>
      </form>
    </Layout>
  );
}

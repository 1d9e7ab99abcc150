/**
 * The public knowledge pages: the guide library (/guide) with its filters, a guide and its print
 * view, current alerts (/alerts), bulletins (/bulletins) and an item's page. Server-rendered, no
 * script; lists carry cards (no bodies) so a page stays under 14 KB gzip.
 */
import type { Language } from '#core/i18n.ts';
import {
  type AlertFields,
  type BulletinFields,
  type GuideFields,
  type PublicItem,
  stages,
} from '#core/knowledge/item.ts';
import { inLanguage, Layout, type PageContext } from '../../components/layout.tsx';
import { NextPageLink } from '../../components/paging.tsx';
import { LabelledSelect, type Option } from '../../components/select.tsx';
import { AttachmentLinks, Body, type KnowledgeNamer, SeverityBadge, shanghai, textIn } from './bits.tsx';

export interface PublicView {
  names: KnowledgeNamer;
  /** A file's public address (CloudFront in AWS, /files/ locally). */
  fileUrl: (key: string) => string;
}

const months = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] as const;

/** The title in the page language (or the one it falls back to), marked with its language. */
function Title(props: { item: PublicItem; lang: Language; href?: string }) {
  const found = textIn(props.item.content.versions, props.lang);
  const title = found?.text.title ?? props.item.id;
  const inner = props.href ? <a href={props.href}>{title}</a> : title;
  return found && found.lang !== props.lang ? <span lang={found.lang}>{inner}</span> : inner;
}

function Regions(props: { regions: string[]; names: KnowledgeNamer }) {
  return <>{props.regions.map(props.names.region).join(', ')}</>;
}

const monthList = (ctx: PageContext, list: number[]) => list.map((m) => ctx.t(`web:knowledge.month.${m}`)).join(', ');

/** One line of a guide's facts: commodity · stage · topic · months. */
function GuideFacts(props: { ctx: PageContext; f: GuideFields; names: KnowledgeNamer }) {
  const { ctx, f, names } = props;
  return (
    <>
      {names.commodity(f.commodityId)} · {ctx.t(`web:knowledge.stage.${f.stage}`)} ·{' '}
      {ctx.t(`web:knowledge.topic.${f.topic}`)} · {monthList(ctx, f.months)}
    </>
  );
}

function Summary(props: { item: PublicItem; lang: Language }) {
  const found = textIn(props.item.content.versions, props.lang);
  return found?.text.summary ? (
    <p class="k-summary" lang={found.lang === props.lang ? undefined : found.lang}>
      {found.text.summary}
    </p>
  ) : null;
}

function Select(props: { name: string; label: string; value: string; options: Option[]; any: string }) {
  return <LabelledSelect id={`f-${props.name}`} blank={props.any} {...props} />;
}

export interface GuideListView extends PublicView {
  filter: { commodity: string; stage: string; month: string; region: string };
  /** Commodities with published guides, and how many each. */
  commodities: Array<Option & { count: number }>;
  regions: Option[];
  items: PublicItem[];
  next?: string | undefined;
}

/** /guide: what there is by commodity, then the guides that match the filters. */
export function GuideListPage(props: { ctx: PageContext; view: GuideListView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  const f = view.filter;
  return (
    <Layout ctx={ctx} title={t('web:knowledge.guides.title')}>
      <h1>{t('web:knowledge.guides.title')}</h1>
      <p class="lead">{t('web:knowledge.guides.intro')}</p>
      <form method="get" action="/guide" class="pick">
        <Select
          name="commodity"
          label={t('web:knowledge.commodity')}
          value={f.commodity}
          any={t('web:knowledge.any')}
          options={view.commodities.map((c) => ({ id: c.id, label: `${c.label} (${c.count})` }))}
        />{' '}
        <Select
          name="stage"
          label={t('web:knowledge.stageLabel')}
          value={f.stage}
          any={t('web:knowledge.any')}
          options={stages.map((s) => ({ id: s, label: t(`web:knowledge.stage.${s}`) }))}
        />{' '}
        <Select
          name="month"
          label={t('web:knowledge.monthLabel')}
          value={f.month}
          any={t('web:knowledge.any')}
          options={months.map((m) => ({ id: String(m), label: t(`web:knowledge.month.${m}`) }))}
        />{' '}
        <Select
          name="region"
          label={t('web:knowledge.region')}
          value={f.region}
          any={t('web:knowledge.any')}
          options={view.regions}
        />{' '}
        <input type="hidden" name="lang" value={lang} />
        <button type="submit">{t('web:knowledge.show')}</button>
      </form>
      {f.commodity ? null : view.commodities.length ? (
        <ul class="tiles">
          {view.commodities.map((c) => (
            <li>
              <a href={`/guide?commodity=${encodeURIComponent(c.id)}`}>
                {c.label} ({c.count})
              </a>
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('web:knowledge.guides.none')}</p>
      )}
      {view.items.length ? (
        <ul class="k-list">
          {view.items.map((item) => (
            <li>
              <Title item={item} lang={lang} href={`/guide/${item.id}`} />
              <br />
              <small class="muted">
                <GuideFacts ctx={ctx} f={item.content.fields as GuideFields} names={view.names} />
              </small>
              <Summary item={item} lang={lang} />
            </li>
          ))}
        </ul>
      ) : f.commodity || f.stage || f.month || f.region ? (
        <p>{t('web:knowledge.guides.noMatch')}</p>
      ) : null}
      <NextPageLink t={t} next={view.next} />
    </Layout>
  );
}

/** Versions in the other languages: links to the same page in them. */
function OtherLanguages(props: { ctx: PageContext; item: PublicItem }) {
  const { ctx, item } = props;
  const others = (['bo', 'zh', 'en'] as const).filter((l) => l !== ctx.lang && item.content.versions[l]?.title);
  if (!others.length) return null;
  return (
    <p class="muted">
      {ctx.t('web:knowledge.alsoIn')}{' '}
      {others.map((l, i) => (
        <>
          {i ? ' · ' : ''}
          <a href={inLanguage(ctx.url ?? ctx.path, l)} hreflang={l}>
            {ctx.t(`web:knowledge.lang.${l}`)}
          </a>
        </>
      ))}
    </p>
  );
}

export interface ItemPageView extends PublicView {
  item: PublicItem;
  /** The newest published version (an older one is shown with a link to it). */
  latest: number;
}

/** An alert's facts: severity (word and colour), kind, area with codes, onset and expiry (Beijing time). */
function AlertFacts(props: { ctx: PageContext; item: PublicItem; names: KnowledgeNamer }) {
  const { ctx, item, names } = props;
  const { t } = ctx;
  const f = item.content.fields as AlertFields;
  return (
    <dl class="k-facts">
      <dt>{t('web:knowledge.severityLabel')}</dt>
      <dd>
        <SeverityBadge t={t} severity={f.severity} /> · {t(`web:knowledge.alertKind.${f.alertKind}`)}
      </dd>
      <dt>{t('web:knowledge.area')}</dt>
      <dd>
        {item.content.regions.map((id, i) => {
          const code = names.gbcode(id);
          return (
            <>
              {i ? ', ' : ''}
              {names.region(id)}
              {code ? <small class="muted"> ({code})</small> : null}
            </>
          );
        })}
      </dd>
      <dt>{t('web:knowledge.onset')}</dt>
      <dd>{shanghai(f.onset)}</dd>
      <dt>{t('web:knowledge.expires')}</dt>
      <dd>{shanghai(f.expires)}</dd>
    </dl>
  );
}

const pathOf = { guide: '/guide', bulletin: '/bulletins', alert: '/alerts' } as const;

/** /guide/:id, /bulletins/:id, /alerts/:id: one published item in the page language. */
export function ItemPage(props: { ctx: PageContext; view: ItemPageView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  const { item, names } = view;
  const found = textIn(item.content.versions, lang);
  const text = found?.text;
  const other = found && found.lang !== lang ? found.lang : undefined;
  const base = `${pathOf[item.kind]}/${item.id}`;
  const f = item.content.fields;
  return (
    <Layout ctx={ctx} title={text?.title ?? item.id}>
      <p class="muted">
        <a href={pathOf[item.kind]}>{t(`web:knowledge.${item.kind}s.title`)}</a>
      </p>
      <article lang={other}>
        <h1>{text?.title ?? item.id}</h1>
        {f.kind === 'guide' ? (
          <p class="muted">
            <GuideFacts ctx={ctx} f={f} names={names} />
            <br />
            {t('web:knowledge.region')}: <Regions regions={item.content.regions} names={names} />
          </p>
        ) : null}
        {f.kind === 'bulletin' ? (
          <p class="muted">
            {(f as BulletinFields).date} · <Regions regions={item.content.regions} names={names} />
          </p>
        ) : null}
        {f.kind === 'alert' ? <AlertFacts ctx={ctx} item={item} names={names} /> : null}
        {f.kind === 'alert' && text?.instruction ? (
          <section class="k-instruction">
            <h2>{t('web:knowledge.whatToDo')}</h2>
            <Body text={text.instruction} />
          </section>
        ) : null}
        {text ? <Body text={text.body} /> : null}
        {text?.summary ? (
          <section>
            <h2>{t('web:knowledge.smsText')}</h2>
            <p class="k-summary">{text.summary}</p>
          </section>
        ) : null}
      </article>
      {item.follows?.length ? (
        <p class="notice">
          {t('web:knowledge.follows', { languages: item.follows.map((l) => t(`web:knowledge.lang.${l}`)).join(', ') })}
        </p>
      ) : null}
      <AttachmentLinks t={t} files={item.attachments} url={view.fileUrl} />
      <OtherLanguages ctx={ctx} item={item} />
      <p class="muted">
        {t('web:knowledge.version', { version: item.version, date: shanghai(item.publishedAt) })}
        {item.version < view.latest ? (
          <>
            {' '}
            · <a href={base}>{t('web:knowledge.latest')}</a>
          </>
        ) : item.version > 1 ? (
          <>
            {' '}
            · <a href={`${base}?v=${item.version - 1}`}>{t('web:knowledge.earlier')}</a>
          </>
        ) : null}
      </p>
      <p class="no-print">
        {item.kind === 'guide' ? <a href={`${base}/print`}>{t('web:knowledge.print')}</a> : null}
        {item.kind === 'alert' ? (
          <>
            <a href={`/api/v1/alerts/${item.id}.cap`} type="application/cap+xml">
              {t('web:knowledge.cap')}
            </a>{' '}
            · <a href={`/feeds/alerts.atom?lang=${lang}`}>{t('web:knowledge.feed')}</a>
          </>
        ) : null}
        {item.kind === 'bulletin' ? <a href={`/feeds/bulletins.atom?lang=${lang}`}>{t('web:knowledge.feed')}</a> : null}
      </p>
    </Layout>
  );
}

/** /guide/:id/print: the guide for a notice board — every language it has, one after another, big type. */
export function GuidePrintPage(props: { ctx: PageContext; view: ItemPageView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { item, names } = view;
  const f = item.content.fields as GuideFields;
  const order = [ctx.lang, ...(['bo', 'zh', 'en'] as const).filter((l) => l !== ctx.lang)];
  const title = textIn(item.content.versions, ctx.lang)?.text.title ?? item.id;
  return (
    <Layout ctx={ctx} title={title}>
      <div class="k-print">
        <p class="no-print">
          <a href={`/guide/${item.id}`}>{t('web:knowledge.back')}</a>
        </p>
        <p class="muted">
          <GuideFacts ctx={ctx} f={f} names={names} />
        </p>
        {order.map((l) => {
          const v = item.content.versions[l];
          return v?.title ? (
            <article lang={l}>
              <h1>{v.title}</h1>
              <Body text={v.body} />
            </article>
          ) : null;
        })}
        <p class="muted">
          {t('web:knowledge.version', { version: item.version, date: shanghai(item.publishedAt) })} · /guide/{item.id}
        </p>
      </div>
    </Layout>
  );
}

export interface ListView extends PublicView {
  region: string;
  regions: Option[];
  items: PublicItem[];
  next?: string | undefined;
}

function RegionPick(props: { ctx: PageContext; action: string; view: ListView }) {
  const { t, lang } = props.ctx;
  return (
    <form method="get" action={props.action} class="pick">
      <Select
        name="region"
        label={t('web:knowledge.region')}
        value={props.view.region}
        any={t('web:knowledge.any')}
        options={props.view.regions}
      />{' '}
      <input type="hidden" name="lang" value={lang} />
      <button type="submit">{t('web:knowledge.show')}</button>
    </form>
  );
}

/** /alerts: the current alerts (for a region), severest first. */
export function AlertListPage(props: { ctx: PageContext; view: ListView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('web:knowledge.alerts.title')}>
      <h1>{t('web:knowledge.alerts.title')}</h1>
      <p class="lead">
        {t('web:knowledge.alerts.intro')} <a href={`/feeds/alerts.atom?lang=${lang}`}>{t('web:knowledge.feed')}</a>
      </p>
      <RegionPick ctx={ctx} action="/alerts" view={view} />
      {view.items.length ? (
        <ul class="k-list">
          {view.items.map((item) => {
            const f = item.content.fields as AlertFields;
            return (
              <li class={`k-alert sev-line-${f.severity}`}>
                <SeverityBadge t={t} severity={f.severity} /> · {t(`web:knowledge.alertKind.${f.alertKind}`)}
                <br />
                <Title item={item} lang={lang} href={`/alerts/${item.id}`} />
                <br />
                <small class="muted">
                  <Regions regions={item.content.regions} names={view.names} /> · {shanghai(f.onset)} –{' '}
                  {shanghai(f.expires)}
                </small>
                <Summary item={item} lang={lang} />
              </li>
            );
          })}
        </ul>
      ) : (
        <p>{t('web:knowledge.alerts.none')}</p>
      )}
    </Layout>
  );
}

/** /bulletins: technical bulletins, newest first. */
export function BulletinListPage(props: { ctx: PageContext; view: ListView }) {
  const { ctx, view } = props;
  const { t, lang } = ctx;
  return (
    <Layout ctx={ctx} title={t('web:knowledge.bulletins.title')}>
      <h1>{t('web:knowledge.bulletins.title')}</h1>
      <p class="lead">
        {t('web:knowledge.bulletins.intro')}{' '}
        <a href={`/feeds/bulletins.atom?lang=${lang}`}>{t('web:knowledge.feed')}</a>
      </p>
      <RegionPick ctx={ctx} action="/bulletins" view={view} />
      {view.items.length ? (
        <ul class="k-list">
          {view.items.map((item) => (
            <li>
              <Title item={item} lang={lang} href={`/bulletins/${item.id}`} />
              <br />
              <small class="muted">
                {(item.content.fields as BulletinFields).date} ·{' '}
                <Regions regions={item.content.regions} names={view.names} />
              </small>
              <Summary item={item} lang={lang} />
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('web:knowledge.bulletins.none')}</p>
      )}
      <NextPageLink t={t} next={view.next} />
    </Layout>
  );
}

import { shanghaiMinute } from '#core/dates.ts';
import type { Region } from '#core/reference/schemas.ts';
import type { AuditEntry } from '#core/staff/audit.ts';
import { type Permission, permissionsOf } from '#core/staff/authz.ts';
import { type Actor, ALL_REGIONS, type Grant, roles, type StaffMember } from '#core/staff/roles.ts';
import { type AuditNamer, auditActionText, auditTargetText } from '../components/audit-text.ts';
import { Layout, type PageContext } from '../components/layout.tsx';
import { primaryName } from '../components/names.tsx';
import type { PageDeps } from '../kit.ts';
import { StaffLinks as KnowledgeLinks } from './knowledge/staff.tsx';
import { CsrfInput, type Flash, Notice } from './sign-in.tsx';

/** Links to the price pages (collect namespace) for members whose roles enter or review prices. */
function PriceLinks(props: { ctx: PageContext; grants: Grant[] }) {
  const { t } = props.ctx;
  const may = (p: 'price.submit' | 'price.review') => props.grants.some((g) => permissionsOf(g.role).includes(p));
  const enter = may('price.submit') || may('price.review');
  if (!enter) return null;
  return (
    <>
      <h2>{t('collect:links.title')}</h2>
      <ul class="price-links">
        <li>
          <a href="/staff/prices/new">{t('collect:links.enter')}</a>
        </li>
        <li>
          <a href="/staff/prices/upload">{t('collect:links.upload')}</a>
        </li>
        {may('price.review') ? (
          <li>
            <a href="/staff/prices/review">{t('collect:links.review')}</a>
          </li>
        ) : null}
      </ul>
    </>
  );
}

/** Links to the exchange's staff pages for members whose roles moderate offers or post for farmers. */
function ExchangeLinks(props: { ctx: PageContext; grants: Grant[] }) {
  const { t } = props.ctx;
  const may = (p: Permission) => props.grants.some((g) => permissionsOf(g.role).includes(p));
  const moderate = may('exchange.moderate');
  const post = may('exchange.post');
  if (!moderate && !post) return null;
  return (
    <>
      <h2>{t('exchange:staff.links.title')}</h2>
      <ul class="price-links">
        {moderate ? (
          <li>
            <a href="/staff/market/moderation">{t('exchange:staff.links.moderation')}</a>
          </li>
        ) : null}
        {post ? (
          <li>
            <a href="/staff/market/post">{t('exchange:staff.links.post')}</a>
          </li>
        ) : null}
        {moderate ? (
          <>
            <li>
              <a href="/staff/market/vouches">{t('exchange:staff.links.vouches')}</a>
            </li>
            <li>
              <a href="/staff/market/blocks">{t('exchange:staff.links.blocks')}</a>
            </li>
            <li>
              <a href="/staff/market/sheet">{t('exchange:staff.links.sheet')}</a>
            </li>
          </>
        ) : null}
        {may('exchange.words') ? (
          <li>
            <a href="/staff/market/words">{t('exchange:staff.links.words')}</a>
          </li>
        ) : null}
      </ul>
    </>
  );
}

/** The broadcasts' pages for members who may broadcast (operators, editors, admins). */
function BroadcastLinks(props: { ctx: PageContext; grants: Grant[] }) {
  const { t } = props.ctx;
  if (!props.grants.some((g) => permissionsOf(g.role).includes('sms.broadcast'))) return null;
  return (
    <>
      <h2>{t('web:broadcasts.links.title')}</h2>
      <ul class="price-links">
        <li>
          <a href="/staff/broadcasts">{t('web:broadcasts.links.history')}</a>
        </li>
        <li>
          <a href="/staff/broadcasts/new">{t('web:broadcasts.links.new')}</a>
        </li>
      </ul>
    </>
  );
}

/** The deployment's SMS template setting (docs/sms-templates.md): how Tibetan readers get their SMS. */
function SmsTemplates(props: { ctx: PageContext; setting: StaffView['smsTemplates'] }) {
  const { t } = props.ctx;
  const setting = props.setting;
  if (!setting) return null;
  return (
    <>
      <h2>{t('staff:smsTemplates.title')}</h2>
      <dl class="sms-templates">
        <dt>{t('staff:smsTemplates.registry')}</dt>
        <dd>{setting.deployment}</dd>
        <dt>{t('staff:smsTemplates.tibetan')}</dt>
        <dd data-tibetan-script={setting.tibetanScript}>{t(`staff:smsTemplates.script.${setting.tibetanScript}`)}</dd>
        <dt>{t('staff:smsTemplates.freeText')}</dt>
        <dd>{t(setting.generalNotice ? 'staff:smsTemplates.generalNotice' : 'staff:smsTemplates.noGeneralNotice')}</dd>
      </dl>
    </>
  );
}

/** The voice line's studio (those who record or approve clips) and its call records (operators, admins). */
function VoiceLinks(props: { ctx: PageContext; grants: Grant[] }) {
  const { t } = props.ctx;
  const may = (p: Permission) => props.grants.some((g) => permissionsOf(g.role).includes(p));
  const studio = may('voice.record') || may('content.review');
  const calls = may('voice.calls');
  if (!studio && !calls) return null;
  return (
    <>
      <h2>{t('staff:voice.links.title')}</h2>
      <ul class="price-links">
        {studio ? (
          <li>
            <a href="/staff/voice">{t('staff:voice.links.studio')}</a>
          </li>
        ) : null}
        {calls ? (
          <li>
            <a href="/staff/voice/calls">{t('staff:voice.links.calls')}</a>
          </li>
        ) : null}
      </ul>
    </>
  );
}

export interface StaffView {
  /** The deployment's SMS templates: which registry, how Tibetan is sent, whether free text can go. */
  smsTemplates?: PageDeps['smsTemplates'];
  actor: Actor;
  csrf: string;
  flash: Flash;
  /** Present when the actor may manage staff somewhere. */
  manage?: {
    members: StaffMember[];
    cursor?: string;
    /** Regions the actor may grant, in tree order. */
    regions: Region[];
    everywhere: boolean;
    adminPhones: readonly string[];
  };
  /** Present for admins of all regions. */
  audit?: AuditEntry[];
  /** Names for the price identities the audit log's targets carry. */
  names?: AuditNamer;
  regionNames: Map<string, Region>;
}

function GrantLine(props: { ctx: PageContext; grant: Grant; names: Map<string, Region> }) {
  const { ctx, grant, names } = props;
  const regionName = (id: string) =>
    id === ALL_REGIONS ? ctx.t('staff:regions.all') : names.get(id) ? primaryName(names.get(id)!.names, ctx.lang) : id;
  return (
    <>
      <strong>{ctx.t(`staff:roles.${grant.role}`)}</strong> — {grant.regions.map(regionName).join(', ')}
      {grant.languages?.length
        ? ` · ${grant.languages.map((l) => ctx.t(`staff:grantLanguages.${l}`)).join(', ')}`
        : null}
    </>
  );
}

/** One form per button: each change is its own POST, and works without JavaScript. */
function MemberRow(props: {
  ctx: PageContext;
  member: StaffMember;
  csrf: string;
  names: Map<string, Region>;
  configAdmin: boolean;
}) {
  const { ctx, member, csrf, names } = props;
  const { t } = ctx;
  const hidden = (
    <>
      <CsrfInput token={csrf} />
      <input type="hidden" name="phone" value={member.phone} />
      <input type="hidden" name="version" value={String(member.version)} />
    </>
  );
  return (
    <tr>
      <td>
        <code>{member.phone}</code>
        {props.configAdmin ? (
          <>
            {' '}
            <small class="muted">({t('staff:members.fromSettings')})</small>
          </>
        ) : null}
      </td>
      <td>
        <ul class="grants">
          {member.grants.map((grant) => (
            <li>
              <GrantLine ctx={ctx} grant={grant} names={names} />{' '}
              <form method="post" action="/staff/grants/remove" class="inline-form">
                {hidden}
                <input type="hidden" name="role" value={grant.role} />
                <button type="submit" class="secondary">
                  {t('staff:members.removeRole')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </td>
      <td>
        <form method="post" action="/staff/remove" class="inline-form">
          {hidden}
          <button type="submit" class="secondary">
            {t('staff:members.remove')}
          </button>
        </form>
      </td>
    </tr>
  );
}

function GrantForm(props: { ctx: PageContext; csrf: string; regions: Region[]; everywhere: boolean }) {
  const { ctx, csrf, regions } = props;
  const { t } = ctx;
  const indent = (r: Region) => (r.level === 'county' ? '— ' : r.level === 'town' ? '— — ' : '');
  return (
    <form method="post" action="/staff/grants" class="stack">
      <CsrfInput token={csrf} />
      <p class="muted">{t('staff:invite.intro')}</p>
      <p>
        <label for="invite-phone">{t('staff:invite.phone')}</label>
        <br />
        <input
          id="invite-phone"
          name="phone"
          type="tel"
          inputmode="tel"
          required
          maxlength={32}
          placeholder={t('staff:signIn.phoneHint')}
        />
      </p>
      <p>
        <label for="invite-role">{t('staff:invite.role')}</label>
        <br />
        <select id="invite-role" name="role" required>
          {roles.map((r) => (
            <option value={r}>{t(`staff:roles.${r}`)}</option>
          ))}
        </select>
      </p>
      <p>
        <label for="invite-regions">{t('staff:invite.regions')}</label>
        <br />
        <select id="invite-regions" name="regions" multiple required size={10} aria-describedby="invite-regions-hint">
          {props.everywhere ? <option value={ALL_REGIONS}>{t('staff:regions.all')}</option> : null}
          {regions.map((r) => (
            <option value={r.id}>
              {indent(r)}
              {primaryName(r.names, ctx.lang)}
            </option>
          ))}
        </select>
        <br />
        <small id="invite-regions-hint" class="muted">
          {t('staff:invite.regionsHint')}
        </small>
      </p>
      <fieldset class="k-langs">
        <legend>{t('staff:grantLanguages.title')}</legend>
        {(['bo', 'zh', 'en'] as const).map((l) => (
          <label>
            <input type="checkbox" name="languages" value={l} /> {t(`staff:grantLanguages.${l}`)}
          </label>
        ))}
        <br />
        <small class="muted">{t('staff:grantLanguages.hint')}</small>
      </fieldset>
      <p>
        <button type="submit">{t('staff:invite.submit')}</button>
      </p>
    </form>
  );
}

const ids: AuditNamer = { commodity: (id) => id, market: (id) => id, unit: (id) => id };

function AuditTarget(props: { ctx: PageContext; names: AuditNamer; target: string }) {
  const { text, identity } = auditTargetText(props.ctx.t, props.names, props.target);
  return identity ? <span class="audit-target">{text}</span> : <code>{text}</code>;
}

function AuditTable(props: { ctx: PageContext; entries: AuditEntry[]; names: AuditNamer }) {
  const { t } = props.ctx;
  if (!props.entries.length) return <p class="muted">{t('staff:audit.none')}</p>;
  return (
    <table class="audit">
      <thead>
        <tr>
          <th>{t('staff:audit.at')}</th>
          <th>{t('staff:audit.actor')}</th>
          <th>{t('staff:audit.action')}</th>
          <th>{t('staff:audit.target')}</th>
          <th>{t('staff:audit.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {props.entries.map((e) => (
          <tr class={e.outcome === 'denied' ? 'denied' : undefined}>
            <td>{shanghaiMinute(e.at)}</td>
            <td>
              <code>{e.actor}</code>
            </td>
            <td>{auditActionText(t, e.action)}</td>
            <td>{e.target ? <AuditTarget ctx={props.ctx} names={props.names} target={e.target} /> : null}</td>
            <td>{t(`staff:audit.${e.outcome}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The staff home: who you are and your roles; for admins, staff management and recent activity. */
export function StaffPage(props: { ctx: PageContext; view: StaffView }) {
  const { ctx, view } = props;
  const { t } = ctx;
  const { manage } = view;
  return (
    <Layout ctx={ctx} title={t('staff:home.title')}>
      <h1>{t('staff:home.title')}</h1>
      <Notice ctx={ctx} flash={view.flash} />
      <div class="whoami">
        {t('staff:home.signedInAs', { phone: view.actor.phone })}{' '}
        <form method="post" action="/sign-out" class="inline-form">
          <CsrfInput token={view.csrf} />
          <button type="submit" class="secondary">
            {t('staff:home.signOut')}
          </button>
        </form>
      </div>
      <SmsTemplates ctx={ctx} setting={view.smsTemplates} />
      <h2>{t('staff:home.yourRoles')}</h2>
      {view.actor.grants.length ? (
        <ul>
          {view.actor.grants.map((g) => (
            <li>
              <GrantLine ctx={ctx} grant={g} names={view.regionNames} />
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t('staff:home.noRoles')}</p>
      )}
      <PriceLinks ctx={ctx} grants={view.actor.grants} />
      <ExchangeLinks ctx={ctx} grants={view.actor.grants} />
      <BroadcastLinks ctx={ctx} grants={view.actor.grants} />
      <VoiceLinks ctx={ctx} grants={view.actor.grants} />
      <KnowledgeLinks
        ctx={ctx}
        may={{
          edit: view.actor.grants.some((g) => permissionsOf(g.role).includes('content.edit')),
          review: view.actor.grants.some((g) => permissionsOf(g.role).includes('content.review')),
          answer: view.actor.grants.some((g) => permissionsOf(g.role).includes('advice.answer')),
        }}
      />
      {manage ? (
        <>
          <h2>{t('staff:members.title')}</h2>
          {manage.members.length ? (
            <table class="members">
              <thead>
                <tr>
                  <th>{t('staff:members.phone')}</th>
                  <th>{t('staff:members.roles')}</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {manage.members.map((m) => (
                  <MemberRow
                    ctx={ctx}
                    member={m}
                    csrf={view.csrf}
                    names={view.regionNames}
                    configAdmin={manage.adminPhones.includes(m.phone)}
                  />
                ))}
              </tbody>
            </table>
          ) : (
            <p class="muted">{t('staff:members.none')}</p>
          )}
          {manage.cursor ? (
            <p>
              <a href={`/staff?cursor=${encodeURIComponent(manage.cursor)}`}>{t('staff:members.more')}</a>
            </p>
          ) : null}
          <h2>{t('staff:invite.title')}</h2>
          <GrantForm ctx={ctx} csrf={view.csrf} regions={manage.regions} everywhere={manage.everywhere} />
        </>
      ) : null}
      {view.audit ? (
        <>
          <h2>{t('staff:audit.title')}</h2>
          <AuditTable ctx={ctx} entries={view.audit} names={view.names ?? ids} />
        </>
      ) : null}
    </Layout>
  );
}

/**
 * Staff administration pages: /staff (your roles; for admins, staff management and recent
 * activity) and its forms. Sign-in and sign-out are apart (sign-in-pages.tsx, in the HTTP layer).
 * Every form is a plain POST answered by a redirect (POST-redirect-GET) that carries an outcome
 * key or an error code in the query, so everything works with JavaScript off and a reload never
 * repeats an action.
 */
import { type Context, Hono } from 'hono';
import { AppError } from '#core/errors.ts';
import type { Region } from '#core/reference/schemas.ts';
import { recentAudit } from '#core/staff/audit.ts';
import { inviteStaff, listStaff, removeStaff, updateStaff } from '#core/staff/manage.ts';
import { ALL_REGIONS, grantSchema } from '#core/staff/roles.ts';
import { phoneOrThrow } from '#core/staff/sign-in.ts';
import { broadcastStaffWebRoutes } from './broadcast-routes.tsx';
import { namer } from './components/price-bits.tsx';
import { exchangeStaffWebRoutes } from './exchange-staff-routes.tsx';
import { errorQuery, type Form, field, fields, flashOf, formVersion, withQuery } from './forms.ts';
import type { PageDeps, PageEnv, PageKit } from './kit.ts';
import { knowledgeStaffWebRoutes } from './knowledge-staff-routes.tsx';
import { StaffPage } from './pages/staff.tsx';
import { priceStaffWebRoutes } from './price-staff-routes.tsx';
import { questionWebRoutes } from './question-routes.tsx';
import { sendPage } from './render.tsx';
import { pageContext } from './routes.tsx';

/** Prefectures, each followed by its counties and their towns. */
function treeOrder(regions: Region[], parentId: string | null = null): Region[] {
  return regions.filter((r) => r.parentId === parentId).flatMap((r) => [r, ...treeOrder(regions, r.id)]);
}

async function allRegions(deps: PageDeps): Promise<Region[]> {
  const out: Region[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.reference.listRegions({ limit: 200, cursor });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export function staffWebRoutes(deps: PageDeps, kit: PageKit) {
  const web = new Hono<PageEnv>();

  web.get('/staff', async (c) => {
    const actor = c.get('actor');
    if (!actor) return c.redirect('/sign-in?next=/staff', 303);
    const acting = kit.acting(c);
    const regions = treeOrder(await allRegions(deps));
    let manage: Parameters<typeof StaffPage>[0]['view']['manage'];
    if (await deps.authz.can(actor, 'staff.manage')) {
      const everywhere = await deps.authz.can(actor, 'staff.manage', ALL_REGIONS);
      const cursor = c.req.query('cursor');
      const page = await listStaff(deps, acting, {
        limit: 50,
        cursor: cursor && cursor.length <= 1024 ? cursor : undefined,
      }).catch((err) => {
        if (err instanceof AppError && err.code === 'invalid_cursor') return listStaff(deps, acting, { limit: 50 });
        throw err;
      });
      const grantable = [];
      for (const r of regions) if (everywhere || (await deps.authz.can(actor, 'staff.manage', r.id))) grantable.push(r);
      manage = {
        members: page.items,
        cursor: page.cursor,
        regions: grantable,
        everywhere,
        adminPhones: deps.adminPhones,
      };
    }
    const audit = (await deps.authz.can(actor, 'audit.read', ALL_REGIONS))
      ? await recentAudit(deps.audit, deps.now(), 30)
      : undefined;
    const names = audit ? namer(await deps.catalog(), c.get('language')) : undefined;
    const view = {
      actor,
      csrf: c.get('csrfToken')(),
      flash: flashOf(c),
      manage,
      audit,
      names,
      regionNames: new Map(regions.map((r) => [r.id, r])),
      smsTemplates: deps.smsTemplates,
    };
    return sendPage(c, <StaffPage ctx={pageContext(c)} view={view} />);
  });

  /** A staff form: signed in, else to the sign-in page; a refusal comes back to /staff as an error. */
  const staffForm = (action: (c: Context<PageEnv>, form: Form) => Promise<string>) => async (c: Context<PageEnv>) => {
    if (!c.get('actor')) return c.redirect('/sign-in?next=/staff', 303);
    const form = await c.req.parseBody({ all: true });
    try {
      return c.redirect(withQuery('/staff', { done: await action(c, form) }), 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return c.redirect(withQuery('/staff', errorQuery(err)), 303);
    }
  };

  /** Invites the phone with this role, or adds the role to a member's grants. */
  web.post(
    '/staff/grants',
    staffForm(async (c, form) => {
      // Reviewers and experts may be limited to the languages they read; none ticked: all of them.
      const languages = fields(form, 'languages');
      const parsed = grantSchema.safeParse({
        role: field(form, 'role'),
        regions: fields(form, 'regions'),
        ...(languages.length && ['reviewer', 'expert'].includes(field(form, 'role')) ? { languages } : {}),
      });
      if (!parsed.success) throw new AppError('validation_failed');
      const phone = phoneOrThrow(field(form, 'phone'));
      const member = await deps.staff.get(phone);
      if (!member) {
        await inviteStaff(deps, kit.acting(c), { phone, grants: [parsed.data] });
        return 'done.invited';
      }
      await updateStaff(deps, kit.acting(c), phone, {
        grants: [...member.grants, parsed.data],
        version: formVersion(form) ?? member.version,
      });
      return 'done.updated';
    }),
  );

  web.post(
    '/staff/grants/remove',
    staffForm(async (c, form) => {
      const phone = phoneOrThrow(field(form, 'phone'));
      const member = await deps.staff.get(phone);
      if (!member) throw new AppError('not_found', { kind: 'staff', id: phone });
      await updateStaff(deps, kit.acting(c), phone, {
        grants: member.grants.filter((g) => g.role !== field(form, 'role')),
        version: formVersion(form),
      });
      return 'done.updated';
    }),
  );

  web.post(
    '/staff/remove',
    staffForm(async (c, form) => {
      await removeStaff(deps, kit.acting(c), field(form, 'phone'), formVersion(form));
      return 'done.removed';
    }),
  );

  // Price entry and the review queue (the CSV upload pages live in the import Lambda).
  web.route('/', priceStaffWebRoutes(deps, kit));
  // The exchange's moderation, numbers, flagged words, posting for a farmer, market sheet.
  web.route('/', exchangeStaffWebRoutes(deps, kit));
  // Broadcasts: history, compose and preview, a broadcast's page and its steps.
  web.route('/', broadcastStaffWebRoutes(deps, kit));
  // The knowledge library's drafts, reviews and attachments; the experts' questions.
  web.route('/', knowledgeStaffWebRoutes(deps, kit));
  web.route('/', questionWebRoutes(deps, kit));

  return web;
}

/**
 * Staff pages: sign-in (phone → code → signed in), sign-out, and /staff (your roles; for
 * admins, staff management and recent activity). Every form is a plain POST answered by a
 * redirect (POST-redirect-GET) that carries an outcome key or an error code in the query, so
 * everything works with JavaScript off and a reload never repeats an action.
 */
import { type Context, Hono } from 'hono';
import { AppError, errorStatus } from '#core/errors.ts';
import type { Region } from '#core/reference/schemas.ts';
import { recentAudit } from '#core/staff/audit.ts';
import { codePolicy } from '#core/staff/codes.ts';
import { inviteStaff, listStaff, removeStaff, updateStaff } from '#core/staff/manage.ts';
import { ALL_REGIONS, grantSchema } from '#core/staff/roles.ts';
import { closeSession, openSessions, phoneOrThrow, requestSignInCode, verifySignInCode } from '#core/staff/sign-in.ts';
import type { AppDeps, AppEnv } from '#http/env.ts';
import {
  actingOf,
  clearCookie,
  clientAddress,
  guardDeps,
  presentedSessionHash,
  readCookie,
  SESSION_COOKIE,
  setSessionCookie,
  writeCookie,
} from '#http/middleware/auth.ts';
import { keepDeviceToken, presentedDeviceTokens } from '#http/middleware/device.ts';
import { requestedLanguage } from '#http/middleware/requested-language.ts';
import { namer } from './components/price-bits.tsx';
import { CsrfFailedPage, type Flash, SignInPage } from './pages/sign-in.tsx';
import { StaffPage } from './pages/staff.tsx';
import { priceStaffWebRoutes } from './price-staff-routes.tsx';
import { sendPage } from './render.tsx';
import { pageContext } from './routes.tsx';

/** Holds the number a code was sent to between the two sign-in steps (kept out of URLs and logs). */
const SIGN_IN_COOKIE = 'sign_in';
const FLASH_PARAMS = ['tries', 'minutes', 'seconds'] as const;
const DONE = new Set(['signIn.signedOut', 'done.invited', 'done.updated', 'done.removed']);

type Form = Record<string, string | File | (string | File)[]>;
const field = (form: Form, name: string) => {
  const v = form[name];
  return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : '';
};
const fields = (form: Form, name: string) =>
  [form[name] ?? []].flat().filter((v): v is string => typeof v === 'string');
const version = (form: Form) => (/^\d{1,9}$/.test(field(form, 'version')) ? Number(field(form, 'version')) : undefined);

/** Only local paths: never an open redirect. */
const safeNext = (value: string | undefined) => (value && /^\/(?![/\\])[\w\-./?=&%]*$/.test(value) ? value : undefined);

function withQuery(path: string, query: Record<string, string | number | undefined>) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

const errorQuery = (err: AppError) => ({
  error: err.code,
  ...Object.fromEntries(
    FLASH_PARAMS.filter((k) => typeof err.params[k] === 'number').map((k) => [k, err.params[k] as number]),
  ),
});

function flashOf(c: Context<AppEnv>): Flash {
  const code = c.req.query('error');
  if (code && code in errorStatus) {
    const params = Object.fromEntries(
      FLASH_PARAMS.flatMap((k) => (/^\d{1,6}$/.test(c.req.query(k) ?? '') ? [[k, Number(c.req.query(k))]] : [])),
    );
    return { error: { code, params } };
  }
  const done = c.req.query('done');
  return done && DONE.has(done) ? { done } : {};
}

/** Prefectures, each followed by its counties and their towns. */
function treeOrder(regions: Region[], parentId: string | null = null): Region[] {
  return regions.filter((r) => r.parentId === parentId).flatMap((r) => [r, ...treeOrder(regions, r.id)]);
}

async function allRegions(deps: AppDeps): Promise<Region[]> {
  const out: Region[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.reference.listRegions({ limit: 200, cursor });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

export function renderCsrfFailure(c: Context<AppEnv>) {
  const back = c.req.path.startsWith('/staff') ? '/staff' : c.req.path.startsWith('/sign-in') ? '/sign-in' : '/';
  return withStatus(sendPage(c, <CsrfFailedPage ctx={pageContext(c)} back={back} />), 403);
}

const withStatus = async (res: Response | Promise<Response>, status: number) => {
  const r = await res;
  return new Response(r.body, { status, headers: r.headers });
};

export function staffWebRoutes(deps: AppDeps) {
  const web = new Hono<AppEnv>();
  const admin = () => ({ ...guardDeps(deps), staff: deps.staff, audit: deps.audit });
  const pendingPhone = (c: Context<AppEnv>) => {
    const v = readCookie(c, deps.mode, SIGN_IN_COOKIE);
    return v && /^\+[1-9]\d{6,14}$/.test(v) ? v : undefined;
  };

  web.get('/sign-in', (c) => {
    const next = safeNext(c.req.query('next'));
    if (c.get('actor')) return c.redirect(next ?? '/staff', 303);
    const phone = pendingPhone(c);
    const step = c.req.query('step') === 'code' && phone ? 'code' : 'phone';
    return sendPage(
      c,
      <SignInPage ctx={pageContext(c)} view={{ step, phone, csrf: c.get('csrfToken')(), flash: flashOf(c), next }} />,
    );
  });

  web.post('/sign-in/code', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const next = safeNext(field(form, 'next'));
    const pending = pendingPhone(c);
    try {
      // The SMS comes in the page's language (the lang cookie the switch set, or Accept-Language), else the member's own.
      const { phone } = await requestSignInCode(deps, {
        phone: field(form, 'phone'),
        clientAddress: clientAddress(c),
        deviceTokens: presentedDeviceTokens(c, deps.mode),
        language: requestedLanguage(c),
      });
      writeCookie(c, deps.mode, SIGN_IN_COOKIE, phone, codePolicy.validSeconds);
      return c.redirect(withQuery('/sign-in', { step: 'code', next }), 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      // A refused resend stays on the code step; a refused first request, on the phone step.
      const step = pending && field(form, 'phone') === pending ? 'code' : undefined;
      return c.redirect(withQuery('/sign-in', { step, next, ...errorQuery(err) }), 303);
    }
  });

  web.post('/sign-in', async (c) => {
    const form = await c.req.parseBody({ all: true });
    const next = safeNext(field(form, 'next'));
    const phone = pendingPhone(c);
    if (!phone) return c.redirect(withQuery('/sign-in', { next }), 303);
    try {
      const signedIn = await verifySignInCode(deps, {
        phone,
        code: field(form, 'code'),
        clientAddress: clientAddress(c),
        deviceTokens: presentedDeviceTokens(c, deps.mode),
      });
      const { web: opened } = await openSessions(deps, signedIn.actor, ['web'], {
        requestId: c.get('requestId'),
        replacing: presentedSessionHash(c, deps.mode),
      });
      setSessionCookie(c, deps.mode, opened.token);
      // This browser is a known device of the phone from now on (core/staff/devices.ts).
      keepDeviceToken(c, deps.mode, signedIn.deviceToken, signedIn.replacedToken);
      clearCookie(c, deps.mode, SIGN_IN_COOKIE);
      return c.redirect(next ?? '/staff', 303);
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      return c.redirect(withQuery('/sign-in', { step: 'code', next, ...errorQuery(err) }), 303);
    }
  });

  web.post('/sign-out', async (c) => {
    const session = c.get('session');
    if (session?.kind === 'web') await closeSession(deps, session, c.get('requestId'));
    clearCookie(c, deps.mode, SESSION_COOKIE);
    return c.redirect('/sign-in?done=signIn.signedOut', 303);
  });

  web.get('/staff', async (c) => {
    const actor = c.get('actor');
    if (!actor) return c.redirect('/sign-in?next=/staff', 303);
    const adm = admin();
    const acting = actingOf(c);
    const regions = treeOrder(await allRegions(deps));
    let manage: Parameters<typeof StaffPage>[0]['view']['manage'];
    if (await adm.authz.can(actor, 'staff.manage')) {
      const everywhere = await adm.authz.can(actor, 'staff.manage', ALL_REGIONS);
      const cursor = c.req.query('cursor');
      const page = await listStaff(adm, acting, {
        limit: 50,
        cursor: cursor && cursor.length <= 1024 ? cursor : undefined,
      }).catch((err) => {
        if (err instanceof AppError && err.code === 'invalid_cursor') return listStaff(adm, acting, { limit: 50 });
        throw err;
      });
      const grantable = [];
      for (const r of regions) if (everywhere || (await adm.authz.can(actor, 'staff.manage', r.id))) grantable.push(r);
      manage = {
        members: page.items,
        cursor: page.cursor,
        regions: grantable,
        everywhere,
        adminPhones: deps.adminPhones,
      };
    }
    const audit = (await adm.authz.can(actor, 'audit.read', ALL_REGIONS))
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
    };
    return sendPage(c, <StaffPage ctx={pageContext(c)} view={view} />);
  });

  /** A staff form: signed in, else to the sign-in page; a refusal comes back to /staff as an error. */
  const staffForm = (action: (c: Context<AppEnv>, form: Form) => Promise<string>) => async (c: Context<AppEnv>) => {
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
      const parsed = grantSchema.safeParse({ role: field(form, 'role'), regions: fields(form, 'regions') });
      if (!parsed.success) throw new AppError('validation_failed');
      const phone = phoneOrThrow(field(form, 'phone'));
      const member = await deps.staff.get(phone);
      if (!member) {
        await inviteStaff(admin(), actingOf(c), { phone, grants: [parsed.data] });
        return 'done.invited';
      }
      await updateStaff(admin(), actingOf(c), phone, {
        grants: [...member.grants, parsed.data],
        version: version(form) ?? member.version,
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
      await updateStaff(admin(), actingOf(c), phone, {
        grants: member.grants.filter((g) => g.role !== field(form, 'role')),
        version: version(form),
      });
      return 'done.updated';
    }),
  );

  web.post(
    '/staff/remove',
    staffForm(async (c, form) => {
      await removeStaff(admin(), actingOf(c), field(form, 'phone'), version(form));
      return 'done.removed';
    }),
  );

  // Price entry and the review queue (the CSV upload pages live in the import Lambda).
  web.route('/', priceStaffWebRoutes(deps));

  return web;
}

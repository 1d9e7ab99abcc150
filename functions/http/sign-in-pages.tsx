/**
 * Staff sign-in in the browser (phone → code → signed in) and sign-out: the pages' half of
 * sign-in, beside the API's (api/auth.ts). Here, not in web/, because it is about the session:
 * its cookies, the device tokens and the caller's address. Every form is a plain POST answered
 * by a redirect (POST-redirect-GET) that carries an error code in the query, so it all works
 * with JavaScript off and a reload never repeats an action.
 */
import { type Context, Hono } from 'hono';
import { AppError } from '#core/errors.ts';
import { codePolicy } from '#core/staff/codes.ts';
import { closeSession, openSessions, requestSignInCode, verifySignInCode } from '#core/staff/sign-in.ts';
import { errorQuery, field, flashOf, safeNext, withQuery } from '#web/forms.ts';
import { SignInPage } from '#web/pages/sign-in.tsx';
import { sendPage } from '#web/render.tsx';
import { pageContext } from '#web/routes.tsx';
import type { AppDeps, AppEnv } from './env.ts';
import {
  clearCookie,
  clientAddress,
  presentedSessionHash,
  readCookie,
  SESSION_COOKIE,
  setSessionCookie,
  writeCookie,
} from './middleware/auth.ts';
import { keepDeviceToken, presentedDeviceTokens } from './middleware/device.ts';
import { requestedLanguage } from './middleware/requested-language.ts';

/** Holds the number a code was sent to between the two sign-in steps (kept out of URLs and logs). */
const SIGN_IN_COOKIE = 'sign_in';

export function signInPageRoutes(deps: AppDeps) {
  const web = new Hono<AppEnv>();
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

  return web;
}

import { codePolicy } from '#core/staff/codes.ts';
import { grantSchema, roleNames, roles } from '#core/staff/roles.ts';
import { closeSession, openSessions, requestSignInCode, verifySignInCode } from '#core/staff/sign-in.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf, clearCookie, clientAddress, presentedSessionHash, SESSION_COOKIE, setSessionCookie } from '../middleware/auth.ts';
import { ApiRouter, component } from '../openapi.ts';
import { describe, json, problem } from './schemas.ts';

export const Grant = component('Grant', grantSchema, "A role with its regions (a prefecture covers its counties and towns; '*' is every region)");

const Phone = describe(z.string().check(z.minLength(1), z.maxLength(32)), 'Mobile number, E.164 (+8613800000000) or as written in China (138 0000 0000)');
const tags = ['staff'];

/** Staff sign-in (SMS one-time code), API tokens, and who am I. */
export function authRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();

  api.route(
    {
      method: 'post', path: '/auth/code', tags, summary: 'Send a sign-in code by SMS',
      description: `Staff phones get a ${codePolicy.digits}-digit code, valid ${codePolicy.validSeconds / 60} minutes. Other phones get the same 202 and no SMS, so the answer never tells who is staff. At most ${codePolicy.perHour} codes an hour per phone and per address; one a minute.`,
      body: z.object({ phone: Phone }),
      responses: {
        202: json(z.object({ expiresInSeconds: z.number().check(z.int()), resendAfterSeconds: z.number().check(z.int()) }), 'Accepted: a code is on its way if the phone is staff'),
        400: problem('Not a phone number (invalid_phone)'),
        401: problem('Locked after too many wrong codes (locked)'),
        429: problem('Too many codes (rate_limited)'),
      },
    },
    async (c, { body }) => {
      await requestSignInCode(deps, { phone: body.phone, clientAddress: clientAddress(c) });
      c.header('Cache-Control', 'no-store');
      return c.json({ expiresInSeconds: codePolicy.validSeconds, resendAfterSeconds: codePolicy.resendSeconds }, 202);
    },
  );

  api.route(
    {
      method: 'post', path: '/auth/token', tags, summary: 'Trade a sign-in code for a bearer token and a session cookie',
      description: 'Each sign-in opens a new session and ends the one the cookie held. Wrong, expired and used codes are refused with distinct codes; the fifth wrong try locks the phone for 15 minutes.',
      body: z.object({ phone: Phone, code: describe(z.string().check(z.minLength(1), z.maxLength(20)), 'The code from the SMS') }),
      responses: {
        200: json(z.object({ token: describe(z.string(), 'Bearer token for API clients, valid 30 days') }), 'Signed in'),
        400: problem('Not a phone number'),
        401: problem('code_invalid, code_expired, code_used or locked'),
        429: problem('Too many tries from this address'),
      },
    },
    async (c, { body }) => {
      const actor = await verifySignInCode(deps, { phone: body.phone, code: body.code, clientAddress: clientAddress(c) });
      const { api: apiSession, web } = await openSessions(deps, actor, ['api', 'web'], { requestId: c.get('requestId'), replacing: presentedSessionHash(c, deps.mode) });
      setSessionCookie(c, deps.mode, web.token);
      c.header('Cache-Control', 'no-store');
      return c.json({ token: apiSession.token }, 200);
    },
  );

  api.route(
    { method: 'post', path: '/auth/sign-out', tags, auth: true, summary: 'End this session (the bearer token or the cookie session)', responses: { 204: { description: 'Signed out' }, 401: problem('Not signed in') } },
    async (c) => {
      actingOf(c);
      await closeSession(deps, c.get('session')!, c.get('requestId'));
      if (c.get('session')!.kind === 'web') clearCookie(c, deps.mode, SESSION_COOKIE);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: 'get', path: '/me', tags, auth: true, summary: 'Who is signed in, with roles and the regions of each',
      responses: {
        200: json(z.object({ phone: z.string(), roles: describe(z.array(z.enum(roles)), 'Role names held (in any region)'), grants: describe(z.array(Grant), "Each role with its regions; '*' means all regions") }), 'The signed-in staff member'),
        401: problem('Not signed in'),
      },
    },
    (c) => {
      const { actor } = actingOf(c);
      c.header('Cache-Control', 'no-store');
      return c.json({ phone: actor.phone, roles: roleNames(actor.grants), grants: actor.grants }, 200);
    },
  );
  return api;
}

import { codePolicy } from '#core/staff/codes.ts';
import { grantSchema, roleNames, roles } from '#core/staff/roles.ts';
import { closeSession, openSessions, requestSignInCode, verifySignInCode } from '#core/staff/sign-in.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import {
  actingOf,
  clearCookie,
  clientAddress,
  presentedSessionHash,
  SESSION_COOKIE,
  setSessionCookie,
} from '../middleware/auth.ts';
import { DEVICE_HEADER, keepDeviceToken, presentedDeviceTokens } from '../middleware/device.ts';
import { requestedLanguage } from '../middleware/requested-language.ts';
import { ApiRouter, component } from '../openapi.ts';
import { describe, json, problem } from './schemas.ts';

export const Grant = component(
  'Grant',
  grantSchema,
  "A role with its regions (a prefecture covers its counties and towns; '*' is every region)",
);

const Phone = describe(
  z.string().check(z.minLength(1), z.maxLength(32)),
  'Mobile number, E.164 (+8613800000000) or as written in China (138 0000 0000)',
);
const tags = ['staff'];

/** Staff sign-in (SMS one-time code), API tokens, and who am I. */
export function authRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();

  api.route(
    {
      method: 'post',
      path: '/auth/code',
      tags,
      summary: 'Send a sign-in code by SMS',
      description:
        `Staff phones get a ${codePolicy.digits}-digit code by SMS, in the language the request names (\`?lang\`, the lang cookie or Accept-Language), else the one the staff member chose for SMS, else Tibetan. ` +
        `A code is good for ${codePolicy.validSeconds / 60} minutes, and every code SMS for at least ${(codePolicy.validSeconds - codePolicy.freshSeconds) / 60} minutes after it was sent; asking again within ${codePolicy.freshSeconds / 60} minutes re-sends the same code. ` +
        `Other phones get the same 202 and no SMS, so neither the answer nor its timing tells who is staff. ` +
        `Limits, which count only requests they let through: one request a minute and ${codePolicy.perHour} an hour per client — a device that has signed in as this phone before (its \`${DEVICE_HEADER}\` header or cookie), else this phone from this address — and ${codePolicy.addressCodesPerHour} an hour per address. A 429 carries Retry-After.`,
      body: z.object({ phone: Phone }),
      responses: {
        202: json(
          z.object({ expiresInSeconds: z.number().check(z.int()), resendAfterSeconds: z.number().check(z.int()) }),
          'Accepted: a code is on its way if the phone is staff',
        ),
        400: problem('Not a phone number (invalid_phone)'),
        401: problem(
          'This client is locked after too many wrong codes, or strangers have had all their tries for this phone today (locked)',
        ),
        429: problem('Too many requests (rate_limited); Retry-After says when to ask again'),
      },
    },
    async (c, { body }) => {
      await requestSignInCode(deps, {
        phone: body.phone,
        clientAddress: clientAddress(c),
        deviceTokens: presentedDeviceTokens(c, deps.mode),
        language: requestedLanguage(c),
      });
      c.header('Cache-Control', 'no-store');
      return c.json({ expiresInSeconds: codePolicy.validSeconds, resendAfterSeconds: codePolicy.resendSeconds }, 202);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/token',
      tags,
      summary: 'Trade a sign-in code for a bearer token and a session cookie',
      description:
        `Each sign-in opens a new session and ends the one the cookie held, and answers with a device token in the \`${DEVICE_HEADER}\` header (browsers also get it as an HttpOnly cookie): send it back in that header with later code requests and answers, and this client is counted on its own, so nobody else's wrong codes can lock it out. ` +
        `Wrong, expired and used codes are refused with distinct codes. The ${codePolicy.maxFailures}th wrong code in a row locks this client for ${codePolicy.lockSeconds / 60} minutes; clients without a device token of the phone have ${codePolicy.strangerFailuresPerDay} wrong codes a day between them, and ${codePolicy.addressFailuresPerHour} an hour per address.`,
      body: z.object({
        phone: Phone,
        code: describe(z.string().check(z.minLength(1), z.maxLength(20)), 'The code from the SMS'),
      }),
      responses: {
        200: json(
          z.object({ token: describe(z.string(), 'Bearer token for API clients, valid 30 days') }),
          'Signed in (the device token is in the Device-Token header)',
        ),
        400: problem('Not a phone number'),
        401: problem('code_invalid, code_expired, code_used or locked'),
        429: problem('Too many wrong codes from this address (rate_limited); Retry-After says when to try again'),
      },
    },
    async (c, { body }) => {
      const signedIn = await verifySignInCode(deps, {
        phone: body.phone,
        code: body.code,
        clientAddress: clientAddress(c),
        deviceTokens: presentedDeviceTokens(c, deps.mode),
      });
      const { api: apiSession, web } = await openSessions(deps, signedIn.actor, ['api', 'web'], {
        requestId: c.get('requestId'),
        replacing: presentedSessionHash(c, deps.mode),
      });
      setSessionCookie(c, deps.mode, web.token);
      keepDeviceToken(c, deps.mode, signedIn.deviceToken, signedIn.replacedToken);
      c.header('Cache-Control', 'no-store');
      return c.json({ token: apiSession.token }, 200);
    },
  );

  api.route(
    {
      method: 'post',
      path: '/auth/sign-out',
      tags,
      auth: true,
      summary: 'End this session (the bearer token or the cookie session)',
      responses: { 204: { description: 'Signed out' }, 401: problem('Not signed in') },
    },
    async (c) => {
      actingOf(c);
      await closeSession(deps, c.get('session')!, c.get('requestId'));
      if (c.get('session')!.kind === 'web') clearCookie(c, deps.mode, SESSION_COOKIE);
      return c.body(null, 204);
    },
  );

  api.route(
    {
      method: 'get',
      path: '/me',
      tags,
      auth: true,
      summary: 'Who is signed in, with roles and the regions of each',
      responses: {
        200: json(
          z.object({
            phone: z.string(),
            roles: describe(z.array(z.enum(roles)), 'Role names held (in any region)'),
            grants: describe(z.array(Grant), "Each role with its regions; '*' means all regions"),
          }),
          'The signed-in staff member',
        ),
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

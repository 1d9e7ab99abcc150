import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { codePolicy } from '#core/staff/codes.ts';
import { grantLimits, regionIdPattern, roleNames, roles } from '#core/staff/roles.ts';
import { closeSession, openSessions, requestSignInCode, verifySignInCode } from '#core/staff/sign-in.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf, clientAddress, cookieName, presentedSessionHash, SESSION_COOKIE, setSessionCookie, clearCookie } from '../middleware/auth.ts';
import { validationHook } from '../validation.ts';
import { Problem } from './schemas.ts';

/** The wire form of core's grantSchema (zod/mini) for @hono/zod-openapi, which needs classic zod; same rules. */
export const Grant = z
  .object({
    role: z.enum(roles),
    regions: z.array(z.string().regex(regionIdPattern, 'a region id, or * for all regions')).min(1).max(grantLimits.regions).describe("Region ids (a prefecture covers its counties and towns), or ['*'] for all regions"),
  })
  .meta({ id: 'Grant' });

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
const jsonBody = <T extends z.ZodType>(schema: T) => ({ required: true, content: { 'application/json': { schema } } });
export const secured: Array<Record<string, string[]>> = [{ bearerToken: [] }, { sessionCookie: [] }];

const Phone = z.string().min(1).max(32).describe('Mobile number, E.164 (+8613800000000) or as written in China (138 0000 0000)').openapi({ example: '+8613800000000' });

/** Staff sign-in (SMS one-time code), API tokens, and who am I. */
export function authRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: `From POST /auth/token; valid 30 days. Send as Authorization: Bearer <token>.`,
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: cookieName(deps.mode, SESSION_COOKIE),
    description: 'The browser session set at sign-in (HttpOnly, SameSite=Lax).',
  });

  app.openapi(
    createRoute({
      method: 'post', path: '/auth/code', tags: ['staff'], summary: 'Send a sign-in code by SMS',
      description: `Staff phones get a ${codePolicy.digits}-digit code, valid ${codePolicy.validSeconds / 60} minutes. Other phones get the same 202 and no SMS, so the answer never tells who is staff. At most ${codePolicy.perHour} codes an hour per phone and per address; one a minute.`,
      request: { body: jsonBody(z.object({ phone: Phone })) },
      responses: {
        202: { description: 'Accepted: a code is on its way if the phone is staff', content: { 'application/json': { schema: z.object({ expiresInSeconds: z.number().int(), resendAfterSeconds: z.number().int() }) } } },
        400: problem('Not a phone number (invalid_phone)'),
        401: problem('Locked after too many wrong codes (locked)'),
        429: problem('Too many codes (rate_limited)'),
      },
    }),
    async (c) => {
      await requestSignInCode(deps, { phone: c.req.valid('json').phone, clientAddress: clientAddress(c) });
      c.header('Cache-Control', 'no-store');
      return c.json({ expiresInSeconds: codePolicy.validSeconds, resendAfterSeconds: codePolicy.resendSeconds }, 202);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/auth/token', tags: ['staff'], summary: 'Trade a sign-in code for a bearer token and a session cookie',
      description: 'Each sign-in opens a new session and ends the one the cookie held. Wrong, expired and used codes are refused with distinct codes; the fifth wrong try locks the phone for 15 minutes.',
      request: { body: jsonBody(z.object({ phone: Phone, code: z.string().min(1).max(20).describe('The code from the SMS') })) },
      responses: {
        200: { description: 'Signed in', content: { 'application/json': { schema: z.object({ token: z.string().describe('Bearer token for API clients, valid 30 days') }) } } },
        400: problem('Not a phone number'),
        401: problem('code_invalid, code_expired, code_used or locked'),
        429: problem('Too many tries from this address'),
      },
    }),
    async (c) => {
      const { phone, code } = c.req.valid('json');
      const actor = await verifySignInCode(deps, { phone, code, clientAddress: clientAddress(c) });
      const { api, web } = await openSessions(deps, actor, ['api', 'web'], { requestId: c.get('requestId'), replacing: presentedSessionHash(c, deps.mode) });
      setSessionCookie(c, deps.mode, web.token);
      c.header('Cache-Control', 'no-store');
      return c.json({ token: api.token }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/auth/sign-out', tags: ['staff'], summary: 'End this session (the bearer token or the cookie session)', security: secured,
      responses: { 204: { description: 'Signed out' }, 401: problem('Not signed in') },
    }),
    async (c) => {
      actingOf(c);
      await closeSession(deps, c.get('session')!, c.get('requestId'));
      if (c.get('session')!.kind === 'web') clearCookie(c, deps.mode, SESSION_COOKIE);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/me', tags: ['staff'], summary: 'Who is signed in, with roles and the regions of each', security: secured,
      responses: {
        200: {
          description: 'The signed-in staff member',
          content: { 'application/json': { schema: z.object({ phone: z.string(), roles: z.array(z.enum(roles)).describe('Role names held (in any region)'), grants: z.array(Grant).describe("Each role with its regions; '*' means all regions") }) } },
        },
        401: problem('Not signed in'),
      },
    }),
    (c) => {
      const { actor } = actingOf(c);
      c.header('Cache-Control', 'no-store');
      return c.json({ phone: actor.phone, roles: roleNames(actor.grants), grants: actor.grants }, 200);
    },
  );
  return app;
}

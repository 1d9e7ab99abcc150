import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { getStaff, inviteStaff, listStaff, removeStaff, updateStaff } from '#core/staff/manage.ts';
import { ALL_REGIONS, grantLimits } from '#core/staff/roles.ts';
import { shanghaiDay } from '#core/time.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf, guardDeps, requirePermission } from '../middleware/auth.ts';
import { validationHook } from '../validation.ts';
import { Grant, secured } from './auth.ts';
import { pageOf, pageQuery, Problem } from './schemas.ts';

const StaffMember = z
  .object({ phone: z.string(), grants: z.array(Grant), invitedBy: z.string(), createdAt: z.string(), updatedAt: z.string(), version: z.number().int() })
  .meta({ id: 'StaffMember' });

const AuditEntry = z
  .object({
    id: z.string(), at: z.string(), actor: z.string(), action: z.string(), target: z.string().optional(), regions: z.array(z.string()).optional(),
    outcome: z.enum(['ok', 'denied']), detail: z.record(z.string(), z.unknown()).optional(), requestId: z.string().optional(),
  })
  .meta({ id: 'AuditEntry' });

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
const errors = { 400: problem('Invalid input'), 401: problem('Not signed in'), 403: problem('Outside your role or regions (logged)') };
const json = <T extends z.ZodType>(schema: T, description: string) => ({ description, content: { 'application/json': { schema } } });
const phoneParam = z.object({ phone: z.string().min(1).max(32).describe('E.164, URL-encoded (%2B8613800000000)') });
const grantsBody = z.array(Grant).max(grantLimits.grants).describe("Roles with their regions; a prefecture covers its counties and towns; '*' is every region");

/** Staff administration and the audit log. Every change is region-checked and logged. */
export function staffRoutes(deps: AppDeps) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  const admin = guardDeps(deps);
  const core = { ...admin, staff: deps.staff, audit: deps.audit };
  const base = { tags: ['staff'], security: secured };

  app.openapi(
    createRoute({ ...base, method: 'get', path: '/staff', summary: 'Staff you may manage', request: { query: pageQuery }, responses: { 200: json(pageOf(StaffMember), 'A page of staff'), ...errors } }),
    async (c) => {
      const { limit = 100, cursor } = c.req.valid('query');
      return c.json(await listStaff(core, actingOf(c), { limit, cursor }), 200);
    },
  );
  app.openapi(
    createRoute({
      ...base, method: 'post', path: '/staff', summary: 'Invite a staff member by phone, with roles in regions',
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ phone: z.string().min(1).max(32), grants: grantsBody }) } } } },
      responses: { 201: json(StaffMember, 'Invited: the phone can now sign in'), ...errors, 409: problem('Already staff') },
    }),
    async (c) => c.json(await inviteStaff(core, actingOf(c), c.req.valid('json')), 201),
  );
  app.openapi(
    createRoute({ ...base, method: 'get', path: '/staff/{phone}', summary: 'One staff member', request: { params: phoneParam }, responses: { 200: json(StaffMember, 'The member'), ...errors, 404: problem('Not staff') } }),
    async (c) => c.json(await getStaff(core, actingOf(c), c.req.valid('param').phone), 200),
  );
  app.openapi(
    createRoute({
      ...base, method: 'put', path: '/staff/{phone}', summary: "Replace a member's roles and regions",
      request: { params: phoneParam, body: { required: true, content: { 'application/json': { schema: z.object({ grants: grantsBody, version: z.number().int().positive().optional().describe('The version you read; a different stored version is a 409') }) } } } },
      responses: { 200: json(StaffMember, 'Saved'), ...errors, 404: problem('Not staff'), 409: problem('Changed by someone else') },
    }),
    async (c) => c.json(await updateStaff(core, actingOf(c), c.req.valid('param').phone, c.req.valid('json')), 200),
  );
  app.openapi(
    createRoute({
      ...base, method: 'delete', path: '/staff/{phone}', summary: 'Remove a staff member (their sessions stop working at once)',
      request: { params: phoneParam, query: z.object({ version: z.coerce.number().int().positive().optional() }) },
      responses: { 204: { description: 'Removed' }, ...errors, 404: problem('Not staff'), 409: problem('Changed by someone else') },
    }),
    async (c) => {
      await removeStaff(core, actingOf(c), c.req.valid('param').phone, c.req.valid('query').version);
      return c.body(null, 204);
    },
  );
  app.openapi(
    createRoute({
      ...base, method: 'get', path: '/audit', summary: 'The audit log of one Asia/Shanghai day, newest first (admins of all regions)',
      middleware: [requirePermission(deps, 'audit.read', () => ALL_REGIONS)] as const,
      request: { query: pageQuery.extend({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional().describe('YYYY-MM-DD; default today') }) },
      responses: { 200: json(pageOf(AuditEntry), 'A page of entries'), ...errors },
    }),
    async (c) => {
      const { limit = 100, cursor, day } = c.req.valid('query');
      return c.json(await deps.audit.listDay(day ?? shanghaiDay(deps.now()), { limit, cursor }), 200);
    },
  );
  return app;
}

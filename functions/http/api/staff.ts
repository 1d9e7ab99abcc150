import { shanghaiDay } from '#core/dates.ts';
import { getStaff, inviteStaff, listStaff, removeStaff, updateStaff } from '#core/staff/manage.ts';
import { ALL_REGIONS, grantsSchema } from '#core/staff/roles.ts';
import * as z from '#core/zod.ts';
import type { AppDeps, AppEnv } from '../env.ts';
import { actingOf, requirePermission } from '../middleware/auth.ts';
import { ApiRouter, component } from '../openapi.ts';
import { Grant } from './auth.ts';
import { describe, json, pageFields, pageOf, pageQuery, problem } from './schemas.ts';

const StaffMember = component(
  'StaffMember',
  z.object({
    phone: z.string(),
    grants: z.array(Grant),
    invitedBy: z.string(),
    createdAt: z.string(),
    updatedAt: z.string(),
    version: z.number().check(z.int()),
  }),
);

const AuditEntry = component(
  'AuditEntry',
  z.object({
    id: z.string(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.optional(z.string()),
    regions: z.optional(z.array(z.string())),
    outcome: z.enum(['ok', 'denied']),
    detail: z.optional(z.record(z.string(), z.unknown())),
    requestId: z.optional(z.string()),
  }),
);

const errors = {
  400: problem('Invalid input'),
  401: problem('Not signed in'),
  403: problem('Outside your role or regions (logged)'),
};
const phoneParam = z.object({
  phone: describe(z.string().check(z.minLength(1), z.maxLength(32)), 'E.164, URL-encoded (%2B8613800000000)'),
});
const grantsBody = describe(
  grantsSchema,
  "Roles with their regions; a prefecture covers its counties and towns; '*' is every region",
);
const version = z.optional(z.number().check(z.int(), z.positive()));

/** Staff administration and the audit log. Every change is region-checked and logged. */
export function staffRoutes(deps: AppDeps) {
  const api = new ApiRouter<AppEnv>();
  const base = { tags: ['staff'], auth: true };

  api.route(
    {
      ...base,
      method: 'get',
      path: '/staff',
      summary: 'Staff you may manage',
      query: pageQuery,
      responses: { 200: json(pageOf(StaffMember), 'A page of staff'), ...errors },
    },
    async (c, { query }) =>
      c.json(await listStaff(deps, actingOf(c), { limit: query.limit, cursor: query.cursor }), 200),
  );
  api.route(
    {
      ...base,
      method: 'post',
      path: '/staff',
      summary: 'Invite a staff member by phone, with roles in regions',
      body: z.object({ phone: z.string().check(z.minLength(1), z.maxLength(32)), grants: grantsBody }),
      responses: {
        201: json(StaffMember, 'Invited: the phone can now sign in'),
        ...errors,
        409: problem('Already staff'),
      },
    },
    async (c, { body }) => c.json(await inviteStaff(deps, actingOf(c), body), 201),
  );
  api.route(
    {
      ...base,
      method: 'get',
      path: '/staff/{phone}',
      summary: 'One staff member',
      params: phoneParam,
      responses: { 200: json(StaffMember, 'The member'), ...errors, 404: problem('Not staff') },
    },
    async (c, { params }) => c.json(await getStaff(deps, actingOf(c), params.phone), 200),
  );
  api.route(
    {
      ...base,
      method: 'put',
      path: '/staff/{phone}',
      summary: "Replace a member's roles and regions",
      params: phoneParam,
      body: z.object({
        grants: grantsBody,
        version: describe(version, 'The version you read; a different stored version is a 409'),
      }),
      responses: {
        200: json(StaffMember, 'Saved'),
        ...errors,
        404: problem('Not staff'),
        409: problem('Changed by someone else'),
      },
    },
    async (c, { params, body }) => c.json(await updateStaff(deps, actingOf(c), params.phone, body), 200),
  );
  api.route(
    {
      ...base,
      method: 'delete',
      path: '/staff/{phone}',
      summary: 'Remove a staff member (their sessions stop working at once)',
      params: phoneParam,
      query: z.object({ version: z.optional(z.coerce.number().check(z.int(), z.positive())) }),
      responses: {
        204: { description: 'Removed' },
        ...errors,
        404: problem('Not staff'),
        409: problem('Changed by someone else'),
      },
    },
    async (c, { params, query }) => {
      await removeStaff(deps, actingOf(c), params.phone, query.version);
      return c.body(null, 204);
    },
  );
  api.route(
    {
      ...base,
      method: 'get',
      path: '/audit',
      summary: 'The audit log of one Asia/Shanghai day, newest first (admins of all regions)',
      middleware: [requirePermission(deps, 'audit.read', () => ALL_REGIONS)],
      query: z.object({
        ...pageFields,
        day: describe(z.optional(z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/))), 'YYYY-MM-DD; default today'),
      }),
      responses: { 200: json(pageOf(AuditEntry), 'A page of entries'), ...errors },
    },
    async (c, { query }) =>
      c.json(
        await deps.audit.listDay(query.day ?? shanghaiDay(deps.now()), { limit: query.limit, cursor: query.cursor }),
        200,
      ),
  );
  return api;
}

/**
 * Staff administration: invite by phone, change grants, remove, list. Each change is checked
 * region by region (an admin of a prefecture manages staff only there) and audit-logged.
 */
import { AppError, type ErrorDetail, notFound } from '../errors.ts';
import type { Page, PageRequest } from '../paging.ts';
import { auditEntry } from './audit.ts';
import { type Acting, type GuardDeps, guard, regionsOf } from './guard.ts';
import type { AuditLog, StaffRepository } from './ports.ts';
import { ALL_REGIONS, type Grant, grantsSchema, normaliseGrants, type StaffMember } from './roles.ts';
import { phoneOrThrow } from './sign-in.ts';

export interface StaffAdminDeps extends GuardDeps {
  staff: StaffRepository;
  audit: AuditLog;
}

/** Grants checked here too, whoever calls (API, web form, a script): shape first, then merged. */
function validGrants(input: unknown): Grant[] {
  const parsed = grantsSchema.safeParse(input);
  if (!parsed.success)
    throw new AppError(
      'validation_failed',
      {},
      parsed.error.issues.map((i) => ({ path: ['grants', ...i.path.map(String)].join('.'), message: i.message })),
    );
  return normaliseGrants(parsed.data);
}

/** Unknown region ids are a 400 naming each one, before any permission is weighed. */
async function checkRegions(deps: StaffAdminDeps, grants: Grant[]): Promise<void> {
  const details: ErrorDetail[] = [];
  for (const [i, g] of grants.entries()) {
    for (const [j, id] of g.regions.entries()) {
      if (id !== ALL_REGIONS && !(await deps.authz.regionPath(id)))
        details.push({ path: `grants.${i}.regions.${j}`, message: `unknown region “${id}”` });
    }
  }
  if (details.length) throw new AppError('validation_failed', {}, details);
}

async function record(
  deps: StaffAdminDeps,
  acting: Acting,
  action: string,
  target: string,
  regions: string[],
  detail: Record<string, string | number | boolean | string[]>,
) {
  await deps.audit.record(
    auditEntry(
      {
        actor: acting.actor.phone,
        action,
        target,
        regions,
        outcome: 'ok',
        detail,
        ...(acting.requestId ? { requestId: acting.requestId } : {}),
      },
      deps.now(),
    ),
  );
}

const describeGrants = (grants: Grant[]) => grants.map((g) => `${g.role}@${g.regions.join('+')}`);

async function load(deps: StaffAdminDeps, phone: string): Promise<StaffMember> {
  const member = await deps.staff.get(phone);
  if (!member) throw notFound('staff', phone);
  return member;
}

export async function inviteStaff(
  deps: StaffAdminDeps,
  acting: Acting,
  input: { phone: string; grants: Grant[] },
): Promise<StaffMember> {
  const phone = phoneOrThrow(input.phone);
  const grants = validGrants(input.grants);
  await checkRegions(deps, grants);
  await guard(deps, acting, 'staff.manage', regionsOf(grants));
  const at = deps.now().toISOString();
  const member = await deps.staff.create({
    phone,
    grants,
    invitedBy: acting.actor.phone,
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  await record(deps, acting, 'staff.invite', phone, regionsOf(grants), { grants: describeGrants(grants) });
  return member;
}

/** Replaces a member's grants. The actor must cover the regions taken away as well as those given. */
export async function updateStaff(
  deps: StaffAdminDeps,
  acting: Acting,
  phoneInput: string,
  input: { grants: Grant[]; version?: number },
): Promise<StaffMember> {
  const phone = phoneOrThrow(phoneInput);
  const grants = validGrants(input.grants);
  await checkRegions(deps, grants);
  const member = await load(deps, phone);
  const touched = regionsOf([...member.grants, ...grants]);
  await guard(deps, acting, 'staff.manage', touched);
  if (input.version !== undefined && input.version !== member.version) throw new AppError('conflict');
  const saved = await deps.staff.save({ ...member, grants, updatedAt: deps.now().toISOString() });
  await record(deps, acting, 'staff.update', phone, touched, {
    before: describeGrants(member.grants),
    after: describeGrants(grants),
  });
  return saved;
}

export async function removeStaff(
  deps: StaffAdminDeps,
  acting: Acting,
  phoneInput: string,
  version?: number,
): Promise<void> {
  const phone = phoneOrThrow(phoneInput);
  const member = await load(deps, phone);
  await guard(deps, acting, 'staff.manage', regionsOf(member.grants));
  if (version !== undefined && version !== member.version) throw new AppError('conflict');
  await deps.staff.delete(phone, member.version);
  await record(deps, acting, 'staff.remove', phone, regionsOf(member.grants), {
    grants: describeGrants(member.grants),
  });
}

export async function getStaff(deps: StaffAdminDeps, acting: Acting, phoneInput: string): Promise<StaffMember> {
  const member = await load(deps, phoneOrThrow(phoneInput));
  await guard(deps, acting, 'staff.manage', regionsOf(member.grants));
  return member;
}

/**
 * A page of staff the actor may manage: all of them for an admin of every region, else
 * those holding a grant in one of the actor's regions (so a page may come back short).
 */
export async function listStaff(deps: StaffAdminDeps, acting: Acting, page: PageRequest): Promise<Page<StaffMember>> {
  await guard(deps, acting, 'staff.manage');
  const result = await deps.staff.list(page);
  if (await deps.authz.can(acting.actor, 'staff.manage', ALL_REGIONS)) return result;
  const visible: StaffMember[] = [];
  for (const member of result.items) {
    for (const region of regionsOf(member.grants)) {
      if (region !== ALL_REGIONS && (await deps.authz.can(acting.actor, 'staff.manage', region))) {
        visible.push(member);
        break;
      }
    }
  }
  return { ...result, items: visible };
}

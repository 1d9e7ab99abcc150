import { AppError } from '../errors.ts';
import { auditEntry } from './audit.ts';
import type { Authorizer, Permission } from './authz.ts';
import type { AuditLog } from './ports.ts';
import type { Actor } from './roles.ts';

export interface GuardDeps {
  authz: Authorizer;
  audit: AuditLog;
  now: () => Date;
}

/** Who is acting, and on which request (for the audit log). */
export interface Acting {
  actor: Actor;
  requestId?: string;
  /** What was asked for, e.g. "POST /api/v1/staff". */
  target?: string;
}

/**
 * Throws `forbidden` unless the actor holds `permission` in every one of `regionIds` (none
 * given: in any region), and writes the refusal to the audit log first: a staff member
 * reaching past their role or regions is exactly what the log is for.
 *
 * @example await guard(deps, acting, 'staff.manage', ['pref_lhasa'])
 */
export async function guard(
  deps: GuardDeps,
  acting: Acting,
  permission: Permission,
  regionIds: readonly string[] = [],
): Promise<void> {
  const checks = regionIds.length ? regionIds : [undefined];
  for (const regionId of checks) {
    if (await deps.authz.can(acting.actor, permission, regionId)) continue;
    await deps.audit.record(
      auditEntry(
        {
          actor: acting.actor.phone,
          action: 'access.denied',
          ...(acting.target ? { target: acting.target } : {}),
          ...(regionIds.length ? { regions: [...regionIds] } : {}),
          outcome: 'denied',
          detail: { permission },
          ...(acting.requestId ? { requestId: acting.requestId } : {}),
        },
        deps.now(),
      ),
    );
    throw new AppError('forbidden');
  }
}

/** Every region a set of grants touches ('*' included), for checks that must cover them all. */
export const regionsOf = (grants: ReadonlyArray<{ regions: readonly string[] }>): string[] => [
  ...new Set(grants.flatMap((g) => g.regions)),
];

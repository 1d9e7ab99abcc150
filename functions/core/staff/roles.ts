import { type Language, languages } from '../reference/schemas.ts';
import * as z from '../zod.ts';

/** What a staff member may be. Every role is held in a set of regions (or everywhere). */
export const roles = ['admin', 'collector', 'reviewer', 'editor', 'operator', 'expert'] as const;
export type Role = (typeof roles)[number];

/** The region scope that covers every region, present and future. */
export const ALL_REGIONS = '*';

/** A region id, or '*' for all regions. */
export const regionIdPattern = /^(\*|[a-z0-9_]{1,100})$/;
export const grantLimits = { regions: 50, grants: 20 } as const;
const regionIdSchema = z.string().check(z.regex(regionIdPattern, 'a region id, or * for all regions'));

export const grantSchema = z.object({
  role: z.enum(roles),
  /** Region ids (a prefecture covers its counties and towns), or ['*'] for all regions. */
  regions: z.array(regionIdSchema).check(z.minLength(1), z.maxLength(grantLimits.regions)),
  /**
   * Reviewers and experts: the languages they read (a reviewer approves only these versions,
   * an expert's queue starts filtered to them). Absent: every language.
   */
  languages: z.optional(z.array(z.enum(languages)).check(z.minLength(1), z.maxLength(languages.length))),
});
/** One role in some regions. */
export type Grant = z.infer<typeof grantSchema>;

export const grantsSchema = z.array(grantSchema).check(z.maxLength(grantLimits.grants));

/** A staff account. The phone number (E.164) is the identity; there are no passwords. */
export interface StaffMember {
  phone: string;
  grants: Grant[];
  invitedBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
}

/** Whoever is signed in: their stored grants, plus admin everywhere when the phone is in ADMIN_PHONES. */
export interface Actor {
  phone: string;
  grants: Grant[];
  /** True when ADMIN_PHONES made this phone an admin (it cannot be taken away on the web). */
  configAdmin: boolean;
}

export const globalAdmin: Grant = { role: 'admin', regions: [ALL_REGIONS] };

/**
 * The actor for a phone, or undefined when the phone is neither staff nor a configured admin.
 *
 * @example actorFrom('+8613800000000', undefined, ['+8613800000000']) // admin in all regions
 */
export function actorFrom(
  phone: string,
  member: StaffMember | undefined,
  adminPhones: readonly string[],
): Actor | undefined {
  const configAdmin = adminPhones.includes(phone);
  if (!member && !configAdmin) return undefined;
  return { phone, grants: [...(configAdmin ? [globalAdmin] : []), ...(member?.grants ?? [])], configAdmin };
}

/** Distinct role names, in the order of `roles`: what GET /me lists. */
export const roleNames = (grants: readonly Grant[]): Role[] => roles.filter((r) => grants.some((g) => g.role === r));

/** Merges grants of the same role and drops duplicate regions; '*' absorbs the rest. */
export function normaliseGrants(grants: readonly Grant[]): Grant[] {
  const byRole = new Map<Role, Set<string>>();
  // Languages of a role: the union of its grants'; one grant without languages means all of them.
  const langs = new Map<Role, Set<Language> | 'all'>();
  for (const g of grants) {
    const set = byRole.get(g.role) ?? new Set<string>();
    for (const r of g.regions) set.add(r);
    byRole.set(g.role, set);
    const had = langs.get(g.role);
    if (!g.languages || had === 'all') langs.set(g.role, 'all');
    else langs.set(g.role, new Set([...(had ?? []), ...g.languages]));
  }
  return roles
    .filter((r) => byRole.has(r))
    .map((role) => {
      const regions = [...byRole.get(role)!];
      const l = langs.get(role);
      const chosen = l === 'all' || !l ? undefined : languages.filter((x) => l.has(x));
      return {
        role,
        regions: regions.includes(ALL_REGIONS) ? [ALL_REGIONS] : regions.sort(),
        ...(chosen && chosen.length < languages.length ? { languages: chosen } : {}),
      };
    });
}

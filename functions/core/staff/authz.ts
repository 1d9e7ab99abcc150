/**
 * The one place that decides whether a staff member may do something, and where. Routes ask
 * through `requirePermission` (functions/http/middleware/auth.ts) or `guard` (./guard.ts);
 * nothing else compares roles.
 */
import { type Language, languages } from '../reference/schemas.ts';
import { type Actor, ALL_REGIONS, type Role } from './roles.ts';

export const permissions = [
  'staff.manage',
  'audit.read',
  'price.submit',
  'price.review',
  'content.edit',
  /** Knowledge: approve a guide's, bulletin's or alert's version in a language the grant reads (never one's own). */
  'content.review',
  /** Broadcasts: compose, preview, approve (another's), send, pause, resume, cancel, in the audience's regions. */
  'sms.broadcast',
  'advice.answer',
  'reference.edit',
  /** The exchange: approve, reject and hide offers, vouch for and block numbers, the market sheet. */
  'exchange.moderate',
  /** The exchange: post an offer for a farmer (who confirms it by SMS). */
  'exchange.post',
  /** The exchange: edit the flagged-word list. */
  'exchange.words',
  /** The voice line's prompt studio: record and upload clips (approval is `content.review` with the language). */
  'voice.record',
  /** The voice line's call records (phones masked). */
  'voice.calls',
] as const;
export type Permission = (typeof permissions)[number];

const rolePermissions: Record<Role, readonly Permission[]> = {
  admin: permissions,
  collector: ['price.submit'],
  // Reviewers check what is published: prices, and the library's texts in the languages they read.
  reviewer: ['price.review', 'content.review'],
  // Editors write what bureaus tell farmers, so they may broadcast it too.
  editor: ['content.edit', 'sms.broadcast', 'voice.record'],
  operator: ['sms.broadcast', 'exchange.moderate', 'exchange.post', 'voice.calls'],
  expert: ['advice.answer'],
};

export const permissionsOf = (role: Role): readonly Permission[] => rolePermissions[role];

/**
 * Where a permission is asked for:
 * - `anywhere`: in at least one region (e.g. may this person open the staff page at all?);
 * - `everywhere`: in every region (only a grant for '*' gives that);
 * - a region, given as its path: the region itself first, then its parent, grandparent ….
 */
export type Scope = { kind: 'anywhere' } | { kind: 'everywhere' } | { kind: 'region'; path: readonly string[] };

/**
 * Pure decision: a grant covers a region when it names the region or any region above it.
 *
 * @example allows(actor, 'price.submit', { kind: 'region', path: ['cty_lhasa_lhunzhub', 'pref_lhasa'] })
 */
export function allows(actor: Actor, permission: Permission, scope: Scope): boolean {
  return actor.grants.some((g) => {
    if (!rolePermissions[g.role].includes(permission)) return false;
    if (g.regions.includes(ALL_REGIONS)) return true;
    if (scope.kind === 'anywhere') return true;
    if (scope.kind === 'everywhere') return false;
    return scope.path.some((id) => g.regions.includes(id));
  });
}

/**
 * The regions of every grant that carries `permission` ('*' among them for an all-regions
 * grant): what a staff page offers as its region filter or choice.
 *
 * @example regionsWith(actor, 'price.review') // Set { 'pref_lhasa' }
 */
export function regionsWith(actor: Actor, permission: Permission): Set<string> {
  return new Set(actor.grants.filter((g) => rolePermissions[g.role].includes(permission)).flatMap((g) => g.regions));
}

/**
 * The languages in which grants carrying `permission` let the actor act (a reviewer's languages,
 * an expert's); a grant without languages gives every language.
 *
 * @example languagesWith(actor, 'content.review') // Set { 'bo' }
 */
export function languagesWith(actor: Actor, permission: Permission): Set<Language> {
  const out = new Set<Language>();
  for (const g of actor.grants) {
    if (!rolePermissions[g.role].includes(permission)) continue;
    for (const l of g.languages ?? languages) out.add(l);
  }
  return out;
}

export interface RegionLookup {
  getRegion(id: string): Promise<{ id: string; parentId: string | null } | undefined>;
}

export interface Authorizer {
  /**
   * `regionId` undefined asks for "anywhere", '*' for "everywhere"; an unknown region id is
   * covered only by a grant for all regions.
   */
  can(actor: Actor, permission: Permission, regionId?: string): Promise<boolean>;
  /** The region and its ancestors, nearest first; undefined when the region does not exist. */
  regionPath(regionId: string): Promise<string[] | undefined>;
}

/** Regions nest prefecture → county → town; the cap only stops a corrupt cycle. */
const MAX_DEPTH = 8;

/**
 * An authorizer over the reference regions. Parent links change only with reference data, so
 * they are cached for a few minutes per process to spare a read per level on every check.
 */
export function createAuthorizer(
  regions: RegionLookup,
  cacheMs = 5 * 60_000,
  clock: () => number = Date.now,
): Authorizer {
  const cache = new Map<string, { parentId: string | null | undefined; at: number }>();
  const parentOf = async (id: string): Promise<string | null | undefined> => {
    const hit = cache.get(id);
    if (hit && clock() - hit.at < cacheMs) return hit.parentId;
    const region = await regions.getRegion(id);
    const parentId = region ? region.parentId : undefined;
    cache.set(id, { parentId, at: clock() });
    return parentId;
  };
  const regionPath = async (regionId: string): Promise<string[] | undefined> => {
    const path: string[] = [];
    let id: string | null | undefined = regionId;
    while (id && path.length < MAX_DEPTH && !path.includes(id)) {
      const parent = await parentOf(id);
      if (parent === undefined) return path.length ? path : undefined;
      path.push(id);
      id = parent;
    }
    return path;
  };
  return {
    regionPath,
    async can(actor, permission, regionId) {
      if (regionId === undefined) return allows(actor, permission, { kind: 'anywhere' });
      if (regionId === ALL_REGIONS) return allows(actor, permission, { kind: 'everywhere' });
      const path = await regionPath(regionId);
      return allows(actor, permission, path ? { kind: 'region', path } : { kind: 'everywhere' });
    },
  };
}

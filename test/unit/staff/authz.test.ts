import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { allows, createAuthorizer, type RegionLookup, regionsWith } from '#core/staff/authz.ts';
import { type Actor, actorFrom, type Grant, normaliseGrants, roleNames } from '#core/staff/roles.ts';

/** A stand-in for the reference repository: a prefecture, a county in it, a town in that. */
const tree: Record<string, string | null> = {
  pref_lhasa: null,
  cty_lhasa_lhunzhub: 'pref_lhasa',
  town_x: 'cty_lhasa_lhunzhub',
  pref_shigatse: null,
};
function regions(counter = { reads: 0 }): RegionLookup {
  return {
    async getRegion(id) {
      counter.reads++;
      return id in tree ? { id, parentId: tree[id]! } : undefined;
    },
  };
}
const actor = (...grants: Grant[]): Actor => ({ phone: '+8613900000001', grants, configAdmin: false });

describe('authorization', () => {
  test('a role in a prefecture covers its counties and towns, not other prefectures', async () => {
    const authz = createAuthorizer(regions());
    const collector = actor({ role: 'collector', regions: ['pref_lhasa'] });
    assert.equal(await authz.can(collector, 'price.submit', 'pref_lhasa'), true);
    assert.equal(await authz.can(collector, 'price.submit', 'cty_lhasa_lhunzhub'), true);
    assert.equal(await authz.can(collector, 'price.submit', 'town_x'), true);
    assert.equal(await authz.can(collector, 'price.submit', 'pref_shigatse'), false);
    assert.equal(await authz.can(collector, 'price.review', 'pref_lhasa'), false, 'the role decides what');
  });

  test('a county role does not reach up to its prefecture', async () => {
    const authz = createAuthorizer(regions());
    const reviewer = actor({ role: 'reviewer', regions: ['cty_lhasa_lhunzhub'] });
    assert.equal(await authz.can(reviewer, 'price.review', 'town_x'), true);
    assert.equal(await authz.can(reviewer, 'price.review', 'pref_lhasa'), false);
  });

  test("anywhere, everywhere and unknown regions: only '*' covers the last two", async () => {
    const authz = createAuthorizer(regions());
    const local = actor({ role: 'admin', regions: ['pref_lhasa'] });
    const global = actor({ role: 'admin', regions: ['*'] });
    assert.equal(await authz.can(local, 'staff.manage'), true);
    assert.equal(await authz.can(local, 'staff.manage', '*'), false);
    assert.equal(await authz.can(global, 'staff.manage', '*'), true);
    assert.equal(await authz.can(local, 'staff.manage', 'no_such_region'), false);
    assert.equal(await authz.can(global, 'staff.manage', 'no_such_region'), true);
    assert.equal(await authz.can(actor(), 'price.submit'), false, 'no grants, no permission');
  });

  test('allows() is pure over a region path', () => {
    const a = actor({ role: 'expert', regions: ['pref_lhasa'] });
    assert.equal(
      allows(a, 'advice.answer', { kind: 'region', path: ['town_x', 'cty_lhasa_lhunzhub', 'pref_lhasa'] }),
      true,
    );
    assert.equal(allows(a, 'advice.answer', { kind: 'region', path: ['pref_shigatse'] }), false);
  });

  test('region parents are cached; a cycle in the data cannot loop forever', async () => {
    const counter = { reads: 0 };
    const authz = createAuthorizer(regions(counter));
    const a = actor({ role: 'collector', regions: ['pref_lhasa'] });
    await authz.can(a, 'price.submit', 'town_x');
    const after = counter.reads;
    await authz.can(a, 'price.submit', 'town_x');
    assert.equal(counter.reads, after);
    const cyclic = createAuthorizer({ getRegion: async (id) => ({ id, parentId: id === 'a' ? 'b' : 'a' }) });
    assert.deepEqual(await cyclic.regionPath('a'), ['a', 'b']);
  });
});

describe('roles', () => {
  test('ADMIN_PHONES make an admin of every region, on top of stored grants', () => {
    const stored = {
      phone: '+8613800000000',
      grants: [{ role: 'expert' as const, regions: ['pref_lhasa'] }],
      invitedBy: 'x',
      createdAt: '',
      updatedAt: '',
      version: 1,
    };
    const a = actorFrom('+8613800000000', stored, ['+8613800000000'])!;
    assert.equal(a.configAdmin, true);
    assert.deepEqual(roleNames(a.grants), ['admin', 'expert']);
    assert.equal(actorFrom('+8613900000009', undefined, ['+8613800000000']), undefined);
  });

  test('grants are merged per role, regions deduplicated, and * absorbs the rest', () => {
    assert.deepEqual(
      normaliseGrants([
        { role: 'collector', regions: ['pref_shigatse', 'pref_lhasa'] },
        { role: 'admin', regions: ['pref_lhasa', '*'] },
        { role: 'collector', regions: ['pref_lhasa'] },
      ]),
      [
        { role: 'admin', regions: ['*'] },
        { role: 'collector', regions: ['pref_lhasa', 'pref_shigatse'] },
      ],
    );
  });
});

describe('regionsWith', () => {
  test('the regions of the grants whose role carries the permission, in grant order', () => {
    const actor: Actor = {
      phone: '+8613800000001',
      grants: [
        { role: 'collector', regions: ['cty_lhasa_lhunzhub'] },
        { role: 'editor', regions: ['pref_shigatse'] },
        { role: 'operator', regions: ['pref_lhasa', 'pref_shigatse'] },
      ],
      configAdmin: false,
    };
    assert.deepEqual([...regionsWith(actor, 'sms.broadcast')], ['pref_shigatse', 'pref_lhasa']);
    assert.deepEqual([...regionsWith(actor, 'exchange.moderate')], ['pref_lhasa', 'pref_shigatse']);
    assert.deepEqual([...regionsWith(actor, 'price.review')], []);
    const admin: Actor = { ...actor, grants: [{ role: 'admin', regions: ['*'] }] };
    assert.deepEqual([...regionsWith(admin, 'price.review')], ['*']);
  });
});

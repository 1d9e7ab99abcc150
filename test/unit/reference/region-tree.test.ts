import assert from 'node:assert/strict';
import { describe, test } from 'vitest';
import { isWithin, regionsUnder } from '#core/reference/catalog.ts';
import type { Region } from '#core/reference/schemas.ts';
import seed from '#core/reference/seed-data.json' with { type: 'json' };

const regions = new Map((seed.regions as Region[]).map((r) => [r.id, r]));
const catalog = { regions };

describe('the region tree, asked of the catalog', () => {
  test('isWithin: a region is within itself, its prefecture, and not a sibling', () => {
    assert.equal(isWithin(catalog, 'pref_lhasa', 'pref_lhasa'), true);
    assert.equal(isWithin(catalog, 'cty_lhasa_lhunzhub', 'pref_lhasa'), true);
    assert.equal(isWithin(catalog, 'pref_lhasa', 'cty_lhasa_lhunzhub'), false);
    assert.equal(isWithin(catalog, 'cty_lhasa_lhunzhub', 'pref_shigatse'), false);
    assert.equal(isWithin(catalog, undefined, 'pref_lhasa'), false);
    assert.equal(isWithin(catalog, null, 'pref_lhasa'), false);
  });

  test('isWithin: a town lies under its county and its prefecture', () => {
    const town = [...regions.values()].find((r) => r.level === 'town')!;
    const county = regions.get(town.parentId!)!;
    assert.equal(isWithin(catalog, town.id, county.id), true);
    assert.equal(isWithin(catalog, town.id, county.parentId!), true);
  });

  test('isWithin: an unknown region is within only itself, and a cycle of parent links ends', () => {
    assert.equal(isWithin(catalog, 'nowhere', 'nowhere'), true);
    assert.equal(isWithin(catalog, 'nowhere', 'pref_lhasa'), false);
    const loop = new Map<string, Pick<Region, 'parentId'>>([
      ['a', { parentId: 'b' }],
      ['b', { parentId: 'a' }],
    ]);
    assert.equal(isWithin({ regions: loop as Map<string, Region> }, 'a', 'c'), false);
  });

  test('regionsUnder: the prefecture first, then every county (and town) whose parent chain reaches it', () => {
    const under = regionsUnder(catalog, 'pref_ngari');
    assert.equal(under[0], 'pref_ngari');
    const expected = [...regions.values()].filter((r) => isWithin(catalog, r.id, 'pref_ngari')).map((r) => r.id);
    assert.deepEqual([...under].sort(), expected.sort());
    assert.ok(
      under.some((id) => regions.get(id)?.level === 'town'),
      'the town under a Ngari county is included',
    );
    assert.equal(new Set(under).size, under.length);
    assert.deepEqual(regionsUnder(catalog, 'cty_lhasa_lhunzhub'), ['cty_lhasa_lhunzhub']);
    assert.deepEqual(regionsUnder(catalog, 'nowhere'), ['nowhere']);
  });

  test('regionsUnder: the seven prefectures and what lies under them cover every region once', () => {
    const prefectures = [...regions.values()].filter((r) => r.parentId === null);
    assert.equal(prefectures.length, 7);
    const all = prefectures.flatMap((p) => regionsUnder(catalog, p.id));
    assert.equal(all.length, regions.size);
    assert.equal(new Set(all).size, regions.size);
  });
});
